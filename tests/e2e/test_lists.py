"""The staff's lists in the browser, in Chinese as the office reads them: the filter
panel of 全部建议 (a few filters at once, the rest behind 更多筛选) and its status tabs
whose counts are the rows they open, the deputy filter's search picker worked by
keyboard, the co-unit picker on the 交办 page, and bulk filing from the review queue.

tests/web/test_lists.py checks the same pages' HTML and queries; here the browser
shows what a user sees. The co-unit picker's plain path (type the full name, Enter)
is walked in test_suggestion_life.py; here it narrows a partial name, takes a chip
back and the detail page names what was sent."""

import datetime as dt

import pytest
from django.utils import timezone

from congress.models import Session
from suggestions.models import Assignment, Event, Status, Suggestion

from ..factories import SuggestionFactory
from .conftest import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHINESE = {"locale": "zh-CN"}

# The visible form controls inside an element (the picker's hidden select and the
# hidden inputs do not count; the search box that stands in for it does).
VISIBLE_CONTROLS = """root => Array.from(
    root.querySelectorAll("input:not([type=hidden]), select, textarea")
).filter(el => el.checkVisibility()).map(el => el.name || el.id)"""


def visible_controls(locator) -> list[str]:
    return locator.evaluate(VISIBLE_CONTROLS)


def rows(person):
    """The list's rows (a suggestion each)."""
    return person.page.locator(
        "[data-testid=suggestion-table] tbody tr:not(:has(td[colspan]))"
    )


def row_titles(person) -> set[str]:
    table = person.page.get_by_test_id("suggestion-table")
    return set(table.locator("tbody td a").all_inner_texts())


def suggestion(cast, **traits) -> Suggestion:
    traits.setdefault("lead_deputy", cast.deputy.deputy_profile)
    traits.setdefault("session", cast.session)
    return SuggestionFactory(**traits)


# --- 全部建议: the filter panel and the status tabs --------------------------------


def test_the_filter_panel_opens_short_and_the_tabs_count_their_rows(stage, cast):
    suggestion(cast, submitted=True, title="关于增设社区养老服务站的建议")
    suggestion(cast, submitted=True, title="关于改善农村道路照明的建议")
    suggestion(cast, assigned=True, lead_unit=cast.lead_unit, title="关于公交的建议")
    suggestion(cast, closed=True, lead_unit=cast.co_unit, title="关于校园安全的建议")
    # Last session's: not on the list, which opens on the current session.
    previous = Session.objects.exclude(pk=cast.session.pk).get()
    suggestion(cast, submitted=True, session=previous, title="关于往届的建议")

    staff = stage.signed_in("staff", cast.staff, **CHINESE)
    staff.goto("/suggestions/")
    page = staff.page
    form = page.get_by_test_id("filter-form")
    more = page.get_by_test_id("more-filters")
    # Collapsed: a handful of filters, none of those behind 更多筛选.
    shown = visible_controls(form)
    assert 0 < len(shown) <= 6, shown
    assert more.evaluate("el => el.open") is False
    hidden_fields = more.locator("[data-filter]")
    assert hidden_fields.count() >= 5
    for field in hidden_fields.all():
        expect(field).to_be_hidden()

    # The tabs: 全部 and each status there is, each count the rows it opens.
    tabs = page.get_by_test_id("status-tabs").locator("[data-tab]")
    expect(tabs.first).to_contain_text("全部")
    expected = {"all": 4, "submitted": 2, "assigned": 1, "closed": 1}
    assert tabs.evaluate_all("ts => ts.map(t => t.dataset.tab)") == list(expected)
    assert len(rows(staff).all()) == 4
    for key, count in expected.items():
        tab = page.locator(f"[data-testid=status-tabs] [data-tab={key}]")
        expect(tab.get_by_test_id("tab-count")).to_have_text(str(count))
        staff.submit(tab)
        active = page.locator("[data-testid=status-tabs] [aria-current=page]")
        expect(active).to_have_attribute("data-tab", key)
        expect(rows(staff)).to_have_count(count)
        expect(page.get_by_test_id("list-count")).to_contain_text(str(count))
        # The tab keeps its count while it is open.
        expect(tab.get_by_test_id("tab-count")).to_have_text(str(count))
    assert "关于往届的建议" not in row_titles(staff)

    # 更多筛选 shows the rest; one of them narrows the list and keeps them open.
    more.locator("summary").click()
    expect(more.locator("summary")).to_have_text("更多筛选")
    for field in hidden_fields.all():
        expect(field).to_be_visible()
    assert len(visible_controls(form)) > len(shown) + 4
    staff.submit(page.get_by_test_id("status-tabs").locator("[data-tab=all]"))
    more.locator("summary").click()
    more.locator("[name=due_after]").fill("2000-01-01")
    staff.submit(staff.action("filter"))
    expect(page.get_by_test_id("more-filters")).to_have_js_property("open", True)
    expect(page.get_by_test_id("more-filters-active")).to_contain_text("1")
    stage.assert_clean()


# --- the deputy filter's picker ----------------------------------------------------


def test_the_deputy_filter_is_chosen_by_keyboard_and_removed_by_its_chip(stage, cast):
    mine = suggestion(cast, submitted=True, title="关于加强农村饮水安全保障的建议")
    theirs = suggestion(
        cast,
        submitted=True,
        lead_deputy=cast.namesake.deputy_profile,
        title="关于提升基层医疗服务能力的建议",
    )
    other = suggestion(
        cast,
        submitted=True,
        lead_deputy=cast.cosigner.deputy_profile,
        title="关于优化城区公交线路的建议",
    )
    everyone = {mine.title, theirs.title, other.title}

    staff = stage.signed_in("staff", cast.staff, **CHINESE)
    staff.goto("/suggestions/")
    page = staff.page
    assert row_titles(staff) == everyone
    picker = page.get_by_test_id("picker-deputy")
    search = picker.locator("[data-picker-search]")
    results = picker.locator("[data-picker-results] button")
    chips = picker.locator("[data-picker-chips]")
    # The picker replaces the plain select: a search box, labelled, and no chip.
    expect(picker.locator("select")).to_be_hidden()
    expect(page.get_by_label("代表（领衔或附议）")).to_be_visible()
    expect(chips.locator("button")).to_have_count(0)

    search.fill("李")  # 李秀英 and 李明
    expect(results).to_have_count(2)
    expect(results.filter(has_text="王建国")).to_have_count(0)
    second = results.nth(1)
    name = "李明" if "李明" in second.inner_text() else "李秀英"
    search.press("ArrowDown")
    expect(results.first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(second).to_be_focused()
    page.keyboard.press("Enter")
    expect(chips.locator("button")).to_have_count(1)
    expect(chips).to_contain_text(name)
    expect(search).to_be_focused()
    expect(search).to_have_value("")

    staff.submit(staff.action("filter"))
    wanted = theirs.title if name == "李明" else other.title
    assert row_titles(staff) == {wanted}
    expect(page.get_by_test_id("list-count")).to_contain_text("1")
    # The chip is still there on the filtered list, and takes the filter away.
    chip = page.get_by_test_id("picker-deputy").locator("[data-picker-chips] button")
    expect(chip).to_have_count(1)
    expect(chip).to_contain_text(name)
    chip.click()
    expect(chip).to_have_count(0)
    staff.submit(staff.action("filter"))
    assert row_titles(staff) == everyone
    stage.assert_clean()


# --- the co-unit picker on 交办 -----------------------------------------------------


def test_a_co_unit_chosen_in_the_picker_is_the_one_assigned(stage, cast):
    registered = suggestion(cast, registered=True, title="关于加快老旧小区改造的建议")
    staff = stage.signed_in("staff", cast.staff, **CHINESE)
    staff.goto(f"/suggestions/{registered.pk}/assign/")
    page = staff.page
    form = staff.form_of("assign")
    form.locator("[name=lead_unit]").select_option(label=cast.lead_unit.name)
    picker = form.get_by_test_id("picker-co_units")
    search = picker.locator("[data-picker-search]")
    results = picker.locator("[data-picker-results] button")
    chips = picker.locator("[data-picker-chips] button")
    expect(chips).to_have_count(0)

    # "州" finds all three units; "教育" one, chosen and then taken back.
    search.fill("州")
    expect(results).to_have_count(3)
    search.fill("教育")
    expect(results).to_have_count(1)
    search.press("Enter")
    expect(chips).to_have_count(1)
    expect(chips.first).to_contain_text(cast.other_unit.name)
    search.fill("财政")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text(cast.co_unit.name)
    search.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(chips).to_have_count(2)
    chips.filter(has_text=cast.other_unit.name).click()
    expect(chips).to_have_count(1)
    expect(chips.first).to_contain_text(cast.co_unit.name)

    staff.submit(staff.action("assign"), success=cast.lead_unit.name)
    table = page.get_by_test_id("unit-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    co_row = table.locator("tbody tr", has_text=cast.co_unit.name)
    expect(co_row).to_contain_text("协办单位")
    expect(table.locator("tbody tr", has_text=cast.lead_unit.name)).to_contain_text(
        "主办单位"
    )
    expect(table).not_to_contain_text(cast.other_unit.name)
    assert set(
        Assignment.objects.filter(suggestion=registered).values_list(
            "unit__name", "role"
        )
    ) == {(cast.lead_unit.name, "lead"), (cast.co_unit.name, "co")}
    stage.assert_clean()


# --- bulk filing from the review queue ------------------------------------------


def test_two_suggestions_filed_at_once_get_a_number_and_a_timeline_entry_each(
    stage, cast
):
    now = timezone.now()
    older = suggestion(
        cast,
        submitted=True,
        base_time=now - dt.timedelta(days=5),
        title="关于加强农村饮水安全保障的建议",
    )
    newer = suggestion(
        cast,
        submitted=True,
        category=None,
        base_time=now - dt.timedelta(days=2),
        title="关于优化城区公交线路的建议",
    )
    left = suggestion(
        cast,
        submitted=True,
        base_time=now - dt.timedelta(days=1),
        title="关于提升基层医疗服务能力的建议",
    )
    staff = stage.signed_in("staff", cast.staff, **CHINESE)
    staff.goto("/suggestions/review/")
    page = staff.page
    table = page.get_by_test_id("suggestion-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    for s in (older, newer):
        page.locator(f"#pick-{s.pk}").check()
    bulk = page.get_by_test_id("bulk-actions")
    bulk.get_by_label("类别").select_option(label=cast.category.name)

    # The dialog asks first; cancelling files nothing.
    button = staff.action("bulk-register")
    button.click()
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_test_id("confirm-cancel").click()
    expect(dialog).to_be_hidden()
    assert not Suggestion.objects.filter(status=Status.REGISTERED).exists()

    staff.submit(button)  # confirms the dialog
    expect(page.get_by_test_id("message-success")).to_be_visible()
    filed = {s.pk: Suggestion.objects.get(pk=s.pk) for s in (older, newer, left)}
    numbers = sorted(filed[s.pk].number for s in (older, newer))
    assert numbers == [1, 2], numbers
    assert filed[older.pk].number == 1  # oldest first
    assert filed[left.pk].status == Status.SUBMITTED and filed[left.pk].number is None
    assert filed[newer.pk].category == cast.category
    # The queue shows each filed one with its number (the third has none yet).
    for s in (older, newer):
        row = table.locator(f"tr[data-suggestion='{s.pk}']")
        expect(row).to_contain_text(f"第{filed[s.pk].number}号")
        expect(row.locator("[data-status]")).to_have_attribute(
            "data-status", "registered"
        )
    expect(table.locator(f"tr[data-suggestion='{left.pk}']")).to_contain_text("—")

    for s in (older, newer):
        staff.goto(s.get_absolute_url())
        # Its number under the title, and one 立案 entry on its timeline.
        expect(page.locator("main div:has(+ h1)")).to_contain_text(
            f"第{filed[s.pk].number}号"
        )
        entries = page.locator(".timeline > li", has_text="已立案")
        expect(entries).to_have_count(1)
        assert Event.objects.filter(suggestion=s, action="register").count() == 1
    stage.assert_clean()
