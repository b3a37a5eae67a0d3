"""Every change to a suggestion, one function per transition (DESIGN.md §4).

Each function runs in one transaction with the suggestion row locked (``SELECT … FOR
UPDATE``; locks always taken suggestion first, then its assignment or request, and
several suggestions in id order), checks the actor's role and ownership and the current
state, appends an ``Event`` and returns the changed object. Failures raise the errors of
``errors.py`` and leave nothing half-written.
"""

from collections.abc import Sequence
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from congress.models import Deputy, HandlingRules, HandlingUnit, Session
from notifications import events

from . import clock, deadlines, rules, workflow
from .errors import InvalidInput, InvalidTransition, NotFound
from .letters import EXTENSIONS, validate_letter
from .models import (
    AdjustmentKind,
    AdjustmentRequest,
    Assignment,
    AssignmentRole,
    Category,
    Complexity,
    ContactMethod,
    ContactRecord,
    CoSignature,
    Decision,
    Disposition,
    Evaluation,
    Rating,
    Reply,
    Status,
    Suggestion,
)

TITLE_MAX = Suggestion._meta.get_field("title").max_length


# --- helpers -------------------------------------------------------------------------


def _lock_suggestion(suggestion_id) -> Suggestion:
    try:
        return Suggestion.objects.select_for_update().get(pk=suggestion_id)
    except (Suggestion.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def _lock_assignment(assignment_id) -> tuple[Suggestion, Assignment]:
    """Lock the assignment's suggestion, then the assignment (the fixed lock order)."""
    try:
        suggestion_id = (
            Assignment.objects.filter(pk=assignment_id)
            .values_list("suggestion_id", flat=True)
            .first()
        )
    except (ValueError, TypeError):
        raise NotFound() from None
    if suggestion_id is None:
        raise NotFound()
    suggestion = _lock_suggestion(suggestion_id)
    assignment = Assignment.objects.select_for_update().get(pk=assignment_id)
    return suggestion, assignment


def _rules(suggestion: Suggestion) -> HandlingRules:
    return deadlines.rules_for(suggestion.session.congress_id)


def _text(value, field: str, *, required: bool = True, max_length=None) -> str:
    text = (value or "").strip() if isinstance(value, str | type(None)) else None
    if text is None:
        raise InvalidInput(_("Enter text."), field=field)
    if required and not text:
        raise InvalidInput(_("This field is required."), field=field)
    if max_length and len(text) > max_length:
        raise InvalidInput(
            _("At most %(n)d characters.") % {"n": max_length}, field=field
        )
    return text


def _choice(value, choices, field: str) -> str:
    if value not in choices.values:
        raise InvalidInput(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)},
            field=field,
        )
    return value


def _congress_deputies(session: Session, deputy_ids, *, lead: Deputy) -> list[Deputy]:
    ids = []
    for value in deputy_ids or ():
        deputy_id = getattr(value, "pk", value)
        if not isinstance(deputy_id, int) or isinstance(deputy_id, bool):
            raise InvalidInput(_("Unknown deputy."), field="co_signers")
        if deputy_id not in ids:
            ids.append(deputy_id)
    if lead.pk in ids:
        raise InvalidInput(
            _("The lead deputy cannot also co-sign."), field="co_signers"
        )
    deputies = list(
        Deputy.objects.filter(
            pk__in=ids, active=True, delegation__congress_id=session.congress_id
        )
    )
    if len(deputies) != len(ids):
        raise InvalidInput(
            _("Co-signers must be active deputies of the same congress."),
            field="co_signers",
        )
    return deputies


def _invite(suggestion: Suggestion, deputies: Sequence[Deputy]) -> None:
    now = clock.now()
    CoSignature.objects.bulk_create(
        [CoSignature(suggestion=suggestion, deputy=d, invited_at=now) for d in deputies]
    )
    events.cosign_invited(suggestion, deputies)


def _unit(value, field: str) -> HandlingUnit:
    unit_id = getattr(value, "pk", value)
    try:
        return HandlingUnit.objects.get(pk=unit_id, active=True)
    except (HandlingUnit.DoesNotExist, ValueError, TypeError):
        raise InvalidInput(_("Choose an active handling unit."), field=field) from None


def _category(value) -> Category | None:
    """A category given as an object or an id (None stays None)."""
    if value is None:
        return None
    try:
        return Category.objects.get(pk=getattr(value, "pk", value))
    except (Category.DoesNotExist, ValueError, TypeError):
        raise InvalidInput(_("Choose a category."), field="category") from None


def _supervising_leader(user, key_supervised):
    """The leader who supervises a key suggestion (none unless it is key)."""
    if user is not None and not getattr(user, "is_leader", False):
        raise InvalidInput(
            _("The supervising leader must have the leader role."),
            field="supervising_leader",
        )
    return user if key_supervised else None


def _open_assignment(suggestion: Suggestion, assignment: Assignment) -> None:
    """The assignment must be the live one of the suggestion's current round."""
    if not assignment.active or assignment.round != suggestion.round:
        raise InvalidTransition(_("This assignment is no longer current."))


# --- deputies: drafting and submitting ----------------------------------------------


@transaction.atomic
def suggestion_create(
    *,
    actor,
    session: Session,
    title: str,
    body: str,
    category: Category | int | None = None,
    co_signers: Sequence[int | Deputy] = (),
) -> Suggestion:
    """A new draft led by the acting deputy, with co-signers invited."""
    deputy = rules.require_deputy(actor)
    if session is None or session.congress_id != deputy.delegation.congress_id:
        raise InvalidInput(_("Choose a session of your own congress."), field="session")
    suggestion = Suggestion(
        session=session,
        title=_text(title, "title", max_length=TITLE_MAX),
        body=_text(body, "body"),
        category=_category(category),
        lead_deputy=deputy,
        created_at=clock.now(),
    )
    invited = _congress_deputies(session, co_signers, lead=deputy)
    suggestion.save()
    _invite(suggestion, invited)
    workflow.move(suggestion, "create", actor=actor)
    return suggestion


_UNSET = object()


@transaction.atomic
def suggestion_update(
    *,
    suggestion_id: int,
    actor,
    title: str | None = None,
    body: str | None = None,
    category: Category | int | object | None = _UNSET,
    co_signers: Sequence[int | Deputy] | None = None,
) -> Suggestion:
    """Edit a draft; ``co_signers`` replaces the list of invitations."""
    suggestion = _lock_suggestion(suggestion_id)
    rules.require_lead_deputy(actor, suggestion)
    workflow.check(suggestion, "edit")
    changed = []
    if title is not None:
        suggestion.title = _text(title, "title", max_length=TITLE_MAX)
        changed.append("title")
    if body is not None:
        suggestion.body = _text(body, "body")
        changed.append("body")
    if category is not _UNSET:
        suggestion.category = _category(category)
        changed.append("category")
    if co_signers is not None:
        wanted = _congress_deputies(
            suggestion.session, co_signers, lead=suggestion.lead_deputy
        )
        wanted_ids = {d.pk for d in wanted}
        suggestion.cosignatures.exclude(deputy_id__in=wanted_ids).delete()
        existing = set(suggestion.cosignatures.values_list("deputy_id", flat=True))
        _invite(suggestion, [d for d in wanted if d.pk not in existing])
        changed.append("co_signers")
    suggestion.save()
    workflow.move(suggestion, "edit", actor=actor, data={"fields": changed})
    return suggestion


@transaction.atomic
def suggestion_submit(*, suggestion_id: int, actor) -> Suggestion:
    suggestion = _lock_suggestion(suggestion_id)
    rules.require_lead_deputy(actor, suggestion)
    workflow.move(suggestion, "submit", actor=actor)
    suggestion.submitted_at = clock.now()
    suggestion.save(update_fields=["status", "submitted_at", "updated_at"])
    return suggestion


@transaction.atomic
def suggestion_withdraw(*, suggestion_id: int, actor, reason: str = "") -> Suggestion:
    suggestion = _lock_suggestion(suggestion_id)
    rules.require_lead_deputy(actor, suggestion)
    workflow.move(
        suggestion,
        "withdraw",
        actor=actor,
        note=_text(reason, "reason", required=False),
    )
    suggestion.closed_at = clock.now()
    suggestion.save(update_fields=["status", "closed_at", "updated_at"])
    return suggestion


@transaction.atomic
def suggestion_cosign(*, suggestion_id: int, actor) -> Suggestion:
    """The invited deputy confirms; only then do they count as a co-signer."""
    suggestion = _lock_suggestion(suggestion_id)
    deputy = rules.require_deputy(actor)
    invitation = (
        CoSignature.objects.select_for_update()
        .filter(suggestion=suggestion, deputy=deputy)
        .first()
    )
    if invitation is None:
        rules.require_visible(actor, suggestion)
        raise InvalidTransition(_("You have not been invited to co-sign this."))
    workflow.check(suggestion, "cosign")
    if invitation.is_signed:
        raise InvalidTransition(_("You have already co-signed this suggestion."))
    invitation.signed_at = clock.now()
    invitation.save(update_fields=["signed_at"])
    workflow.move(suggestion, "cosign", actor=actor, data={"deputy": deputy.pk})
    return suggestion


# --- staff: review, filing, assignment ----------------------------------------------


@transaction.atomic
def suggestion_register(
    *, suggestion_id: int, actor, category: Category | int
) -> Suggestion:
    """File the suggestion (立案): give it a category and the next number of its
    session."""
    suggestion = _lock_suggestion(suggestion_id)
    rules.require_staff_on(actor, suggestion)
    workflow.check(suggestion, "register")
    category = _category(category)
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
    events.registered(suggestion)
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
    rules.require_staff_on(actor, suggestion)
    workflow.check(suggestion, "reject")
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
    events.rejected(suggestion)
    return suggestion


@transaction.atomic
def suggestion_merge(
    *, suggestion_id: int, actor, into: int | Suggestion
) -> Suggestion:
    """Handle the suggestion together with ``into`` (并案); its deputies see that
    suggestion's reply."""
    into_id = getattr(into, "pk", into)
    rules.require_staff(actor)
    if not isinstance(into_id, int) or into_id == suggestion_id:
        raise InvalidInput(_("Choose another suggestion to merge into."), field="into")
    locked = {}
    for pk in sorted([suggestion_id, into_id]):
        try:
            locked[pk] = _lock_suggestion(pk)
        except NotFound:
            if pk == into_id:
                raise InvalidInput(_("No such suggestion."), field="into") from None
            raise
    suggestion, target = locked[suggestion_id], locked[into_id]
    rules.require_visible(actor, suggestion)
    if target.status == Status.DRAFT:  # out of staff's sight, as if it did not exist
        raise InvalidInput(_("No such suggestion."), field="into")
    if target.session_id != suggestion.session_id:
        raise InvalidInput(
            _("Only suggestions of the same session can be merged."), field="into"
        )
    workflow.check(suggestion, "merge")
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
        events.merged(merged, target)
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
    rules.require_staff_on(actor, suggestion)
    workflow.check(suggestion, "assign")
    complexity = _choice(complexity, Complexity, "complexity")
    leader = _supervising_leader(supervising_leader, key_supervised)
    lead = _unit(lead_unit, "lead_unit")
    co = []
    for value in co_units or ():
        unit = _unit(value, "co_units")
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
    events.assigned(suggestion, assignments)
    return suggestion


@transaction.atomic
def suggestion_mark_key(
    *, suggestion_id: int, actor, key_supervised: bool, supervising_leader=None
) -> Suggestion:
    """Choose (or drop) a suggestion for key supervision (重点督办, Law art. 52)."""
    suggestion = _lock_suggestion(suggestion_id)
    rules.require_staff_on(actor, suggestion)
    leader = _supervising_leader(supervising_leader, key_supervised)
    suggestion.key_supervised = bool(key_supervised)
    suggestion.supervising_leader = leader
    workflow.move(
        suggestion, "mark-key", actor=actor, data={"key_supervised": key_supervised}
    )
    suggestion.save(
        update_fields=["key_supervised", "supervising_leader", "updated_at"]
    )
    return suggestion


# --- units: handling -----------------------------------------------------------------


@transaction.atomic
def assignment_acknowledge(*, assignment_id: int, actor) -> Assignment:
    """The unit signs for the assignment (签收)."""
    suggestion, assignment = _lock_assignment(assignment_id)
    rules.require_unit_member(actor, assignment)
    workflow.check(suggestion, "acknowledge")
    _open_assignment(suggestion, assignment)
    if assignment.acknowledged_at is not None:
        raise InvalidTransition(_("The assignment has already been acknowledged."))
    assignment.acknowledged_at = clock.now()
    assignment.save(update_fields=["acknowledged_at"])
    workflow.move(
        suggestion, "acknowledge", actor=actor, data={"assignment": assignment.pk}
    )
    events.acknowledged(suggestion, assignment)
    return assignment


def _no_pending(assignment: Assignment, kind: str) -> None:
    if assignment.adjustment_requests.filter(
        kind=kind, decision=Decision.PENDING
    ).exists():
        raise InvalidTransition(_("A request of this kind is already pending."))


@transaction.atomic
def assignment_request_reassignment(
    *, assignment_id: int, actor, reason: str
) -> AdjustmentRequest:
    """Ask staff to give the assignment to another unit, within the window of working
    days the rules allow after assignment."""
    suggestion, assignment = _lock_assignment(assignment_id)
    rules.require_unit_member(actor, assignment)
    workflow.check(suggestion, "request-reassignment")
    _open_assignment(suggestion, assignment)
    if assignment.replied_at is not None:
        raise InvalidTransition(_("The assignment has already been replied to."))
    reason = _text(reason, "reason")
    window = deadlines.reassignment_window_end(
        _rules(suggestion), timezone.localdate(assignment.assigned_at)
    )
    if clock.today() > window.date:
        raise InvalidTransition(
            _("Reassignment could be asked until %(date)s.")
            % {"date": formats.date_format(window.date)}
        )
    _no_pending(assignment, AdjustmentKind.REASSIGNMENT)
    request = AdjustmentRequest.objects.create(
        assignment=assignment,
        kind=AdjustmentKind.REASSIGNMENT,
        reason=reason,
        requested_by=actor,
        requested_at=clock.now(),
    )
    workflow.move(
        suggestion,
        "request-reassignment",
        actor=actor,
        note=reason,
        data={"request": request.pk, "assignment": assignment.pk},
    )
    events.adjustment_requested(suggestion, request)
    return request


def _first_assigned_on(suggestion: Suggestion) -> date:
    return timezone.localdate(suggestion.assigned_at)


def _check_extension_date(
    suggestion: Suggestion, assignment: Assignment, until, field: str
) -> date:
    if not isinstance(until, date) or isinstance(until, datetime):
        raise InvalidInput(_("Enter a date."), field=field)
    limit = deadlines.extension_limit(
        _rules(suggestion), _first_assigned_on(suggestion)
    )
    if until <= assignment.due_at:
        raise InvalidInput(
            _("The new date must be after the current due date, %(date)s.")
            % {"date": formats.date_format(assignment.due_at)},
            field=field,
        )
    if until > limit:
        raise InvalidInput(
            _("The deadline can be extended to %(date)s at the latest.")
            % {"date": formats.date_format(limit)},
            field=field,
        )
    return until


@transaction.atomic
def assignment_request_extension(
    *, assignment_id: int, actor, reason: str, until: date
) -> AdjustmentRequest:
    """The lead unit asks for more time (at most six months from assignment, Law on
    Deputies art. 51); only staff approval extends the deadline."""
    suggestion, assignment = _lock_assignment(assignment_id)
    rules.require_unit_member(actor, assignment)
    workflow.check(suggestion, "request-extension")
    _open_assignment(suggestion, assignment)
    if not assignment.is_lead:
        raise InvalidTransition(_("Only the lead unit may ask for an extension."))
    if assignment.replied_at is not None:
        raise InvalidTransition(_("The assignment has already been replied to."))
    reason = _text(reason, "reason")
    until = _check_extension_date(suggestion, assignment, until, "until")
    _no_pending(assignment, AdjustmentKind.EXTENSION)
    request = AdjustmentRequest.objects.create(
        assignment=assignment,
        kind=AdjustmentKind.EXTENSION,
        reason=reason,
        requested_until=until,
        requested_by=actor,
        requested_at=clock.now(),
    )
    workflow.move(
        suggestion,
        "request-extension",
        actor=actor,
        note=reason,
        data={"request": request.pk, "until": until.isoformat()},
    )
    events.adjustment_requested(suggestion, request)
    return request


def _lock_request(request_id) -> tuple[Suggestion, Assignment, AdjustmentRequest]:
    try:
        assignment_id = (
            AdjustmentRequest.objects.filter(pk=request_id)
            .values_list("assignment_id", flat=True)
            .first()
        )
    except (ValueError, TypeError):
        raise NotFound() from None
    if assignment_id is None:
        raise NotFound()
    suggestion, assignment = _lock_assignment(assignment_id)
    request = AdjustmentRequest.objects.select_for_update().get(pk=request_id)
    return suggestion, assignment, request


@transaction.atomic
def adjustment_approve(
    *,
    request_id: int,
    actor,
    new_unit: HandlingUnit | int | None = None,
    extend_to: date | None = None,
) -> AdjustmentRequest:
    """Staff grant a request. Reassignment: the old assignment is retired and the new
    unit gets one with the same deadline (or ``extend_to``). Extension: the deadline
    moves to ``extend_to`` (default: the date asked for)."""
    rules.require_staff(actor)
    suggestion, assignment, request = _lock_request(request_id)
    workflow.check(suggestion, "approve")
    if request.decision != Decision.PENDING:
        raise InvalidTransition(_("The request has already been decided."))
    _open_assignment(suggestion, assignment)
    # A unit that has answered meanwhile keeps its assignment: neither a new unit nor
    # more time would make sense, and reassigning would throw the answer away.
    if assignment.replied_at is not None:
        raise InvalidTransition(_("The assignment has already been replied to."))
    now = clock.now()
    data = {"request": request.pk, "kind": request.kind}
    if request.kind == AdjustmentKind.REASSIGNMENT:
        if new_unit is None:
            raise InvalidInput(_("Choose the unit to reassign to."), field="new_unit")
        unit = _unit(new_unit, "new_unit")
        if suggestion.assignments.filter(
            round=assignment.round, active=True, unit=unit
        ).exists():
            raise InvalidInput(
                _("That unit already handles this suggestion."), field="new_unit"
            )
        due = assignment.due_at
        if extend_to is not None:
            due = _check_extension_date(suggestion, assignment, extend_to, "extend_to")
        assignment.active = False
        assignment.save(update_fields=["active"])
        replacement = Assignment.objects.create(
            suggestion=suggestion,
            unit=unit,
            role=assignment.role,
            round=assignment.round,
            assigned_at=now,
            due_at=due,
        )
        request.new_unit = unit
        request.new_due_at = due
        data.update(
            {"from_unit": assignment.unit_id, "to_unit": unit.pk, "due_at": str(due)}
        )
        if replacement.is_lead:
            suggestion.lead_unit = unit
            suggestion.due_at = due
            suggestion.save(update_fields=["lead_unit", "due_at", "updated_at"])
    else:
        due = _check_extension_date(
            suggestion, assignment, extend_to or request.requested_until, "extend_to"
        )
        assignment.due_at = due
        assignment.save(update_fields=["due_at"])
        request.new_due_at = due
        data["due_at"] = due.isoformat()
        if assignment.is_lead:
            suggestion.due_at = due
            suggestion.save(update_fields=["due_at", "updated_at"])
    request.decision = Decision.APPROVED
    request.decided_by = actor
    request.decided_at = now
    request.save()
    workflow.move(suggestion, "approve", actor=actor, data=data)
    events.adjustment_decided(suggestion, request, old_unit_id=assignment.unit_id)
    if request.kind == AdjustmentKind.REASSIGNMENT:
        events.assigned(suggestion, [replacement])
    return request


@transaction.atomic
def adjustment_deny(*, request_id: int, actor, reason: str) -> AdjustmentRequest:
    rules.require_staff(actor)
    suggestion, _assignment, request = _lock_request(request_id)
    workflow.check(suggestion, "deny")
    if request.decision != Decision.PENDING:
        raise InvalidTransition(_("The request has already been decided."))
    request.decision = Decision.DENIED
    request.decision_note = _text(reason, "reason")
    request.decided_by = actor
    request.decided_at = clock.now()
    request.save()
    workflow.move(
        suggestion,
        "deny",
        actor=actor,
        note=request.decision_note,
        data={"request": request.pk, "kind": request.kind},
    )
    events.adjustment_decided(suggestion, request, old_unit_id=_assignment.unit_id)
    return request


@transaction.atomic
def assignment_record_contact(
    *,
    assignment_id: int,
    actor,
    method: str,
    contacted_at: datetime,
    note: str = "",
) -> ContactRecord:
    """Record a contact with the deputy (面商), which the Law on Deputies (art. 51)
    expects before the reply."""
    suggestion, assignment = _lock_assignment(assignment_id)
    rules.require_unit_member(actor, assignment)
    workflow.check(suggestion, "contact")
    _open_assignment(suggestion, assignment)
    method = _choice(method, ContactMethod, "method")
    if not isinstance(contacted_at, datetime) or timezone.is_naive(contacted_at):
        raise InvalidInput(_("Enter a date and time."), field="contacted_at")
    if contacted_at > clock.now():
        raise InvalidInput(
            _("The contact cannot be in the future."), field="contacted_at"
        )
    # Forms give minutes: a contact in the assignment's own minute is not earlier.
    if contacted_at < assignment.assigned_at.replace(second=0, microsecond=0):
        raise InvalidInput(
            _("The contact cannot be before the assignment."), field="contacted_at"
        )
    record = ContactRecord.objects.create(
        assignment=assignment,
        method=method,
        contacted_at=contacted_at,
        note=_text(note, "note", required=False),
        recorded_by=actor,
        created_at=clock.now(),
    )
    workflow.move(
        suggestion,
        "contact",
        actor=actor,
        data={"assignment": assignment.pk, "method": method},
    )
    return record


@transaction.atomic
def assignment_reply(
    *,
    assignment_id: int,
    actor,
    outcome: str,
    body: str,
    letter=None,
    signed_by: str = "",
) -> Reply:
    """The lead unit's reply letter (moves the suggestion to replied), or a co-unit's
    opinion to the lead unit (changes no status)."""
    suggestion, assignment = _lock_assignment(assignment_id)
    rules.require_unit_member(actor, assignment)
    action = "reply" if assignment.is_lead else "opinion"
    workflow.check(suggestion, action)
    _open_assignment(suggestion, assignment)
    if assignment.replied_at is not None:
        raise InvalidTransition(_("The assignment has already been replied to."))
    if assignment.acknowledged_at is None:
        raise InvalidTransition(_("Acknowledge the assignment before replying."))
    handling = _rules(suggestion)
    if outcome not in handling.offered_outcomes:
        raise InvalidInput(
            _("Choose one of the reply classes offered: %(choices)s.")
            % {"choices": ", ".join(handling.offered_outcomes)},
            field="outcome",
        )
    body = _text(body, "body")
    now = clock.now()
    reply = Reply(
        assignment=assignment,
        round=assignment.round,
        is_lead=assignment.is_lead,
        outcome=outcome,
        body=body,
        signed_by=_text(signed_by, "signed_by", required=False, max_length=100),
        sent_by=actor,
        sent_at=now,
    )
    if letter is not None:
        kind = validate_letter(letter)
        reply.letter_name = (getattr(letter, "name", "") or "")[-200:]
        reply.letter.save(f"letter{EXTENSIONS[kind]}", letter, save=False)
    reply.save()
    assignment.replied_at = now
    assignment.save(update_fields=["replied_at"])
    data = {"assignment": assignment.pk, "reply": reply.pk, "outcome": outcome}
    if assignment.is_lead:
        suggestion.outcome = outcome
        suggestion.replied_at = now
        workflow.move(suggestion, "reply", actor=actor, data=data)
        suggestion.save()
        rate_by = deadlines.rating_window_end(handling, timezone.localdate(now)).date
        events.replied(suggestion, reply, assignment, rate_by=rate_by)
    else:
        workflow.move(suggestion, "opinion", actor=actor, data=data)
        events.replied(suggestion, reply, assignment)
    return reply


@transaction.atomic
def reply_fulfil(*, reply_id: int, actor, note: str) -> Reply:
    """The unit reports that a promise (a reply classed in progress) has been kept."""
    try:
        assignment_id = Reply.objects.values_list("assignment_id", flat=True).get(
            pk=reply_id
        )
    except (Reply.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    suggestion, assignment = _lock_assignment(assignment_id)
    rules.require_unit_member(actor, assignment)
    workflow.check(suggestion, "fulfil")
    reply = Reply.objects.select_for_update().get(pk=reply_id)
    if reply.outcome != "in_progress" or not reply.is_lead:
        raise InvalidTransition(
            _("Only a lead reply classed in progress is a promise.")
        )
    if reply.fulfilled_at is not None:
        raise InvalidTransition(_("The promise has already been reported kept."))
    reply.fulfilled_at = clock.now()
    reply.fulfilment_note = _text(note, "note")
    reply.save(update_fields=["fulfilled_at", "fulfilment_note"])
    workflow.move(
        suggestion,
        "fulfil",
        actor=actor,
        note=reply.fulfilment_note,
        data={"reply": reply.pk},
    )
    return reply


# --- deputies: rating; staff: publishing ------------------------------------------


@transaction.atomic
def suggestion_evaluate(
    *, suggestion_id: int, actor, rating: str, comment: str = ""
) -> Evaluation:
    """The lead deputy rates the round's reply. Satisfied or basically satisfied
    closes the suggestion; dissatisfied starts a re-handling round with a new deadline,
    unless the rules' rounds are used up: then it closes, flagged for escalation."""
    suggestion = _lock_suggestion(suggestion_id)
    deputy = rules.require_lead_deputy(actor, suggestion)
    workflow.check(suggestion, "evaluate")
    rating = _choice(rating, Rating, "rating")
    comment = _text(comment, "comment", required=False)
    if rating == Rating.DISSATISFIED and not comment:
        raise InvalidInput(
            _("Say what remains unsolved, so the unit can handle it again."),
            field="comment",
        )
    now = clock.now()
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                suggestion=suggestion,
                round=suggestion.round,
                deputy=deputy,
                rating=rating,
                comment=comment,
                created_at=now,
            )
    except IntegrityError:
        raise InvalidTransition(_("This reply has already been rated.")) from None
    suggestion.rating = rating
    handling = _rules(suggestion)
    lead = suggestion.assignments.get(
        round=suggestion.round, role=AssignmentRole.LEAD, active=True
    )
    due = None
    rounds_used = suggestion.round - 1
    data = {"rating": rating, "round": suggestion.round}
    if rating != Rating.DISSATISFIED:
        suggestion.closed_at = now
        workflow.move(suggestion, "evaluate", actor=actor, to=Status.CLOSED, data=data)
    elif rounds_used >= handling.max_rehandling_rounds:
        suggestion.closed_at = now
        suggestion.escalated = True
        data["escalated"] = True
        workflow.move(
            suggestion,
            "evaluate",
            actor=actor,
            to=Status.CLOSED,
            note=comment,
            data=data,
        )
    else:
        suggestion.round += 1
        due = deadlines.rehandling_due(handling, timezone.localdate(now))
        Assignment.objects.create(
            suggestion=suggestion,
            unit_id=lead.unit_id,
            role=AssignmentRole.LEAD,
            round=suggestion.round,
            assigned_at=now,
            due_at=due,
        )
        suggestion.due_at = due
        data.update({"rehandling_round": suggestion.round, "due_at": due.isoformat()})
        workflow.move(
            suggestion,
            "evaluate",
            actor=actor,
            to=Status.REHANDLING,
            note=comment,
            data=data,
        )
    suggestion.save()
    events.evaluated(suggestion, evaluation, lead_unit_id=lead.unit_id, new_due=due)
    return evaluation


@transaction.atomic
def suggestion_publish(*, suggestion_id: int, actor, is_public: bool) -> Suggestion:
    """Make the lead replies public (答复公开) or withdraw them from the public pages."""
    suggestion = _lock_suggestion(suggestion_id)
    rules.require_staff_on(actor, suggestion)
    workflow.check(suggestion, "publish")
    if not isinstance(is_public, bool):
        raise InvalidInput(_("Say true or false."), field="is_public")
    suggestion.is_public = is_public
    Reply.objects.filter(assignment__suggestion=suggestion, is_lead=True).update(
        is_public=is_public
    )
    workflow.move(suggestion, "publish", actor=actor, data={"is_public": is_public})
    suggestion.save(update_fields=["is_public", "updated_at"])
    return suggestion
