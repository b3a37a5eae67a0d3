"""The 五定 plan on the pages: the lead unit's form on its assignment page (the due
day before filing, the refusals back on the page), the plan and its progress on
the assignment page and, for those who take part, on the suggestion's page."""

import datetime as dt

import pytest

from common import clock
from suggestions import services
from suggestions.models import HandlingPlan, Status
from tests.factories import Journey, deputy_user
from tests.forms import FormClient

pytestmark = pytest.mark.django_db

FORM = {
    "responsible_leader": "王副局长",
    "officer": "李明",
    "officer_phone": "0994-2345678",
    "measures": "实地调研，制定方案。",
    "milestones": "2026-04-01 完成实地调研\n2026-05-01 制定改造方案",
    "complete_by": "2026-06-01",
}


@pytest.fixture
def acknowledged(now):
    j = Journey()
    j.to(Status.ASSIGNED)
    j.acknowledge()
    return j


def client_of(user) -> FormClient:
    client = FormClient(headers={"accept-language": "zh-hans"})
    client.force_login(user)
    return client


def test_the_unit_files_its_plan_on_its_page(acknowledged):
    j = acknowledged
    lead = j.lead_assignment()
    client = client_of(j.clerk)
    page = client.get(f"/assignments/{lead.pk}/").content.decode()
    assert 'data-action="plan"' in page
    assert 'data-action="progress"' not in page
    assert "2026年3月24日" in page  # due ten working days after 10 March
    response = client.post(f"/assignments/{lead.pk}/plan/", FORM)
    assert response.status_code == 302
    plan = HandlingPlan.objects.get()
    assert [m.title for m in plan.milestones.all()] == ["完成实地调研", "制定改造方案"]
    page = client.get(f"/assignments/{lead.pk}/").content.decode()
    assert 'data-testid="plan-on-time"' in page
    assert "王副局长" in page
    assert 'data-action="progress"' in page


def test_a_refusal_comes_back_on_the_page(acknowledged):
    lead = acknowledged.lead_assignment()
    client = client_of(acknowledged.clerk)
    response = client.post(
        f"/assignments/{lead.pk}/plan/", {**FORM, "complete_by": "2026-06-11"}
    )
    assert response.status_code == 400
    assert "办结时限不能晚于办理期限" in response.content.decode()
    bad = client.post(
        f"/assignments/{lead.pk}/plan/", {**FORM, "milestones": "下月 调研"}
    )
    assert bad.status_code == 400
    assert not HandlingPlan.objects.exists()


def test_late_the_form_asks_why(acknowledged):
    lead = acknowledged.lead_assignment()
    client = client_of(acknowledged.clerk)
    with clock.frozen_at(clock.now() + dt.timedelta(days=20)):
        page = client.get(f"/assignments/{lead.pk}/").content.decode()
        assert 'name="late_reason"' in page
        refused = client.post(f"/assignments/{lead.pk}/plan/", FORM)
        assert refused.status_code == 400
        filed = client.post(
            f"/assignments/{lead.pk}/plan/", {**FORM, "late_reason": "分工待协调。"}
        )
    assert filed.status_code == 302
    assert HandlingPlan.objects.get().filed_late


def test_the_deputy_and_staff_see_the_plan_on_the_suggestion(acknowledged):
    j = acknowledged
    services.assignment_file_plan(
        assignment_id=j.lead_assignment().pk,
        actor=j.clerk,
        responsible_leader="王副局长",
        officer="李明",
        officer_phone="0994-2345678",
        measures="实地调研。",
        milestones=[{"title": "完成实地调研", "due_on": dt.date(2026, 4, 1)}],
        complete_by=dt.date(2026, 6, 1),
    )
    url = f"/suggestions/{j.suggestion.pk}/"
    for user in (j.deputy, j.staff):
        page = client_of(user).get(url).content.decode()
        assert 'data-testid="plan"' in page and "王副局长" in page
        assert "已制定办理计划" in page  # the timeline
    stranger = deputy_user(delegation__congress=j.session.congress)
    response = client_of(stranger).get(url)
    assert response.status_code == 404 or "王副局长" not in response.content.decode()


def test_staff_see_when_the_plan_is_due(acknowledged):
    page = (
        client_of(acknowledged.staff)
        .get(f"/suggestions/{acknowledged.suggestion.pk}/")
        .content.decode()
    )
    assert 'data-testid="plan-due"' in page
