"""The lead unit and its co-units (issue 13, item 3).

The congress's rules (``HandlingRules.lead_reply_before_co_opinions``) decide whether
the lead unit may reply while a co-unit of the round has neither given its opinion
nor reached its opinion deadline: ``wait`` refuses (409), ``note`` (the default) asks
for a note saying why (400 on ``co_opinion_note``), ``free`` lets it. The pages and
the API name the co-units still missing. When the round ends, the co-units'
assignments end with it: not live, not counted, not reminded, and a late opinion is
refused with a clear reason.
"""

import datetime as dt

import pytest
from django.utils import timezone, translation

from common import clock
from common.errors import InvalidInput, InvalidTransition
from congress.models import HandlingRules, LeadReplyRule
from notifications import reminders
from notifications.models import Reminder
from suggestions import actions, selectors, services
from suggestions.models import Assignment, Ended, Event, Rating, Reply, Status
from tests.api.contract import ContractClient
from tests.factories import Journey
from tests.forms import FormClient

pytestmark = pytest.mark.django_db

NOTE = "协办单位意见尚未反馈，为按期答复先行答复。"


def _rule(journey: Journey, rule: str) -> None:
    HandlingRules.objects.update_or_create(
        congress=journey.session.congress,
        defaults={"lead_reply_before_co_opinions": rule},
    )


@pytest.fixture
def assigned():
    """Assigned to a lead unit and one co-unit; both acknowledged, no opinion yet."""
    j = Journey(co_unit=True)
    j.to(Status.ASSIGNED)
    j.acknowledge()
    j.meet()
    services.assignment_acknowledge(
        assignment_id=j.co_assignment().pk, actor=j.co_clerk
    )
    return j


def _opinion(j: Journey) -> Reply:
    return services.assignment_reply(
        assignment_id=j.co_assignment().pk,
        actor=j.co_clerk,
        outcome="resolved",
        body="同意主办单位的办理意见。",
    )


def _reply(j: Journey, note: str = "") -> Reply:
    return services.assignment_reply(
        assignment_id=j.lead_assignment().pk,
        actor=j.clerk,
        outcome="resolved",
        body="经研究，问题已基本解决。",
        co_opinion_note=note,
    )


# --- the rule -----------------------------------------------------------------------


def test_wait_refuses_the_lead_reply_while_a_co_unit_is_awaited(assigned):
    """Under ``wait`` the reply is refused, naming the co-unit and its deadline, and
    the page and the API do not offer it."""
    j = assigned
    _rule(j, LeadReplyRule.WAIT)
    lead = j.lead_assignment()
    with translation.override("en"), pytest.raises(InvalidTransition) as error:
        _reply(j, NOTE)
    message = str(error.value.message)
    assert j.co_unit.name in message and "acknowledged" in message
    assert j.refresh().status == Status.ASSIGNED
    assert not Reply.objects.filter(assignment=lead).exists()
    lead = Assignment.objects.select_related("suggestion").get(pk=lead.pk)
    assert "reply" not in actions.assignment_actions(j.clerk, lead)


def test_wait_lets_the_lead_reply_once_every_co_unit_gave_its_opinion(assigned):
    j = assigned
    _rule(j, LeadReplyRule.WAIT)
    _opinion(j)
    reply = _reply(j)
    assert j.refresh().status == Status.REPLIED and reply.co_opinion_note == ""


def test_wait_lets_the_lead_reply_once_the_opinion_deadline_passed():
    """A co-unit that let its deadline pass does not hold the lead reply up."""
    with clock.frozen_at(timezone.now() - dt.timedelta(days=45)):
        j = Journey(co_unit=True)
        j.to(Status.ASSIGNED)
        j.acknowledge()
        j.meet()
    _rule(j, LeadReplyRule.WAIT)
    co = j.co_assignment()
    assert co.due_at < clock.today() and co.is_live
    _reply(j)
    assert j.refresh().status == Status.REPLIED


def test_the_opinion_deadline_day_itself_still_counts(assigned):
    j = assigned
    _rule(j, LeadReplyRule.WAIT)
    due = j.co_assignment().due_at
    moment = timezone.make_aware(dt.datetime.combine(due, dt.time(12)))
    with clock.frozen_at(moment), pytest.raises(InvalidTransition):
        _reply(j)


def test_note_is_required_by_default_and_kept_with_the_reply(assigned):
    """With the default rules a reply before the co-unit's opinion needs a note
    (400 on the field, nothing written); the note is kept on the reply and in the
    timeline."""
    j = assigned
    assert HandlingRules().lead_reply_before_co_opinions == LeadReplyRule.NOTE
    with translation.override("en"), pytest.raises(InvalidInput) as error:
        _reply(j, "  ")
    assert error.value.field == "co_opinion_note"
    assert j.co_unit.name in str(error.value.message)
    assert j.refresh().status == Status.ASSIGNED
    reply = _reply(j, NOTE)
    assert j.refresh().status == Status.REPLIED
    assert Reply.objects.get(pk=reply.pk).co_opinion_note == NOTE
    event = Event.objects.filter(suggestion=j.suggestion, action="reply").get()
    assert event.note == NOTE


def test_note_is_not_needed_nor_kept_when_no_co_unit_is_awaited(assigned):
    j = assigned
    _opinion(j)
    reply = _reply(j, NOTE)
    assert reply.co_opinion_note == ""


def test_free_lets_the_lead_reply_without_a_note(assigned):
    j = assigned
    _rule(j, LeadReplyRule.FREE)
    _reply(j)
    assert j.refresh().status == Status.REPLIED


def test_a_co_units_opinion_needs_no_note(assigned):
    """The rule is about the lead reply only."""
    j = assigned
    _rule(j, LeadReplyRule.WAIT)
    assert _opinion(j).co_opinion_note == ""


# --- the API and the pages -----------------------------------------------------------


def test_the_api_names_the_missing_co_units_and_refuses(assigned):
    j = assigned
    lead = j.lead_assignment()
    co = j.co_assignment()
    client = ContractClient(headers={"accept-language": "zh-hans"})
    client.force_authenticate(j.clerk)
    detail = client.get(f"/api/v1/assignments/{lead.pk}/").json()
    assert detail["co_units_without_opinion"] == [
        {
            "assignment": co.pk,
            "unit": {"id": j.co_unit.pk, "name": j.co_unit.name},
            "acknowledged_at": detail["co_units_without_opinion"][0]["acknowledged_at"],
            "due_at": co.due_at.isoformat(),
            "awaited": True,
        }
    ]
    assert detail["co_units_without_opinion"][0]["acknowledged_at"] is not None
    url = f"/api/v1/assignments/{lead.pk}/reply/"
    body = {"outcome": "resolved", "body": "经研究，问题已基本解决。"}
    # note: 400 on the field, in Chinese, naming the co-unit
    response = client.post(url, body, format="json")
    assert response.status_code == 400, response.content
    assert j.co_unit.name in response.json()["co_opinion_note"][0]
    assert "协办单位" in response.json()["co_opinion_note"][0]
    # wait: 409 invalid_transition
    _rule(j, LeadReplyRule.WAIT)
    response = client.post(url, {**body, "co_opinion_note": NOTE}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert j.co_unit.name in response.json()["detail"]
    # note given under ``note``: replied, and the note is in the answer
    _rule(j, LeadReplyRule.NOTE)
    response = client.post(url, {**body, "co_opinion_note": NOTE}, format="json")
    assert response.status_code == 200, response.content
    replies = client.get(f"/api/v1/assignments/{lead.pk}/").json()["replies"]
    assert replies[0]["co_opinion_note"] == NOTE
    staff = ContractClient()
    staff.force_authenticate(j.staff)
    shown = staff.get(f"/api/v1/suggestions/{j.suggestion.pk}/").json()["replies"]
    assert [r["co_opinion_note"] for r in shown if r["is_lead"]] == [NOTE]


def test_the_reply_page_names_the_missing_co_units_and_asks_for_the_note(assigned):
    j = assigned
    lead = j.lead_assignment()
    co = j.co_assignment()
    client = FormClient(headers={"accept-language": "zh-hans"})
    client.force_login(j.clerk)
    url = f"/assignments/{lead.pk}/"
    page = client.get(url).content.decode()
    assert 'data-testid="co-units-missing"' in page
    assert f'data-testid="co-unit-missing-{co.pk}"' in page
    assert j.co_unit.name in page and "已签收" in page
    assert 'name="co_opinion_note"' in page
    response = client.post(
        f"/assignments/{lead.pk}/reply/",
        {"outcome": "resolved", "body": "经研究，问题已基本解决。"},
    )
    assert response.status_code == 400
    assert j.refresh().status == Status.ASSIGNED
    response = client.post(
        f"/assignments/{lead.pk}/reply/",
        {
            "outcome": "resolved",
            "body": "经研究，问题已基本解决。",
            "co_opinion_note": NOTE,
        },
    )
    assert response.status_code == 302
    assert j.refresh().status == Status.REPLIED
    staff = FormClient(headers={"accept-language": "zh-hans"})
    staff.force_login(j.staff)
    page = staff.get(j.suggestion.get_absolute_url()).content.decode()
    assert NOTE in page


def test_under_wait_the_page_says_why_no_reply_is_offered(assigned):
    j = assigned
    _rule(j, LeadReplyRule.WAIT)
    client = FormClient(headers={"accept-language": "en"})
    client.force_login(j.clerk)
    page = client.get(f"/assignments/{j.lead_assignment().pk}/").content.decode()
    assert 'data-action="reply"' not in page
    assert "replies once every co-unit below has given its opinion" in page
    assert j.co_unit.name in page


def test_the_admin_shows_the_setting(admin_client):
    page = admin_client.get("/admin/congress/handlingrules/add/").content.decode()
    assert 'name="lead_reply_before_co_opinions"' in page


# --- the round ends ------------------------------------------------------------------


@pytest.fixture
def replied_without_opinion():
    """Assigned two months ago, the lead replied with a note; the co-unit never
    gave its opinion, and its deadline is past."""
    with clock.frozen_at(timezone.now() - dt.timedelta(days=60)):
        j = Journey(co_unit=True)
        j.to(Status.ASSIGNED)
        co = j.co_assignment()
        j.reply()
    assert j.refresh().status == Status.REPLIED
    co.refresh_from_db()
    assert co.due_at < clock.today() and co.replied_at is None and co.active
    return j, co


def test_after_the_lead_reply_the_co_unit_assignment_is_ended(replied_without_opinion):
    """Not live, not in the unit's counts, not reminded, not overdue in the API."""
    j, co = replied_without_opinion
    co = Assignment.objects.select_related("suggestion").get(pk=co.pk)
    assert not co.is_live and co.ended_reason == Ended.ROUND_ENDED
    assert co not in Assignment.objects.live()
    counts = selectors.workbench_counts(user=j.co_clerk)["unit"]
    assert counts["overdue"] == 0 and counts["in_progress"] == 0
    assert counts["opinions_awaited"] == 0
    reminders.sweep(today=clock.today())
    assert not Reminder.objects.filter(assignment=co).exists()
    client = ContractClient()
    client.force_authenticate(j.co_clerk)
    assert client.get("/api/v1/assignments/?overdue=true").json()["results"] == []


def test_a_late_opinion_is_refused_with_a_clear_reason(replied_without_opinion):
    j, co = replied_without_opinion
    with translation.override("en"), pytest.raises(InvalidTransition) as error:
        services.assignment_reply(
            assignment_id=co.pk, actor=j.co_clerk, outcome="resolved", body="迟到的意见"
        )
    assert "round of handling has ended" in str(error.value.message)
    assert not Reply.objects.filter(assignment=co).exists()
    client = ContractClient(headers={"accept-language": "zh-hans"})
    client.force_authenticate(j.co_clerk)
    response = client.post(
        f"/api/v1/assignments/{co.pk}/reply/",
        {"outcome": "resolved", "body": "迟到的意见"},
        format="json",
    )
    assert response.status_code == 409
    assert "本轮办理已结束" in response.json()["detail"]
    page = FormClient(headers={"accept-language": "zh-hans"})
    page.force_login(j.co_clerk)
    text = page.get(f"/assignments/{co.pk}/").content.decode()
    assert "本轮已结束" in text and 'data-action="reply"' not in text


def test_after_closing_a_late_opinion_is_refused(replied_without_opinion):
    j, co = replied_without_opinion
    j.evaluate(Rating.SATISFIED)
    assert j.refresh().status == Status.CLOSED
    co = Assignment.objects.select_related("suggestion").get(pk=co.pk)
    assert co.ended_reason == Ended.CLOSED and co not in Assignment.objects.live()
    with translation.override("en"), pytest.raises(InvalidTransition) as error:
        services.assignment_reply(
            assignment_id=co.pk, actor=j.co_clerk, outcome="resolved", body="迟到的意见"
        )
    assert "closed: the co-unit's opinion is no longer taken" in str(
        error.value.message
    )


def test_a_new_round_ends_the_co_unit_assignment_too(replied_without_opinion):
    j, co = replied_without_opinion
    j.evaluate(Rating.DISSATISFIED)
    assert j.refresh().status == Status.REHANDLING
    co = Assignment.objects.select_related("suggestion").get(pk=co.pk)
    assert co.ended_reason == Ended.ROUND_ENDED and not co.is_live
    with translation.override("en"), pytest.raises(InvalidTransition) as error:
        services.assignment_reply(
            assignment_id=co.pk, actor=j.co_clerk, outcome="resolved", body="迟到的意见"
        )
    assert "round of handling has ended" in str(error.value.message)
