"""Leaders (and congress staff) supervise the handling of a key suggestion (重点督办):
a supervision opinion (督办意见) to the lead unit, and a reminder (催办) to the
units still working on it, at most once per unit and day. Neither changes the
status; both go on the timeline and are notified."""

from django.db import transaction
from django.utils import timezone

from common import clock

from .. import actions, workflow
from ..models import Assignment, Event
from ..signals import announce
from ._shared import _lock_suggestion, _text

# The longest supervision opinion (and reminder note), in characters.
OPINION_MAX = 2000


@transaction.atomic
def suggestion_supervision_opinion(*, suggestion_id: int, actor, text: str) -> Event:
    """Write a supervision opinion on a key suggestion being handled: on the
    timeline, and to the members of the lead unit of the current round."""
    suggestion = _lock_suggestion(suggestion_id)
    actions.require(actor, "supervision-opinion", suggestion)
    opinion = _text(text, "text", max_length=OPINION_MAX)
    event = workflow.move(
        suggestion,
        "supervision-opinion",
        actor=actor,
        note=opinion,
        data={"unit": suggestion.lead_unit_id},
    )
    announce("supervision_opinion", suggestion=suggestion, opinion=opinion, actor=actor)
    return event


@transaction.atomic
def suggestion_urge(*, suggestion_id: int, actor, note: str = "") -> list[Assignment]:
    """Send a reminder (催办), with an optional note, to each unit still working on
    a key suggestion that has not been urged today; refused when every one of them
    has been."""
    suggestion = _lock_suggestion(suggestion_id)
    actions.require(actor, "urge", suggestion)
    note = _text(note, "note", required=False, max_length=OPINION_MAX)
    now = clock.now()
    # ``require`` found at least one, under the suggestion's lock.
    due = actions.units_to_urge(suggestion, today=timezone.localdate(now))
    Assignment.objects.filter(pk__in=[a.pk for a in due]).update(urged_at=now)
    for assignment in due:
        assignment.urged_at = now
    workflow.move(
        suggestion,
        "urge",
        actor=actor,
        note=note,
        data={"units": [a.unit_id for a in due]},
    )
    announce("urged", suggestion=suggestion, assignments=due, actor=actor, note=note)
    return due
