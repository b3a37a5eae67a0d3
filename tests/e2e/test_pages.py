"""Pages in the browser beyond the main story: another unit's assignment is not found,
both languages render, and the rating form works on a phone."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from suggestions.models import Assignment

from ..factories import SuggestionFactory
from .conftest import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHINESE_CATALOG = settings.BASE_DIR / "locale/zh_Hans/LC_MESSAGES/django.mo"
PHONE = {"width": 390, "height": 844}


def suggestion_of(cast, **traits):
    """A suggestion of the cast's lead deputy, assigned to the lead unit, whose
    milestones lie in the past (submitted 40 days ago)."""
    return SuggestionFactory(
        session=cast.session,
        lead_deputy=cast.deputy.deputy_profile,
        lead_unit=cast.lead_unit,
        category=cast.category,
        base_time=timezone.now() - dt.timedelta(days=40),
        **traits,
    )


def test_a_clerk_gets_404_for_another_units_assignment(stage, cast):
    suggestion = suggestion_of(cast, assigned=True)
    assignment = Assignment.objects.get(suggestion=suggestion)
    path = f"/assignments/{assignment.pk}/"

    own = stage.signed_in("lead unit", cast.lead_clerk)
    own.goto(path)
    expect(own.action("contact")).to_be_visible()

    other = stage.signed_in("other unit", cast.other_clerk)
    other.goto(path, status=404)
    other.goto(suggestion.get_absolute_url(), status=404)
    # Its own list does not show the assignment either.
    other.goto("/assignments/?tab=all")
    expect(other.page.get_by_test_id("assignment-table")).not_to_contain_text(
        suggestion.title
    )

    stage.assert_clean()


def test_english_and_chinese_interfaces_render(stage, cast):
    english = stage.person("English", cast.deputy.username, locale="en-US")
    page = english.page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("Workbench")
    english.expect_counts(deputy_drafts=0)

    chinese = stage.signed_in("Chinese", cast.deputy, locale="zh-CN")
    expect(chinese.page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(chinese.page.locator("main h1")).to_be_visible()
    chinese.expect_counts(deputy_drafts=0)
    if CHINESE_CATALOG.exists():
        expect(chinese.page.locator("main h1")).to_have_text("工作台")

    # The header's switcher changes the language of the English reader's pages.
    switcher = page.get_by_test_id("language-form").locator("select[name=language]")
    with page.expect_navigation():
        switcher.select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page).to_have_url(f"{stage.base_url}/workbench/")
    english.goto("/suggestions/mine/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    if CHINESE_CATALOG.exists():
        expect(page.locator("nav.navbar")).to_contain_text("工作台")
    with page.expect_navigation():
        page.get_by_test_id("language-form").locator("select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("My suggestions")

    stage.assert_clean()


def test_the_rating_form_is_usable_on_a_phone(stage, cast):
    suggestion = suggestion_of(cast, replied=True)
    phone = stage.signed_in(
        "phone",
        cast.deputy,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=3,
    )
    phone.goto(suggestion.get_absolute_url())
    page = phone.page
    form = page.get_by_test_id("evaluate-form")
    controls = [
        form.locator("[data-attitude=satisfied]"),
        form.locator("[data-rating=satisfied]"),
        form.locator("[data-rating=basically_satisfied]"),
        form.locator("[data-rating=dissatisfied]"),
        form.locator("[name=comment]"),
        phone.action("evaluate"),
    ]
    for control in controls:
        expect(control).to_be_visible()
        box = control.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
            f"{control} sticks out of the screen: {box}"
        )
        assert box["height"] >= 40, f"{control} is too small to tap: {box}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width}px"

    form.locator("[data-attitude=satisfied]").tap()
    form.locator("[data-rating=basically_satisfied]").tap()
    expect(
        form.locator("input[name=rating][value=basically_satisfied]")
    ).to_be_checked()
    phone.submit(phone.action("evaluate"), success="the suggestion is closed")
    expect(page.locator("main h1 + div [data-status]").first).to_have_attribute(
        "data-status", "closed"
    )

    stage.assert_clean()
