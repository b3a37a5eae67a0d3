"""The one transition table (DESIGN.md §4) and the guarded move that applies it."""

import ast
from pathlib import Path

import pytest

from common.errors import InvalidTransition
from suggestions import services, workflow
from suggestions.models import Event, Status
from tests.factories import StaffFactory, SuggestionFactory

S = Status

# The status-changing moves of the diagram in DESIGN.md §4, and nothing else.
DIAGRAM = {
    "submit": ({S.DRAFT}, {S.SUBMITTED}),
    # Entry on behalf (代录): staff hand in a paper suggestion as its deputy's
    # submit would (docs/workflow.md).
    "enter-on-behalf": ({S.DRAFT}, {S.SUBMITTED}),
    "withdraw": ({S.DRAFT, S.SUBMITTED}, {S.WITHDRAWN}),
    "register": ({S.SUBMITTED}, {S.REGISTERED}),
    "reject": ({S.SUBMITTED}, {S.REJECTED}),
    "merge": ({S.SUBMITTED, S.REGISTERED}, {S.MERGED}),
    "assign": ({S.REGISTERED}, {S.ASSIGNED}),
    "reply": ({S.ASSIGNED, S.REHANDLING}, {S.REPLIED}),
    "evaluate": ({S.REPLIED}, {S.CLOSED, S.REHANDLING}),
}


def test_status_changing_actions_are_exactly_the_diagram():
    """Every action that changes the status matches the workflow diagram."""
    changing = {
        name: (set(a.allowed_from), set(a.targets))
        for name, a in workflow.ACTIONS.items()
        if a.targets
    }
    assert changing == DIAGRAM


def test_table_only_names_real_statuses():
    """The table uses only the model's statuses."""
    for action in workflow.ACTIONS.values():
        assert action.allowed_from <= set(Status.values)
        assert action.targets <= set(Status.values)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [(S.WITHDRAWN, []), (S.REJECTED, []), (S.MERGED, ["merge-along"])],
)
def test_side_exits_are_final(status, allowed):
    """Withdrawn and rejected suggestions allow no action at all; a merged one
    only follows the suggestion it joined when that one is merged away, and
    stays merged."""
    assert [
        n for n, a in workflow.ACTIONS.items() if status in a.allowed_from
    ] == allowed
    assert all(workflow.ACTIONS[n].targets == frozenset() for n in allowed)


def test_a_closed_suggestion_allows_little():
    """After closing only key marking, the leaders' part of a key suggestion
    (naming its leaders, recording a supervision visit), publishing, reporting a
    promise kept or on one promise of the ledger and denying a request left
    pending remain."""
    allowed = {n for n, a in workflow.ACTIONS.items() if S.CLOSED in a.allowed_from}
    assert allowed == {
        "mark-key",
        "leaders",
        "supervision",
        "publish",
        "fulfil",
        "promise-report",
        "deny",
    }


def test_unit_actions_need_an_open_suggestion():
    """Unit actions and staff approval of their requests are allowed while
    assigned or re-handling only."""
    for name in (
        "acknowledge",
        "request-reassignment",
        "request-extension",
        "approve",
        "contact",
        "opinion",
        "reply",
    ):
        assert workflow.ACTIONS[name].allowed_from == {S.ASSIGNED, S.REHANDLING}


@pytest.mark.django_db
def test_move_sets_the_status_and_appends_the_event(now):
    """``move`` changes the status to the action's single target and logs who, when,
    from and to."""
    s = SuggestionFactory(submitted=True)
    staff = StaffFactory()
    event = workflow.move(s, "register", actor=staff, note="n", data={"k": 1})
    assert s.status == S.REGISTERED
    event.refresh_from_db()
    assert (
        event.suggestion,
        event.action,
        event.actor,
        event.from_status,
        event.to_status,
        event.note,
        event.data,
        event.created_at,
    ) == (s, "register", staff, "submitted", "registered", "n", {"k": 1}, now)


@pytest.mark.django_db
def test_move_refuses_a_wrong_state_without_writing(now):
    """A move from a status the table does not allow raises InvalidTransition,
    naming the state, and writes no event."""
    s = SuggestionFactory()
    with pytest.raises(InvalidTransition) as error:
        workflow.move(s, "assign", actor=None)
    assert "draft" in str(error.value)
    assert s.status == S.DRAFT
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_move_refuses_an_undeclared_target(now):
    """An action cannot lead to a status the table does not list."""
    s = SuggestionFactory(replied=True)
    with pytest.raises(ValueError):
        workflow.move(s, "evaluate", actor=None, to=S.ASSIGNED)
    assert s.status == S.REPLIED
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_move_needs_the_target_when_there_are_several(now):
    """An action with several possible targets must be told which one; it never
    silently keeps the status."""
    s = SuggestionFactory(replied=True)
    with pytest.raises(ValueError):
        workflow.move(s, "evaluate", actor=None)
    assert s.status == S.REPLIED
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_non_changing_actions_keep_the_status(now):
    """Actions without targets log an event whose from and to are the same."""
    s = SuggestionFactory(assigned=True)
    event = workflow.move(s, "contact", actor=None)
    assert (event.from_status, event.to_status, s.status) == (
        "assigned",
        "assigned",
        "assigned",
    )


def test_a_pending_request_can_be_denied_after_the_round():
    """Denying stays possible once replied or closed, so that no request is left
    pending for ever."""
    assert workflow.ACTIONS["deny"].allowed_from == {
        S.ASSIGNED,
        S.REHANDLING,
        S.REPLIED,
        S.CLOSED,
    }


def test_services_never_assign_the_status():
    """No service sets ``status`` itself: every change goes through ``move``."""
    trees = [
        (path.name, ast.parse(path.read_text(encoding="utf-8")))
        for path in Path(services.__file__).parent.glob("*.py")
    ]
    offenders = [
        (name, node.lineno)
        for name, tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Attribute) and target.attr == "status"
    ]
    assert offenders == []
