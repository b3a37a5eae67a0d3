"""The dashboard of one congress body (issue 15): a prefecture's body and two
counties below it, each with its sessions and suggestions. Each body's staff see
their own body's figures only; the prefecture's staff read the counties' dashboards
without their lists or sealing, and roll them up; the roll-up's rows are the
counties' own dashboards and its total their sum."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congress.models import HandlingUnit, Session
from dashboard import engine, rollup, statistics
from dashboard.statistics import rate
from suggestions.models import COUNTED_STATUSES, Suggestion

from ..api.conftest import client_as
from ..factories import (
    CongressBodyFactory,
    CongressFactory,
    HandlingUnitFactory,
    LeaderFactory,
    SessionFactory,
    StaffFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db

# The figures a roll-up row repeats from the body's own dashboard.
COMPARED = (
    "suggestions",
    "completion_rate",
    "satisfaction_rate",
    "on_time_rate",
    "overdue",
    "key_supervised",
    "evaluated",
    "first_replies",
    "on_time",
    "deputies_with_suggestions",
)
SUMMED = (
    "suggestions",
    "resolved",
    "evaluated",
    "satisfied",
    "first_replies",
    "on_time",
    "overdue",
    "key_supervised",
)


def _body_with_sessions(body, plan: dict[int, list[dict]]) -> dict[int, Session]:
    """A congress of ``body`` with a session per year of ``plan`` (the last one
    current), each with the suggestions its list describes (factory traits)."""
    congress = CongressFactory(body=body)
    unit = HandlingUnitFactory(body=body)
    sessions = {}
    years = sorted(plan)
    for ordinal, year in enumerate(years, start=1):
        session = SessionFactory(
            congress=congress,
            ordinal=ordinal,
            year=year,
            is_current=year == years[-1],
        )
        for fields in plan[year]:
            SuggestionFactory(session=session, lead_unit=unit, **fields)
        sessions[year] = session
    return sessions


@pytest.fixture
def land(db):
    """The prefecture (the factories' shared body), 昌吉市 and 阜康市 below it; a
    session in 2022 and 2023 each, with different mixes of suggestions."""
    prefecture = CongressBodyFactory()
    county = CongressBodyFactory(region="昌吉市", level="county", parent=prefecture)
    other = CongressBodyFactory(region="阜康市", level="county", parent=prefecture)
    closed = {"closed": True}
    sessions = {
        prefecture.pk: _body_with_sessions(
            prefecture,
            {
                2022: [closed],
                2023: [closed, closed, {"replied": True}, {"assigned": True}],
            },
        ),
        county.pk: _body_with_sessions(
            county,
            {
                2022: [closed, closed],
                2023: [
                    closed,
                    {"closed": True, "outcome": "explained", "rating": "dissatisfied"},
                    {"replied": True, "key_supervised": True},
                ],
            },
        ),
        other.pk: _body_with_sessions(
            other,
            {
                2022: [],
                2023: [
                    closed,
                    {"closed": True, "rating": "basically_satisfied"},
                    {"assigned": True},
                    {"submitted": True},
                    {"rehandling": True},
                ],
            },
        ),
    }
    return {
        "prefecture": prefecture,
        "county": county,
        "other": other,
        "sessions": sessions,
        "prefecture_staff": StaffFactory(body=prefecture),
        "county_staff": StaffFactory(body=county),
    }


def _page(user) -> Client:
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(user)
    return client


def _session(land, body, year=2023) -> Session:
    return land["sessions"][body.pk][year]


# --- (a) the roll-up ------------------------------------------------------------------


def test_rollup_equals_the_sum_of_the_county_dashboards(land):
    """Each child row is that county's own dashboard (as its staff read it through
    the API); the total is their sum, its rates made again from the sums; the
    parent's own figures are its dashboard's and not in the total."""
    response = client_as(land["prefecture_staff"]).get(
        "/api/v1/dashboard/rollup/", {"year": 2023}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["body"]["id"] == land["prefecture"].pk
    assert data["year"] == 2023
    children = {row["body"]["id"]: row for row in data["children"]}
    assert list(children) == [land["county"].pk, land["other"].pk]
    for county in (land["county"], land["other"]):
        session = _session(land, county)
        own = client_as(StaffFactory(body=county)).get(
            "/api/v1/dashboard/", {"session": session.pk}
        )
        assert own.status_code == 200
        figures = own.json()
        row = children[county.pk]
        assert row["session"]["id"] == session.pk
        for key in COMPARED:
            assert row[key] == figures[key], (county.name, key)
        assert (
            row["suggestions"]
            == Suggestion.objects.filter(
                session=session, status__in=COUNTED_STATUSES
            ).count()
        )
        assert [t["year"] for t in row["trend"]] == [2022, 2023]
    assert children[land["county"].pk]["suggestions"] == 3
    assert children[land["other"].pk]["suggestions"] == 4

    total = data["total"]
    assert total["bodies"] == 2 and total["sessions"] == 2
    for key in SUMMED:
        assert total[key] == sum(row[key] for row in data["children"]), key
    assert total["suggestions"] == 7
    assert total["completion_rate"] == rate(total["resolved"], total["suggestions"])
    assert total["satisfaction_rate"] == rate(total["satisfied"], total["evaluated"])
    assert total["on_time_rate"] == rate(total["on_time"], total["first_replies"])

    mine = client_as(land["prefecture_staff"]).get(
        "/api/v1/dashboard/",
        {"session": _session(land, land["prefecture"]).pk},
    )
    for key in COMPARED:
        assert data["own"][key] == mine.json()[key], key
    assert data["own"]["suggestions"] == 4


def test_the_rollup_page_shows_each_county_and_the_total(land):
    """The page has a row per county linking to its dashboard, and the total."""
    response = _page(land["prefecture_staff"]).get(reverse("dashboard:rollup"))
    assert response.status_code == 200
    assert response.context["rollup"].year == 2023  # the current session's year
    content = response.content.decode()
    for county in (land["county"], land["other"]):
        session = _session(land, county)
        url = f"{reverse('dashboard:index')}?body={county.pk}&amp;session={session.pk}"
        assert f'href="{url}"' in content
    total = re.search(r'data-testid="rollup-total">(.*?)</tr>', content, re.S)
    assert '<td class="text-end cell-nowrap" data-key="suggestions">7</td>' in (
        total.group(1)
    )
    assert "<polyline" in content  # each county's trend, drawn on the server


def test_a_county_without_a_session_that_year_is_a_row_of_zeros(land):
    third = CongressBodyFactory(
        region="呼图壁县", level="county", parent=land["prefecture"]
    )
    data = (
        client_as(land["prefecture_staff"])
        .get("/api/v1/dashboard/rollup/", {"year": 2023})
        .json()
    )
    row = data["children"][-1]
    assert row["body"]["id"] == third.pk
    assert row["session"] is None
    assert row["suggestions"] == 0 and row["completion_rate"] is None
    assert data["total"]["bodies"] == 3 and data["total"]["sessions"] == 2
    assert data["total"]["suggestions"] == 7
    page = _page(land["prefecture_staff"]).get(reverse("dashboard:rollup"))
    assert 'data-testid="no-session"' in page.content.decode()


def _rollup_queries(user) -> int:
    client = client_as(user)
    client.get("/api/v1/dashboard/rollup/", {"year": 2023})  # snapshots computed
    with CaptureQueriesContext(connection) as queries:
        assert (
            client.get("/api/v1/dashboard/rollup/", {"year": 2023}).status_code == 200
        )
    return len(queries)


def test_the_rollups_queries_grow_by_a_constant_per_county(
    land, django_assert_max_num_queries
):
    """Each county costs its dashboard's reads (the snapshot and the live overdue
    count) and its trend's, whatever its number of suggestions: at most 3."""
    user = land["prefecture_staff"]
    with_two = _rollup_queries(user)
    closed = {"closed": True}
    for region in ("呼图壁县", "玛纳斯县", "奇台县"):
        county = CongressBodyFactory(
            region=region, level="county", parent=land["prefecture"]
        )
        _body_with_sessions(county, {2022: [closed], 2023: [closed] * 4})
    with_five = _rollup_queries(user)
    assert with_five - with_two <= 3 * 3
    with django_assert_max_num_queries(with_two + 3 * 3):
        client_as(user).get("/api/v1/dashboard/rollup/", {"year": 2023})


# --- (b) a county sees its own dashboard only -----------------------------------------

PAGES = ("dashboard:index", "dashboard:units", "dashboard:review")
DOWNLOADS = ("dashboard:export", "dashboard:units-export", "dashboard:review-docx")
API = (
    "/api/v1/dashboard/",
    "/api/v1/dashboard/trend/",
    "/api/v1/dashboard/export.xlsx",
    "/api/v1/dashboard/review.docx",
)


@pytest.mark.parametrize("whose", ["prefecture", "other"])
def test_county_staff_cannot_open_another_bodys_dashboard(land, whose):
    """By body and by session id, on every page, download and endpoint: 404."""
    body = land[whose]
    session = _session(land, body)
    client = _page(land["county_staff"])
    api = client_as(land["county_staff"])
    for params in ({"body": body.pk}, {"session": session.pk}):
        for name in PAGES + DOWNLOADS:
            assert client.get(reverse(name), params).status_code == 404, (name, params)
        for url in API:
            assert api.get(url, params).status_code == 404, (url, params)
    assert client.get(reverse("dashboard:rollup")).status_code == 404
    assert api.get("/api/v1/dashboard/rollup/").status_code == 404
    assert api.get("/api/v1/dashboard/rollup/", {"body": body.pk}).status_code == 404


def test_county_staff_see_their_own_body_by_default(land):
    county = land["county"]
    response = _page(land["county_staff"]).get(reverse("dashboard:index"))
    assert response.status_code == 200
    scope = response.context["scope"]
    assert scope.body == county and scope.session == _session(land, county)
    assert not scope.read_only
    # The session picker offers the county's sessions only; no roll-up tab.
    offered = {value for value, _label in response.context["session_choices"]}
    assert offered == {"", *(s.pk for s in land["sessions"][county.pk].values())}
    assert 'data-testid="rollup-tab"' not in response.content.decode()
    assert 'data-testid="read-only"' not in response.content.decode()


# --- (c) the prefecture reads a county's dashboard ------------------------------------


def test_prefecture_staff_read_a_county_dashboard_without_lists_or_sealing(land):
    county = land["county"]
    earlier = _session(land, county, 2022)
    client = _page(land["prefecture_staff"])
    list_url = reverse("suggestions:list")
    for name in PAGES:
        response = client.get(reverse(name), {"body": county.pk})
        assert response.status_code == 200, name
        content = response.content.decode()
        assert response.context["scope"].read_only
        assert 'data-testid="read-only"' in content
        # No figure opens a suggestion list (they would show none of the county's).
        assert f'href="{list_url}?' not in content, name
        assert "data-count=" not in content, name
    index = client.get(reverse("dashboard:index"), {"body": county.pk})
    assert index.context["stats"]["suggestions"] == 3
    assert index.context["trend"] and all(
        r["list_url"] is None for r in index.context["trend"]
    )
    for name in DOWNLOADS:
        assert client.get(reverse(name), {"body": county.pk}).status_code == 200
    review = client.get(reverse("dashboard:review"), {"session": earlier.pk})
    assert 'data-testid="sealing"' not in review.content.decode()
    seal = client.post(
        reverse("dashboard:session-seal", args=[earlier.pk]),
        {"confirm": "on", "reason": ""},
    )
    assert seal.status_code == 404
    earlier.refresh_from_db()
    assert earlier.sealed_at is None
    # The county's own staff may.
    own = _page(land["county_staff"])
    review = own.get(reverse("dashboard:review"), {"session": earlier.pk})
    assert 'data-testid="seal-form"' in review.content.decode()
    own.post(
        reverse("dashboard:session-seal", args=[earlier.pk]),
        {"confirm": "on", "reason": ""},
    )
    earlier.refresh_from_db()
    assert earlier.sealed_at is not None


def test_the_sealing_api_is_for_the_sessions_body_too(land):
    earlier = _session(land, land["county"], 2022)
    api = client_as(land["prefecture_staff"])
    assert api.post(f"/api/v1/sessions/{earlier.pk}/seal/").status_code == 404
    earlier.refresh_from_db()
    assert earlier.sealed_at is None


def test_prefecture_staff_keep_their_links_and_see_the_rollup_tab(land):
    """Their own body's figures still open the lists; the tabs offer the roll-up."""
    response = _page(land["prefecture_staff"]).get(reverse("dashboard:index"))
    content = response.content.decode()
    assert response.context["scope"].body == land["prefecture"]
    assert f'href="{reverse("suggestions:list")}?' in content
    assert 'data-testid="rollup-tab"' in content
    # Leaders too, read-only in the same way.
    leader = _page(LeaderFactory(body=land["prefecture"]))
    assert leader.get(reverse("dashboard:rollup")).status_code == 200
    county = leader.get(reverse("dashboard:index"), {"body": land["county"].pk})
    assert county.status_code == 200 and county.context["scope"].read_only


def test_a_user_of_two_bodies_chooses_the_body(land):
    """The body picker lists their bodies; the sessions offered are the chosen
    body's; a session of the other body with this body is a 404."""
    user = StaffFactory(body=[land["county"], land["other"]])
    client = _page(user)
    first = client.get(reverse("dashboard:index"))
    assert first.context["scope"].body == land["county"]
    assert 'data-testid="body-form"' in first.content.decode()
    second = client.get(reverse("dashboard:index"), {"body": land["other"].pk})
    assert second.context["scope"].session == _session(land, land["other"])
    offered = {v for v, _label in second.context["session_choices"] if v}
    assert offered == {s.pk for s in land["sessions"][land["other"].pk].values()}
    mixed = {"body": land["other"].pk, "session": _session(land, land["county"]).pk}
    assert client.get(reverse("dashboard:index"), mixed).status_code == 404


# --- (d) a body's figures are its own -------------------------------------------------


def test_a_bodys_figures_exclude_other_bodies_suggestions(land):
    prefecture = land["prefecture"]
    session = _session(land, prefecture)
    api = client_as(land["prefecture_staff"])
    before = api.get("/api/v1/dashboard/", {"session": session.pk}).json()
    SuggestionFactory(session=_session(land, land["county"]), closed=True)
    after = api.get("/api/v1/dashboard/", {"session": session.pk}).json()
    assert after["suggestions"] == before["suggestions"] == 4
    # A date range counts the body's suggestions submitted in it, not the county's.
    today = timezone.localdate()
    period = {
        "date_from": (today - dt.timedelta(days=400)).isoformat(),
        "date_to": (today + dt.timedelta(days=1)).isoformat(),
    }
    figures = api.get("/api/v1/dashboard/", period).json()
    assert figures["suggestions"] == 5  # 2022's one and 2023's four
    county = api.get("/api/v1/dashboard/", {**period, "body": land["county"].pk})
    assert county.json()["suggestions"] == 6
    # The trend runs over the body's own sessions.
    trend = api.get("/api/v1/dashboard/trend/").json()
    assert [r["session"]["id"] for r in trend] == [
        s.pk for s in land["sessions"][prefecture.pk].values()
    ]
    # The league table's units are the body's.
    units = HandlingUnit.objects.filter(
        pk__in=[u["unit"]["id"] for u in after["units"]]
    )
    assert set(units.values_list("body_id", flat=True)) == {prefecture.pk}


def test_a_period_of_one_body_gives_the_same_figures_on_both_paths(land):
    today = timezone.localdate()
    scope = engine.Scope.of_period(
        today - dt.timedelta(days=400),
        today + dt.timedelta(days=1),
        body_id=land["county"].pk,
    )
    portable = engine.count(scope, grouping_sets=False)
    assert portable.totals["suggestions"] == 5
    if connection.vendor == "postgresql":
        assert engine.count(scope, grouping_sets=True) == portable
    statistics.refresh_all()
    assert rollup.rollup(land["prefecture"], 2023).total["suggestions"] == 7


# --- (e) the parameters ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"body": "abc"}, 400),
        ({"body": "0"}, 400),
        ({"body": "99999999999999999999"}, 400),
        ({"body": "99999999"}, 404),  # no such body
        ({"session": "99999999"}, 400),  # no such session (the API's convention)
        ({"session": "x"}, 400),
    ],
)
def test_the_apis_body_and_session_parameters(land, params, status):
    response = client_as(land["prefecture_staff"]).get("/api/v1/dashboard/", params)
    assert response.status_code == status, response.content


def test_a_body_and_a_session_must_agree(land):
    api = client_as(land["prefecture_staff"])
    county, other = land["county"], land["other"]
    ok = api.get("/api/v1/dashboard/", {"body": county.pk})
    assert ok.status_code == 200
    assert ok.json()["session"] == _session(land, county).pk
    mixed = {"body": county.pk, "session": _session(land, other).pk}
    assert api.get("/api/v1/dashboard/", mixed).status_code == 404


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"year": "abc"}, 400),
        ({"year": "1800"}, 400),
        ({"body": "abc"}, 400),
        ({"body": "99999999"}, 404),
        ({"year": "2022"}, 200),
        ({"year": "2030"}, 200),
    ],
)
def test_the_rollups_parameters(land, params, status):
    response = client_as(land["prefecture_staff"]).get(
        "/api/v1/dashboard/rollup/", params
    )
    assert response.status_code == status, response.content


def test_the_rollup_is_for_the_parents_staff_only(land):
    """A county body is read-only for the prefecture's staff: no roll-up of it."""
    api = client_as(land["prefecture_staff"])
    county = {"body": land["county"].pk}
    assert api.get("/api/v1/dashboard/rollup/", county).status_code == 404
    page = _page(land["prefecture_staff"])
    assert page.get(reverse("dashboard:rollup"), county).status_code == 404
    assert page.get(reverse("dashboard:rollup"), {"year": "x"}).status_code == 400
    empty = api.get("/api/v1/dashboard/rollup/", {"year": 2030}).json()
    assert [r["session"] for r in empty["children"]] == [None, None]
    assert empty["total"]["suggestions"] == 0
    assert empty["total"]["completion_rate"] is None
