"""Unit assessment (绩效考核, docs/statistics.md "Unit assessment"): each rule's
points, the formula in force for a session and its versions, the API, the page and
the workbook."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from common.errors import InvalidInput, SessionSealed
from congress.models import Congress, ContactStage, HandlingUnit, Session
from dashboard import assessment, services
from dashboard.models import AssessmentFormula
from suggestions.models import (
    AdjustmentKind,
    AdjustmentRequest,
    Assignment,
    AssignmentRole,
    ContactMethod,
    ContactRecord,
    Decision,
    Evaluation,
    HandlingPlan,
    Outcome,
    Rating,
    Reply,
    Status,
    Suggestion,
)

from ..api.conftest import client_as
from ..conftest import at
from ..factories import (
    CongressBodyFactory,
    DeputyFactory,
    LeaderFactory,
    StaffFactory,
    UnitMemberFactory,
    deputy_user,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2023, 8, 1)


def _suggestion(session, number, *, status, lead_unit, round_=1, outcome="", rating=""):
    return Suggestion.objects.create(
        session=session,
        number=number,
        title=f"建议{number}",
        body="内容",
        lead_deputy=DeputyFactory(delegation__congress=session.congress),
        status=status,
        round=round_,
        lead_unit=lead_unit,
        outcome=outcome,
        rating=rating,
        submitted_at=at(2023, 1, 12),
        registered_at=at(2023, 1, 15),
        assigned_at=at(2023, 2, 1),
    )


def _assignment(suggestion, unit, *, role=AssignmentRole.LEAD, round_=1, **fields):
    fields.setdefault("assigned_at", at(2023, 2, 1))
    fields.setdefault("due_at", dt.date(2023, 5, 1))
    return Assignment.objects.create(
        suggestion=suggestion, unit=unit, role=role, round=round_, **fields
    )


def _reply(assignment, outcome=Outcome.RESOLVED):
    return Reply.objects.create(
        assignment=assignment,
        round=assignment.round,
        is_lead=assignment.role == AssignmentRole.LEAD,
        outcome=outcome,
        body="答复",
        sent_by=UnitMemberFactory(unit=assignment.unit),
        sent_at=assignment.replied_at,
    )


def _rate(suggestion, round_, rating, attitude=""):
    Evaluation.objects.create(
        suggestion=suggestion,
        round=round_,
        deputy=suggestion.lead_deputy,
        rating=rating,
        attitude=attitude,
        comment="",
    )


@pytest.fixture
def world():
    """Three units of one body's 2023 session (and its 2022 one):

    - No. 1, led by A, closed: acknowledged, replied on time, class A, satisfied;
      B its co-unit, acknowledged late, its opinion on time.
    - No. 2, led by A, re-handling: acknowledged on time, replied late (class C),
      rated dissatisfied, sent back; round 2 still open past its due date.
    - No. 3, first assigned to C, reassigned to B (approved); B acknowledged on
      time and has not replied past its due date.
    - No. 4, merged away: never scored.
    """
    body = CongressBodyFactory()
    congress = Congress.objects.create(body=body, ordinal=16)
    earlier = Session.objects.create(
        congress=congress, ordinal=1, year=2022, opened_on=dt.date(2022, 1, 10)
    )
    session = Session.objects.create(
        congress=congress,
        ordinal=2,
        year=2023,
        opened_on=dt.date(2023, 1, 10),
        is_current=True,
    )
    a, b, c = (
        HandlingUnit.objects.create(body=body, name=name, kind="government")
        for name in ("甲局", "乙局", "丙局")
    )
    staff = StaffFactory()

    one = _suggestion(
        session,
        1,
        status=Status.CLOSED,
        lead_unit=a,
        outcome=Outcome.RESOLVED,
        rating=Rating.SATISFIED,
    )
    lead = _assignment(
        one, a, acknowledged_at=at(2023, 2, 2), replied_at=at(2023, 4, 1)
    )
    _reply(lead, Outcome.RESOLVED)
    co = _assignment(
        one,
        b,
        role=AssignmentRole.CO,
        acknowledged_at=at(2023, 3, 30),
        replied_at=at(2023, 3, 1),
        due_at=dt.date(2023, 3, 1),
    )
    _reply(co, Outcome.RESOLVED)
    _rate(one, 1, Rating.SATISFIED, Rating.SATISFIED)

    two = _suggestion(
        session,
        2,
        status=Status.REHANDLING,
        lead_unit=a,
        round_=2,
        outcome=Outcome.EXPLAINED,
        rating=Rating.DISSATISFIED,
    )
    first = _assignment(
        two, a, acknowledged_at=at(2023, 2, 2), replied_at=at(2023, 6, 1)
    )
    _reply(first, Outcome.EXPLAINED)
    _rate(two, 1, Rating.DISSATISFIED, Rating.DISSATISFIED)
    _assignment(
        two, a, round_=2, assigned_at=at(2023, 6, 5), due_at=dt.date(2023, 7, 5)
    )

    three = _suggestion(session, 3, status=Status.ASSIGNED, lead_unit=b)
    away = _assignment(three, c, active=False)
    AdjustmentRequest.objects.create(
        assignment=away,
        kind=AdjustmentKind.REASSIGNMENT,
        reason="不属于本单位职责",
        requested_by=UnitMemberFactory(unit=c),
        requested_at=at(2023, 2, 3),
        decision=Decision.APPROVED,
        decided_by=staff,
        decided_at=at(2023, 2, 10),
        new_unit=b,
    )
    _assignment(
        three,
        b,
        assigned_at=at(2023, 2, 10),
        acknowledged_at=at(2023, 2, 11),
        due_at=dt.date(2023, 5, 10),
    )

    four = _suggestion(session, 4, status=Status.MERGED, lead_unit=None)
    _assignment(four, c, acknowledged_at=at(2023, 2, 2))
    return {
        "body": body,
        "session": session,
        "earlier": earlier,
        "units": (a, b, c),
        "suggestions": (one, two, three),
        "staff": staff,
    }


def _points(result) -> dict:
    """(unit name, rule key, suggestion number) → points summed."""
    found: dict = {}
    for row in result.scores:
        for item in row.items:
            key = (row.unit.name, item.rule.key, item.suggestion.number)
            found[key] = found.get(key, 0) + item.points
    return found


def _scores(result) -> dict:
    return {row.unit.name: (row.rank, row.score) for row in result.scores}


def test_each_rule_scores_its_occurrences_with_the_default_formula(world):
    """Every rule gives its default points per occurrence (deductions negative);
    the merged one scores nothing."""
    result = assessment.assess(world["session"], today=TODAY)
    assert result.formula.is_default
    assert _points(result) == {
        # No. 1: A on time, class A, satisfied; B's opinion on time, its
        # acknowledgement late (no points).
        ("甲局", "acknowledged_on_time", 1): 1,
        ("甲局", "replied_on_time", 1): 2,
        ("甲局", "outcome_resolved", 1): 3,
        ("甲局", "rating_satisfied", 1): 3,
        ("甲局", "attitude_satisfied", 1): 1,
        ("乙局", "replied_on_time", 1): 2,
        # No. 2: acknowledged on time, round 1 replied late, class C, dissatisfied
        # and sent back, round 2 open past its due date.
        ("甲局", "acknowledged_on_time", 2): 1,
        ("甲局", "overdue", 2): -4,
        ("甲局", "outcome_explained", 2): 1,
        ("甲局", "rating_dissatisfied", 2): -3,
        ("甲局", "attitude_dissatisfied", 2): -1,
        ("甲局", "rehandling", 2): -2,
        # No. 3: C reassigned away; B acknowledged on time, overdue now.
        ("丙局", "reassigned", 3): -1,
        ("乙局", "acknowledged_on_time", 3): 1,
        ("乙局", "overdue", 3): -2,
    }
    assert _scores(result) == {"甲局": (1, 2), "乙局": (2, 1), "丙局": (3, -1)}


def test_the_plan_the_meeting_and_the_attitude_score_where_their_data_exists(world):
    """A 五定 plan filed by its due date scores, a late one does not; a required
    meeting recorded before the reply scores; the attitude's rating scores apart
    from the result's."""
    one, two, _three = world["suggestions"]
    a = world["units"][0]
    clerk = UnitMemberFactory(unit=a)
    for suggestion, late in ((one, False), (two, True)):
        HandlingPlan.objects.create(
            assignment=Assignment.objects.get(suggestion=suggestion, unit=a, round=1),
            responsible_leader="张副局长",
            officer="李科长",
            officer_phone="0994-1234567",
            measures="调研并制定方案",
            complete_by=dt.date(2023, 4, 30),
            due_on=dt.date(2023, 2, 9),
            filed_late=late,
            late_reason="材料收集延误" if late else "",
            filed_by=clerk,
            filed_at=at(2023, 2, 20 if late else 8),
        )
    ContactRecord.objects.create(
        assignment=Assignment.objects.get(suggestion=one, unit=a, round=1),
        stage=ContactStage.BEFORE_REPLY,
        method=ContactMethod.VISIT,
        contacted_at=at(2023, 3, 20),
        recorded_by=clerk,
    )
    points = _points(assessment.assess(world["session"], today=TODAY))
    # The rules' one required meeting (答复前), recorded for No. 1 alone.
    assert points[("甲局", "meeting_held", 1)] == 1
    assert ("甲局", "meeting_held", 2) not in points
    assert points[("甲局", "plan_on_time", 1)] == 1
    assert ("甲局", "plan_on_time", 2) not in points
    assert points[("甲局", "attitude_satisfied", 1)] == 1
    assert points[("甲局", "attitude_dissatisfied", 2)] == -1
    assert points[("甲局", "rating_dissatisfied", 2)] == -3


def test_every_item_explains_itself(world):
    """Each item names its rule, its suggestion and why in words."""
    result = assessment.assess(world["session"], today=TODAY)
    a = next(r for r in result.scores if r.unit.name == "甲局")
    overdue = [i.explanation for i in a.items if i.rule.key == "overdue"]
    assert any("after its due date" in text for text in overdue)
    assert any("still open" in text for text in overdue)


def test_an_open_assignment_within_its_time_scores_nothing_yet(world):
    """Before the due date, open work is neither on time nor overdue."""
    result = assessment.assess(world["session"], today=dt.date(2023, 4, 15))
    keys = {(r.unit.name, i.rule.key) for r in result.scores for i in r.items}
    assert ("乙局", "overdue") not in keys


def test_a_formula_gives_its_own_points_and_leaves_out_zeroes(world):
    """The body's version in force replaces the defaults; a rule at 0 scores
    nothing, a rule left out of the input gets its default."""
    services.formula_create(
        actor=world["staff"],
        body_id=world["body"].pk,
        effective_from=dt.date(2023, 1, 1),
        weights={
            "replied_on_time": 5,
            "rating_dissatisfied": "10.5",
            "outcome_resolved": 0,
        },
    )
    result = assessment.assess(world["session"], today=TODAY)
    points = _points(result)
    assert points[("甲局", "replied_on_time", 1)] == 5
    assert points[("甲局", "rating_dissatisfied", 2)] == Decimal("-10.5")
    assert ("甲局", "outcome_resolved", 1) not in points
    assert points[("甲局", "rating_satisfied", 1)] == 3
    assert not result.formula.is_default


def test_a_session_is_scored_with_the_version_in_force_when_it_opened(world):
    """The latest version taking effect on or before the opening date applies; a
    later version does not rewrite a sealed session's scores."""
    staff, body = world["staff"], world["body"]
    old = services.formula_create(
        actor=staff,
        body_id=body.pk,
        effective_from=dt.date(2022, 1, 1),
        weights={"replied_on_time": 4},
    )
    assert assessment.formula_for(world["earlier"]).version == old
    assert assessment.formula_for(world["session"]).version == old
    before = _scores(assessment.assess(world["session"], today=TODAY))
    session = world["session"]
    session.sealed_at = timezone.now()
    session.save()
    # A later version takes effect after the sealed session opened: it scores
    # later sessions only.
    services.formula_create(
        actor=staff,
        body_id=body.pk,
        effective_from=dt.date(2024, 1, 1),
        weights={"replied_on_time": 9},
    )
    assert assessment.formula_for(session).version == old
    assert _scores(assessment.assess(session, today=TODAY)) == before


def test_a_version_that_scored_a_sealed_session_is_history(world):
    """Neither changed nor deleted (409 session_sealed); nor may a new version
    take over the sealed session (400 on effective_from). A version scoring only
    unsealed sessions changes freely."""
    staff, body = world["staff"], world["body"]
    old = services.formula_create(
        actor=staff, body_id=body.pk, effective_from=dt.date(2022, 1, 1)
    )
    current = services.formula_create(
        actor=staff, body_id=body.pk, effective_from=dt.date(2023, 1, 1)
    )
    earlier = world["earlier"]
    earlier.sealed_at = timezone.now()
    earlier.save()
    with pytest.raises(SessionSealed):
        services.formula_update(
            formula_id=old.pk, actor=staff, weights={"replied_on_time": 7}
        )
    with pytest.raises(SessionSealed):
        services.formula_update(
            formula_id=old.pk, actor=staff, effective_from=dt.date(2022, 2, 1)
        )
    with pytest.raises(SessionSealed):
        services.formula_delete(formula_id=old.pk, actor=staff)
    with pytest.raises(InvalidInput) as refused:
        services.formula_create(
            actor=staff, body_id=body.pk, effective_from=dt.date(2022, 1, 5)
        )
    assert refused.value.field == "effective_from"
    old.refresh_from_db()
    assert old.weights["replied_on_time"] == 2
    # After the sealed session opened: allowed (it takes over nothing sealed).
    services.formula_create(
        actor=staff, body_id=body.pk, effective_from=dt.date(2022, 6, 1)
    )
    changed = services.formula_update(
        formula_id=current.pk, actor=staff, weights={"replied_on_time": 6}
    )
    assert changed.weights["replied_on_time"] == 6
    points = _points(assessment.assess(world["session"], today=TODAY))
    assert points[("甲局", "replied_on_time", 1)] == 6


def test_a_sealed_session_without_a_formula_keeps_the_default(world):
    """A first version may not take over a sealed session scored by the
    built-in default."""
    world["earlier"].sealed_at = timezone.now()
    world["earlier"].save()
    with pytest.raises(InvalidInput):
        services.formula_create(
            actor=world["staff"],
            body_id=world["body"].pk,
            effective_from=dt.date(2021, 1, 1),
        )


# --- the API --------------------------------------------------------------------------

URL = "/api/v1/dashboard/assessment/"
FORMULAS = "/api/v1/assessment-formulas/"


def test_the_api_answers_each_units_score_and_items(world, settings):
    """``[{"unit", "rank", "score", "items": [{"rule", "points", "suggestion", …}]}]``,
    highest first."""
    response = client_as(world["staff"]).get(URL, {"session": world["session"].pk})
    assert response.status_code == 200
    rows = response.json()
    assert [r["unit"]["name"] for r in rows][:1] == ["甲局"]
    first = rows[0]
    assert set(first) >= {"unit", "score", "items", "rank"}
    assert first["score"] == sum(i["points"] for i in first["items"])
    item = first["items"][0]
    assert set(item) >= {"rule", "points", "suggestion", "explanation", "label"}
    numbers = {i["suggestion"] for i in first["items"]}
    assert numbers <= {s.pk for s in world["suggestions"]}


def test_the_api_answers_the_current_session_by_default(world):
    """No session given: the body's current one."""
    response = client_as(LeaderFactory()).get(URL)
    assert response.status_code == 200
    assert {r["unit"]["name"] for r in response.json()} >= {"甲局", "乙局"}


def test_another_bodys_session_is_not_found(world):
    """Staff of another body find nothing (404), nor an unknown session (400)."""
    other = CongressBodyFactory(region="伊犁哈萨克自治州")
    stranger = StaffFactory(body=other)
    response = client_as(stranger).get(URL, {"session": world["session"].pk})
    assert response.status_code == 404
    assert client_as(world["staff"]).get(URL, {"session": 10**9}).status_code == 400


def test_a_deputy_may_not_read_scores(world):
    """A deputy's role never reads scores: 403, page and API."""
    deputy = deputy_user(delegation__congress=world["session"].congress)
    assert client_as(deputy).get(URL).status_code == 403
    page = Client()
    page.force_login(deputy)
    assert page.get("/dashboard/assessment/").status_code == 403
    assert client_as().get(URL).status_code in (401, 403)


def test_a_unit_clerk_reads_its_own_units_row_only(world):
    """A unit's clerk sees its own unit's score (ranked among all), nobody else's."""
    clerk = UnitMemberFactory(unit=world["units"][1])
    response = client_as(clerk).get(URL, {"session": world["session"].pk})
    assert response.status_code == 200
    rows = response.json()
    assert [(r["unit"]["name"], r["rank"]) for r in rows] == [("乙局", 2)]


def test_staff_write_formulas_and_bad_input_is_a_400(world):
    """A formula through the API: created with defaults filled in; invalid weights,
    dates and bodies are 400s with the field named, never a 500."""
    client = client_as(world["staff"])
    body = world["body"].pk
    response = client.post(
        FORMULAS,
        {"body": body, "effective_from": "2023-01-01", "weights": {"overdue": 3}},
        format="json",
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["weights"]["overdue"] == 3
    assert created["weights"]["replied_on_time"] == 2
    bad = [
        {"weights": {"no_such_rule": 1}},
        {"weights": {"overdue": -1}},
        {"weights": {"overdue": 1000}},
        {"weights": {"overdue": "abc"}},
        {"weights": {"overdue": "1.234"}},
        {"weights": {"overdue": True}},
        {"weights": {"overdue": None}},
        {"weights": [1, 2]},
        {"weights": "x"},
    ]
    for index, change in enumerate(bad):
        payload = {"body": body, "effective_from": f"2024-01-{index + 1:02d}", **change}
        response = client.post(FORMULAS, payload, format="json")
        assert response.status_code == 400, (change, response.content)
        assert "weights" in response.json()
    for payload in (
        {"body": body},
        {"body": body, "effective_from": "not a date"},
        {"effective_from": "2025-01-01"},
    ):
        response = client.post(FORMULAS, payload, format="json")
        assert response.status_code == 400
    other = CongressBodyFactory(region="伊犁哈萨克自治州")
    response = client.post(
        FORMULAS, {"body": other.pk, "effective_from": "2025-01-01"}, format="json"
    )
    assert response.status_code == 400 and "body" in response.json()
    response = client.patch(
        f"{FORMULAS}{created['id']}/", {"weights": {"overdue": "x"}}, format="json"
    )
    assert response.status_code == 400
    response = client.post(
        FORMULAS, {"body": body, "effective_from": "2023-01-01"}, format="json"
    )
    assert response.status_code == 400  # the same day twice
    assert AssessmentFormula.objects.count() == 1


def test_the_formulas_api_keeps_history_and_scopes_bodies(world):
    """PATCH of a version that scored a sealed session is 409 session_sealed;
    another body's staff find nothing; leaders may not (403)."""
    client = client_as(world["staff"])
    formula = services.formula_create(
        actor=world["staff"],
        body_id=world["body"].pk,
        effective_from=dt.date(2023, 1, 1),
    )
    url = f"{FORMULAS}{formula.pk}/"
    assert client.patch(url, {"note": "试行"}, format="json").status_code == 200
    session = world["session"]
    session.sealed_at = timezone.now()
    session.save()
    response = client.patch(url, {"weights": {"overdue": 9}}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "session_sealed"
    assert client.delete(url).status_code == 409
    stranger = StaffFactory(body=CongressBodyFactory(region="伊犁哈萨克自治州"))
    assert client_as(stranger).get(url).status_code == 404
    assert client_as(stranger).get(FORMULAS).json()["count"] == 0
    assert client_as(LeaderFactory()).get(FORMULAS).status_code == 403
    rules = client.get(f"{FORMULAS}rules/").json()
    assert [r["key"] for r in rules] == list(assessment.RULES)


# --- the page and the workbook --------------------------------------------------------


def _page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_ranks_the_units_with_their_items(world):
    """Staff see every unit, ranked, each item linking to its suggestion."""
    response = _page_client(world["staff"]).get(
        "/dashboard/assessment/", {"session": world["session"].pk}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("甲局") < html.index("乙局") < html.index("丙局")
    one = world["suggestions"][0]
    assert f'href="/suggestions/{one.pk}/"' in html


def test_the_page_refuses_another_body_and_shows_a_clerk_its_own_unit(world):
    """Another body's session is 404; a clerk's page shows its unit alone."""
    stranger = StaffFactory(body=CongressBodyFactory(region="伊犁哈萨克自治州"))
    response = _page_client(stranger).get(
        "/dashboard/assessment/", {"session": world["session"].pk}
    )
    assert response.status_code == 404
    clerk = UnitMemberFactory(unit=world["units"][2])
    html = _page_client(clerk).get("/dashboard/assessment/").content.decode()
    assert "丙局" in html and "甲局" not in html


def test_the_workbook_holds_the_scores_and_items(world):
    """The download opens in Excel: ranks and scores, every item, the formula."""
    response = _page_client(world["staff"]).get(
        "/dashboard/assessment.xlsx", {"session": world["session"].pk}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    scores, items, formula = book.worksheets
    rows = list(scores.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[3]) for r in rows] == [
        (1, "甲局", 2),
        (2, "乙局", 1),
        (3, "丙局", -1),
    ]
    result = assessment.assess(world["session"])
    assert items.max_row - 1 == sum(len(r.items) for r in result.scores)
    assert formula.max_row - 1 == len(assessment.RULES) + 1
    api = client_as(world["staff"]).get(
        "/api/v1/dashboard/assessment.xlsx", {"session": world["session"].pk}
    )
    assert api.status_code == 200
    # The page's in Chinese by default, the API's in the language asked for.
    assert book.sheetnames == ["得分排名", "计分明细", "考核办法"]
    assert load_workbook(io.BytesIO(api.content)).sheetnames == [
        "Scores",
        "Items",
        "Formula",
    ]


def test_the_admin_edits_one_number_per_rule_and_keeps_history(admin_client, world):
    """The admin's form has a field per rule; a version taking over a sealed
    session is refused with the reason, and nothing is saved."""
    url = "/admin/dashboard/assessmentformula/add/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="points_rehandling"' in page.content.decode()
    data = {
        "body": world["body"].pk,
        "effective_from": "2023-01-01",
        "note": "试行",
        **{
            f"points_{key}": str(rule.default) for key, rule in assessment.RULES.items()
        },
    }
    data["points_overdue"] = "4.5"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    formula = AssessmentFormula.objects.get()
    assert formula.weights["overdue"] == 4.5
    world["session"].sealed_at = timezone.now()
    world["session"].save()
    change = f"/admin/dashboard/assessmentformula/{formula.pk}/change/"
    response = admin_client.post(change, {**data, "points_overdue": "1"})
    assert response.status_code == 200  # the form again, with the error
    assert "已封存" in response.content.decode()
    formula.refresh_from_db()
    assert formula.weights["overdue"] == 4.5
    delete = admin_client.get(
        f"/admin/dashboard/assessmentformula/{formula.pk}/delete/"
    )
    assert delete.status_code == 403
