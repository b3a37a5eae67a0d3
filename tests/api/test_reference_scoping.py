"""The reference API per congress body (issue 15): every list and detail shows only
the rows of the caller's bodies (another body's id is 404), and a row is written
only by the staff of its body (403 for a row the caller sees but may not change)."""

import pytest

from accounts.models import BodyRole, Membership
from congress.models import CongressLevel, HandlingUnit
from suggestions.models import Category

from ..factories import (
    CategoryFactory,
    CongressBodyFactory,
    CongressFactory,
    DelegationFactory,
    DeputyFactory,
    HandlingUnitFactory,
    LeaderFactory,
    SessionFactory,
    StaffFactory,
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


def rows_of(body) -> dict[str, int]:
    """One row of each reference resource in ``body``: path → id."""
    session = SessionFactory(congress=CongressFactory(body=body))
    delegation = DelegationFactory(congress=session.congress)
    deputy = DeputyFactory(delegation=delegation)
    return {
        "congresses": session.congress_id,
        "sessions": session.pk,
        "delegations": delegation.pk,
        "deputies": deputy.pk,
        "units": HandlingUnitFactory(body=body).pk,
        "categories": CategoryFactory(body=body).pk,
    }


def listed(client, path: str, **params) -> set[int]:
    response = client.get(f"/api/v1/{path}/", {"page_size": 100, **params})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    "path",
    ["congresses", "sessions", "delegations", "deputies", "units", "categories"],
)
def test_the_county_staff_see_only_the_county_rows(bodies, path):
    """A county's staff list and open the county's rows; the prefecture's are not
    found, to read, change or delete."""
    prefecture, county = bodies
    theirs, ours = rows_of(prefecture), rows_of(county)
    client = client_as(StaffFactory(body=county))

    assert listed(client, path) == {ours[path]}
    assert client.get(f"/api/v1/{path}/{ours[path]}/").status_code == 200
    other = f"/api/v1/{path}/{theirs[path]}/"
    assert client.get(other).status_code == 404
    assert client.patch(other, {}, format="json").status_code == 404
    assert client.delete(other).status_code == 404


@pytest.mark.parametrize(
    "path",
    ["congresses", "sessions", "delegations", "deputies", "units", "categories"],
)
def test_the_superuser_sees_every_bodys_rows(bodies, path):
    prefecture, county = bodies
    theirs, ours = rows_of(prefecture), rows_of(county)
    client = client_as(UserFactory(is_superuser=True))
    assert listed(client, path) == {theirs[path], ours[path]}
    assert listed(client, path, body=county.pk) == {ours[path]}


@pytest.mark.parametrize(
    "path",
    ["congresses", "sessions", "delegations", "deputies", "units", "categories"],
)
def test_a_leader_reads_the_bodys_rows_but_may_not_change_them(bodies, path):
    """A leader of the county (and staff of the prefecture) sees the county's rows;
    changing or deleting one is refused (403), not hidden."""
    prefecture, county = bodies
    ours = rows_of(county)
    user = LeaderFactory(body=county)
    Membership.objects.create(user=user, body=prefecture, role=BodyRole.STAFF)
    client = client_as(user)
    row = f"/api/v1/{path}/{ours[path]}/"
    assert client.get(row).status_code == 200
    assert client.patch(row, {}, format="json").status_code == 403
    assert client.delete(row).status_code == 403


def test_a_deputy_of_a_body_is_not_its_staff(bodies):
    """Staff of the prefecture who is also a county deputy: a new unit goes to the
    prefecture without asking (their only staff body); the county is not theirs to
    choose."""
    prefecture, county = bodies
    user = deputy_user(delegation__congress=CongressFactory(body=county))
    Membership.objects.create(user=user, body=prefecture, role=BodyRole.STAFF)
    client = client_as(user)
    unit = {"name": "州教育局", "kind": "government"}

    response = client.post("/api/v1/units/", unit, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["body"] == prefecture.pk

    response = client.post(
        "/api/v1/units/", {**unit, "name": "县教育局", "body": county.pk}
    )
    assert response.status_code == 400
    assert "body" in response.json()
    assert not HandlingUnit.objects.filter(name="县教育局").exists()


def test_a_session_or_delegation_goes_only_under_a_congress_of_ones_staff_body(
    bodies,
):
    prefecture, county = bodies
    theirs = CongressFactory(body=prefecture)
    ours = CongressFactory(body=county)
    client = client_as(StaffFactory(body=county))
    session = {"ordinal": 1, "year": 2026, "opened_on": "2026-01-10"}

    response = client.post("/api/v1/sessions/", {**session, "congress": theirs.pk})
    assert response.status_code == 400
    assert "congress" in response.json()
    response = client.post("/api/v1/sessions/", {**session, "congress": ours.pk})
    assert response.status_code == 201, response.content

    response = client.post(
        "/api/v1/delegations/", {"name": "乐土驿镇", "congress": theirs.pk}
    )
    assert response.status_code == 400


def test_categories_are_kept_per_body(bodies):
    """The same name in two bodies, not twice in one; the body is required when
    the caller is staff of both, and it never changes."""
    prefecture, county = bodies
    CategoryFactory(body=prefecture, name="教育")
    client = client_as(StaffFactory(body=[prefecture, county]))

    response = client.post("/api/v1/categories/", {"name": "教育"})
    assert response.status_code == 400
    assert "body" in response.json()
    response = client.post("/api/v1/categories/", {"name": "教育", "body": county.pk})
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["body"], made["name"]) == (county.pk, "教育")
    response = client.post(
        "/api/v1/categories/", {"name": "教育", "body": prefecture.pk}
    )
    assert response.status_code == 400
    assert "name" in response.json()

    response = client.patch(
        f"/api/v1/categories/{made['id']}/", {"body": prefecture.pk}, format="json"
    )
    assert response.status_code == 400
    assert Category.objects.get(pk=made["id"]).body == county
    assert listed(client, "categories", body=county.pk) == {made["id"]}
