"""Actions in the browser: each step that cannot be undone asks first in a dialog
(Esc or Cancel leaves everything as it was; the confirm button does it), a double
click or a resent form does a thing once and reads as its one success, an invited
deputy declines on 待我附议, and a leader's 督办意见 reaches the unit's clerk.

The data is made with the factories and the services; the browser does only what
each test is about."""

import pytest
from django.utils import translation

from notifications.models import Notification
from suggestions import services
from suggestions.actions import CONFIRMATIONS
from suggestions.models import CoSignature, Event, Status, Suggestion
from tests.factories import Journey, LeaderFactory, open_for_intake

from .conftest import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OPINION = "请于本月底前完成办理并答复代表。"


def title_of(action: str) -> str:
    with translation.override("en"):
        return str(CONFIRMATIONS[action].title)


def events(suggestion) -> int:
    return Event.objects.filter(suggestion=suggestion).count()


def ask_then_do(person, action: str, suggestion, *, success=None, cancel="Escape"):
    """Click the action's button: its dialog asks; Esc (or 取消) leaves everything
    as it was; then the confirm button does it."""
    button = person.action(action)
    before = events(suggestion)
    button.click()
    dialog = person.page.get_by_test_id("confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text(title_of(action))
    if cancel == "Escape":
        person.page.keyboard.press("Escape")
    else:
        dialog.get_by_test_id("confirm-cancel").click()
    expect(dialog).to_be_hidden()
    expect(button).to_be_enabled()
    expect(button).to_be_focused()
    assert events(suggestion) == before
    person.submit(button, success=success)
    assert events(suggestion) > before


@pytest.fixture
def journey(transactional_db):
    return Journey()


def test_each_irreversible_step_asks_first(stage, journey):
    """提交, 谢绝附议, 立案, 督办意见, 催办, 提交评价 and 公开 each ask, by keyboard and
    by mouse; cancelling changes nothing."""
    j = journey
    suggestion = j.create()
    deputy = stage.signed_in("deputy", j.deputy)
    deputy.goto(suggestion.get_absolute_url())
    # The dialog by keyboard: Tab between its buttons, Enter on Cancel cancels.
    deputy.action("submit").click()
    dialog = deputy.page.get_by_test_id("confirm-dialog")
    expect(dialog.get_by_test_id("confirm-cancel")).to_be_focused()
    deputy.page.keyboard.press("Tab")
    expect(dialog.get_by_test_id("confirm-ok")).to_be_focused()
    deputy.page.keyboard.press("Shift+Tab")
    deputy.page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    assert j.refresh().status == Status.DRAFT
    ask_then_do(deputy, "submit", suggestion, success="submitted", cancel="button")
    assert j.refresh().status == Status.SUBMITTED

    # The invited deputy declines on 待我附议.
    cosigner = stage.signed_in("co-signer", j.cosigner)
    cosigner.goto("/suggestions/invitations/")
    expect(cosigner.page.get_by_test_id(f"invitation-{suggestion.pk}")).to_be_visible()
    ask_then_do(cosigner, "decline", suggestion, success="declined to co-sign")
    expect(cosigner.page.get_by_test_id("no-invitations")).to_be_visible()
    assert CoSignature.objects.get(suggestion=suggestion).declined_at is not None
    assert Notification.objects.filter(
        kind="cosign_declined", recipient=j.deputy
    ).exists()

    staff = stage.signed_in("staff", j.staff)
    staff.goto(f"/suggestions/{suggestion.pk}/register/")
    staff.page.locator("[name=category]").select_option(str(j.category.pk))
    ask_then_do(staff, "register", suggestion, success="Filed as No.")
    assert j.refresh().status == Status.REGISTERED

    j.assign()
    services.suggestion_mark_key(
        suggestion_id=suggestion.pk, actor=j.staff, key_supervised=True
    )
    leader = stage.signed_in("leader", LeaderFactory())
    leader.goto(suggestion.get_absolute_url())
    leader.page.locator("[name=text]").fill(OPINION)
    ask_then_do(leader, "supervision-opinion", suggestion, success="supervision")
    ask_then_do(leader, "urge", suggestion, success="reminder")

    j.reply()
    deputy.goto(suggestion.get_absolute_url())
    deputy.page.locator("[name=attitude][value=satisfied]").check(force=True)
    deputy.page.locator("[name=rating][value=satisfied]").check(force=True)
    deputy.action("evaluate").click()
    expect(deputy.page.get_by_test_id("confirm-dialog")).to_contain_text(
        "cannot be changed"
    )
    deputy.page.keyboard.press("Escape")
    ask_then_do(deputy, "evaluate", suggestion, success="rating is recorded")
    assert j.refresh().status == Status.CLOSED

    staff.goto(suggestion.get_absolute_url())
    ask_then_do(staff, "publish", suggestion)
    assert j.refresh().is_public
    stage.assert_clean()


def test_a_double_click_saves_one_draft_with_one_success(stage, journey):
    j = journey
    open_for_intake(j.session)
    deputy = stage.signed_in("deputy", j.deputy)
    deputy.goto("/suggestions/new/")
    page = deputy.page
    page.locator("[name=session]").select_option(str(j.session.pk))
    page.locator("[name=title]").fill("关于增设公交线路的建议")
    page.locator("[name=body]").fill("建议增设连接新区与老城区的公交线路。")
    with page.expect_navigation():
        deputy.action("create").dblclick()
    expect(page.get_by_test_id("message-success")).to_have_count(1)
    expect(page.get_by_test_id("message-error")).to_have_count(0)
    expect(page.get_by_test_id("message-warning")).to_have_count(0)
    assert Suggestion.objects.filter(lead_deputy=j.deputy.deputy_profile).count() == 1
    stage.assert_clean()


def test_a_resent_filing_shows_the_first_success(stage, journey):
    """The filing form sent twice (the first POST behind the page's back, as a
    double click without the page's script would): filed once, and the page says
    "Filed as No. N", not a refusal."""
    j = journey
    suggestion = j.to(Status.SUBMITTED)
    staff = stage.signed_in("staff", j.staff)
    staff.goto(f"/suggestions/{suggestion.pk}/register/")
    page = staff.page
    page.locator("[name=category]").select_option(str(j.category.pk))
    page.evaluate(
        """async () => {
            const form = document.querySelector("[data-testid=register-form]");
            await fetch(form.action || location.href, {
                method: "POST", body: new FormData(form), credentials: "same-origin",
            });
        }"""
    )
    with page.expect_navigation():
        page.evaluate(
            "() => document.querySelector('[data-testid=register-form]').submit()"
        )
    number = j.refresh().number
    expect(page.get_by_test_id("message-success")).to_have_text(
        f"Filed as No. {number}."
    )
    expect(page.get_by_test_id("message-error")).to_have_count(0)
    assert Event.objects.filter(suggestion=suggestion, action="register").count() == 1
    stage.assert_clean()


def test_a_leaders_opinion_reaches_the_unit(stage, journey):
    """The lead unit's clerk finds the 督办意见 in their messages and on the
    suggestion's timeline."""
    j = journey
    suggestion = j.to(Status.ASSIGNED)
    services.suggestion_mark_key(
        suggestion_id=suggestion.pk, actor=j.staff, key_supervised=True
    )
    leader = stage.signed_in("leader", LeaderFactory(name="张副主任"))
    leader.goto(suggestion.get_absolute_url())
    leader.page.locator("[name=text]").fill(OPINION)
    leader.submit(leader.action("supervision-opinion"), success="supervision")
    clerk = stage.signed_in("clerk", j.clerk)
    clerk.goto("/notifications/")
    expect(clerk.page.locator("main")).to_contain_text(OPINION)
    expect(clerk.page.locator("main")).to_contain_text("张副主任")
    clerk.goto(suggestion.get_absolute_url())
    expect(clerk.page.locator(".timeline")).to_contain_text(OPINION)
    stage.assert_clean()
