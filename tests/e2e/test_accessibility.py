"""Each role's main pages pass axe-core's WCAG 2.1 A and AA rules with no serious or
critical violation (GB/T 37668-2019 follows WCAG 2.1 AA), in Chinese; and the 大字版
(large text) switch works by keyboard on a phone and stays with the user."""

import pytest

from .conftest import expect
from .world import ROLES, world_fixture  # noqa: F401  (the "world" fixture)

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:  # the dev extra is missing: the browser fixture says what to do
    Axe = None

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
    },
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}


def violations(page) -> list[str]:
    """The serious and critical violations on the page: rule, impact, targets."""
    results = Axe().run(page, options=AXE_OPTIONS).response
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        for node in violation["nodes"]:
            found.append(
                f"{violation['id']} ({violation['impact']}) at {node['target']}: "
                f"{node.get('failureSummary', '').splitlines()[-1:]}"
            )
    return found


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_have_no_serious_accessibility_violation(stage, world, role):
    if Axe is None:
        pytest.fail("axe-playwright-python is missing: pip install -e '.[dev]'")
    person = world.visit(stage, role)
    problems = []
    for name, path in world.main_pages(role):
        person.goto(path)
        problems += [f"{role} {name} {path}: {v}" for v in violations(person.page)]
    assert not problems, "\n".join(problems)
    stage.assert_clean()


def font_size(page) -> float:
    return page.evaluate(
        "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    )


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    pytest.fail(f"Tab never reached {selector}")


def test_a_deputy_turns_on_large_text_by_keyboard_and_keeps_it(stage, world):
    deputy = world.cast.deputy
    person = world.visit(stage, "deputy", viewport=PHONE)
    page = person.page
    standard = font_size(page)
    assert standard < 20

    # On a phone the switch sits in the collapsed menu: open it by keyboard first.
    tab_to(page, ".navbar-toggler")
    page.keyboard.press("Enter")
    switch = person.action("text-size")
    expect(switch).to_be_visible()
    expect(switch).to_have_text("大字版")
    tab_to(page, "[data-action=text-size]")
    # The focus is visible: an outline drawn around the switch.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_class("large-text")
    assert font_size(page) >= 20
    assert person.url_path == "/workbench/"

    # A new page keeps it, and so does a new sign-in in another browser.
    person.goto("/suggestions/mine/")
    assert font_size(page) >= 20
    deputy.refresh_from_db()
    assert deputy.large_text is True
    again = stage.person(
        "deputy again", deputy.username, viewport=PHONE, locale="zh-CN"
    )
    assert font_size(again.page) >= 20

    # 标准字号 turns it off.
    again.page.locator(".navbar-toggler").click()
    expect(again.action("text-size")).to_have_text("标准字号")
    again.action("text-size").focus()
    with again.page.expect_navigation():
        again.page.keyboard.press("Enter")
    assert font_size(again.page) == standard
    deputy.refresh_from_db()
    assert deputy.large_text is False
    stage.assert_clean()
