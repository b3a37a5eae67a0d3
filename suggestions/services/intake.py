"""Staff enter suggestions handed in on paper (代录), review, file, reject, merge
and assign submitted suggestions (立案, 交办) and choose key ones."""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import clock
from common.errors import InvalidInput, NotFound
from congress.models import Deputy, HandlingUnit, Session

from .. import actions, deadlines, rules, workflow
from ..letters import EXTENSIONS, validate_original
from ..models import (
    Assignment,
    AssignmentRole,
    Category,
    Complexity,
    CoSignature,
    Disposition,
    Status,
    Suggestion,
)
from ..signals import announce
from ._shared import (
    TITLE_MAX,
    _category,
    _choice,
    _congress_deputies,
    _hand_in,
    _lock_open_session,
    _lock_suggestion,
    _rules,
    _supervising_leader,
    _text,
    _unit,
)

# --- staff: entry on behalf (代录) ----------------------------------------------------


@transaction.atomic
def suggestion_enter_on_behalf(
    *,
    actor,
    session: Session | int | None,
    lead_deputy: Deputy | int | None,
    title: str,
    body: str,
    original,
    co_signers: Sequence[Deputy | int] = (),
    category: Category | int | None = None,
) -> Suggestion:
    """A suggestion handed in on paper, entered by staff of the session's body for
    its deputies (代录): led by ``lead_deputy``, signed by ``co_signers`` (their
    signatures on the paper, so they count at once), with the scan of the signed
    original (``original``, required: it proves the signatures). It is handed in
    at once (submitted, as its deputy's submit does), the timeline names who
    entered it, and the deputies are told; it is theirs as if they had submitted
    it. Bad input writes nothing (``InvalidInput`` naming the field)."""
    rules.require_staff(actor)
    session = _staff_session(actor, session)
    lead = _lead_deputy(lead_deputy, session)
    signers = _congress_deputies(session, co_signers, lead=lead)
    title = _text(title, "title", max_length=TITLE_MAX, one_line=True)
    body = _text(body, "body")
    category = _category(category, session_id=session.pk)
    kind = validate_original(original)
    now = clock.now()
    suggestion = Suggestion(
        session=session,
        title=title,
        body=body,
        category=category,
        lead_deputy=lead,
        entered_by=actor,
        original_name=(getattr(original, "name", "") or "")[-200:],
        created_at=now,
    )
    # Stored last, once every value has passed: a refusal leaves no file behind.
    suggestion.original.save(f"original{EXTENSIONS[kind]}", original, save=False)
    suggestion.save()
    CoSignature.objects.bulk_create(
        CoSignature(suggestion=suggestion, deputy=d, invited_at=now, signed_at=now)
        for d in signers
    )
    _hand_in(
        suggestion,
        "enter-on-behalf",
        actor=actor,
        note=str(actor),
        data={
            "entered_by": actor.pk,
            "lead_deputy": lead.pk,
            "co_signers": [d.pk for d in signers],
        },
    )
    announce("entered_on_behalf", suggestion=suggestion, co_signers=signers)
    return suggestion


def _staff_session(actor, value) -> Session:
    """The session to enter into: one of a congress body where ``actor`` is staff
    (another body's is refused as unknown), open for intake (locked)."""
    session_id = getattr(value, "pk", value)
    try:
        session = Session.objects.select_related("congress").get(pk=session_id)
    except (Session.DoesNotExist, ValueError, TypeError):
        session = None
    if session is None or not actor.is_staff_of(session.congress.body_id):
        raise InvalidInput(
            _("Choose a session of a congress whose staff you are."), field="session"
        )
    return _lock_open_session(session)


def _lead_deputy(value, session: Session) -> Deputy:
    """An active deputy of the session's congress (and so of its body)."""
    deputy_id = getattr(value, "pk", value)
    if value is None or isinstance(deputy_id, bool):
        raise InvalidInput(_("Choose the lead deputy."), field="lead_deputy")
    try:
        return Deputy.objects.select_related("delegation").get(
            pk=deputy_id, active=True, delegation__congress_id=session.congress_id
        )
    except (Deputy.DoesNotExist, ValueError, TypeError):
        raise InvalidInput(
            _("The lead deputy must be an active deputy of the session's congress."),
            field="lead_deputy",
        ) from None


# --- staff: review, filing, assignment ----------------------------------------------


@transaction.atomic
def suggestion_register(
    *, suggestion_id: int, actor, category: Category | int
) -> Suggestion:
    """File the suggestion (立案): give it a category and the next number of its
    session."""
    suggestion = _lock_suggestion(suggestion_id)
    actions.require(actor, "register", suggestion)
    category = _category(category, session_id=suggestion.session_id)
    if category is None:
        raise InvalidInput(_("Choose a category."), field="category")
    # Numbers are handed out one at a time per session: lock the session row.
    Session.objects.select_for_update().get(pk=suggestion.session_id)
    last = Suggestion.objects.filter(session_id=suggestion.session_id).aggregate(
        n=Max("number")
    )["n"]
    suggestion.number = (last or 0) + 1
    suggestion.category = category
    suggestion.registered_at = clock.now()
    workflow.move(
        suggestion, "register", actor=actor, data={"number": suggestion.number}
    )
    suggestion.save()
    announce("registered", suggestion=suggestion)
    return suggestion


@transaction.atomic
def suggestion_reject(
    *,
    suggestion_id: int,
    actor,
    reason: str,
    disposition: str = Disposition.RETURNED,
) -> Suggestion:
    """Not accepted as a suggestion (personal affairs, complaints …); the deputy is
    told why and what happens to it."""
    suggestion = _lock_suggestion(suggestion_id)
    actions.require(actor, "reject", suggestion)
    suggestion.rejection_reason = _text(reason, "reason")
    suggestion.disposition = _choice(disposition, Disposition, "disposition")
    suggestion.closed_at = clock.now()
    workflow.move(
        suggestion,
        "reject",
        actor=actor,
        note=suggestion.rejection_reason,
        data={"disposition": suggestion.disposition},
    )
    suggestion.save()
    announce("rejected", suggestion=suggestion)
    return suggestion


@transaction.atomic
def suggestion_merge(
    *, suggestion_id: int, actor, into: int | Suggestion
) -> Suggestion:
    """Handle the suggestion together with ``into`` (并案); its deputies see that
    suggestion's reply."""
    into_id = getattr(into, "pk", into)
    valid_id = (
        isinstance(into_id, int)
        and not isinstance(into_id, bool)
        and into_id != suggestion_id
    )
    # Locked in id order; a missing target is an input error, told after the
    # checks of the suggestion itself.
    locked = {}
    for pk in sorted({suggestion_id, into_id} if valid_id else {suggestion_id}):
        try:
            locked[pk] = _lock_suggestion(pk)
        except NotFound:
            if pk != into_id:
                raise
    suggestion, target = locked[suggestion_id], locked.get(into_id)
    actions.require(actor, "merge", suggestion)
    if not valid_id:
        raise InvalidInput(_("Choose another suggestion to merge into."), field="into")
    # A draft is out of staff's sight: as if it did not exist.
    if target is None or target.status == Status.DRAFT:
        raise InvalidInput(_("No such suggestion."), field="into")
    if target.session_id != suggestion.session_id:
        raise InvalidInput(
            _("Only suggestions of the same session can be merged."), field="into"
        )
    workflow.check(target, "absorb")
    # Those merged into this one earlier go along: their deputies are answered by
    # the target's reply, as this suggestion's are (locked after the pair).
    joined = list(
        Suggestion.objects.select_for_update()
        .filter(merged_into=suggestion)
        .order_by("pk")
    )
    suggestion.merged_into = target
    suggestion.closed_at = clock.now()
    workflow.move(suggestion, "merge", actor=actor, data={"into": target.pk})
    suggestion.save()
    workflow.move(target, "absorb", actor=actor, data={"merged": suggestion.pk})
    for earlier in joined:
        earlier.merged_into = target
        workflow.move(
            earlier,
            "merge-along",
            actor=actor,
            data={"into": target.pk, "via": suggestion.pk},
        )
        earlier.save(update_fields=["merged_into"])
        workflow.move(target, "absorb", actor=actor, data={"merged": earlier.pk})
    # Each deputy hears once, of their own suggestion (the earlier ones no longer
    # count among this one's deputies).
    for merged in [suggestion, *joined]:
        announce("merged", suggestion=merged, target=target)
    return suggestion


@transaction.atomic
def suggestion_assign(
    *,
    suggestion_id: int,
    actor,
    lead_unit: HandlingUnit | int,
    co_units: Sequence[HandlingUnit | int] = (),
    complexity: str = Complexity.NORMAL,
    key_supervised: bool = False,
    supervising_leader=None,
) -> Suggestion:
    """Hand the suggestion to a lead unit and co-units (交办), starting the clock."""
    suggestion = _lock_suggestion(suggestion_id)
    actions.require(actor, "assign", suggestion)
    complexity = _choice(complexity, Complexity, "complexity")
    leader = _supervising_leader(
        supervising_leader, key_supervised, suggestion=suggestion
    )
    lead = _unit(lead_unit, "lead_unit", suggestion=suggestion)
    co = []
    for value in co_units or ():
        unit = _unit(value, "co_units", suggestion=suggestion)
        if unit.pk == lead.pk:
            raise InvalidInput(
                _("The lead unit cannot also be a co-unit."), field="co_units"
            )
        if unit.pk not in {u.pk for u in co}:
            co.append(unit)
    now = clock.now()
    today = timezone.localdate(now)
    handling = _rules(suggestion)
    due = deadlines.reply_due(handling, today, complexity)
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                suggestion=suggestion,
                unit=lead,
                role=AssignmentRole.LEAD,
                round=suggestion.round,
                assigned_at=now,
                due_at=due,
            )
        ]
        + [
            Assignment(
                suggestion=suggestion,
                unit=unit,
                role=AssignmentRole.CO,
                round=suggestion.round,
                assigned_at=now,
                due_at=deadlines.co_unit_due(handling, today, due),
            )
            for unit in co
        ]
    )
    suggestion.lead_unit = lead
    suggestion.due_at = due
    suggestion.assigned_at = now
    suggestion.complexity = complexity
    suggestion.key_supervised = bool(key_supervised)
    suggestion.supervising_leader = leader
    workflow.move(
        suggestion,
        "assign",
        actor=actor,
        data={
            "lead_unit": lead.pk,
            "co_units": [u.pk for u in co],
            "due_at": due.isoformat(),
        },
    )
    suggestion.save()
    announce("assigned", suggestion=suggestion, assignments=assignments)
    return suggestion


@transaction.atomic
def suggestion_mark_key(
    *, suggestion_id: int, actor, key_supervised: bool, supervising_leader=None
) -> Suggestion:
    """Choose (or drop) a suggestion for key supervision (重点督办, Law art. 52)."""
    suggestion = _lock_suggestion(suggestion_id)
    actions.require(actor, "mark-key", suggestion)
    leader = _supervising_leader(
        supervising_leader, key_supervised, suggestion=suggestion
    )
    suggestion.key_supervised = bool(key_supervised)
    suggestion.supervising_leader = leader
    workflow.move(
        suggestion, "mark-key", actor=actor, data={"key_supervised": key_supervised}
    )
    suggestion.save(
        update_fields=["key_supervised", "supervising_leader", "updated_at"]
    )
    return suggestion
