"""The dashboard in the browser: the vendored charts draw the figures of the tables next
to them, a figure or a bar leads to the list it counts (whose count is the figure),
the league table sorts, the annual review downloads — all with no policy violation,
console error or request to another host."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from ..factories import LeaderFactory, SuggestionFactory
from .conftest import expect
from .test_security_headers import COLLECT

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Each chart's instance and the sum of its series' values (pies hide empty slices).
CHARTS = """
() => Array.from(document.querySelectorAll("[data-chart]")).map((el) => {
  const chart = window.echarts.getInstanceByDom(el);
  if (!chart) { return {source: el.dataset.source, drawn: false}; }
  const series = chart.getOption().series;
  const sum = series[0].data.reduce(
    (total, d) => total + (typeof d === "number" ? d : d.value || 0), 0);
  return {source: el.dataset.source, drawn: !!el.querySelector("canvas"), sum: sum};
})
"""

# Where to click the largest bar of a chart, in the viewport's pixels. Bars lie down
# with the largest on top (the series' last item): just right of its foot, which
# the bar covers from the first frame of its growing animation on.
FIRST_BAR = """
(source) => {
  const el = document.querySelector(`[data-source="${source}"]`);
  const chart = window.echarts.getInstanceByDom(el);
  const data = chart.getOption().series[0].data;
  const top = data.length - 1;
  const [foot, y] = chart.convertToPixel({seriesIndex: 0}, [0, top]);
  const box = el.getBoundingClientRect();
  return {x: box.left + foot + 4, y: box.top + y,
          value: data[top].value, name: data[top].name};
}
"""


@pytest.fixture
def year_of_work(cast):
    """Suggestions of the current session in several states, at three units and in
    two categories, one of them overdue; one in the previous session."""
    past = timezone.now() - dt.timedelta(days=200)
    common = {"session": cast.session, "base_time": past}
    for _ in range(3):
        SuggestionFactory(
            closed=True, lead_unit=cast.lead_unit, category=cast.category, **common
        )
    SuggestionFactory(
        closed=True,
        rating="basically_satisfied",
        lead_unit=cast.co_unit,
        category=cast.category,
        **common,
    )
    SuggestionFactory(replied=True, lead_unit=cast.co_unit, **common)
    SuggestionFactory(assigned=True, lead_unit=cast.other_unit, **common)  # overdue
    previous = cast.session.congress.sessions.get(ordinal=1)
    SuggestionFactory(closed=True, session=previous, base_time=past)
    return cast


def _list_count(person) -> str:
    return person.page.get_by_test_id("list-count").inner_text()


def test_the_charts_draw_the_figures_and_lead_to_the_lists(stage, year_of_work):
    staff = stage.signed_in("staff", year_of_work.staff)
    staff.context.add_init_script(COLLECT)
    staff.goto("/dashboard/")
    headline = staff.page.get_by_test_id("headline-suggestions").locator("a")
    expect(headline).to_have_attribute("data-count", "6")

    # Every chart is drawn, and shows what its table counts.
    staff.page.wait_for_load_state("networkidle")
    charts = staff.page.evaluate(CHARTS)
    assert len(charts) >= 6
    assert all(c["drawn"] for c in charts), charts
    for chart in charts:
        key = chart["source"].removeprefix("chart-")
        if key == "trend":
            continue
        table = staff.page.get_by_test_id(f"table-{key}")
        counts = table.locator("a[data-count]").evaluate_all(
            "(links) => links.map((a) => Number(a.dataset.count))"
        )
        assert chart["sum"] == sum(counts), (key, chart, counts)
    by_source = {c["source"]: c["sum"] for c in charts}
    assert by_source["chart-category"] == 6
    assert staff.page.evaluate("window.__csp") == []

    # The headline figure opens the list it counts.
    staff.submit(headline)
    assert _list_count(staff) == "6 suggestions"

    # So does a bar of the chart: a click on the category chart's largest bar.
    staff.goto("/dashboard/")
    staff.page.wait_for_load_state("networkidle")
    staff.page.locator("[data-source=chart-category]").scroll_into_view_if_needed()
    bar = staff.page.evaluate(FIRST_BAR, "chart-category")
    assert (bar["name"], bar["value"]) == ("城乡建设", 4)  # the four closed ones
    with staff.page.expect_navigation():
        staff.page.mouse.click(bar["x"], bar["y"])
    assert staff.url_path == "/suggestions/"
    assert _list_count(staff) == "4 suggestions"
    stage.assert_clean()


def test_the_league_table_sorts_and_the_review_downloads(stage, year_of_work):
    cast = year_of_work
    leader = stage.signed_in("leader", LeaderFactory(), accept_downloads=True)
    leader.context.add_init_script(COLLECT)
    leader.goto("/dashboard/units/")
    table = leader.page.get_by_test_id("league-table")
    # By assignments, most first: the lead unit's 3, the co-unit's 2, the other's 1.
    expect(table.locator("tbody tr").first).to_have_attribute(
        "data-unit", str(cast.lead_unit.pk)
    )
    leader.submit(table.locator("[data-sort=assigned]"))
    expect(table.locator("tbody tr").first).to_have_attribute(
        "data-unit", str(cast.other_unit.pk)
    )
    expect(table.locator("th[aria-sort=ascending] [data-sort=assigned]")).to_have_count(
        1
    )
    assert leader.page.evaluate("window.__csp") == []

    leader.goto("/dashboard/review/")
    expect(leader.page.get_by_test_id("review-paragraph").first).to_contain_text("6")
    assert leader.page.evaluate("window.__csp") == []
    link = leader.page.get_by_test_id("review-docx")
    stage.downloads.add(stage.base_url + link.get_attribute("href"))
    with leader.page.expect_download() as download:
        link.click()
    # Named by what it is and which session (RFC 6266 filename*; the browser
    # speaks English here, Chinese names are checked in tests/dashboard).
    assert re.fullmatch(
        r".+ congress, 2nd session_Review of the handling of suggestions\.docx",
        download.value.suggested_filename,
    ), download.value.suggested_filename
    with open(download.value.path(), "rb") as document:
        assert document.read(2) == b"PK"  # a Word document is a zip archive
    stage.assert_clean()
