"""The drafting panel in the browser: on a phone, as the deputy types a title, the
panel below the form lists the earlier published suggestion on the topic with a link
to its reply; the page stays as wide as the phone."""

import os

import pytest

from tests.factories import Journey, SessionFactory, SuggestionFactory

from .conftest import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_the_panel_follows_the_title_on_a_phone(stage, transactional_db):
    """Typing a title of four characters or more fills the panel (已公开答复, 查看答复)
    without reloading the page; the page is no wider than the phone."""
    journey = Journey()
    earlier = SessionFactory(congress=journey.session.congress, year=2024)
    published = SuggestionFactory(
        session=earlier,
        title="关于加快老旧小区改造工作的建议",
        body="建议分批推进老旧小区改造，加装电梯，改造供热管网。",
        closed=True,
        is_public=True,
    )
    for title in ("关于增开城乡公交线路的建议", "关于保障农村饮水安全的建议"):
        SuggestionFactory(session=earlier, title=title, closed=True, is_public=True)
    journey.create()  # opens the session for intake
    deputy = stage.signed_in("deputy", journey.deputy, viewport=PHONE, locale="zh-CN")
    deputy.goto("/suggestions/new/")
    page = deputy.page
    panel = page.get_by_test_id("similar-panel")
    expect(panel.get_by_test_id("similar-hint")).to_be_visible()
    page.locator("#id_title").fill("关于加快推进老旧小区改造的建议")
    page.locator("#id_body").fill("建议分批推进老旧小区改造，改造供热管网和排水设施。")
    item = panel.locator(f'[data-suggestion="{published.pk}"]')
    expect(item).to_be_visible()
    expect(item.get_by_test_id("similar-published")).to_have_text("已公开答复")
    expect(item.get_by_test_id("similar-reply")).to_have_attribute(
        "href", published.get_public_url()
    )
    # Below the form on a phone, and no wider than it.
    form_box = page.get_by_test_id("suggestion-form").bounding_box()
    assert panel.bounding_box()["y"] >= form_box["y"] + form_box["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if os.environ.get("SIMILAR_SCREENSHOT"):
        page.screenshot(path=os.environ["SIMILAR_SCREENSHOT"], full_page=True)
    # A title cut back below four characters brings the hint back.
    page.locator("#id_title").fill("老旧")
    expect(panel.get_by_test_id("similar-hint")).to_be_visible()
    stage.assert_clean()


def test_a_question_the_leaving_page_drops_is_no_error(stage, transactional_db):
    """The panel's question still on its way when the page goes (the deputy saves as
    the panel asks) is dropped by the browser (net::ERR_ABORTED): the stage's watcher
    takes that for the browser's rule, not a failure; the same question failing on a
    page that stays is still reported."""
    journey = Journey()
    journey.create()
    deputy = stage.signed_in("deputy", journey.deputy)
    deputy.goto("/suggestions/new/")
    page = deputy.page
    ask = "fetch('/suggestions/similar-drafts/?title=老旧小区改造&text=').catch(function () {})"
    with page.expect_navigation():
        page.evaluate(f"setTimeout(function () {{ location.href = '/'; {ask}; }}, 0)")
    page.wait_for_load_state("networkidle")
    assert deputy.problems == []
    page.route("**/similar-drafts/**", lambda route: route.abort("aborted"))
    page.evaluate(ask)
    page.wait_for_timeout(500)
    assert len(deputy.problems) == 1
    assert "similar-drafts" in deputy.problems[0]
    assert "ERR_ABORTED" in deputy.problems[0]
