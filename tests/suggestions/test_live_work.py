"""Live work has one definition (``Assignment.objects.live`` and, for a loaded row,
``Assignment.is_live``): active, not replied, of the suggestion's current round, the
suggestion assigned or re-handling. The workbench, the unit's tabs, the reminders,
the API's ``?overdue=``, the admin's filter, the pages and the services all use it.

The case that used to disagree: the lead unit replies without the co-unit's opinion,
the deputy is dissatisfied and round 2 opens. The co-unit's round-1 assignment is no
longer live: not counted, not reminded, not overdue in the API, shown as ended.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from common import clock
from common.errors import InvalidTransition
from notifications import reminders
from notifications.models import Reminder
from suggestions import selectors, services
from suggestions.models import Assignment, Ended, Outcome, Rating, Status
from tests.api.contract import ContractClient
from tests.factories import Journey

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def long_ago():
    """Every step four months before today: the round-1 deadlines are past now."""
    with clock.frozen_at(timezone.now() - dt.timedelta(days=120)):
        yield


@pytest.fixture
def round_two(long_ago):
    """Round 1 replied by the lead unit without the co-unit's opinion, rated
    dissatisfied: round 2 runs, the co-unit's round-1 assignment never answered."""
    j = Journey(co_unit=True)
    j.to(Status.ASSIGNED)
    co = j.co_assignment()
    j.reply()
    j.evaluate(Rating.DISSATISFIED)
    assert j.refresh().status == Status.REHANDLING and j.suggestion.round == 2
    co.refresh_from_db()
    return j, co


def test_the_old_co_unit_assignment_is_not_live(round_two):
    j, co = round_two
    today = timezone.localdate()
    assert co.due_at < today and co.replied_at is None and co.active
    assert not co.is_live and not co.is_overdue
    assert co.ended_reason == Ended.ROUND_ENDED
    assert co not in Assignment.objects.live()
    assert co not in Assignment.objects.overdue(today)
    lead = j.lead_assignment()  # round 2's: live, and overdue by now
    assert lead.is_live and lead in Assignment.objects.live().overdue(today)


def test_the_co_unit_workbench_and_tabs_do_not_count_it(round_two):
    j, _co = round_two
    counts = selectors.workbench_counts(user=j.co_clerk)["unit"]
    assert counts == {
        "to_acknowledge": 0,
        "in_progress": 0,
        "due_soon": 0,
        "overdue": 0,
        "opinions_awaited": 0,
    }
    tabs = selectors.unit_assignment_counts(user=j.co_clerk)
    assert {k: v for k, v in tabs.items() if k not in ("all", "done")} == dict.fromkeys(
        ("pending", "open", "due-soon", "overdue", "co"), 0
    )


def test_the_co_unit_is_not_reminded(round_two):
    j, co = round_two
    reminders.sweep(today=timezone.localdate())
    assert not Reminder.objects.filter(assignment=co).exists()
    assert Reminder.objects.filter(assignment=j.lead_assignment()).exists()


def test_the_api_does_not_list_it_as_overdue(round_two):
    j, co = round_two
    client = ContractClient()
    client.force_authenticate(j.co_clerk)
    overdue = client.get("/api/v1/assignments/?overdue=true").json()["results"]
    assert overdue == []
    rest = client.get("/api/v1/assignments/?overdue=false").json()["results"]
    assert [(r["id"], r["is_overdue"]) for r in rest] == [(co.pk, False)]
    client.force_authenticate(j.staff)
    overdue = client.get("/api/v1/assignments/?overdue=true").json()["results"]
    assert [r["id"] for r in overdue] == [j.lead_assignment().pk]


def test_the_admin_filter_does_not_list_it_as_overdue(round_two, admin_client):
    j, co = round_two
    response = admin_client.get(
        "/admin/suggestions/assignment/", {"deadline": "overdue"}
    )
    shown = {a.pk for a in response.context["cl"].result_list}
    assert shown == {j.lead_assignment().pk}
    response = admin_client.get("/admin/suggestions/assignment/", {"deadline": "open"})
    assert co.pk not in {a.pk for a in response.context["cl"].result_list}


def test_every_service_refuses_it(round_two):
    j, co = round_two
    with pytest.raises(InvalidTransition, match="no longer current"):
        services.assignment_acknowledge(assignment_id=co.pk, actor=j.co_clerk)


def _due_cell(page: str, assignment) -> str:
    match = re.search(
        rf'<td[^>]*data-testid="due-{assignment.pk}">(.*?)</td>', page, re.DOTALL
    )
    assert match, "the assignment's due date is on the page"
    return match.group(1)


def test_the_detail_page_shows_it_ended_without_days_left(round_two):
    j, co = round_two
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(j.staff)
    page = client.get(j.suggestion.get_absolute_url()).content.decode()
    cell = _due_cell(page, co)
    assert 'data-ended="round_ended"' in cell and "本轮已结束" in cell
    assert "data-deadline" not in cell and "剩余" not in cell
    # The round-2 lead assignment is live: its light and its days.
    assert "data-deadline" in _due_cell(page, j.lead_assignment())


def test_after_closing_no_co_unit_deadline_runs(long_ago):
    """Closed with the co-unit's opinion never sent: its deadline shows as ended
    (已办结), on the detail page and on the co-unit's own pages."""
    j = Journey(co_unit=True)
    j.to(Status.CLOSED)
    co = Assignment.objects.get(suggestion=j.suggestion, role="co")
    assert co.replied_at is None and co.ended_reason == Ended.CLOSED
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(j.co_clerk)
    page = client.get(j.suggestion.get_absolute_url()).content.decode()
    cell = _due_cell(page, co)
    assert 'data-ended="closed"' in cell and "已办结" in cell
    assert "data-deadline" not in cell
    page = client.get(f"/assignments/{co.pk}/").content.decode()
    assert 'data-ended="closed"' in page and "data-deadline" not in page
    page = client.get("/assignments/?tab=all").content.decode()
    assert 'data-ended="closed"' in page and "data-deadline" not in page


def test_reasons_and_the_queryset_agree_with_the_row(journey_with_co_unit):
    """Over assignments in every state, the rows ``live()`` answers are those whose
    ``is_live`` is true, and each other one says why it ended."""
    j = journey_with_co_unit
    j.to(Status.ASSIGNED)
    expected = {j.co_assignment().pk: None, j.lead_assignment().pk: None}
    request = services.assignment_request_reassignment(
        assignment_id=j.lead_assignment().pk, actor=j.clerk, reason="不属于本单位。"
    )
    old_lead = j.lead_assignment()
    services.adjustment_approve(
        request_id=request.pk, actor=j.staff, new_unit=Journey().unit
    )
    expected[old_lead.pk] = Ended.REASSIGNED
    expected[j.lead_assignment().pk] = None
    services.assignment_acknowledge(
        assignment_id=j.co_assignment().pk, actor=j.co_clerk
    )
    services.assignment_reply(
        assignment_id=j.co_assignment().pk,
        actor=j.co_clerk,
        outcome=Outcome.RESOLVED,
        body="意见。",
    )
    expected[j.co_assignment().pk] = Ended.REPLIED

    rows = list(Assignment.objects.filter(suggestion=j.suggestion))
    assert {a.pk: a.ended_reason for a in rows} == expected
    live = set(Assignment.objects.live().values_list("pk", flat=True))
    assert live == {a.pk for a in rows if a.is_live} == {j.lead_assignment().pk}

    j.reply()  # the lead replies: the round has ended for everyone
    rows = list(Assignment.objects.filter(suggestion=j.suggestion))
    assert not Assignment.objects.live().exists()
    assert {a.ended_reason for a in rows} == {Ended.REASSIGNED, Ended.REPLIED}


def test_a_loaded_row_answers_without_a_query(
    journey_with_co_unit, django_assert_num_queries
):
    """Assignments prefetched with their suggestion, or joined to it, know whether
    they are live without asking the database."""
    j = journey_with_co_unit
    j.to(Status.ASSIGNED)
    suggestion = selectors.suggestion_detail(user=j.staff, pk=j.suggestion.pk)
    joined = list(Assignment.objects.select_related("suggestion"))
    with django_assert_num_queries(0):
        assert all(a.is_live for a in suggestion.assignments.all())
        assert [a.ended_reason for a in joined] == [None, None]


def test_live_then_overdue_tests_liveness_once():
    query = str(Assignment.objects.live().overdue(dt.date(2026, 3, 1)).query)
    assert query.count("EXISTS") == 1


# --- one definition in the code ------------------------------------------------------

CODE = ("suggestions", "notifications", "dashboard", "demo", "common", "config")


def _sources():
    for folder in CODE:
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, path.read_text()


def test_only_the_model_spells_live_work():
    """Work waiting for a unit is asked of ``Assignment.objects.live`` (or the row's
    ``is_live``), never spelled out again: an assignment filter on ``replied_at``
    being empty appears in the model's definition (and its indexes) only."""
    spelled = [
        str(path.relative_to(ROOT))
        for path, text in _sources()
        if "replied_at__isnull=True" in text
    ]
    assert spelled == ["suggestions/models.py"]
    assert not [path for path, text in _sources() if "Assignment.objects.open(" in text]


def test_templates_show_assignment_deadlines_through_one_tag():
    """A template shows an assignment's due date with ``assignment_due`` (the light
    while live, else why it ended); ``deadline_light`` is for suggestions only."""
    lights = set()
    for path in (ROOT / "templates").rglob("*.html"):
        lights |= set(re.findall(r"deadline_light (\w+)\.due_at", path.read_text()))
    assert lights <= {"suggestion", "s"}
