"""The promise ledger in the API (API.md): ``promises`` with a class-B reply,
``GET /api/v1/promises/`` with its filters, ``POST /promises/{id}/report/``; every
answer limited to what the caller may read (another's promise 404)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common import clock
from suggestions import services
from suggestions.models import Outcome, Promise, PromiseState, Status
from tests.conftest import at
from tests.factories import (
    CongressBodyFactory,
    CongressFactory,
    Journey,
    StaffFactory,
    UnitMemberFactory,
    deputy_user,
)

from .conftest import client_as

pytestmark = pytest.mark.django_db

DUE = "2026-09-30"


@pytest.fixture
def replied(journey):
    """The journey's suggestion acknowledged and replied class B through the API,
    with two promises."""
    journey.to(Status.ASSIGNED)
    journey.acknowledge()
    journey.meet()
    assignment = journey.lead_assignment()
    response = client_as(journey.clerk).post(
        f"/api/v1/assignments/{assignment.pk}/reply/",
        {
            "outcome": "in_progress",
            "body": "已列入明年计划。",
            "co_opinion_note": "先行答复",
            "promises": [
                {"text": "完成设计", "due_on": "2026-06-30"},
                {"text": "开工建设", "due_on": DUE},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    return assignment


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_a_class_b_reply_takes_promises(journey, replied):
    """The reply's promises are saved, open, and listed with their suggestion."""
    response = client_as(journey.staff).get("/api/v1/promises/")
    rows = response.json()["results"]
    assert [(r["text"], r["due_on"], r["status"]) for r in rows] == [
        ("完成设计", "2026-06-30", "open"),
        ("开工建设", DUE, "open"),
    ]
    assert rows[0]["suggestion"]["id"] == journey.suggestion.pk
    assert rows[0]["unit"]["id"] == journey.unit.pk
    assert rows[0]["overdue"] is False


def test_multipart_replies_send_promises_as_json(journey):
    """In a multipart reply (with a letter) the promises come as one JSON string."""
    journey.to(Status.ASSIGNED)
    journey.acknowledge()
    journey.meet()
    assignment = journey.lead_assignment()
    response = client_as(journey.clerk).post(
        f"/api/v1/assignments/{assignment.pk}/reply/",
        {
            "outcome": "in_progress",
            "body": "答复",
            "co_opinion_note": "先行答复",
            "promises": '[{"text": "开工建设", "due_on": "2026-09-30"}]',
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert Promise.objects.get().text == "开工建设"


@pytest.mark.parametrize(
    ("outcome", "promises", "field"),
    [
        ("resolved", [{"text": "开工", "due_on": DUE}], "promises"),
        ("in_progress", [{"text": "开工", "due_on": "2025-01-01"}], "promises"),
        ("in_progress", [{"text": "开工", "due_on": "明年"}], "promises"),
        ("in_progress", [{"due_on": DUE}], "promises"),
    ],
)
def test_bad_promises_are_refused_whole(journey, outcome, promises, field):
    """A promise on a class-A reply, due before the reply, without a date or text:
    400 naming ``promises``; no reply is sent."""
    journey.to(Status.ASSIGNED)
    journey.acknowledge()
    journey.meet()
    assignment = journey.lead_assignment()
    response = client_as(journey.clerk).post(
        f"/api/v1/assignments/{assignment.pk}/reply/",
        {"outcome": outcome, "body": "答复", "promises": promises},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert field in response.content.decode()
    assert journey.refresh().status == Status.ASSIGNED
    assert not Promise.objects.exists()


def test_filters(journey, replied):
    """session, unit, status and overdue narrow the list."""
    client = client_as(journey.staff)
    first, second = Promise.objects.order_by("due_on")
    services.promise_report(
        promise_id=first.pk, actor=journey.clerk, state="kept", note="完成"
    )
    assert ids(client.get("/api/v1/promises/", {"status": "kept"})) == [first.pk]
    assert ids(client.get("/api/v1/promises/", {"status": "open"})) == [second.pk]
    assert ids(client.get("/api/v1/promises/", {"unit": journey.unit.pk})) == [
        first.pk,
        second.pk,
    ]
    assert len(ids(client.get("/api/v1/promises/", {"session": journey.session.pk})))
    assert ids(client.get("/api/v1/promises/", {"overdue": "true"})) == []
    with clock.frozen_at(at(2026, 10, 8)):
        assert ids(client.get("/api/v1/promises/", {"overdue": "true"})) == [second.pk]


def test_the_unit_reports_and_staff_correct(journey, replied):
    """The lead unit reports (200 with the promise); a second report by the unit is
    403; staff correct it."""
    promise = Promise.objects.order_by("due_on").first()
    url = f"/api/v1/promises/{promise.pk}/report/"
    response = client_as(journey.clerk).post(
        url, {"kept": "partly", "note": "设计完成一半"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["note"], body["reported_on"]) == (
        "partly",
        "设计完成一半",
        "2026-03-10",
    )
    again = client_as(journey.clerk).post(
        url, {"kept": "kept", "note": "x"}, format="json"
    )
    assert again.status_code == 403
    fixed = client_as(journey.staff).post(
        url, {"kept": "kept", "note": "核实已完成"}, format="json"
    )
    assert fixed.status_code == 200
    assert fixed.json()["corrected"] is True
    promise.refresh_from_db()
    assert promise.state == PromiseState.KEPT


def test_refusals(journey, replied, other_clerk):
    """Staff do not report for the unit (403); bad input 400; another unit, a
    deputy of another body, another body's staff find nothing (404)."""
    promise = Promise.objects.order_by("due_on").first()
    url = f"/api/v1/promises/{promise.pk}/report/"
    good = {"kept": "kept", "note": "完成"}
    assert client_as(journey.staff).post(url, good, format="json").status_code == 403
    bad = {"kept": "open", "note": "完成"}
    assert client_as(journey.clerk).post(url, bad, format="json").status_code == 400
    future = {**good, "reported_on": "2027-01-01"}
    assert client_as(journey.clerk).post(url, future, format="json").status_code == 400
    other_body = CongressBodyFactory(region="玛纳斯县")
    strangers = [
        other_clerk,
        deputy_user(delegation__congress=CongressFactory(body=other_body)),
        StaffFactory(body=other_body),
        UnitMemberFactory(unit__body=other_body),
    ]
    for user in strangers:
        client = client_as(user)
        assert client.post(url, good, format="json").status_code == 404
        assert client.get(f"/api/v1/promises/{promise.pk}/").status_code == 404
        assert ids(client.get("/api/v1/promises/")) == []
    assert client_as().get("/api/v1/promises/").status_code == 401
    promise.refresh_from_db()
    assert promise.state == PromiseState.OPEN


def test_the_deputy_reads_their_promises(journey, replied):
    """The lead deputy and the co-signer read the promises (and may not report)."""
    for user in (journey.deputy, journey.cosigner):
        client = client_as(user)
        assert len(ids(client.get("/api/v1/promises/"))) == 2
        promise = Promise.objects.first()
        assert client.get(f"/api/v1/promises/{promise.pk}/").status_code == 200
    response = client_as(journey.deputy).post(
        f"/api/v1/promises/{promise.pk}/report/",
        {"kept": "kept", "note": "x"},
        format="json",
    )
    assert response.status_code in (403, 404)


def test_the_list_costs_the_same_queries_for_2_and_20(journey, replied):
    """The list's queries do not grow with its rows (each measured after a first
    call that fills the caller's role caches)."""
    client = client_as(journey.staff)
    client.get("/api/v1/promises/")
    with CaptureQueriesContext(connection) as few:
        assert len(ids(client.get("/api/v1/promises/"))) == 2
    for _ in range(3):
        other = Journey(session=journey.session)
        other.to(Status.ASSIGNED)
        other.reply(
            outcome=Outcome.IN_PROGRESS,
            promises=[
                {"text": f"承诺{i}", "due_on": dt.date(2026, 9, 30)} for i in range(6)
            ],
        )
    client.get("/api/v1/promises/")
    with CaptureQueriesContext(connection) as many:
        assert len(ids(client.get("/api/v1/promises/"))) == 20
    assert len(few) == len(many)
