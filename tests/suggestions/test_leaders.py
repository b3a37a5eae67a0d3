"""The leaders' part in key suggestions (领衔办理, 领衔督办): staff name the government
leader who leads the handling and the standing-committee leader who supervises it;
leaders and staff record supervision activities, which go on the timeline."""

from datetime import timedelta

import pytest

from common import clock
from common.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from suggestions import actions, services
from suggestions.models import (
    Event,
    HandlingLeader,
    Status,
    SupervisionActivity,
)
from suggestions.templatetags.suggestions_tags import event_detail
from tests.factories import (
    CongressBodyFactory,
    LeaderFactory,
    StaffFactory,
    UnitMemberFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(journey):
    """A key suggestion being handled, with a leader of its body."""
    journey.to(Status.ASSIGNED)
    services.suggestion_mark_key(
        suggestion_id=journey.suggestion.pk, actor=journey.staff, key_supervised=True
    )
    journey.leader = LeaderFactory()
    return journey


def _other_body():
    return CongressBodyFactory(region="伊犁哈萨克自治州")


def _visit(journey, actor, **changes):
    fields = {
        "kind": "visit",
        "held_on": clock.today(),
        "place": "奇台县",
        "participants": "州人大常委会副主任，农业农村委",
        "notes": "实地查看项目进展。",
    }
    fields.update(changes)
    return services.suggestion_record_supervision(
        suggestion_id=journey.suggestion.pk, actor=actor, **fields
    )


# --- the leaders ------------------------------------------------------------------


def test_staff_name_the_leaders(key):
    """The leading leader is stored with their post, the supervising leader on the
    suggestion, and the timeline says who set them."""
    leading = services.suggestion_set_leaders(
        suggestion_id=key.suggestion.pk,
        actor=key.staff,
        leading_leader_name="王建华",
        leading_leader_post="州人民政府副州长",
        supervising_leader=key.leader,
    )
    assert (leading.name, leading.post, leading.set_by) == (
        "王建华",
        "州人民政府副州长",
        key.staff,
    )
    assert key.refresh().supervising_leader == key.leader
    event = Event.objects.get(action="leaders")
    assert event.data == {
        "leading_leader": "王建华",
        "leading_leader_post": "州人民政府副州长",
        "supervising_leader": key.leader.pk,
    }


def test_saving_again_replaces_and_an_empty_name_removes(key):
    pk = key.suggestion.pk
    services.suggestion_set_leaders(
        suggestion_id=pk, actor=key.staff, leading_leader_name="王建华"
    )
    services.suggestion_set_leaders(
        suggestion_id=pk, actor=key.staff, leading_leader_name="李志强"
    )
    assert HandlingLeader.objects.get().name == "李志强"
    assert (
        services.suggestion_set_leaders(
            suggestion_id=pk, actor=key.staff, leading_leader_name=""
        )
        is None
    )
    assert not HandlingLeader.objects.exists()


def test_a_post_without_a_name_is_refused(key):
    with pytest.raises(InvalidInput) as refused:
        services.suggestion_set_leaders(
            suggestion_id=key.suggestion.pk,
            actor=key.staff,
            leading_leader_name=" ",
            leading_leader_post="副州长",
        )
    assert refused.value.field == "leading_leader_name"
    assert not Event.objects.filter(action="leaders").exists()


@pytest.mark.parametrize("who", ["clerk", "other_body_leader"])
def test_the_supervising_leader_must_lead_in_its_body(key, who):
    """A unit's clerk, or a leader of another body, is refused on the field; nothing
    is written."""
    user = key.clerk if who == "clerk" else LeaderFactory(body=_other_body())
    with pytest.raises(InvalidInput) as refused:
        services.suggestion_set_leaders(
            suggestion_id=key.suggestion.pk,
            actor=key.staff,
            leading_leader_name="王建华",
            supervising_leader=user.pk,
        )
    assert refused.value.field == "supervising_leader"
    assert not HandlingLeader.objects.exists()


def test_only_staff_name_the_leaders(key):
    """A leader, a unit and a deputy are told no; staff of another body find
    nothing."""
    pk = key.suggestion.pk
    for user in (key.leader, key.clerk, key.deputy):
        with pytest.raises(NotPermitted):
            services.suggestion_set_leaders(
                suggestion_id=pk, actor=user, leading_leader_name="王建华"
            )
    with pytest.raises(NotFound):
        services.suggestion_set_leaders(
            suggestion_id=pk,
            actor=StaffFactory(body=_other_body()),
            leading_leader_name="王建华",
        )
    assert not HandlingLeader.objects.exists()


def test_leaders_only_for_a_key_suggestion(journey):
    journey.to(Status.ASSIGNED)
    with pytest.raises(InvalidTransition):
        services.suggestion_set_leaders(
            suggestion_id=journey.suggestion.pk,
            actor=journey.staff,
            leading_leader_name="王建华",
        )
    assert "leaders" not in actions.suggestion_actions(journey.staff, journey.refresh())


# --- supervision activities ---------------------------------------------------------


def test_a_leader_records_a_supervision_visit(key):
    """The activity is stored as entered and goes on the timeline with its kind,
    place and day."""
    activity = _visit(key, key.leader)
    stored = SupervisionActivity.objects.get()
    assert stored == activity
    assert (stored.kind, stored.place, stored.recorded_by) == (
        "visit",
        "奇台县",
        key.leader,
    )
    assert stored.participants == "州人大常委会副主任，农业农村委"
    event = Event.objects.get(action="supervision")
    assert event.actor == key.leader and event.note == "实地查看项目进展。"
    assert event.data["activity"] == activity.pk
    assert event.data["kind"] == "visit"
    assert event.to_status == Status.ASSIGNED
    detail = event_detail(event)
    assert "Research visit" in detail and "奇台县" in detail


def test_staff_record_activities_too_and_after_the_close(key):
    """A forum by staff while handling, on-site supervision after the close."""
    _visit(key, key.staff, kind="forum", place="州人大常委会")
    key.reply()
    key.evaluate()
    assert key.refresh().status == Status.CLOSED
    _visit(key, key.leader, kind="on_site")
    assert list(SupervisionActivity.objects.values_list("kind", flat=True)) == [
        "forum",
        "on_site",
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "dinner"}, "kind"),
        ({"held_on": None}, "held_on"),
        ({"held_on": "2026-03-01"}, "held_on"),
        ({"place": "  "}, "place"),
        ({"place": "县" * 201}, "place"),
        ({"participants": "人" * 2001}, "participants"),
    ],
)
def test_bad_input_is_a_field_error(key, changes, field):
    with pytest.raises(InvalidInput) as refused:
        _visit(key, key.leader, **changes)
    assert refused.value.field == field
    assert not SupervisionActivity.objects.exists()
    assert not Event.objects.filter(action="supervision").exists()


def test_an_activity_cannot_be_in_the_future(key):
    with pytest.raises(InvalidInput) as refused:
        _visit(key, key.leader, held_on=clock.today() + timedelta(days=1))
    assert refused.value.field == "held_on"


def test_a_unit_or_deputy_cannot_record_supervision(key):
    """The handling unit and the deputies see the suggestion and are told no; a
    unit without it, and another body's leader, find nothing."""
    for user in (key.clerk, key.deputy):
        with pytest.raises(NotPermitted):
            _visit(key, user)
        assert "supervision" not in actions.suggestion_actions(user, key.refresh())
    for user in (UnitMemberFactory(), LeaderFactory(body=_other_body())):
        with pytest.raises(NotFound):
            _visit(key, user)
    assert not SupervisionActivity.objects.exists()


def test_supervision_only_on_a_key_suggestion_once_assigned(journey):
    """Not key, or key but not yet assigned: refused."""
    journey.to(Status.REGISTERED)
    services.suggestion_mark_key(
        suggestion_id=journey.suggestion.pk, actor=journey.staff, key_supervised=True
    )
    leader = LeaderFactory()
    with pytest.raises(InvalidTransition):
        _visit(journey, leader)
    journey.create()
    journey.submit()
    journey.register()
    journey.assign()
    with pytest.raises(InvalidTransition):
        _visit(journey, leader)
    assert not SupervisionActivity.objects.exists()
