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


def _rater(suggestion):
    """The one deputy who rates the reply: the suggestion's own lead deputy."""
    deputy = suggestion.lead_deputy
    return deputy.user if deputy is not None and deputy.user_id else None


def cosign_invited(suggestion, deputies) -> None:
    users = [d.user for d in deputies if d.user_id]
    notify(
        recipients=users,
        kind="cosign_invitation",
        suggestion=suggestion,
        params={"title": suggestion.title, "deputy": suggestion.lead_deputy.name},
    )


def cosign_declined(suggestion, deputy, reason="") -> None:
    """The lead deputy hears that an invited deputy declined to co-sign (and why,
    if they said)."""
    notify(
        recipients=[_rater(suggestion)],
        kind="cosign_declined",
        suggestion=suggestion,
        params={"title": suggestion.title, "deputy": deputy.name, "reason": reason},
    )


def entered_on_behalf(suggestion, co_signers=()) -> None:
    """Staff entered a suggestion handed in on paper (代录): its lead deputy hears
    it is theirs and submitted; each co-signer that their signature counts."""
    params = {
        "title": suggestion.title,
        "staff": str(suggestion.entered_by),
        "deputy": suggestion.lead_deputy.name,
    }
    # The co-signers signed on paper: they count at once, as the lead deputy does.
    lead, others = _deputies_split(suggestion)
    notify(
        recipients=lead, kind="entered_on_behalf", suggestion=suggestion, params=params
    )
    notify(
        recipients=others,
        kind="entered_on_behalf_cosigner",
        suggestion=suggestion,
        params=params,
    )


def supervision_opinion(suggestion, opinion, actor) -> None:
    """The lead unit's members read a leader's supervision opinion."""
    if suggestion.lead_unit_id is None:
        return
    notify(
        recipients=unit_members([suggestion.lead_unit_id]),
        kind="supervision_opinion",
        suggestion=suggestion,
        params={
            "title": suggestion.title,
            "leader": str(actor),
            "opinion": opinion,
        },
    )


def urged(suggestion, assignments, actor, note="") -> None:
    """Each unit urged (催办) hears it: the lead unit to reply, a co-unit to give
    its opinion, each by its own deadline."""
    for assignment in assignments:
        notify(
            recipients=unit_members([assignment.unit_id]),
            kind="urged" if assignment.is_lead else "urged_co",
            suggestion=suggestion,
            params={
                "title": suggestion.title,
                "leader": str(actor),
                "due": _date(assignment.due_at),
                "note": note,
            },
        )


def registered(suggestion) -> None:
    notify(
        # "Your suggestion": its own lead deputy (those merged into it were told).
        recipients=[_rater(suggestion)],
        kind="registered",
        suggestion=suggestion,
        params={"title": suggestion.title, "number": suggestion.number},
    )


def rejected(suggestion) -> None:
    notify(
        recipients=[_rater(suggestion)],
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


def _deputies_split(suggestion):
    """(the lead deputy, every other deputy told: the co-signers and the deputies of
    the suggestions merged into this one). Only the first rates."""
    rater = _rater(suggestion)
    others = deputy_users(suggestion)
    if rater is not None:
        others = others.exclude(pk=rater.pk)
    return ([rater] if rater is not None else []), others


def _lead_unit_name(suggestion) -> str:
    return str(suggestion.lead_unit or "")


def assigned(suggestion, assignments, *, reassigned_from=None) -> None:
    """Each unit's members hear of their task (a co-unit: its opinion to the lead
    unit; a unit taking over: from whom); the deputies of where it went, when the
    lead unit is among them (a co-unit replaced is no news to them)."""
    for assignment in assignments:
        if reassigned_from is not None:
            kind = "reassigned_in" if assignment.is_lead else "reassigned_in_co"
        else:
            kind = "assigned" if assignment.is_lead else "assigned_co"
        notify(
            recipients=unit_members([assignment.unit_id]),
            kind=kind,
            suggestion=suggestion,
            params={
                "title": suggestion.title,
                "due": _date(assignment.due_at),
                "lead_unit": _lead_unit_name(suggestion),
                "old_unit": str(reassigned_from or ""),
            },
        )
    if not any(a.is_lead for a in assignments):
        return
    params = {
        "title": suggestion.title,
        "unit": suggestion.lead_unit,
        "old_unit": str(reassigned_from or ""),
        "due": _date(suggestion.due_at),
    }
    if reassigned_from is not None:
        notify(
            recipients=deputy_users(suggestion),
            kind="reassigned_deputy",
            suggestion=suggestion,
            params=params,
        )
        return
    lead, others = _deputies_split(suggestion)
    notify(
        recipients=lead, kind="assigned_deputy", suggestion=suggestion, params=params
    )
    notify(
        recipients=others,
        kind="assigned_cosigner",
        suggestion=suggestion,
        params=params,
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
        recipients=staff_users(suggestion.body_id),
        kind=kind,
        suggestion=suggestion,
        params={
            "title": suggestion.title,
            "unit": request.assignment.unit,
            "reason": request.reason,
            "due": _date(request.assignment.due_at),
            "until": _date(request.requested_until),
        },
    )


def adjustment_decided(suggestion, request, *, old_unit_id: int) -> None:
    """The asking unit hears the decision and where that leaves it: an extension's
    new deadline (or the one that stays), that it no longer handles a suggestion
    handed on, or that it still does. The unit taking over hears of it through
    ``assigned``."""
    assignment = request.assignment
    params = {
        "title": suggestion.title,
        "reason": request.decision_note,
        "due": _date(request.new_due_at or assignment.due_at),
        "new_unit": str(request.new_unit or ""),
    }
    approved = request.decision == "approved"
    if request.kind == "extension":
        kind = "extension_approved" if approved else "extension_denied"
    elif approved:
        kind = "reassignment_approved"
    else:
        kind = "reassignment_denied" if assignment.is_lead else "reassignment_denied_co"
    notify(
        recipients=unit_members([old_unit_id]),
        kind=kind,
        suggestion=suggestion,
        params=params,
    )


def replied(suggestion, reply, assignment, *, rate_by=None) -> None:
    """A co-unit's opinion goes to the lead unit. A lead reply goes to the lead
    deputy, who is asked to rate it by the end of the rating window; to the other
    deputies, who are told the lead deputy rates it; and to the co-units of the
    round, whose assignments end with it."""
    if not reply.is_lead:
        lead_units = suggestion.assignments.filter(
            round=assignment.round, role="lead", active=True
        ).values_list("unit_id", flat=True)
        notify(
            recipients=unit_members(lead_units),
            kind="opinion",
            suggestion=suggestion,
            params={
                "title": suggestion.title,
                "unit": assignment.unit,
                "due": _date(suggestion.due_at),
            },
        )
        return
    params = {
        "title": suggestion.title,
        "unit": assignment.unit,
        "outcome": _display(reply, "outcome"),
        "rate_hint": _rate_hint(rate_by),
    }
    lead, others = _deputies_split(suggestion)
    notify(recipients=lead, kind="replied", suggestion=suggestion, params=params)
    notify(
        recipients=others, kind="replied_cosigner", suggestion=suggestion, params=params
    )
    co_units = suggestion.assignments.filter(
        round=assignment.round, role="co", active=True
    ).values_list("unit_id", flat=True)
    notify(
        recipients=unit_members(co_units),
        kind="round_ended_co",
        suggestion=suggestion,
        params=params,
    )


def evaluated(suggestion, evaluation, *, lead_unit_id: int, new_due=None) -> None:
    """The unit and staff hear the rating; a dissatisfied one sends the unit back to
    work with its new deadline, or flags the suggestion for escalation."""
    params = {
        "title": suggestion.title,
        "rating": _display(evaluation, "rating"),
        "comment": evaluation.comment,
        "due": _date(new_due),
        "unit": suggestion.lead_unit,
    }
    if evaluation.rating == Rating.DISSATISFIED and new_due is not None:
        notify(
            recipients=unit_members([lead_unit_id]),
            kind="rehandling",
            suggestion=suggestion,
            params=params,
        )
        notify(
            recipients=staff_users(suggestion.body_id),
            kind="rehandling_staff",
            suggestion=suggestion,
            params=params,
        )
        return
    notify(
        recipients=unit_members([lead_unit_id]),
        kind="evaluated",
        suggestion=suggestion,
        params=params,
    )
    notify(
        recipients=staff_users(suggestion.body_id),
        kind="evaluated_staff",
        suggestion=suggestion,
        params=params,
    )
    if suggestion.escalated:
        notify(
            recipients=staff_users(suggestion.body_id),
            kind="escalated",
            suggestion=suggestion,
            params=params,
        )


_HANDLERS = {
    handler.__name__: handler
    for handler in (
        cosign_invited,
        cosign_declined,
        entered_on_behalf,
        supervision_opinion,
        urged,
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
