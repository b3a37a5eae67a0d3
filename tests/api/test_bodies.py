"""Congress bodies in the API (API.md, "Congress bodies"): the caller's bodies, the
``body`` of the reference rows, the ``body`` filters, and a body chosen when a unit
or a term is made."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.models import CongressLevel, HandlingUnit

from ..factories import (
    CongressBodyFactory,
    CongressFactory,
    DelegationFactory,
    DeputyFactory,
    HandlingUnitFactory,
    LeaderFactory,
    SessionFactory,
    StaffFactory,
    UnitMemberFactory,
    UserFactory,
    deputy_user,
)
from .conftest import client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def bodies():
    """The prefecture's body and one county's under it."""
    prefecture = CongressBodyFactory()
    county = CongressBodyFactory(
        region="玛纳斯县", level=CongressLevel.COUNTY, parent=prefecture
    )
    return prefecture, county


def body_ids(user) -> list[int]:
    response = client_as(user).get("/api/v1/bodies/")
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_anonymous_callers_are_refused():
    """Without credentials the list answers 401."""
    assert client_as().get("/api/v1/bodies/").status_code == 401


def test_a_deputy_sees_the_body_they_were_elected_to(bodies):
    """A deputy of the county's congress sees the county's body, with its fields."""
    prefecture, county = bodies
    user = deputy_user(delegation__congress=CongressFactory(body=county))
    response = client_as(user).get("/api/v1/bodies/")
    assert response.json()["results"] == [
        {
            "id": county.pk,
            "name": "玛纳斯县人民代表大会",
            "level": "county",
            "region": "玛纳斯县",
            "parent": prefecture.pk,
        }
    ]


def test_a_clerk_sees_the_body_of_their_unit(bodies):
    prefecture, _ = bodies
    clerk = UnitMemberFactory(unit=HandlingUnitFactory(body=prefecture))
    assert body_ids(clerk) == [prefecture.pk]


def test_a_user_with_no_role_sees_no_body(bodies):
    assert body_ids(UserFactory()) == []


@pytest.mark.parametrize("factory", [StaffFactory, LeaderFactory])
def test_a_parent_bodys_staff_and_leaders_see_only_their_own_body(bodies, factory):
    """The prefecture's staff and leaders do not see the county's body here (the
    roll-up shows it, read only) unless they hold a role there too."""
    prefecture, county = bodies
    assert body_ids(factory(body=prefecture)) == [prefecture.pk]
    assert body_ids(factory(body=[prefecture, county])) == [prefecture.pk, county.pk]


def test_the_superuser_sees_every_body(bodies):
    assert body_ids(UserFactory(is_superuser=True)) == [b.pk for b in bodies]


@pytest.mark.parametrize("count", [2, 20])
def test_listing_bodies_takes_the_same_queries_at_2_and_20(count):
    """The caller's roles (memberships, deputy records), the count and the rows:
    four, whatever the number."""
    made = [CongressBodyFactory(region=f"地区{i}") for i in range(count)]
    client = client_as(StaffFactory(body=made))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/bodies/?page_size=50")
    assert len(response.json()["results"]) == count
    assert len(queries) == 4, [q["sql"] for q in queries]


def test_reference_rows_name_their_body(bodies):
    """Congresses, sessions, delegations, deputies and units carry ``body``."""
    prefecture, _ = bodies
    session = SessionFactory()
    deputy = DeputyFactory(delegation=DelegationFactory(congress=session.congress))
    unit = HandlingUnitFactory()
    client = client_as(StaffFactory())
    for path in (
        f"congresses/{session.congress_id}/",
        f"sessions/{session.pk}/",
        f"delegations/{deputy.delegation_id}/",
        f"deputies/{deputy.pk}/",
        f"units/{unit.pk}/",
    ):
        assert client.get(f"/api/v1/{path}").json()["body"] == prefecture.pk, path
    congress = client.get(f"/api/v1/congresses/{session.congress_id}/").json()
    assert (congress["region"], congress["level"]) == ("昌吉回族自治州", "prefecture")


def test_lists_filter_by_body(bodies):
    """``?body=`` keeps the rows of that body only."""
    prefecture, county = bodies
    here = SessionFactory(congress=CongressFactory(body=prefecture))
    there = SessionFactory(congress=CongressFactory(body=county))
    ours = HandlingUnitFactory(body=prefecture)
    theirs = HandlingUnitFactory(body=county)
    here_deputy = DeputyFactory(delegation__congress=here.congress)
    there_deputy = DeputyFactory(delegation__congress=there.congress)
    client = client_as(StaffFactory(body=[prefecture, county]))

    def ids(path, body):
        response = client.get(f"/api/v1/{path}/?body={body.pk}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("congresses", county) == {there.congress_id}
    assert ids("sessions", prefecture) == {here.pk}
    assert ids("units", prefecture) == {ours.pk}
    assert ids("units", county) == {theirs.pk}
    assert ids("delegations", county) == {there_deputy.delegation_id}
    assert ids("deputies", prefecture) == {here_deputy.pk}


def test_a_new_unit_goes_to_the_only_body_and_keeps_it(bodies):
    """With one body the caller may leave it out; with several, they must choose;
    the body never changes afterwards."""
    prefecture, county = bodies
    clerk_of_county = UnitMemberFactory(unit=HandlingUnitFactory(body=county))
    staff = StaffFactory(body=[prefecture, county])
    client = client_as(staff)
    unit = {"name": "县教育局", "kind": "government"}

    response = client.post("/api/v1/units/", unit, format="json")
    assert response.status_code == 400
    assert "body" in response.json()

    response = client.post("/api/v1/units/", {**unit, "body": county.pk})
    assert response.status_code == 201, response.content
    assert response.json()["body"] == county.pk
    made = response.json()["id"]

    response = client.patch(f"/api/v1/units/{made}/", {"body": prefecture.pk})
    assert response.status_code == 400
    assert HandlingUnit.objects.get(pk=made).body == county
    assert clerk_of_county.unit.body == county


def test_the_same_unit_name_in_two_bodies_but_not_twice_in_one(bodies):
    prefecture, county = bodies
    HandlingUnitFactory(name="教育局", body=prefecture)
    client = client_as(StaffFactory(body=[prefecture, county]))
    response = client.post(
        "/api/v1/units/",
        {"name": "教育局", "kind": "government", "body": county.pk},
    )
    assert response.status_code == 201, response.content
    response = client.post(
        "/api/v1/units/",
        {"name": "教育局", "kind": "government", "body": prefecture.pk},
    )
    assert response.status_code == 400
    assert "name" in response.json()


def test_a_term_exists_once_per_body(bodies):
    """A 16th congress of the county next to the prefecture's, not a second one."""
    prefecture, county = bodies
    CongressFactory(body=prefecture, ordinal=16)
    client = client_as(StaffFactory(body=[prefecture, county]))
    response = client.post("/api/v1/congresses/", {"body": county.pk, "ordinal": 16})
    assert response.status_code == 201, response.content
    assert response.json()["region"] == "玛纳斯县"
    response = client.post(
        "/api/v1/congresses/", {"body": prefecture.pk, "ordinal": 16}
    )
    assert response.status_code == 400
    assert "ordinal" in response.json()
