"""Units handle their assignments (签收, 面商, 答复) and ask for reassignment or more
time; staff decide those requests."""

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from common import clock
from common.errors import InvalidInput, InvalidTransition, NotFound
from congress.models import ContactStage, HandlingUnit, LeadReplyRule

from .. import actions, deadlines, rules, workflow
from ..letters import EXTENSIONS, validate_letter
from ..models import (
    AdjustmentKind,
    AdjustmentRequest,
    Assignment,
    ContactMethod,
    ContactRecord,
    Decision,
    Reply,
    Suggestion,
)
from ..signals import announce
from ._shared import (
    _choice,
    _lock_assignment,
    _rules,
    _text,
    _unit,
)
from .promises import promises_create, read_promises

# --- units: handling -----------------------------------------------------------------


@transaction.atomic
def assignment_acknowledge(*, assignment_id: int, actor) -> Assignment:
    """The unit signs for the assignment (签收)."""
    suggestion, assignment = _lock_assignment(assignment_id)
    actions.require(actor, "acknowledge", assignment)
    assignment.acknowledged_at = clock.now()
    assignment.save(update_fields=["acknowledged_at"])
    workflow.move(
        suggestion, "acknowledge", actor=actor, data={"assignment": assignment.pk}
    )
    announce("acknowledged", suggestion=suggestion, assignment=assignment)
    return assignment


@transaction.atomic
def assignment_request_reassignment(
    *, assignment_id: int, actor, reason: str
) -> AdjustmentRequest:
    """Ask staff to give the assignment to another unit, within the window of working
    days the rules allow after assignment."""
    suggestion, assignment = _lock_assignment(assignment_id)
    # The window and the pending request are checked under the locks.
    actions.require(actor, "request-reassignment", assignment)
    return _file_request(
        suggestion,
        assignment,
        actor=actor,
        kind=AdjustmentKind.REASSIGNMENT,
        reason=_text(reason, "reason"),
        data={"assignment": assignment.pk},
    )


def _file_request(
    suggestion: Suggestion,
    assignment: Assignment,
    *,
    actor,
    kind: str,
    reason: str,
    data: dict,
    until: date | None = None,
) -> AdjustmentRequest:
    """Write the request, its timeline entry and the staff's notice."""
    request = AdjustmentRequest.objects.create(
        assignment=assignment,
        kind=kind,
        reason=reason,
        requested_until=until,
        requested_by=actor,
        requested_at=clock.now(),
    )
    action = f"request-{kind}"
    workflow.move(
        suggestion,
        action,
        actor=actor,
        note=reason,
        data={"request": request.pk, **data},
    )
    announce("adjustment_requested", suggestion=suggestion, request=request)
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
    actions.require(actor, "request-extension", assignment)
    reason = _text(reason, "reason")
    until = _check_extension_date(suggestion, assignment, until, "until")
    return _file_request(
        suggestion,
        assignment,
        actor=actor,
        kind=AdjustmentKind.EXTENSION,
        reason=reason,
        until=until,
        data={"until": until.isoformat()},
    )


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
    request.assignment = assignment
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
    # A unit that has answered meanwhile keeps its assignment (refused as replied):
    # neither a new unit nor more time would make sense, and reassigning would
    # throw the answer away.
    actions.require(actor, "approve", request)
    now = clock.now()
    data = {"request": request.pk, "kind": request.kind}
    if request.kind == AdjustmentKind.REASSIGNMENT:
        if new_unit is None:
            raise InvalidInput(_("Choose the unit to reassign to."), field="new_unit")
        unit = _unit(new_unit, "new_unit", suggestion=suggestion)
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
    announce(
        "adjustment_decided",
        suggestion=suggestion,
        request=request,
        old_unit_id=assignment.unit_id,
    )
    if request.kind == AdjustmentKind.REASSIGNMENT:
        announce(
            "assigned",
            suggestion=suggestion,
            assignments=[replacement],
            reassigned_from=assignment.unit,
        )
    return request


@transaction.atomic
def adjustment_deny(*, request_id: int, actor, reason: str) -> AdjustmentRequest:
    rules.require_staff(actor)
    suggestion, _assignment, request = _lock_request(request_id)
    actions.require(actor, "deny", request)
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
    announce(
        "adjustment_decided",
        suggestion=suggestion,
        request=request,
        old_unit_id=_assignment.unit_id,
    )
    return request


@transaction.atomic
def assignment_record_contact(
    *,
    assignment_id: int,
    actor,
    method: str,
    contacted_at: datetime,
    note: str = "",
    stage: str = ContactStage.BEFORE_REPLY,
) -> ContactRecord:
    """Record a contact with the deputy (面商), which the Law on Deputies (art. 51)
    expects before the reply, with its stage (三见面: before handling, during it,
    before replying; the rules say which ones the reply needs)."""
    suggestion, assignment = _lock_assignment(assignment_id)
    actions.require(actor, "contact", assignment)
    method = _choice(method, ContactMethod, "method")
    stage = _choice(stage, ContactStage, "stage")
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
        stage=stage,
        contacted_at=contacted_at,
        note=_text(note, "note", required=False),
        recorded_by=actor,
        created_at=clock.now(),
    )
    workflow.move(
        suggestion,
        "contact",
        actor=actor,
        data={"assignment": assignment.pk, "method": method, "stage": stage},
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
    contact_person: str = "",
    contact_phone: str = "",
    co_opinion_note: str = "",
    promises: Sequence[Mapping] = (),
) -> Reply:
    """The lead unit's reply letter (moves the suggestion to replied), or a co-unit's
    opinion to the lead unit (changes no status). A lead reply classed B states its
    ``promises`` (``{"text", "due_on"}`` each; ``promises.read_promises``).

    A lead reply while a co-unit of the round has neither given its opinion nor
    reached its opinion deadline follows the congress's rules: refused (``wait``,
    by ``actions``), taken only with ``co_opinion_note`` saying why (``note``), or
    taken (``free``); the note is kept with the reply only when such a co-unit
    existed."""
    suggestion, assignment = _lock_assignment(assignment_id)
    handling = _rules(suggestion)
    actions.require(actor, "reply", assignment, rules=handling)
    reply = _reply(
        assignment,
        handling,
        actor=actor,
        outcome=outcome,
        body=body,
        signed_by=signed_by,
        contact_person=contact_person,
        contact_phone=contact_phone,
    )
    reply.co_opinion_note = note = _co_opinion_note(
        assignment, handling, co_opinion_note
    )
    now = reply.sent_at
    promised = read_promises(
        promises,
        outcome=reply.outcome,
        is_lead=reply.is_lead,
        replied_on=timezone.localdate(now),
    )
    if letter is not None:
        kind = validate_letter(letter)
        reply.letter_name = (getattr(letter, "name", "") or "")[-200:]
        reply.letter.save(f"letter{EXTENSIONS[kind]}", letter, save=False)
    reply.save()
    if promised:
        promises_create(reply, promised)
    assignment.replied_at = now
    assignment.save(update_fields=["replied_at"])
    data = {"assignment": assignment.pk, "reply": reply.pk, "outcome": outcome}
    if promised:
        data["promises"] = len(promised)
    if assignment.is_lead:
        suggestion.outcome = outcome
        suggestion.replied_at = now
        workflow.move(suggestion, "reply", actor=actor, note=note, data=data)
        suggestion.save()
        rate_by = deadlines.rating_window_end(handling, timezone.localdate(now)).date
        announce(
            "replied",
            suggestion=suggestion,
            reply=reply,
            assignment=assignment,
            rate_by=rate_by,
        )
    else:
        workflow.move(suggestion, "opinion", actor=actor, data=data)
        announce("replied", suggestion=suggestion, reply=reply, assignment=assignment)
    return reply


# A telephone number as offices write them: 0994-2345678, (0994) 234 5678,
# 13912345678, 0994-2345678转801, +86 …; full-width digits are read as digits.
_PHONE = re.compile(r"\+?[0-9(（][0-9()（） \-转/、,，]*[0-9]")


def _phone(value, field: str) -> str:
    phone = unicodedata.normalize(
        "NFKC", _text(value, field, required=False, max_length=30, one_line=True)
    )
    if phone and (not _PHONE.fullmatch(phone) or sum(c.isdigit() for c in phone) < 5):
        raise InvalidInput(
            _("Enter a telephone number, such as 0994-2345678 or 13912345678."),
            field=field,
        )
    return phone


def _reply(
    assignment: Assignment,
    handling,
    *,
    actor,
    outcome,
    body,
    signed_by,
    contact_person,
    contact_phone,
) -> Reply:
    """The reply's fields checked (the class among those the rules offer, the text,
    the signatory and the contact), as an unsaved ``Reply``: what is sent, and what
    the 答复函 draft shows."""
    if outcome not in handling.offered_outcomes:
        raise InvalidInput(
            _("Choose one of the reply classes offered: %(choices)s.")
            % {"choices": ", ".join(handling.offered_outcomes)},
            field="outcome",
        )
    return Reply(
        assignment=assignment,
        round=assignment.round,
        is_lead=assignment.is_lead,
        outcome=outcome,
        body=_text(body, "body"),
        signed_by=_text(
            signed_by, "signed_by", required=False, max_length=100, one_line=True
        ),
        contact_person=_text(
            contact_person,
            "contact_person",
            required=False,
            max_length=50,
            one_line=True,
        ),
        contact_phone=_phone(contact_phone, "contact_phone"),
        sent_by=actor,
        sent_at=clock.now(),
    )


def reply_letter_draft(
    *,
    assignment_id: int,
    actor,
    outcome: str,
    body: str,
    signed_by: str = "",
    contact_person: str = "",
    contact_phone: str = "",
) -> Reply:
    """The reply a member of the assignment's unit is about to send, checked as
    ``assignment_reply`` checks its fields, as an unsaved ``Reply`` for the 答复函
    draft (``suggestions.reply_letters``). Writes nothing and locks nothing.

    Only the unit's own members draft, and only while the assignment waits for its
    reply (current, not replied); neither acknowledgement nor the co-units' opinions
    are needed for a draft (the send checks them), nor the letter or the note on the
    co-units, which the draft does not show."""
    try:
        assignment = Assignment.objects.select_related(
            "suggestion__session", "unit"
        ).get(pk=assignment_id)
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    rules.require_unit_member(actor, assignment)
    if assignment.replied_at is not None:
        raise InvalidTransition(_("The assignment has already been replied to."))
    if not assignment.is_current:
        raise InvalidTransition(_("This assignment is no longer current."))
    return _reply(
        assignment,
        _rules(assignment.suggestion),
        actor=actor,
        outcome=outcome,
        body=body,
        signed_by=signed_by,
        contact_person=contact_person,
        contact_phone=contact_phone,
    )


def _co_opinion_note(assignment: Assignment, handling, value) -> str:
    """The lead unit's note on replying before its co-units' opinions: required under
    the rule ``note`` while a co-unit is awaited, dropped when none is."""
    if not assignment.is_lead:
        return ""
    note = _text(value, "co_opinion_note", required=False, max_length=5_000)
    rule = handling.lead_reply_before_co_opinions
    if rule == LeadReplyRule.FREE and not note:
        return ""
    awaited = actions.awaited_co_units(assignment)
    if awaited and not note and rule == LeadReplyRule.NOTE:
        raise InvalidInput(
            _(
                "Not every co-unit has given its opinion yet: %(units)s. Wait for "
                "their opinions or their deadlines, or say in a note why the lead "
                "unit replies now."
            )
            % {"units": actions.describe_co_units(awaited)},
            field="co_opinion_note",
        )
    return note if awaited else ""


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
    reply = Reply.objects.select_for_update().get(pk=reply_id)
    actions.require(actor, "fulfil", assignment, reply=reply)
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
