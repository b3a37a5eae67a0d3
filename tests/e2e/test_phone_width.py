"""On a 390 × 844 phone no main page of any role is wider than the screen: tables turn
into cards or scroll inside their box, and long words wrap."""

import pytest

from ..factories import SuggestionFactory
from .world import ROLES, world_fixture  # noqa: F401  (the "world" fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# The elements that reach past the right edge, outermost first, skipping those
# inside a box that scrolls sideways (a wide table in .table-responsive).
STICKING_OUT = """(width) => {
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 0.5) continue;
    let scroller = el.parentElement, inside = false;
    while (scroller && scroller !== document.body) {
      const style = getComputedStyle(scroller);
      if (["auto", "scroll", "hidden"].includes(style.overflowX)) { inside = true; break; }
      scroller = scroller.parentElement;
    }
    if (inside) continue;
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
    out.push(`${name} (right ${Math.round(box.right)})`);
    if (out.length >= 8) break;
  }
  return out;
}"""


def pages_wider_than_a_phone(person, pages) -> list[str]:
    page = person.page
    problems = []
    for name, path in pages:
        person.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            culprits = page.evaluate(STICKING_OUT, PHONE["width"])
            problems.append(f"{person.label} {name} {path}: {width}px wide; {culprits}")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_no_main_page_is_wider_than_a_phone(stage, world, role):
    person = world.visit(stage, role, viewport=PHONE)
    problems = pages_wider_than_a_phone(person, world.main_pages(role))
    assert not problems, "\n".join(problems)
    stage.assert_clean()


@pytest.mark.parametrize("role", ["deputy", "unit"])
def test_large_text_still_fits_a_phone(stage, world, role):
    """大字版 (a 20-px root) on a phone: the text grows, the page does not widen."""
    user = world.user(role)
    user.large_text = True
    user.save(update_fields=["large_text"])
    person = world.visit(stage, role, viewport=PHONE)
    assert (
        person.page.evaluate(
            "parseFloat(getComputedStyle(document.documentElement).fontSize)"
        )
        >= 20
    )
    problems = pages_wider_than_a_phone(person, world.main_pages(role))
    assert not problems, "\n".join(problems)
    stage.assert_clean()


def test_tables_become_cards_with_labels_on_a_phone(stage, world):
    """The detail page's handling units: one card per unit, each line labelled."""
    person = world.visit(stage, "staff", viewport=PHONE)
    person.goto(world.assigned.get_absolute_url())
    table = person.page.get_by_test_id("unit-table")
    assert table.locator("thead").evaluate("el => getComputedStyle(el).display") == (
        "none"
    )
    first_row = table.locator("tbody tr").first
    assert first_row.evaluate("el => getComputedStyle(el).display") == "block"
    labels = first_row.locator("td").evaluate_all(
        "cells => cells.map(c => c.dataset.label)"
    )
    assert labels[:3] == ["单位", "角色", "轮次"], labels
    # A status like 已签收 stays whole: its cell is as wide as the card.
    widths = first_row.locator("td").evaluate_all(
        "cells => cells.map(c => c.getBoundingClientRect().width)"
    )
    assert min(widths) > 300, widths
    stage.assert_clean()


def test_the_units_table_fits_its_column_on_an_office_screen(stage, world):
    """At 1366 px the detail page's handling units fit beside the side panel: no
    sideways scrolling, and a unit's name is never broken a character per line."""
    person = world.visit(stage, "staff", viewport={"width": 1366, "height": 768})
    person.goto(world.assigned.get_absolute_url())
    table = person.page.get_by_test_id("unit-table")
    sizes = table.evaluate(
        "t => [t.offsetWidth, t.parentElement.clientWidth,"
        " t.querySelector('tbody td').getBoundingClientRect().height,"
        " t.querySelector('tbody td:nth-child(2)').getBoundingClientRect().height]"
    )
    table_width, box_width, name_height, role_height = sizes
    assert table_width <= box_width, sizes
    assert name_height <= role_height + 1, sizes


def test_the_review_queue_becomes_cards_with_its_number_on_one_line(stage, world):
    """The review queue's rows are cards too: each line labelled, the checkbox
    first, and a number like "2026年 第12号" on one line, not broken a character or
    two per line."""
    SuggestionFactory(
        registered=True,
        number=12,
        session=world.cast.session,
        category=world.cast.category,
        title="关于进一步完善城乡居民基本医疗保险制度和提高报销比例的建议",
    )
    person = world.visit(stage, "staff", viewport=PHONE)
    person.goto("/suggestions/review/")
    table = person.page.get_by_test_id("suggestion-table")
    assert table.locator("thead").evaluate("el => getComputedStyle(el).display") == (
        "none"
    )
    row = table.locator("tbody tr", has_text="第12号")
    assert row.evaluate("el => getComputedStyle(el).display") == "block"
    labels = row.locator("td").evaluate_all(
        "cells => cells.filter(c => c.checkVisibility()).map(c => c.dataset.label)"
    )
    assert labels == ["选择", "编号", "标题", "状态", "已等待"], labels
    number = row.get_by_test_id("number")
    lines = number.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " return new Set(Array.from(r.getClientRects()).map(b => Math.round(b.top)))"
        ".size; }"
    )
    assert lines == 1, f"{number.inner_text()!r} takes {lines} lines"
    assert row.evaluate("el => el.getBoundingClientRect().right") <= PHONE["width"]
    stage.assert_clean()
