"""Deputies rate the replies; staff publish them."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import clock
from common.errors import InvalidInput, InvalidTransition

from .. import actions, deadlines, rules, workflow
from ..models import (
    Assignment,
    AssignmentRole,
    Evaluation,
    Rating,
    Reply,
    Status,
    Suggestion,
)
from ..signals import announce
from ._shared import (
    _choice,
    _lock_suggestion,
    _rules,
    _text,
)

# --- deputies: rating; staff: publishing ------------------------------------------


@transaction.atomic
def suggestion_evaluate(
    *, suggestion_id: int, actor, rating: str, comment: str = ""
) -> Evaluation:
    """The lead deputy rates the round's reply. Satisfied or basically satisfied
    closes the suggestion; dissatisfied starts a re-handling round with a new deadline,
    unless the rules' rounds are used up: then it closes, flagged for escalation."""
    suggestion = _lock_suggestion(suggestion_id)
    actions.require(actor, "evaluate", suggestion)
    deputy = rules.require_lead_deputy(actor, suggestion)
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
        # Publication is per reply: the new round's reply starts unpublished, and
        # the suggestion leaves the public pages until staff publish that reply.
        suggestion.is_public = False
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
    announce(
        "evaluated",
        suggestion=suggestion,
        evaluation=evaluation,
        lead_unit_id=lead.unit_id,
        new_due=due,
    )
    return evaluation


@transaction.atomic
def suggestion_publish(*, suggestion_id: int, actor, is_public: bool) -> Suggestion:
    """Make the lead replies public (答复公开) or withdraw them from the public pages:
    every lead reply sent so far. A later round's reply starts unpublished (a new
    round unpublishes the suggestion, ``suggestion_evaluate``) until staff publish
    again."""
    suggestion = _lock_suggestion(suggestion_id)
    actions.require(actor, "publish", suggestion)
    if not isinstance(is_public, bool):
        raise InvalidInput(_("Say true or false."), field="is_public")
    suggestion.is_public = is_public
    Reply.objects.filter(assignment__suggestion=suggestion, is_lead=True).update(
        is_public=is_public
    )
    workflow.move(suggestion, "publish", actor=actor, data={"is_public": is_public})
    suggestion.save(update_fields=["is_public", "updated_at"])
    return suggestion
