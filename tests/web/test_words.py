"""Words a Chinese office reads: the timeline says each thing once, an
empty card says what is missing, the API's refusals and the forms' length limits
read in the reader's language.

Pages are fetched in Chinese, the default, since what is tested is the Chinese.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from common import wording
from suggestions import services, workflow
from suggestions.models import ContactMethod, Status, Suggestion
from tests.api.contract import ContractClient
from tests.forms import FormClient

from ..factories import Journey, open_for_intake

pytestmark = pytest.mark.django_db

ZH = {"accept-language": "zh-hans"}


def page(user, suggestion, language: str = "zh-hans") -> str:
    client = FormClient(headers={"accept-language": language})
    client.force_login(user)
    response = client.get(suggestion.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def entry(html: str, action: str) -> str:
    """The one timeline entry of ``action`` (``data-event``) on a page."""
    found = re.findall(rf'<li data-event="{action}">(.*?)</li>', html, re.S)
    assert len(found) == 1, found
    return found[0]


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


# --- the timeline --------------------------------------------------------------------


def test_a_submitted_suggestion_says_submitted_once(journey):
    """The submission reads "已提交" once: the action's name already says the new
    status, so no badge repeats it."""
    suggestion = journey.to(Status.SUBMITTED)
    submitted = entry(page(journey.deputy, suggestion), "submit")
    assert visible_text(submitted).count("已提交") == 1
    assert "status-badge" not in submitted


def test_an_entry_whose_name_differs_from_the_new_status_shows_the_badge(journey):
    """A rating reads "已评价" and shows the status it led to, "已办结"."""
    suggestion = journey.to(Status.CLOSED)
    rated = entry(page(journey.deputy, suggestion), "evaluate")
    assert "已评价" in rated
    assert 'data-status="closed"' in rated
    assert "已办结" in visible_text(rated)


def test_an_entry_that_changes_no_status_shows_no_badge(journey):
    """The unit's acknowledgement changes nothing: its name alone."""
    journey.to(Status.ASSIGNED)
    journey.acknowledge()
    acknowledged = entry(page(journey.staff, journey.refresh()), "acknowledge")
    assert "status-badge" not in acknowledged


def test_timeline_dates_use_the_one_date_format(journey, now):
    """Timeline dates read like every other date of the site: "2026年3月10日 10:00"."""
    suggestion = journey.to(Status.SUBMITTED)
    assert "2026年3月10日 10:00" in entry(page(journey.deputy, suggestion), "submit")


@pytest.mark.parametrize(
    ("language", "action", "before", "after", "shown"),
    [
        ("zh-hans", "submit", Status.DRAFT, Status.SUBMITTED, False),
        ("zh-hans", "register", Status.SUBMITTED, Status.REGISTERED, False),
        ("zh-hans", "assign", Status.REGISTERED, Status.ASSIGNED, False),
        ("zh-hans", "evaluate", Status.REPLIED, Status.CLOSED, True),
        ("zh-hans", "evaluate", Status.REPLIED, Status.REHANDLING, True),
        ("zh-hans", "contact", Status.ASSIGNED, Status.ASSIGNED, False),
        # The same in every language ("Filed" is what "Registered" means).
        ("en", "register", Status.SUBMITTED, Status.REGISTERED, False),
        ("en", "submit", Status.DRAFT, Status.SUBMITTED, False),
        ("en", "evaluate", Status.REPLIED, Status.CLOSED, True),
        # An assignment back to a unit after a dissatisfied rating says where it is.
        ("zh-hans", "assign", Status.REHANDLING, Status.REHANDLING, False),
    ],
)
def test_the_timeline_rule(language, action, before, after, shown):
    """The badge only where the status changed and the action's name does not
    already say the new status."""
    with translation.override(language):
        assert workflow.timeline_shows_status(action, before, after) is shown


# --- empty cards -----------------------------------------------------------------------


def test_empty_cards_say_what_is_missing(now):
    """A suggestion assigned with no co-signer, no contact and no reply: each card
    says so in a sentence instead of an empty box."""
    journey = Journey(cosigner=False)
    suggestion = journey.to(Status.ASSIGNED)
    html = page(journey.staff, suggestion)
    assert "无附议代表" in html
    assert (
        '<p class="text-muted mb-0" data-testid="no-contacts">尚无联系记录。</p>'
        in (html)
    )
    assert "承办单位尚未答复。" in html
    assert "暂无待审批的申请。" in html


def test_the_cards_lose_their_empty_sentences_once_filled(journey, now):
    """With a co-signer invited, a contact recorded and a reply sent, the sentences
    are gone."""
    journey.to(Status.ASSIGNED)
    assignment = journey.acknowledge()
    services.assignment_record_contact(
        assignment_id=assignment.pk,
        actor=journey.clerk,
        method=ContactMethod.PHONE,
        contacted_at=now,
        note="电话沟通",
    )
    journey.reply()
    html = page(journey.staff, journey.refresh())
    for sentence in ("无附议代表", "尚无联系记录", "尚未答复", "暂无答复"):
        assert sentence not in html


def test_a_suggestion_not_yet_assigned_says_why_there_is_no_reply(journey):
    """Before assignment the replies card says the suggestion has not been assigned."""
    suggestion = journey.to(Status.SUBMITTED)
    assert "该建议尚未交办，暂无答复。" in page(journey.deputy, suggestion)


def test_a_withdrawn_suggestion_says_no_reply_will_come(journey):
    """A withdrawn suggestion will never be answered, and the card says so."""
    suggestion = journey.to(Status.SUBMITTED)
    open_for_intake(journey.session)
    services.suggestion_withdraw(suggestion_id=suggestion.pk, actor=journey.deputy)
    assert "该建议已撤回，不再答复。" in page(journey.deputy, journey.refresh())


def test_the_unit_page_names_a_missing_co_signer(now):
    """The unit's assignment page also says there is no co-signer."""
    journey = Journey(cosigner=False)
    journey.to(Status.ASSIGNED)
    client = FormClient(headers=ZH)
    client.force_login(journey.clerk)
    response = client.get(
        reverse("suggestions:assignment-detail", args=[journey.lead_assignment().pk])
    )
    assert "无附议代表" in response.content.decode()


def test_the_reply_card_gives_the_replies_or_the_sentence(journey):
    """``reply_card`` gives the replies the reader may read, or the sentence that
    says why there is none, never both."""
    from suggestions import selectors
    from suggestions.views.common import reply_card

    journey.to(Status.REPLIED)
    suggestion = selectors.suggestion_detail(
        user=journey.staff, pk=journey.suggestion.pk
    )
    card = reply_card(suggestion)
    assert len(card["replies"]) == 1
    assert card["empty"] is None


# --- the API's refusals --------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("zh-hans", "仅人大常委会工作人员可执行此操作。"),
        ("en", "Only congress staff may do this."),
    ],
)
def test_a_refusal_of_the_api_reads_in_the_callers_language(journey, language, message):
    """A deputy filing a suggestion (staff only) gets 403 with the reason in the
    language of ``Accept-Language``."""
    suggestion = journey.to(Status.SUBMITTED)
    client = ContractClient(headers={"accept-language": language})
    client.force_authenticate(journey.deputy)
    response = client.post(
        f"/api/v1/suggestions/{suggestion.pk}/register/",
        {"category": journey.category.pk},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == message
    assert journey.refresh().status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("zh-hans", "仅人大常委会工作人员和领导可查看。"),
        ("en", "Only congress staff and leaders may see this."),
    ],
)
def test_every_refusal_is_translated(journey, language, message):
    """The other refusals are translated too, in the active language."""
    from common.api.permissions import IsStaffOrLeader

    with translation.override(language):
        assert str(IsStaffOrLeader.message) == message


# --- length limits ---------------------------------------------------------------------


def test_a_title_too_long_says_so_in_chinese_and_keeps_what_was_typed(
    journey, unchanged
):
    """A 201-character title re-renders the form (400) with "请不要超过 200 个字
    （现有 201 个字）。" at the title, the title and the text as typed, and writes
    nothing."""
    open_for_intake(journey.session)
    title = "关" * 201
    body = "建议加快老旧小区改造，分批推进。"
    client = FormClient(headers=ZH)
    client.force_login(journey.deputy)
    with unchanged():
        response = client.post(
            "/suggestions/new/",
            {
                "session": journey.session.pk,
                "title": title,
                "body": body,
                "category": journey.category.pk,
            },
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert "请不要超过 200 个字（现有 201 个字）。" in html
    assert "确保" not in html
    assert f'value="{title}"' in html
    assert body in html
    assert re.search(rf'<option value="{journey.category.pk}"[^>]*\bselected\b', html)
    assert not Suggestion.objects.filter(title=title).exists()


def test_our_catalogue_words_djangos_own_messages():
    """The texts of ``common/wording.py`` are Django's message ids exactly: Django's
    validators read our wording in Chinese."""
    from django.core.validators import MaxLengthValidator, MinLengthValidator

    values = {"limit_value": 5, "show_value": 7}
    with translation.override("zh-hans"):
        ours = [str(text % values) for text in wording.DJANGO_TEXTS[:2]]
        assert ours == [
            str(MaxLengthValidator.message % values),
            str(MinLengthValidator.message % values),
        ]
        assert ours[0] == "请不要超过 5 个字（现有 7 个字）。"
