"""The 五定 plan through the API (issue 17, items 1 and 8): ``POST
/assignments/{id}/plan/`` and ``/progress/``, ``plan`` in the assignment's detail and
on the suggestion's assignments for those who take part; refusals as the contract
says (400 with the field, 403 a co-unit, 404 another unit, 409 a state)."""

import datetime as dt

import pytest

from common import clock
from suggestions import services
from suggestions.models import HandlingPlan

from ..conftest import at
from .conftest import PLAN, PLAN_JSON, client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def acknowledged(cast):
    """Acknowledged at NOW (10 March 2026): the plan is due 24 March, the reply by
    10 June."""
    cast.state("acknowledged")
    return cast


def url(cast, action="plan"):
    return f"/api/v1/assignments/{cast.lead_assignment().pk}/{action}/"


def test_filing_answers_the_assignment_with_its_plan(acknowledged):
    response = client_as(acknowledged.clerk).post(
        url(acknowledged), PLAN_JSON, format="json"
    )
    assert response.status_code == 200, response.content
    plan = response.json()["plan"]
    assert plan["responsible_leader"] == "王副局长"
    assert plan["officer_phone"] == "0994-2345678"
    assert plan["complete_by"] == "2026-06-01"
    assert plan["due_on"] == "2026-03-24"
    assert plan["filed_late"] is False
    assert [m["title"] for m in plan["milestones"]] == ["完成实地调研"]
    assert plan["milestones"][0]["reported"] is False
    assert response.json()["plan_due_on"] == "2026-03-24"
    assert "progress" in response.json()["allowed_actions"]


def test_before_filing_the_detail_says_when_it_is_due(acknowledged):
    detail = client_as(acknowledged.staff).get(
        f"/api/v1/assignments/{acknowledged.lead_assignment().pk}/"
    )
    assert detail.json()["plan"] is None
    assert detail.json()["plan_due_on"] == "2026-03-24"
    clerk = client_as(acknowledged.clerk).get(
        f"/api/v1/assignments/{acknowledged.lead_assignment().pk}/"
    )
    assert "plan" in clerk.json()["allowed_actions"]
    assert "progress" not in clerk.json()["allowed_actions"]


def test_a_completion_date_past_the_deadline_is_a_400(acknowledged):
    body = {**PLAN_JSON, "complete_by": "2026-06-11"}
    response = client_as(acknowledged.clerk).post(
        url(acknowledged), body, format="json"
    )
    assert response.status_code == 400
    assert "complete_by" in response.json()
    assert "June 10, 2026" in response.json()["complete_by"][0]
    assert not HandlingPlan.objects.exists()


def test_a_milestone_outside_the_range_is_a_400(acknowledged):
    body = {**PLAN_JSON, "milestones": [{"title": "调研", "due_on": "2026-06-05"}]}
    response = client_as(acknowledged.clerk).post(
        url(acknowledged), body, format="json"
    )
    assert response.status_code == 400
    assert "milestones" in response.json()


def test_late_without_a_reason_is_a_400_and_with_one_is_marked_late(acknowledged):
    client = client_as(acknowledged.clerk)
    with clock.frozen_at(at(2026, 3, 25)):
        refused = client.post(url(acknowledged), PLAN_JSON, format="json")
        assert refused.status_code == 400
        assert "late_reason" in refused.json()
        filed = client.post(
            url(acknowledged),
            {**PLAN_JSON, "late_reason": "责任分工待协调。"},
            format="json",
        )
    assert filed.status_code == 200
    assert filed.json()["plan"]["filed_late"] is True
    assert filed.json()["plan"]["late_reason"] == "责任分工待协调。"


def test_a_co_unit_is_refused_and_another_unit_finds_nothing(cast):
    from tests.factories import HandlingUnitFactory, UnitMemberFactory

    cast.co_unit = HandlingUnitFactory(body=cast.session.congress.body)
    cast.co_clerk = UnitMemberFactory(unit=cast.co_unit)
    cast.state("acknowledged")
    co = cast.co_assignment()
    services.assignment_acknowledge(assignment_id=co.pk, actor=cast.co_clerk)
    response = client_as(cast.co_clerk).post(
        f"/api/v1/assignments/{co.pk}/plan/", PLAN_JSON, format="json"
    )
    assert response.status_code == 403
    response = client_as(cast.other_clerk).post(url(cast), PLAN_JSON, format="json")
    assert response.status_code == 404
    assert not HandlingPlan.objects.exists()


def test_before_acknowledging_is_a_409(cast):
    cast.state("assigned")
    response = client_as(cast.clerk).post(url(cast), PLAN_JSON, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_progress_against_a_milestone(acknowledged):
    services.assignment_file_plan(
        assignment_id=acknowledged.lead_assignment().pk,
        actor=acknowledged.clerk,
        **PLAN,
    )
    client = client_as(acknowledged.clerk)
    milestone = HandlingPlan.objects.get().milestones.get()
    with clock.frozen_at(at(2026, 4, 2)):
        response = client.post(
            url(acknowledged, "progress"),
            {"milestone": milestone.pk, "note": "已完成实地调研。"},
            format="json",
        )
    assert response.status_code == 200, response.content
    plan = response.json()["plan"]
    assert plan["milestones"][0]["reported"] is True
    assert plan["progress"][0]["milestone"] == milestone.pk
    assert plan["progress"][0]["note"] == "已完成实地调研。"
    bad = client.post(
        url(acknowledged, "progress"),
        {"milestone": milestone.pk + 999, "note": "x"},
        format="json",
    )
    assert bad.status_code == 400 and "milestone" in bad.json()


def test_the_deputy_reads_the_plan_on_the_suggestion(acknowledged):
    """Those who take part (the lead deputy among them) read the plan on the
    suggestion's assignments; a deputy who does not, does not."""
    services.assignment_file_plan(
        assignment_id=acknowledged.lead_assignment().pk,
        actor=acknowledged.clerk,
        **PLAN,
    )
    path = f"/api/v1/suggestions/{acknowledged.suggestion.pk}/"
    mine = client_as(acknowledged.deputy).get(path).json()
    [lead] = [a for a in mine["assignments"] if a["role"] == "lead"]
    assert lead["plan"]["responsible_leader"] == "王副局长"
    assert dt.date.fromisoformat(lead["plan"]["complete_by"]) == dt.date(2026, 6, 1)
    staff = client_as(acknowledged.staff).get(path).json()
    assert staff["assignments"][0]["plan"] is not None
