"""Who hears of each workflow change. The suggestion services announce each change
(``suggestions.signals.announce``) inside their transaction and ``on_announced`` calls
the function of its name here, so the messages commit (or roll back) with the change
itself.

Dates and choice labels are passed as ``Deferred`` values so that each recipient reads
them in their own language, not in the actor's.
"""

from django.utils.translation import gettext

from suggestions.models import Rating

from .services import (
    Deferred,
    deputy_users,
    local_date,
    notify,
    staff_users,
    unit_members,
)


def _date(value) -> Deferred:
    return local_date(value)


def _display(instance, field: str) -> Deferred:
    """A choice field's label, in the language active when the message is written."""
    return Deferred(getattr(instance, f"get_{field}_display"))


def _rate_hint(rate_by) -> Deferred:
    def hint():
        if rate_by is None:
            return ""
        return gettext("Please rate the reply by %(date)s.") % {"date": _date(rate_by)}

    return Deferred(hint)


def cosign_invited(suggestion, deputies) -> None:
    users = [d.user for d in deputies if d.user_id]
    notify(
        recipients=users,
        kind="cosign_invitation",
        suggestion=suggestion,
        params={"title": suggestion.title, "deputy": suggestion.lead_deputy.name},
    )


def registered(suggestion) -> None:
    notify(
        recipients=deputy_users(suggestion, lead_only=True),
        kind="registered",
        suggestion=suggestion,
        params={"title": suggestion.title, "number": suggestion.number},
    )


def rejected(suggestion) -> None:
    notify(
        recipients=deputy_users(suggestion, lead_only=True),
        kind="rejected",
        suggestion=suggestion,
        params={
            "title": suggestion.title,
            "disposition": _display(suggestion, "disposition"),
            "reason": suggestion.rejection_reason,
        },
    )


def merged(suggestion, target) -> None:
    notify(
        recipients=deputy_users(suggestion),
        kind="merged",
        suggestion=suggestion,
        params={
            "title": suggestion.title,
            "into_number": target.number or "",
            "into_title": target.title,
        },
    )


def assigned(suggestion, assignments) -> None:
    """Each unit's members hear of their task; the deputies of where it went, when
    the lead unit is among them (a co-unit replaced is no news to them)."""
    for assignment in assignments:
        notify(
            recipients=unit_members([assignment.unit_id]),
            kind="assigned",
            suggestion=suggestion,
            params={
                "title": suggestion.title,
                "role": _display(assignment, "role"),
                "due": _date(assignment.due_at),
            },
        )
    if not any(a.is_lead for a in assignments):
        return
    notify(
        recipients=deputy_users(suggestion),
        kind="assigned_deputy",
        suggestion=suggestion,
        params={
            "title": suggestion.title,
            "unit": suggestion.lead_unit,
            "due": _date(suggestion.due_at),
        },
    )


def acknowledged(suggestion, assignment) -> None:
    if not assignment.is_lead:
        return
    notify(
        recipients=deputy_users(suggestion, lead_only=True),
        kind="acknowledged",
        suggestion=suggestion,
        params={"title": suggestion.title, "unit": assignment.unit},
    )


def adjustment_requested(suggestion, request) -> None:
    kind = (
        "reassignment_requested"
        if request.kind == "reassignment"
        else "extension_requested"
    )
    notify(
        recipients=staff_users(),
        kind=kind,
        suggestion=suggestion,
        params={
            "title": suggestion.title,
            "unit": request.assignment.unit,
            "reason": request.reason,
            "until": _date(request.requested_until),
        },
    )


def adjustment_decided(suggestion, request, *, old_unit_id: int) -> None:
    """The asking unit hears the decision; a new unit hears of its assignment."""
    if request.decision == "approved":
        due = _date(request.new_due_at)
        result = (
            Deferred(lambda: f"→ {request.new_unit}, {due}")
            if request.new_unit_id
            else due
        )
        kind = "request_approved"
        params = {"title": suggestion.title, "result": result}
    else:
        kind = "request_denied"
        params = {"title": suggestion.title, "reason": request.decision_note}
    notify(
        recipients=unit_members([old_unit_id]),
        kind=kind,
        suggestion=suggestion,
        params=params,
    )


def replied(suggestion, reply, assignment, *, rate_by=None) -> None:
    if not reply.is_lead:
        lead_units = suggestion.assignments.filter(
            round=assignment.round, role="lead", active=True
        ).values_list("unit_id", flat=True)
        notify(
            recipients=unit_members(lead_units),
            kind="opinion",
            suggestion=suggestion,
            params={"title": suggestion.title, "unit": assignment.unit},
        )
        return
    notify(
        recipients=deputy_users(suggestion),
        kind="replied",
        suggestion=suggestion,
        params={
            "title": suggestion.title,
            "unit": assignment.unit,
            "outcome": _display(reply, "outcome"),
            "rate_hint": _rate_hint(rate_by),
        },
    )


def evaluated(suggestion, evaluation, *, lead_unit_id: int, new_due=None) -> None:
    """The unit and staff hear the rating; a dissatisfied one sends the unit back to
    work with its new deadline, or flags the suggestion for escalation."""
    params = {
        "title": suggestion.title,
        "rating": _display(evaluation, "rating"),
        "comment": evaluation.comment,
        "due": _date(new_due),
    }
    if evaluation.rating == Rating.DISSATISFIED and new_due is not None:
        notify(
            recipients=unit_members([lead_unit_id]),
            kind="rehandling",
            suggestion=suggestion,
            params=params,
        )
        notify(
            recipients=staff_users(),
            kind="evaluated",
            suggestion=suggestion,
            params=params,
        )
        return
    notify(
        recipients=[*unit_members([lead_unit_id]), *staff_users()],
        kind="evaluated",
        suggestion=suggestion,
        params=params,
    )
    if suggestion.escalated:
        notify(
            recipients=staff_users(),
            kind="escalated",
            suggestion=suggestion,
            params=params,
        )


_HANDLERS = {
    handler.__name__: handler
    for handler in (
        cosign_invited,
        registered,
        rejected,
        merged,
        assigned,
        acknowledged,
        adjustment_requested,
        adjustment_decided,
        replied,
        evaluated,
    )
}


def on_announced(sender: str, signal=None, **details) -> None:
    """Write the messages of a happening the suggestions app announced (in its
    transaction: they commit with the change or not at all)."""
    handler = _HANDLERS.get(sender)
    if handler is not None:
        handler(**details)
