"""``generate_load`` on a small scale, on whichever database the suite runs: the rows
keep every invariant the services keep, and the statistics run on them (issue 6)."""

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from congress.models import Congress, Deputy, Session
from dashboard.statistics import session_statistics
from suggestions.models import (
    COUNTED_STATUSES,
    OPEN_STATUSES,
    Assignment,
    AssignmentRole,
    CoSignature,
    Evaluation,
    Event,
    Reply,
    Status,
    Suggestion,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def loaded(capsys):
    call_command("generate_load", suggestions=300, largest=200, seed=7)
    return capsys.readouterr().out


def test_the_load_respects_the_models_rules(loaded):
    assert "Done:" in loaded and "rows/s" in loaded
    assert Suggestion.objects.count() == 300
    current = Session.objects.current()
    assert current.suggestions.count() == 200
    assert Session.objects.count() == 2
    assert Deputy.objects.filter(delegation__congress=current.congress).count() >= 350
    # Every status appears in the current session, most are closed.
    statuses = dict(
        current.suggestions.values_list("status").annotate(n=Count("id")).order_by()
    )
    assert statuses[Status.CLOSED] > 60
    assert {Status.ASSIGNED, Status.REPLIED, Status.REJECTED} <= set(statuses)
    # Filed ones are numbered 1..n in each session; the others are not numbered.
    for session in Session.objects.all():
        numbers = list(
            session.suggestions.exclude(number=None)
            .order_by("number")
            .values_list("number", flat=True)
        )
        assert numbers == list(range(1, len(numbers) + 1))
    assert not Suggestion.objects.filter(
        ~Q(status__in=[*COUNTED_STATUSES, Status.MERGED]), number__isnull=False
    ).exists()
    # Lead deputies and co-signers belong to the session's congress; none co-signs
    # their own suggestion.
    assert not Suggestion.objects.exclude(
        lead_deputy__delegation__congress=F("session__congress")
    ).exists()
    assert not CoSignature.objects.filter(deputy=F("suggestion__lead_deputy")).exists()
    assert not CoSignature.objects.exclude(
        deputy__delegation__congress=F("suggestion__session__congress")
    ).exists()
    # Handled ones have their active lead assignment of the current round, with
    # the suggestion's unit and due date; open ones are not replied.
    handled = Suggestion.objects.filter(
        status__in=[*OPEN_STATUSES, Status.REPLIED, Status.CLOSED]
    )
    for s in handled:
        lead = s.assignments.get(role=AssignmentRole.LEAD, round=s.round, active=True)
        assert (lead.unit_id, lead.due_at) == (s.lead_unit_id, s.due_at)
        assert (lead.replied_at is None) == (s.status in OPEN_STATUSES)
        assert s.outcome or s.status in OPEN_STATUSES
    # Replies belong to replied assignments; ratings to rated rounds.
    assert not Reply.objects.filter(assignment__replied_at__isnull=True).exists()
    assert not Assignment.objects.filter(
        replied_at__isnull=False, reply__isnull=True
    ).exists()
    closed = Suggestion.objects.filter(status=Status.CLOSED)
    assert Evaluation.objects.filter(suggestion__in=closed).count() >= closed.count()
    assert not closed.filter(rating="").exists()
    assert not Suggestion.objects.filter(
        status=Status.MERGED, merged_into=None
    ).exists()
    # Every suggestion has a timeline, nothing happens in the future.
    assert Event.objects.values("suggestion").distinct().count() == 300
    assert not Event.objects.filter(created_at__gt=timezone.now()).exists()
    assert not Assignment.objects.filter(replied_at__gt=timezone.now()).exists()


def test_the_statistics_run_on_the_load(loaded):
    session = Session.objects.current()
    figures = session_statistics(session)
    counted = session.suggestions.filter(status__in=COUNTED_STATUSES).count()
    assert figures["suggestions"] == counted > 100
    assert 30 <= figures["completion_rate"] <= 80
    assert figures["satisfaction_rate"] > 80
    assert sum(row["count"] for row in figures["by_category"]) == counted
    assert figures["overdue"] == session.suggestions.overdue().count()


def test_a_second_load_needs_reset(loaded):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("generate_load", suggestions=10)
    call_command("generate_load", suggestions=50, reset=True)
    assert Suggestion.objects.count() == 50
    assert Congress.objects.count() == 1
