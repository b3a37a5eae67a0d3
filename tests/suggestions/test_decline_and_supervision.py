"""谢绝附议 (an invited deputy declines) and the leaders' 督办意见 and 催办 on a key
suggestion: who may, when, what is recorded and who is told."""

from datetime import timedelta

import pytest

from common import clock
from common.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from notifications.models import Notification
from suggestions import actions, selectors, services
from suggestions.models import CoSignature, Event, Status
from tests.conftest import NOW
from tests.factories import (
    LeaderFactory,
    UnitMemberFactory,
    deputy_user,
)

# --- decline ----------------------------------------------------------------------


def invitation_of(journey) -> CoSignature:
    return CoSignature.objects.get(
        suggestion=journey.suggestion, deputy=journey.cosigner.deputy_profile
    )


def test_the_invited_deputy_declines(journey):
    """The invitation is declined, no longer pending, never counted; the timeline
    and the lead deputy hear of it."""
    journey.to(Status.SUBMITTED)
    deputy = journey.cosigner.deputy_profile
    assert selectors.pending_invitations([deputy.pk]).count() == 1
    services.suggestion_decline_cosign(
        suggestion_id=journey.suggestion.pk, actor=journey.cosigner, reason="不熟悉"
    )
    invitation = invitation_of(journey)
    assert invitation.declined_at == NOW and invitation.signed_at is None
    assert selectors.pending_invitations([deputy.pk]).count() == 0
    event = journey.suggestion.events.get(action="decline")
    assert event.actor == journey.cosigner and event.note == "不熟悉"
    told = Notification.objects.get(kind="cosign_declined")
    assert told.recipient == journey.deputy
    assert deputy.name in told.body
    # No longer offered, and the co-signature cannot follow.
    offered = actions.suggestion_actions(journey.cosigner, journey.refresh())
    assert not offered & {"cosign", "decline"}
    with pytest.raises(InvalidTransition):
        services.suggestion_cosign(
            suggestion_id=journey.suggestion.pk, actor=journey.cosigner
        )


def test_declining_twice_or_after_signing_is_refused(journey):
    journey.create()
    services.suggestion_cosign(
        suggestion_id=journey.suggestion.pk, actor=journey.cosigner
    )
    with pytest.raises(InvalidTransition):
        services.suggestion_decline_cosign(
            suggestion_id=journey.suggestion.pk, actor=journey.cosigner
        )


def test_only_the_invited_may_decline(journey):
    """The lead deputy is told no; a deputy not invited finds nothing; staff may
    not (not a deputy)."""
    journey.create()
    pk = journey.suggestion.pk
    with pytest.raises(InvalidTransition):
        services.suggestion_decline_cosign(suggestion_id=pk, actor=journey.deputy)
    stranger = deputy_user(delegation__congress=journey.session.congress)
    with pytest.raises(NotFound):
        services.suggestion_decline_cosign(suggestion_id=pk, actor=stranger)
    with pytest.raises(NotPermitted):
        services.suggestion_decline_cosign(suggestion_id=pk, actor=journey.staff)
    assert invitation_of(journey).declined_at is None


def test_no_decline_once_filed(journey):
    journey.to(Status.REGISTERED)
    with pytest.raises(InvalidTransition):
        services.suggestion_decline_cosign(
            suggestion_id=journey.suggestion.pk, actor=journey.cosigner
        )


def test_the_lead_may_invite_a_deputy_who_declined_again(journey):
    """Saving the draft without them keeps the decline on record; choosing them
    again invites them anew (and they are told)."""
    journey.create()
    pk = journey.suggestion.pk
    cosigner = journey.cosigner.deputy_profile
    services.suggestion_decline_cosign(suggestion_id=pk, actor=journey.cosigner)
    services.suggestion_update(suggestion_id=pk, actor=journey.deputy, co_signers=[])
    assert invitation_of(journey).declined_at is not None
    invited_before = Notification.objects.filter(
        kind="cosign_invitation", recipient=journey.cosigner
    ).count()
    services.suggestion_update(
        suggestion_id=pk, actor=journey.deputy, co_signers=[cosigner.pk]
    )
    assert invitation_of(journey).declined_at is None
    assert selectors.pending_invitations([cosigner.pk]).count() == 1
    assert (
        Notification.objects.filter(
            kind="cosign_invitation", recipient=journey.cosigner
        ).count()
        == invited_before + 1
    )
    services.suggestion_cosign(suggestion_id=pk, actor=journey.cosigner)
    assert invitation_of(journey).signed_at is not None


# --- supervision --------------------------------------------------------------------


@pytest.fixture
def key(journey_with_co_unit):
    """A key suggestion being handled by a lead unit and a co-unit."""
    journey = journey_with_co_unit
    journey.to(Status.ASSIGNED)
    services.suggestion_mark_key(
        suggestion_id=journey.suggestion.pk, actor=journey.staff, key_supervised=True
    )
    journey.leader = LeaderFactory()
    return journey


def test_a_leader_gives_a_supervision_opinion(key):
    event = services.suggestion_supervision_opinion(
        suggestion_id=key.suggestion.pk, actor=key.leader, text="请于月底前答复。"
    )
    assert event.action == "supervision-opinion" and event.note == "请于月底前答复。"
    assert key.refresh().status == Status.ASSIGNED
    told = Notification.objects.get(kind="supervision_opinion")
    assert told.recipient == key.clerk
    assert "请于月底前答复。" in told.body


def test_the_opinion_is_required_and_bounded(key):
    pk = key.suggestion.pk
    with pytest.raises(InvalidInput):
        services.suggestion_supervision_opinion(
            suggestion_id=pk, actor=key.leader, text="  "
        )
    with pytest.raises(InvalidInput):
        services.suggestion_supervision_opinion(
            suggestion_id=pk, actor=key.leader, text="督" * 2001
        )
    assert not Event.objects.filter(action="supervision-opinion").exists()


def test_a_leader_urges_each_unit_once_a_day(key):
    """The lead unit and the co-unit are urged and told, each in its own words; a
    second reminder the same day is refused, the next day allowed."""
    pk = key.suggestion.pk
    urged = services.suggestion_urge(suggestion_id=pk, actor=key.leader)
    assert {a.unit_id for a in urged} == {key.unit.pk, key.co_unit.pk}
    assert Notification.objects.get(kind="urged").recipient == key.clerk
    assert Notification.objects.get(kind="urged_co").recipient == key.co_clerk
    with pytest.raises(InvalidTransition) as refused:
        services.suggestion_urge(suggestion_id=pk, actor=key.staff)
    assert "once a day" in str(refused.value.message)
    assert Event.objects.filter(action="urge").count() == 1
    # The pages stop offering it for the day (the same rule), and offer it again.
    assert "urge" not in actions.suggestion_actions(key.staff, key.refresh())
    with clock.frozen_at(NOW + timedelta(days=1)):
        assert "urge" in actions.suggestion_actions(key.staff, key.refresh())
        services.suggestion_urge(suggestion_id=pk, actor=key.staff)
    assert Event.objects.filter(action="urge").count() == 2


def test_supervision_only_on_a_key_suggestion_being_handled(journey):
    """A suggestion that is not key, or not being handled, takes neither."""
    journey.to(Status.ASSIGNED)
    leader = LeaderFactory()
    pk = journey.suggestion.pk
    with pytest.raises(InvalidTransition):
        services.suggestion_urge(suggestion_id=pk, actor=leader)
    with pytest.raises(InvalidTransition):
        services.suggestion_supervision_opinion(
            suggestion_id=pk, actor=leader, text="请加快办理。"
        )
    assert not actions.suggestion_actions(leader, journey.refresh()) & {
        "urge",
        "supervision-opinion",
    }


def test_supervision_stops_once_replied(key):
    key.reply()
    with pytest.raises(InvalidTransition):
        services.suggestion_urge(suggestion_id=key.suggestion.pk, actor=key.leader)


@pytest.mark.parametrize("who", ["deputy", "clerk", "other_unit"])
def test_others_may_not_supervise(key, who):
    """Its deputy and its unit are told no; another unit finds nothing."""
    actor = {
        "deputy": key.deputy,
        "clerk": key.clerk,
        "other_unit": UnitMemberFactory(),
    }[who]
    error = NotFound if who == "other_unit" else NotPermitted
    with pytest.raises(error):
        services.suggestion_urge(suggestion_id=key.suggestion.pk, actor=actor)
    with pytest.raises(error):
        services.suggestion_supervision_opinion(
            suggestion_id=key.suggestion.pk, actor=actor, text="请加快办理。"
        )


def test_the_key_suggestion_offers_supervision_to_leaders_and_staff(key):
    suggestion = key.refresh()
    for user in (key.leader, key.staff):
        assert {"urge", "supervision-opinion"} <= actions.suggestion_actions(
            user, suggestion
        )
    assert not actions.suggestion_actions(key.clerk, suggestion) & {
        "urge",
        "supervision-opinion",
    }
