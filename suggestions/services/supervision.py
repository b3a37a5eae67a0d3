"""Leaders (and congress staff) supervise the handling of a key suggestion (重点督办):
a supervision opinion (督办意见) to the lead unit, and a reminder (催办) to the
units still working on it, at most once per unit and day. Neither changes the
status; both go on the timeline and are notified.

The leaders' part (领衔办理, 领衔督办): staff name the government leader who leads
the handling and the standing-committee leader who supervises it; leaders and
staff record their supervision activities (调研视察, 座谈会, 现场督办)."""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import clock
from common.errors import InvalidInput

from .. import actions, workflow
from ..models import (
    Assignment,
    Event,
    HandlingLeader,
    SupervisionActivity,
    SupervisionKind,
)
from ..signals import announce
from ._shared import _choice, _lock_suggestion, _supervising_leader, _text

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


@transaction.atomic
def suggestion_set_leaders(
    *,
    suggestion_id: int,
    actor,
    leading_leader_name: str,
    leading_leader_post: str = "",
    supervising_leader=None,
) -> HandlingLeader | None:
    """Name the leaders of a key suggestion (staff of its body): the government
    leader who leads its handling (领办领导, name and post, free text; an empty
    name removes it) and the standing-committee leader who supervises it (a
    leader of the body, or None). Answers the leading leader (None once removed)."""
    suggestion = _lock_suggestion(suggestion_id)
    actions.require(actor, "leaders", suggestion)
    name = _text(
        leading_leader_name,
        "leading_leader_name",
        required=False,
        max_length=50,
        one_line=True,
    )
    post = _text(
        leading_leader_post,
        "leading_leader_post",
        required=False,
        max_length=100,
        one_line=True,
    )
    if post and not name:
        raise InvalidInput(
            _("Name the leading leader whose post this is."),
            field="leading_leader_name",
        )
    if supervising_leader is not None and not hasattr(supervising_leader, "pk"):
        try:
            supervising_leader = get_user_model().objects.get(
                pk=supervising_leader, is_active=True
            )
        except (get_user_model().DoesNotExist, ValueError, TypeError):
            raise InvalidInput(
                _("The supervising leader must have the leader role."),
                field="supervising_leader",
            ) from None
    leader = _supervising_leader(supervising_leader, True, suggestion=suggestion)
    suggestion.supervising_leader = leader
    suggestion.save(update_fields=["supervising_leader", "updated_at"])
    HandlingLeader.objects.filter(suggestion=suggestion).delete()
    leading = None
    if name:
        leading = HandlingLeader.objects.create(
            suggestion=suggestion,
            name=name,
            post=post,
            set_by=actor,
            set_at=clock.now(),
        )
    workflow.move(
        suggestion,
        "leaders",
        actor=actor,
        data={
            "leading_leader": name,
            "leading_leader_post": post,
            "supervising_leader": leader.pk if leader else None,
        },
    )
    return leading


@transaction.atomic
def suggestion_record_supervision(
    *,
    suggestion_id: int,
    actor,
    kind: str,
    held_on: date,
    place: str,
    participants: str = "",
    notes: str = "",
) -> SupervisionActivity:
    """Record a supervision activity on a key suggestion (a leader or staff of its
    body): a research visit, a forum or on-site supervision, held on a day not
    after today; it goes on the timeline and into the annual review."""
    suggestion = _lock_suggestion(suggestion_id)
    actions.require(actor, "supervision", suggestion)
    kind = _choice(kind, SupervisionKind, "kind")
    if not isinstance(held_on, date) or isinstance(held_on, datetime):
        raise InvalidInput(_("Enter a date."), field="held_on")
    if held_on > clock.today():
        raise InvalidInput(_("The activity cannot be in the future."), field="held_on")
    activity = SupervisionActivity.objects.create(
        suggestion=suggestion,
        kind=kind,
        held_on=held_on,
        place=_text(place, "place", max_length=200, one_line=True),
        participants=_text(
            participants, "participants", required=False, max_length=2_000
        ),
        notes=_text(notes, "notes", required=False, max_length=10_000),
        recorded_by=actor,
        created_at=clock.now(),
    )
    workflow.move(
        suggestion,
        "supervision",
        actor=actor,
        note=activity.notes,
        data={
            "activity": activity.pk,
            "kind": kind,
            "held_on": held_on.isoformat(),
            "place": activity.place,
        },
    )
    return activity
