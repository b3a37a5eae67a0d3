"""The dashboard's pages: who may see them, bad parameters, the figures on the demo
data, a constant number of queries, and that every count links to the suggestion list
whose count equals it."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.test import Client
from django.urls import resolve, reverse

from dashboard import figures, statistics
from suggestions.filters import SuggestionFilter
from suggestions.models import COUNTED_STATUSES, Suggestion
from suggestions.selectors import suggestion_list

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="([^"]+)" data-count="(-?\d+)" data-figure="([^"]+)"')
PAGES = [
    "dashboard:index",
    "dashboard:units",
    "dashboard:review",
    "dashboard:export",
    "dashboard:units-export",
    "dashboard:review-docx",
]


def client_for(username: str | None) -> Client:
    client = Client(headers={"accept-language": "zh-hans"})
    client.user = None
    if username:
        client.user = get_user_model().objects.get(username=username)
        client.force_login(client.user)
    return client


@pytest.fixture(scope="module")
def sessions(demo):
    return demo.sessions


def links(content: bytes) -> list[tuple[str, int, str]]:
    found = [
        (html.unescape(url), int(count), key)
        for url, count, key in LINK.findall(content.decode())
    ]
    assert found, "the page has no figure links"
    return found


def list_count(user, url: str) -> int:
    """What the suggestion list at ``url`` counts: its view's queryset and filters
    (``SuggestionListView.get``), without rendering the page."""
    path, _, query = url.partition("?")
    assert resolve(path).url_name == "list"
    filterset = SuggestionFilter(QueryDict(query), queryset=suggestion_list(user=user))
    assert filterset.is_valid(), (url, filterset.errors)
    return filterset.qs.count()


def assert_links_count(client: Client, content: bytes) -> int:
    """Every figure links to the suggestion list whose count equals it. A few links
    are followed through the list page itself; the others are counted with the list
    view's own queryset and filters (rendering hundreds of pages is slow)."""
    user = client.user
    found = links(content)
    for url, count, key in found:
        assert list_count(user, url) == count, (key, url)
    for url, count, key in found[:: max(1, len(found) // 5)]:
        response = client.get(url)
        assert response.status_code == 200, (key, url)
        assert not response.context["filter_errors"], (key, url)
        assert response.context["page_obj"].paginator.count == count, (key, url)
    return len(found)


@pytest.mark.parametrize("which", ["2023", "current"])
def test_every_dashboard_figure_links_to_its_list(sessions, which):
    client = client_for("staff")
    session = sessions[which]
    response = client.get(reverse("dashboard:index"), {"session": session.pk})
    assert response.status_code == 200
    checked = assert_links_count(client, response.content)
    # Headlines, seven breakdowns and the trend.
    assert checked > 60


def test_every_figure_of_a_date_range_links_to_its_list(sessions):
    client = client_for("leader")
    response = client.get(
        reverse("dashboard:index"),
        {"date_from": "2023-01-01", "date_to": "2023-12-31"},
    )
    assert response.status_code == 200
    assert "submitted_after=2023-01-01" in response.content.decode()
    assert assert_links_count(client, response.content) > 40


@pytest.mark.parametrize("which", ["2023", "current"])
def test_every_league_count_links_to_its_list(sessions, which):
    client = client_for("staff")
    response = client.get(reverse("dashboard:units"), {"session": sessions[which].pk})
    assert response.status_code == 200
    assert assert_links_count(client, response.content) > 100


def test_the_2023_page_shows_the_articles_figures(sessions):
    response = client_for("leader").get(
        reverse("dashboard:index"), {"session": sessions["2023"].pk}
    )
    headlines = {h.key: h for h in response.context["headlines"]}
    assert headlines["suggestions"].value == "295"
    assert headlines["deputies"].value.endswith("/ 352")
    assert headlines["change"].value == "+66"
    assert headlines["completion_rate"].value == "93.2%"
    assert headlines["satisfaction_rate"].value == "100.0%"
    assert headlines["key_supervised"].value == "36"
    tables = {b.key: b for b in response.context["breakdowns"]}
    assert [r.count for r in tables["category"].rows] == [79, 71, 65, 35, 12, 33]
    assert [r.count for r in tables["handler_group"].rows] == [249, 34, 12]
    assert [r.count for r in tables["outcome"].rows][:3] == [275, 1, 19]
    assert [r.count for r in tables["rating"].rows] == [265, 30, 0]
    trend = response.context["trend"]
    assert [r["suggestions"] for r in trend][:2] == [229, 295]
    content = response.content.decode()
    assert 'id="chart-data"' in content and 'id="trend-data"' in content


def test_the_charts_have_short_labels_and_colours_that_mean(sessions):
    response = client_for("leader").get(
        reverse("dashboard:index"), {"session": sessions["2023"].pk}
    )
    trend = response.context["trend_chart"]
    # Sessions by year on the axis; the full names for the tooltip.
    assert trend["labels"][:2] == ["2022年", "2023年"]
    assert trend["names"][1] == str(sessions["2023"])
    charts = response.context["charts"]
    outcome = charts["outcome"]
    assert outcome["labels"][:3] == ["A类 已解决", "B类 正在解决", "C类 解释说明"]
    assert outcome["names"][2] == "C类：因条件限制需以后解决（解释说明）"
    assert outcome["colours"][:3] == ["resolved", "in_progress", "explained"]
    assert charts["rating"]["colours"] == [
        "satisfied",
        "basically_satisfied",
        "dissatisfied",
    ]
    assert charts["rating"]["shares"] == [89.8, 10.2, 0.0]
    delegations = charts["delegation"]
    assert all(not label.endswith("代表团") for label in delegations["labels"])
    assert "木垒县" in delegations["labels"]
    assert "木垒哈萨克自治县代表团" in delegations["names"]
    # The trend's table names each session short, with its year.
    assert "昌吉州十六届人大二次会议" in response.content.decode()


def test_the_default_is_the_current_session(sessions):
    response = client_for("staff").get(reverse("dashboard:index"))
    assert response.context["scope"].session == sessions["current"]


def test_no_inline_script_or_style(sessions):
    """The pages keep to the Content-Security-Policy: scripts from files, data in
    json_script blocks, no style attributes."""
    client = client_for("staff")
    for name in ("dashboard:index", "dashboard:units", "dashboard:review"):
        content = client.get(reverse(name), {"session": sessions["2023"].pk}).content
        text = content.decode()
        assert "style=" not in text
        assert "<style" not in text
        for tag in re.findall(r"<script[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, tag


def test_figures_as_of_and_the_stale_note(sessions, monkeypatch):
    client = client_for("staff")
    url = reverse("dashboard:index")
    response = client.get(url, {"session": sessions["2023"].pk})
    assert 'data-testid="as-of"' in response.content.decode()
    assert 'data-testid="stale"' not in response.content.decode()
    real = statistics.session_statistics

    def stale(session, **kwargs):
        return {
            **real(session, **kwargs),
            "stale": True,
            "as_of": "2026-01-02T03:04:05+08:00",
        }

    monkeypatch.setattr(statistics, "session_statistics", stale)
    response = client.get(url, {"session": sessions["2023"].pk})
    content = response.content.decode()
    assert 'data-testid="stale"' in content
    assert "2026年1月2日 03:04" in content


@pytest.mark.parametrize(
    "sort", [key for key in figures.SORT_KEYS if key != "acknowledged_late"]
)
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_league_sorts_by_every_column(sessions, sort, direction):
    response = client_for("staff").get(
        reverse("dashboard:units"),
        {"session": sessions["2023"].pk, "sort": sort, "dir": direction},
    )
    assert response.status_code == 200
    rows = response.context["rows"]
    if sort == "name":
        values = [r.unit["name"] for r in rows]
    elif sort == "kind":
        values = [r.kind_label for r in rows]
    else:
        values = [r.values[sort] for r in rows if r.values[sort] is not None]
    assert values == sorted(values, reverse=direction == "desc")
    # Every unit that leads a counted suggestion of 2023.
    assert len(rows) == (
        Suggestion.objects.filter(session=sessions["2023"], status__in=COUNTED_STATUSES)
        .values("lead_unit")
        .distinct()
        .count()
    )


def test_league_filters_by_unit_kind(sessions):
    response = client_for("staff").get(
        reverse("dashboard:units"), {"session": sessions["2023"].pk, "kind": "court"}
    )
    rows = response.context["rows"]
    assert [r.unit["kind"] for r in rows] == ["court"]
    assert rows[0].values["assigned"] == 4


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_log_in(sessions, name):
    response = client_for(None).get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("username", ["deputy", "unit"])
def test_deputies_and_units_may_not(sessions, name, username):
    assert client_for(username).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("username", ["staff", "leader"])
def test_staff_and_leaders_may(sessions, name, username):
    response = client_for(username).get(reverse(name), {"session": sessions["2023"].pk})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("dashboard:index", {"session": "abc"}, "选择一个有效的选项"),
        ("dashboard:index", {"session": "999999999"}, "选择一个有效的选项"),
        ("dashboard:index", {"session": "99999999999999999999999"}, ""),
        ("dashboard:index", {"date_from": "2023-01-01"}, ""),
        ("dashboard:index", {"date_from": "2023-02-01", "date_to": "2023-01-01"}, ""),
        ("dashboard:index", {"date_from": "0001-01-01", "date_to": "2023-01-01"}, ""),
        ("dashboard:index", {"date_from": "2023-13-01", "date_to": "2023-01-01"}, ""),
        (
            "dashboard:index",
            {"session": "1", "date_from": "2023-01-01", "date_to": "2023-02-01"},
            "",
        ),
        ("dashboard:units", {"sort": "bogus"}, ""),
        ("dashboard:units", {"dir": "sideways"}, ""),
        ("dashboard:units", {"kind": "church"}, ""),
        ("dashboard:review", {"session": "x"}, ""),
        ("dashboard:export", {"date_from": "2023-01-01"}, ""),
        ("dashboard:units-export", {"sort": "bogus"}, ""),
        ("dashboard:review-docx", {"session": "0"}, ""),
    ],
)
def test_bad_parameters_show_the_form_error(sessions, name, params, message):
    response = client_for("staff").get(reverse(name), params)
    assert response.status_code == 400
    content = response.content.decode()
    assert 'data-testid="form-errors"' in content
    assert message in content


# Queries per page, the same for the 2023 session (295 suggestions) and the current one
# (58), once the engine's snapshots are computed: the session and user, the header's
# unread count, the bodies the user may open (the bodies below theirs, one query a
# level: the demo's counties below the prefecture make two, and the bodies
# themselves), the session picker, the statistics and, on the overview, the trend;
# the review shows staff the session's record of sealing (one more), last year's
# promises (the previous session and its promises' outcomes: two more) and the unit
# assessment's highest and lowest (the formula, the assignments with their plans and
# contacts, the ratings, the reassignments, the rules and the calendar: eight more,
# ``dashboard.assessment.load``).
PAGE_QUERIES = {"dashboard:index": 13, "dashboard:units": 13, "dashboard:review": 25}


@pytest.mark.parametrize("name", PAGE_QUERIES)
@pytest.mark.parametrize("which", ["2023", "current"])
def test_the_pages_take_a_fixed_number_of_queries(
    sessions, django_assert_num_queries, name, which
):
    client = client_for("staff")
    url, params = reverse(name), {"session": sessions[which].pk}
    client.get(url, params)  # the engine may compute and store its snapshots first
    with django_assert_num_queries(PAGE_QUERIES[name]):
        response = client.get(url, params)
    assert response.status_code == 200


def test_navigation_and_workbench_link_to_the_dashboard(sessions):
    url = reverse("dashboard:index")
    for username in ("staff", "leader"):
        content = client_for(username).get(reverse("suggestions:workbench")).content
        assert content.decode().count(f'href="{url}"') >= 2
    for username in ("deputy", "unit"):
        content = client_for(username).get(reverse("suggestions:workbench")).content
        assert f'href="{url}"' not in content.decode()


def test_the_api_list_has_the_same_filters(sessions):
    from tests.api.contract import ContractClient

    client = ContractClient()
    client.force_authenticate(get_user_model().objects.get(username="staff"))
    base = {"session": sessions["2023"].pk, "counted": "true", "page_size": 1}
    for filters, count in (
        ({"handler_group": "government"}, 249),
        ({"unit_kind": "standing_committee_body"}, 12),
        ({"outcome": ["in_progress", "explained"]}, 20),
        ({"rating": "basically_satisfied"}, 30),
        ({"key_supervised": "true"}, 36),
    ):
        response = client.get("/api/v1/suggestions/", {**base, **filters})
        assert response.status_code == 200
        assert response.json()["count"] == count, filters
    bad = client.get("/api/v1/suggestions/", {"unit_kind": "church"})
    assert bad.status_code == 400 and "unit_kind" in bad.json()


@pytest.mark.parametrize(
    "params",
    [
        {"submitted_after": "0001-01-01"},
        {"submitted_before": "9999-12-31"},
        {"submitted_after": "9999-12-31", "submitted_before": "0001-01-01"},
    ],
)
def test_date_bounds_at_the_edge_of_the_calendar(sessions, params):
    response = client_for("staff").get(reverse("suggestions:list"), params)
    assert response.status_code == 200
    assert not response.context["filter_errors"]


def test_no_current_session_and_an_empty_session(sessions):
    from congress.models import Session

    Session.objects.update(is_current=False)
    client = client_for("staff")
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    assert response.context["no_session"]
    empty = Session.objects.create(
        congress=sessions["2023"].congress,
        ordinal=9,
        year=2030,
        opened_on="2030-01-10",
    )
    response = client.get(reverse("dashboard:index"), {"session": empty.pk})
    assert response.status_code == 200
    headlines = {h.key: h for h in response.context["headlines"]}
    assert headlines["suggestions"].value == "0"
    assert headlines["completion_rate"].value == "—"
    assert (
        client.get(reverse("dashboard:units"), {"session": empty.pk}).status_code == 200
    )
    assert (
        client.get(reverse("dashboard:review"), {"session": empty.pk}).status_code
        == 200
    )


def test_the_english_interface(sessions):
    client = client_for("leader")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    content = client.get(
        reverse("dashboard:index"),
        {"session": sessions["2023"].pk},
        headers={"accept-language": "en"},
    ).content.decode()
    assert "Completion rate" in content and "Trend across sessions" in content


def test_acknowledged_late_filter(sessions):
    """The filter agrees with the working-day calendar, assignment by assignment:
    acknowledged after the reassignment window, or not at all with it past."""
    from django.utils import timezone

    from congress.calendar import add_working_days
    from suggestions.models import Assignment

    today = timezone.localdate()
    for session in sessions.values():
        window = session.congress.rules.reassignment_window_working_days
        expected = set()
        for a in Assignment.objects.filter(
            suggestion__session=session,
            suggestion__status__in=COUNTED_STATUSES,
            role="lead",
            round=1,
            active=True,
        ):
            end = add_working_days(timezone.localdate(a.assigned_at), window).date
            acked = a.acknowledged_at and timezone.localdate(a.acknowledged_at)
            if (acked and acked > end) or (not acked and today > end):
                expected.add(a.suggestion_id)
        filterset = SuggestionFilter(
            {"session": session.pk, "counted": "true", "acknowledged_late": "true"},
            queryset=Suggestion.objects.all(),
        )
        assert set(filterset.qs.values_list("pk", flat=True)) == expected
        on_time = SuggestionFilter(
            {"session": session.pk, "counted": "true", "acknowledged_late": "false"},
            queryset=Suggestion.objects.all(),
        )
        assert (
            on_time.qs.count() + len(expected)
            == Suggestion.objects.filter(
                session=session, status__in=COUNTED_STATUSES
            ).count()
        )


SHARE_TABLE = re.compile(
    r'<table[^>]*data-testid="table-(\w+)"[^>]*>.*?<tbody>(.*?)</tbody>', re.S
)
SHARE_CELL = re.compile(r'<td class="text-end text-nowrap">([\d.]+)%</td>')


@pytest.mark.parametrize("which", ["2022", "2023", "current"])
def test_every_breakdowns_shares_add_up_to_100(sessions, which):
    response = client_for("leader").get(
        reverse("dashboard:index"), {"session": sessions[which].pk}
    )
    content = response.content.decode()
    shown = {
        key: SHARE_CELL.findall(body) for key, body in SHARE_TABLE.findall(content)
    }
    breakdowns = {b.key: b for b in response.context["breakdowns"]}
    assert set(breakdowns) <= set(shown)
    for key, breakdown in breakdowns.items():
        if not sum(r.count for r in breakdown.rows):
            continue
        # Each row shows one decimal ("0.0%" too), and the column adds up to 100.
        assert len(shown[key]) == len(breakdown.rows), key
        assert all(re.fullmatch(r"\d+\.\d", s) for s in shown[key]), shown[key]
        assert sum(float(s) for s in shown[key]) == pytest.approx(100, abs=0.1), key


def test_ratings_divide_by_the_rated_and_outcomes_by_the_replied(sessions):
    session = sessions["2023"]
    stats = statistics.session_statistics(session)
    page = client_for("leader").get(reverse("dashboard:index"), {"session": session.pk})
    tables = {b.key: b for b in page.context["breakdowns"]}
    rated, replied = stats["evaluated"], sum(stats["outcomes"].values())
    assert [r.share for r in tables["rating"].rows] == [
        round(100 * r.count / rated, 1) for r in tables["rating"].rows
    ]
    assert tables["rating"].rows[0].share == 89.8  # 265 of 295 rated
    assert [r.share for r in tables["outcome"].rows][:3] == [93.2, 0.3, 6.5]
    assert replied == 295
    api = client_for("leader").get("/api/v1/dashboard/", {"session": session.pk})
    body = api.json()
    assert body["rating_shares"]["satisfied"] == 89.8
    assert sum(body["outcome_shares"].values()) == pytest.approx(100, abs=0.1)
    for key in ("by_category", "by_handler_group", "by_unit_kind", "by_unit"):
        assert sum(r["share"] for r in body[key]) == pytest.approx(100, abs=0.1)
