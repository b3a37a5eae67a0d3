"""The promise ledger's pages: promises entered with the reply form, reported on the
unit's assignment page, shown to the deputy on the suggestion's page, and the
staff's ledger across sessions with its filters and Excel export. Wiring,
permissions and status codes; the rules are tested in tests/suggestions."""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from common import clock
from suggestions import services
from suggestions.models import Outcome, Promise, PromiseState, Status
from tests.factories import (
    CongressBodyFactory,
    CongressFactory,
    Journey,
    SessionFactory,
    StaffFactory,
    deputy_user,
)
from tests.forms import FormClient

DUE = dt.date(2026, 9, 30)


def client_for(user) -> FormClient:
    client = FormClient(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def promised(journey, *items):
    journey.to(Status.ASSIGNED)
    return journey.reply(
        outcome=Outcome.IN_PROGRESS,
        promises=[{"text": t, "due_on": d} for t, d in items],
    )


def test_the_reply_form_takes_promises_one_a_line(journey):
    """The lead unit's reply form reads "date text" lines into promises."""
    journey.to(Status.ASSIGNED)
    journey.acknowledge()
    journey.meet()
    assignment = journey.lead_assignment()
    client = client_for(journey.clerk)
    page = client.get(reverse("suggestions:assignment-detail", args=[assignment.pk]))
    assert 'name="promises"' in page.content.decode()
    response = client.post(
        reverse("suggestions:assignment-reply", args=[assignment.pk]),
        {
            "outcome": Outcome.IN_PROGRESS,
            "body": "已列入明年计划。",
            "co_opinion_note": "",
            "promises": "2026-6-30 完成设计\n\n2026-09-30 开工建设",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(Promise.objects.values_list("due_on", "text")) == [
        (dt.date(2026, 6, 30), "完成设计"),
        (DUE, "开工建设"),
    ]


@pytest.mark.parametrize(
    ("outcome", "promises"),
    [
        (Outcome.RESOLVED, "2026-06-30 完成设计"),  # class A carries none
        (Outcome.IN_PROGRESS, "2020-06-30 完成设计"),  # before the reply
        (Outcome.IN_PROGRESS, "明年完成设计"),  # no date
    ],
)
def test_the_reply_form_refuses_bad_promises(journey, outcome, promises):
    """A promise on a class-A reply, before the reply or without a date sends the
    form back with the error; nothing is sent."""
    journey.to(Status.ASSIGNED)
    journey.acknowledge()
    journey.meet()
    assignment = journey.lead_assignment()
    response = client_for(journey.clerk).post(
        reverse("suggestions:assignment-reply", args=[assignment.pk]),
        {"outcome": outcome, "body": "答复", "promises": promises},
    )
    assert response.status_code in (302, 400)
    assert journey.refresh().status == Status.ASSIGNED
    assert not Promise.objects.exists()


def test_the_unit_reports_on_its_page(journey):
    """The lead unit sees each promise with a report form and reports on it."""
    reply = promised(journey, ("开工建设", DUE))
    promise = reply.promises.get()
    client = client_for(journey.clerk)
    detail = reverse("suggestions:assignment-detail", args=[reply.assignment_id])
    page = client.get(detail).content.decode()
    assert 'data-action="promise-report"' in page and "开工建设" in page
    response = client.post(
        reverse("suggestions:promise-report", args=[promise.pk]),
        {"kept": "kept", "note": "已开工。"},
    )
    assert response.status_code == 302
    assert response.url.startswith(detail)
    promise.refresh_from_db()
    assert (promise.state, promise.report_note) == (PromiseState.KEPT, "已开工。")
    page = client.get(detail).content.decode()
    assert 'data-action="promise-report"' not in page


def test_the_deputy_sees_promises_and_reports(journey):
    """The lead deputy reads the promises and the unit's reports on the
    suggestion's page, with no form to change them."""
    reply = promised(journey, ("开工建设", DUE))
    promise = reply.promises.get()
    services.promise_report(
        promise_id=promise.pk, actor=journey.clerk, state="partly", note="设计完成"
    )
    page = (
        client_for(journey.deputy)
        .get(reverse("suggestions:detail", args=[journey.suggestion.pk]))
        .content.decode()
    )
    assert 'data-testid="promises"' in page
    assert "开工建设" in page and "设计完成" in page and "Partly kept" in page
    assert 'data-action="promise-' not in page


def test_a_deputy_cannot_report(journey, unchanged):
    """A deputy posting a report is refused; nothing changes."""
    promise = promised(journey, ("开工建设", DUE)).promises.get()
    with unchanged(promise):
        response = client_for(journey.deputy).post(
            reverse("suggestions:promise-report", args=[promise.pk]),
            {"kept": "kept", "note": "x"},
        )
    assert response.status_code in (302, 404)


def test_a_deputy_of_another_body_finds_nothing(journey):
    """The ledger's report address of someone else's promise is 404 to a deputy of
    another body, and the ledger page is no deputy's."""
    promise = promised(journey, ("开工建设", DUE)).promises.get()
    stranger = deputy_user(
        delegation__congress=CongressFactory(
            body=CongressBodyFactory(region="玛纳斯县")
        )
    )
    client = client_for(stranger)
    response = client.post(
        reverse("suggestions:promise-report", args=[promise.pk]),
        {"kept": "kept", "note": "x"},
    )
    assert response.status_code == 404
    assert client.get(reverse("suggestions:promises")).status_code == 404


# --- the ledger -----------------------------------------------------------------------


def test_staff_see_the_ledger_across_sessions_with_filters(journey):
    """Staff list every session's promises; the filters narrow by session, state
    and overdue; a report can be corrected from there."""
    first = promised(journey, ("开工建设", DUE)).promises.get()
    other = Journey(session=SessionFactory(congress=journey.session.congress))
    second = promised(other, ("完成验收", dt.date(2026, 3, 10))).promises.get()
    services.promise_report(
        promise_id=first.pk, actor=journey.clerk, state="kept", note="完成"
    )
    client = client_for(journey.staff)
    ledger = reverse("suggestions:promises")

    def rows(**query):
        response = client.get(ledger, query)
        assert response.status_code == 200
        return {p.pk for p in response.context["page_obj"]}

    assert rows() == {first.pk, second.pk}
    assert rows(session=other.session.pk) == {second.pk}
    assert rows(status="kept") == {first.pk}
    assert rows(unit=journey.unit.pk) == {first.pk}
    assert rows(overdue="true", page=1) == set()
    page = client.get(ledger).content.decode()
    assert 'data-action="promise-correct"' in page
    with_overdue = client.get(ledger, {"overdue": "false"})
    assert with_overdue.status_code == 200


def test_the_ledger_shows_overdue_promises(journey, now):
    """A promise past its date without a report is marked overdue and found by
    the overdue filter."""
    promise = promised(journey, ("开工建设", DUE)).promises.get()
    client = client_for(journey.staff)
    ledger = reverse("suggestions:promises")
    with clock.frozen_at(now + dt.timedelta(days=240)):
        response = client.get(ledger, {"overdue": "true"})
    assert [p.pk for p in response.context["page_obj"]] == [promise.pk]
    assert 'data-testid="promise-overdue"' in response.content.decode()
    assert (
        client.get(ledger, {"overdue": "true"}).context["page_obj"].paginator.count == 0
    )


def test_staff_of_another_body_do_not_see_the_promises(journey):
    """The ledger of another body's staff lists none of these promises."""
    promised(journey, ("开工建设", DUE))
    stranger = StaffFactory(body=CongressBodyFactory(region="玛纳斯县"))
    response = client_for(stranger).get(reverse("suggestions:promises"))
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []


def test_the_ledger_exports_to_excel(journey):
    """The export holds the filtered rows, one per promise, with their state."""
    promised(journey, ("开工建设", DUE), ("完成验收", dt.date(2026, 12, 31)))
    response = client_for(journey.staff).get(
        reverse("suggestions:promise-export"), {"session": journey.session.pk}
    )
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][5] == "Promise"
    assert [r[5] for r in values[1:]] == ["开工建设", "完成验收"]
    assert {r[7] for r in values[1:]} == {"Open"}


def test_the_ledger_costs_the_same_queries_for_2_and_20_promises(journey):
    """The ledger page's queries do not grow with its rows."""
    client = client_for(journey.staff)
    ledger = reverse("suggestions:promises")
    promised(journey, ("一", DUE), ("二", DUE))
    client.get(ledger)
    with CaptureQueriesContext(connection) as few:
        client.get(ledger)
    for n in range(3):
        other = Journey(session=journey.session)
        other.staff = journey.staff
        promised(other, *[(f"承诺{n}-{i}", DUE) for i in range(6)])
    assert Promise.objects.count() == 20
    with CaptureQueriesContext(connection) as many:
        client.get(ledger)
    assert len(few) == len(many)


def test_the_export_refuses_a_bad_filter(journey):
    """A filter value that is not understood answers 400, never a 500."""
    response = client_for(journey.staff).get(
        reverse("suggestions:promise-export"), {"status": "maybe"}
    )
    assert response.status_code == 400
