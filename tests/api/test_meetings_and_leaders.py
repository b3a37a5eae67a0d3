"""The API of the three meetings (三见面) and of the leaders' part in key
suggestions: contact stages, the reply refused while a required meeting is missing,
the leaders and the supervision activities in the suggestion's detail; another
body's or unit's objects are not found."""

import pytest

from suggestions.models import ContactRecord, SupervisionActivity

from ..factories import (
    CongressBodyFactory,
    HandlingUnitFactory,
    LeaderFactory,
    StaffFactory,
    UnitMemberFactory,
)
from .conftest import Cast, client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def acknowledged(now):
    cast = Cast()
    cast.state("assigned")
    cast.acknowledge()
    return cast


def test_the_reply_is_refused_naming_the_missing_meeting(acknowledged):
    cast = acknowledged
    clerk = client_as(cast.clerk)
    lead = cast.lead_assignment().pk
    detail = clerk.get(f"/api/v1/assignments/{lead}/").json()
    assert detail["missing_contact_stages"] == ["before_reply"]
    assert "reply" not in detail["allowed_actions"]
    refused = clerk.post(
        f"/api/v1/assignments/{lead}/reply/",
        {"outcome": "resolved", "body": "已解决。"},
        format="json",
    )
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "The unit must meet the deputy before replying: no contact "
        "recorded yet for “Before replying”.",
        "code": "invalid_transition",
    }


def test_a_contact_takes_its_stage_and_defaults_to_before_replying(acknowledged):
    cast = acknowledged
    clerk = client_as(cast.clerk)
    lead = cast.lead_assignment().pk
    address = f"/api/v1/assignments/{lead}/contact/"
    when = cast.lead_assignment().assigned_at.isoformat()
    first = clerk.post(
        address,
        {"method": "phone", "stage": "before", "contacted_at": when},
        format="json",
    )
    assert first.status_code == 200
    assert first.json()["missing_contact_stages"] == ["before_reply"]
    second = clerk.post(
        address, {"method": "visit", "contacted_at": when}, format="json"
    )
    assert [c["stage"] for c in second.json()["contacts"]] == [
        "before",
        "before_reply",
    ]
    assert second.json()["missing_contact_stages"] == []
    assert "reply" in second.json()["allowed_actions"]


def test_an_unknown_stage_is_400_on_its_field(acknowledged):
    cast = acknowledged
    response = client_as(cast.clerk).post(
        f"/api/v1/assignments/{cast.lead_assignment().pk}/contact/",
        {
            "method": "phone",
            "stage": "after",
            "contacted_at": cast.lead_assignment().assigned_at.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "stage" in response.json()
    assert not ContactRecord.objects.exists()


def test_another_unit_finds_no_assignment_to_contact(acknowledged):
    cast = acknowledged
    stranger = UnitMemberFactory(unit=HandlingUnitFactory())
    response = client_as(stranger).post(
        f"/api/v1/assignments/{cast.lead_assignment().pk}/contact/",
        {"method": "phone", "contacted_at": "2026-03-10T10:00:00+08:00"},
        format="json",
    )
    assert response.status_code == 404
    assert not ContactRecord.objects.exists()


@pytest.fixture
def key(now):
    cast = Cast()
    cast.state("key")
    return cast


def test_leaders_and_activities_appear_in_the_detail(key):
    pk = key.suggestion.pk
    staff = client_as(key.staff)
    named = staff.post(
        f"/api/v1/suggestions/{pk}/leaders/",
        {
            "leading_leader_name": "王建华",
            "leading_leader_post": "州人民政府副州长",
            "supervising_leader": key.leader.pk,
        },
        format="json",
    )
    assert named.status_code == 200
    assert named.json()["leading_leader"] == {
        "name": "王建华",
        "post": "州人民政府副州长",
    }
    assert named.json()["supervising_leader"]["id"] == key.leader.pk
    recorded = client_as(key.leader).post(
        f"/api/v1/suggestions/{pk}/supervision/",
        {
            "kind": "forum",
            "held_on": "2026-03-10",
            "place": "州人大常委会",
            "participants": "人大代表、承办单位",
            "notes": "面对面沟通办理措施。",
        },
        format="json",
    )
    assert recorded.status_code == 200
    (activity,) = recorded.json()["supervision_activities"]
    assert activity["kind"] == "forum"
    assert activity["held_on"] == "2026-03-10"
    assert activity["place"] == "州人大常委会"
    assert activity["recorded_by"]["id"] == key.leader.pk
    # Those who take part read it; the deputy too.
    seen = client_as(key.deputy).get(f"/api/v1/suggestions/{pk}/").json()
    assert [a["id"] for a in seen["supervision_activities"]] == [activity["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "party", "held_on": "2026-03-10", "place": "州"}, "kind"),
        ({"kind": "visit", "held_on": "2099-01-01", "place": "州"}, "held_on"),
        ({"kind": "visit", "held_on": "2026-03-10", "place": ""}, "place"),
        ({"kind": "visit", "place": "州"}, "held_on"),
    ],
)
def test_bad_activity_is_400_on_its_field(key, body, field):
    response = client_as(key.leader).post(
        f"/api/v1/suggestions/{key.suggestion.pk}/supervision/", body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not SupervisionActivity.objects.exists()


def test_a_unit_cannot_record_supervision_and_another_body_finds_nothing(key):
    address = f"/api/v1/suggestions/{key.suggestion.pk}/supervision/"
    body = {"kind": "visit", "held_on": "2026-03-10", "place": "奇台县"}
    assert client_as(key.clerk).post(address, body, format="json").status_code == 403
    elsewhere = CongressBodyFactory(region="伊犁哈萨克自治州")
    for user in (LeaderFactory(body=elsewhere), StaffFactory(body=elsewhere)):
        response = client_as(user).post(address, body, format="json")
        assert response.status_code == 404
    response = client_as(StaffFactory(body=elsewhere)).post(
        f"/api/v1/suggestions/{key.suggestion.pk}/leaders/",
        {"leading_leader_name": "王建华"},
        format="json",
    )
    assert response.status_code == 404
    assert not SupervisionActivity.objects.exists()


def test_a_supervising_leader_of_another_body_is_400(key):
    other = LeaderFactory(body=CongressBodyFactory(region="伊犁哈萨克自治州"))
    response = client_as(key.staff).post(
        f"/api/v1/suggestions/{key.suggestion.pk}/leaders/",
        {"leading_leader_name": "王建华", "supervising_leader": other.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "supervising_leader" in response.json()
