"""The pages of the three meetings (三见面) and of the leaders' part in key
suggestions: the reply page says which meeting is missing, the contact form records
its stage, staff name the leaders, leaders record supervision activities, and the
suggestion page and timeline show them. Wiring and refusals; the rules are tested in
tests/suggestions/test_meetings.py and test_leaders.py."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from common import clock
from suggestions import services
from suggestions.models import (
    ContactRecord,
    HandlingLeader,
    Reply,
    Status,
    SupervisionActivity,
)
from tests.forms import FormClient

from ..factories import CongressBodyFactory, LeaderFactory, StaffFactory

pytestmark = pytest.mark.django_db


def client_for(user=None) -> FormClient:
    client = FormClient(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def page_of(assignment) -> str:
    return reverse("suggestions:assignment-detail", args=[assignment.pk])


@pytest.fixture
def acknowledged(journey):
    journey.to(Status.ASSIGNED)
    journey.acknowledge()
    return journey.lead_assignment()


@pytest.fixture
def key(journey):
    journey.to(Status.ASSIGNED)
    services.suggestion_mark_key(
        suggestion_id=journey.suggestion.pk, actor=journey.staff, key_supervised=True
    )
    journey.leader = LeaderFactory()
    return journey


# --- the three meetings ---------------------------------------------------------------


def test_the_reply_page_says_which_meeting_is_missing(journey, acknowledged):
    """Before the meeting: the notice names it, no reply button, the contact form
    preselects it. After it: no notice, the reply is offered."""
    client = client_for(journey.clerk)
    response = client.get(page_of(acknowledged))
    html = response.text
    assert 'data-testid="missing-stages"' in html
    assert (
        "The unit must meet the deputy before replying: no contact recorded yet for "
        "“Before replying”." in html
    )
    assert 'data-action="reply"' not in html
    form = response.context["action_forms"]["contact"]
    assert form["stage"].value() == "before_reply"
    done = client.post(
        reverse("suggestions:assignment-contact", args=[acknowledged.pk]),
        {
            "stage": "before_reply",
            "method": "visit",
            "contacted_at": "2026-03-10T10:00",
            "note": "上门面商。",
        },
    )
    assert messages_of(done)[0][0] == "success"
    html = client.get(page_of(acknowledged)).text
    assert 'data-testid="missing-stages"' not in html
    assert 'data-action="reply"' in html
    assert 'data-testid="contact-stage">Before replying<' in html


def test_a_reply_posted_without_the_meeting_is_refused_with_its_name(
    journey, acknowledged
):
    client = client_for(journey.clerk)
    response = client.post(
        reverse("suggestions:assignment-reply", args=[acknowledged.pk]),
        {"outcome": "resolved", "body": "已解决。"},
    )
    assert messages_of(response) == [
        (
            "error",
            "The unit must meet the deputy before replying: no contact recorded "
            "yet for “Before replying”.",
        )
    ]
    assert not Reply.objects.exists()


def test_an_unknown_stage_is_a_field_error(journey, acknowledged):
    response = client_for(journey.clerk).post(
        reverse("suggestions:assignment-contact", args=[acknowledged.pk]),
        {"stage": "after", "method": "phone", "contacted_at": "2026-03-10T09:00"},
    )
    assert response.status_code == 400
    assert "stage" in response.context["action_forms"]["contact"].errors
    assert not ContactRecord.objects.exists()


def test_the_suggestion_page_shows_each_contact_stage(journey, acknowledged):
    journey.meet("before", "during")
    html = client_for(journey.staff).get(journey.suggestion.get_absolute_url()).text
    assert 'data-testid="contact-stage">Before handling<' in html
    assert 'data-testid="contact-stage">During handling<' in html


# --- the leaders' part ------------------------------------------------------------------


def test_staff_name_the_leaders_on_their_page(key):
    address = reverse("suggestions:leaders", args=[key.suggestion.pk])
    client = client_for(key.staff)
    detail = client.get(key.suggestion.get_absolute_url()).text
    assert f'href="{address}" data-action="leaders"' in detail
    assert client.get(address).status_code == 200
    response = client.post(
        address,
        {
            "leading_leader_name": "王建华",
            "leading_leader_post": "州人民政府副州长",
            "supervising_leader": key.leader.pk,
        },
    )
    assert messages_of(response)[0][0] == "success"
    assert HandlingLeader.objects.get().name == "王建华"
    assert key.refresh().supervising_leader == key.leader
    html = client.get(key.suggestion.get_absolute_url()).text
    assert "州人民政府副州长 王建华" in html


@pytest.mark.parametrize("who", ["leader", "clerk", "other_staff"])
def test_others_cannot_name_the_leaders(key, who):
    """A leader, the unit and another body's staff find no such page."""
    user = {
        "leader": key.leader,
        "clerk": key.clerk,
        "other_staff": StaffFactory(
            body=CongressBodyFactory(region="伊犁哈萨克自治州")
        ),
    }[who]
    address = reverse("suggestions:leaders", args=[key.suggestion.pk])
    response = client_for(user).post(address, {"leading_leader_name": "王建华"})
    # The staff pages are not found by anyone but the body's staff.
    assert response.status_code == 404
    assert not HandlingLeader.objects.exists()


def test_a_leader_records_an_activity_shown_on_page_and_timeline(key):
    client = client_for(key.leader)
    html = client.get(key.suggestion.get_absolute_url()).text
    assert 'data-testid="activity-form"' in html
    assert 'data-testid="no-activities"' in html
    response = client.post(
        reverse("suggestions:supervision", args=[key.suggestion.pk]),
        {
            "kind": "on_site",
            "held_on": clock.today().isoformat(),
            "place": "木垒县",
            "participants": "州人大常委会副主任",
            "notes": "逐项核实进度。",
        },
    )
    assert messages_of(response)[0][0] == "success"
    activity = SupervisionActivity.objects.get()
    html = client_for(key.clerk).get(key.suggestion.get_absolute_url()).text
    assert f'data-testid="activity-{activity.pk}"' in html
    assert 'data-testid="event-detail">On-site supervision, 木垒县' in html
    assert "逐项核实进度。" in html


def test_a_unit_cannot_record_supervision_on_the_page(key):
    client = client_for(key.clerk)
    html = client.get(key.suggestion.get_absolute_url()).text
    assert 'data-testid="activity-form"' not in html
    response = client.post(
        reverse("suggestions:supervision", args=[key.suggestion.pk]),
        {"kind": "visit", "held_on": clock.today().isoformat(), "place": "奇台县"},
    )
    assert messages_of(response) == [
        ("error", "Only leaders and the congress staff may do this.")
    ]
    assert not SupervisionActivity.objects.exists()


def test_a_future_activity_comes_back_on_its_field(key):
    response = client_for(key.leader).post(
        reverse("suggestions:supervision", args=[key.suggestion.pk]),
        {"kind": "visit", "held_on": "2099-01-01", "place": "奇台县"},
    )
    assert messages_of(response) == [("error", "The activity cannot be in the future.")]
    assert not SupervisionActivity.objects.exists()
