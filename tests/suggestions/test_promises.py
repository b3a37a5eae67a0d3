"""The promise ledger's rules (docs/domain.md, "The promise ledger"): only a lead
reply classed B states promises, none due before the reply, only the lead unit
reports, a report once made is corrected only by staff."""

import datetime as dt

import pytest

from common import clock
from common.errors import InvalidInput, NotFound, NotPermitted
from suggestions import services
from suggestions.models import Event, Outcome, Promise, PromiseState, Status
from suggestions.services.promises import (
    check_due_on,
    promise_report_kind,
    promises_allowed,
)
from tests.conftest import at
from tests.factories import (
    CongressBodyFactory,
    CongressFactory,
    StaffFactory,
    UnitMemberFactory,
)

TODAY = dt.date(2026, 3, 10)  # the day of NOW
DUE = dt.date(2026, 9, 30)


def promised(journey, *items):
    """The journey's suggestion replied class B with ``items`` (text, due)."""
    journey.to(Status.ASSIGNED)
    return journey.reply(
        outcome=Outcome.IN_PROGRESS,
        promises=[{"text": t, "due_on": d} for t, d in items],
    )


@pytest.fixture
def promise(journey):
    reply = promised(journey, ("年内完成道路改造", DUE))
    return reply.promises.get()


# --- stating promises -----------------------------------------------------------------


def test_a_class_b_reply_states_its_promises(journey):
    """The lead unit's class-B reply saves each promise, open, with its date."""
    reply = promised(journey, (" 6月底前完成设计 ", "2026-06-30"), ("年内完工", DUE))
    rows = list(reply.promises.order_by("due_on"))
    assert [(p.text, p.due_on, p.state) for p in rows] == [
        ("6月底前完成设计", dt.date(2026, 6, 30), PromiseState.OPEN),
        ("年内完工", DUE, PromiseState.OPEN),
    ]
    event = Event.objects.filter(suggestion=journey.suggestion, action="reply").get()
    assert event.data["promises"] == 2


@pytest.mark.parametrize(
    ("outcome", "is_lead", "allowed"),
    [
        (Outcome.IN_PROGRESS, True, True),
        (Outcome.RESOLVED, True, False),
        (Outcome.EXPLAINED, True, False),
        (Outcome.REFERENCE, True, False),
        (Outcome.IN_PROGRESS, False, False),
    ],
)
def test_only_a_lead_class_b_reply_carries_promises(outcome, is_lead, allowed):
    """The rule itself: the lead unit's reply classed B, nothing else."""
    assert promises_allowed(outcome=outcome, is_lead=is_lead) is allowed


def test_a_class_a_reply_with_promises_is_refused(journey, unchanged):
    """A reply classed A (resolved) that states promises is refused whole: no reply,
    no promise, the suggestion still assigned."""
    journey.to(Status.ASSIGNED)
    journey.acknowledge()
    journey.meet()
    assignment = journey.lead_assignment()
    with unchanged(assignment), pytest.raises(InvalidInput) as error:
        journey.reply(
            outcome=Outcome.RESOLVED, promises=[{"text": "年内完工", "due_on": DUE}]
        )
    assert error.value.field == "promises"
    assert journey.refresh().status == Status.ASSIGNED
    assert not Promise.objects.exists()


def test_a_co_units_opinion_states_no_promises(journey_with_co_unit, unchanged):
    """A co-unit's opinion classed B is no reply to the deputy: no promises."""
    journey = journey_with_co_unit
    journey.to(Status.ASSIGNED)
    co = journey.co_assignment()
    services.assignment_acknowledge(assignment_id=co.pk, actor=journey.co_clerk)
    with unchanged(co), pytest.raises(InvalidInput):
        services.assignment_reply(
            assignment_id=co.pk,
            actor=journey.co_clerk,
            outcome=Outcome.IN_PROGRESS,
            body="协办意见",
            promises=[{"text": "年内完工", "due_on": DUE}],
        )


def test_a_promise_cannot_fall_due_before_its_reply(journey, unchanged):
    """A due date before the reply's day is refused (the reply's day itself is
    taken); nothing is written."""
    journey.to(Status.ASSIGNED)
    journey.acknowledge()
    journey.meet()
    assignment = journey.lead_assignment()
    with unchanged(assignment), pytest.raises(InvalidInput) as error:
        journey.reply(
            outcome=Outcome.IN_PROGRESS,
            promises=[
                {"text": "年内完工", "due_on": DUE},
                {"text": "已经过去", "due_on": TODAY - dt.timedelta(days=1)},
            ],
        )
    assert error.value.field == "promises"
    assert not Promise.objects.exists()
    assert check_due_on(TODAY, replied_on=TODAY) == TODAY


@pytest.mark.parametrize("value", ["2026-02-30", "明年", None, 20260630])
def test_a_due_date_must_be_a_date(value):
    """Anything but a real date is a clear input error, never a crash."""
    with pytest.raises(InvalidInput):
        check_due_on(value, replied_on=TODAY)


def test_a_promise_needs_its_text(journey):
    """A promise without text is refused."""
    journey.to(Status.ASSIGNED)
    with pytest.raises(InvalidInput):
        journey.reply(
            outcome=Outcome.IN_PROGRESS, promises=[{"text": "  ", "due_on": DUE}]
        )


# --- reporting ------------------------------------------------------------------------


def test_the_lead_unit_reports_on_a_promise(journey, promise):
    """The lead unit's clerk reports how the promise ended, with a note and the
    day it speaks of; the timeline records it."""
    with clock.frozen_at(at(2026, 10, 8)):
        done = services.promise_report(
            promise_id=promise.pk,
            actor=journey.clerk,
            state=PromiseState.PARTLY,
            note=" 设计已完成，施工推迟 ",
            reported_on="2026-10-01",
        )
    done.refresh_from_db()
    assert (done.state, done.report_note, done.reported_on, done.reported_by) == (
        PromiseState.PARTLY,
        "设计已完成，施工推迟",
        dt.date(2026, 10, 1),
        journey.clerk,
    )
    event = Event.objects.filter(action="promise-report").get()
    assert event.data["state"] == "partly" and event.data["corrected"] is False


def test_the_report_defaults_to_today(journey, promise):
    """Without a date the report speaks of today."""
    done = services.promise_report(
        promise_id=promise.pk, actor=journey.clerk, state="kept", note="完成"
    )
    assert done.reported_on == TODAY


def test_a_report_cannot_be_dated_in_the_future(journey, promise, unchanged):
    """A report dated after today is refused."""
    with unchanged(promise), pytest.raises(InvalidInput):
        services.promise_report(
            promise_id=promise.pk,
            actor=journey.clerk,
            state="kept",
            note="完成",
            reported_on=TODAY + dt.timedelta(days=1),
        )


def test_a_report_needs_a_known_state(journey, promise, unchanged):
    """ "open" or anything unknown is no report."""
    for state in ("open", "maybe"):
        with unchanged(promise), pytest.raises(InvalidInput):
            services.promise_report(
                promise_id=promise.pk, actor=journey.clerk, state=state, note="x"
            )


def test_a_co_unit_cannot_report(journey_with_co_unit, unchanged):
    """A co-unit of the suggestion sees the promise but did not make it: it may
    not report (NotPermitted)."""
    journey = journey_with_co_unit
    reply = promised(journey, ("年内完工", DUE))
    promise = reply.promises.get()
    with unchanged(promise), pytest.raises(NotPermitted):
        services.promise_report(
            promise_id=promise.pk, actor=journey.co_clerk, state="kept", note="x"
        )
    assert promise_report_kind(journey.co_clerk, promise) is None


def test_another_unit_finds_nothing(journey, promise, other_clerk, unchanged):
    """A unit with no part in it finds nothing (NotFound)."""
    with unchanged(promise), pytest.raises(NotFound):
        services.promise_report(
            promise_id=promise.pk, actor=other_clerk, state="kept", note="x"
        )


def test_staff_do_not_report_for_the_unit(journey, promise, unchanged):
    """Staff see the promise but the report is the unit's (NotPermitted)."""
    with unchanged(promise), pytest.raises(NotPermitted):
        services.promise_report(
            promise_id=promise.pk, actor=journey.staff, state="kept", note="x"
        )
    assert promise_report_kind(journey.staff, promise) is None
    assert promise_report_kind(journey.clerk, promise) == "report"


def test_a_report_is_made_once(journey, promise, unchanged):
    """The unit reports once; afterwards it is told only staff may correct it."""
    services.promise_report(
        promise_id=promise.pk, actor=journey.clerk, state="kept", note="完成"
    )
    promise.refresh_from_db()
    with unchanged(promise), pytest.raises(NotPermitted):
        services.promise_report(
            promise_id=promise.pk, actor=journey.clerk, state="not_kept", note="x"
        )
    assert promise_report_kind(journey.clerk, promise) is None
    assert promise_report_kind(journey.staff, promise) == "correct"


def test_staff_correct_a_report(journey, promise):
    """Staff of the body correct a report: the unit's reporter stays, the
    corrector is recorded, the timeline says it was a correction."""
    services.promise_report(
        promise_id=promise.pk, actor=journey.clerk, state="kept", note="完成"
    )
    fixed = services.promise_report(
        promise_id=promise.pk,
        actor=journey.staff,
        state="partly",
        note="核实：部分完成",
    )
    fixed.refresh_from_db()
    assert (fixed.state, fixed.reported_by, fixed.corrected_by) == (
        PromiseState.PARTLY,
        journey.clerk,
        journey.staff,
    )
    assert Event.objects.filter(action="promise-report").last().data["corrected"]


def test_the_deputy_may_not_report(journey, promise, unchanged):
    """The lead deputy reads the promise but the report is the unit's."""
    with unchanged(promise), pytest.raises(NotPermitted):
        services.promise_report(
            promise_id=promise.pk, actor=journey.deputy, state="kept", note="x"
        )


def test_staff_of_another_body_find_nothing(journey, promise, unchanged):
    """Staff of another congress body neither report nor correct (NotFound)."""
    services.promise_report(
        promise_id=promise.pk, actor=journey.clerk, state="kept", note="完成"
    )
    promise.refresh_from_db()
    stranger = StaffFactory(body=CongressBodyFactory(region="玛纳斯县"))
    with unchanged(promise), pytest.raises(NotFound):
        services.promise_report(
            promise_id=promise.pk, actor=stranger, state="partly", note="x"
        )


def test_a_report_after_the_suggestion_closed(journey, promise):
    """Promises run on after the rating: a closed suggestion's promise is reported."""
    journey.evaluate()
    done = services.promise_report(
        promise_id=promise.pk, actor=journey.clerk, state="kept", note="完成"
    )
    assert done.state == PromiseState.KEPT
    assert journey.refresh().status == Status.CLOSED


def test_an_unknown_promise_is_not_found(journey):
    """A made-up id finds nothing."""
    for pk in (999_999, "x", None):
        with pytest.raises(NotFound):
            services.promise_report(
                promise_id=pk, actor=journey.clerk, state="kept", note="x"
            )


def test_overdue_is_open_and_past_its_date(journey):
    """Overdue: not reported and past its due date (the due day still counts); a
    reported promise is never overdue."""
    reply = promised(journey, ("A", TODAY), ("B", dt.date(2026, 4, 1)))
    a, b = reply.promises.order_by("due_on")
    later = dt.date(2026, 4, 1)
    assert list(Promise.objects.overdue(later)) == [a]
    assert (a.is_overdue(later), b.is_overdue(later)) == (True, False)
    services.promise_report(
        promise_id=a.pk, actor=journey.clerk, state="not_kept", note="资金未到位"
    )
    assert not Promise.objects.overdue(later).exists()


def test_a_unit_member_of_another_congress_cannot_reach_it(journey, promise):
    """A clerk of a unit of another body finds nothing either."""
    other = UnitMemberFactory(
        unit__body=CongressFactory(body=CongressBodyFactory(region="玛纳斯县")).body
    )
    with pytest.raises(NotFound):
        services.promise_report(
            promise_id=promise.pk, actor=other, state="kept", note="x"
        )


def test_a_reply_of_a_later_round_keeps_the_earlier_promises(journey, promise):
    """A dissatisfied rating sends the suggestion back; the promise stays in the
    ledger and its unit still reports on it."""
    journey.evaluate("dissatisfied")
    assert journey.refresh().status == Status.REHANDLING
    done = services.promise_report(
        promise_id=promise.pk, actor=journey.clerk, state="not_kept", note="未完成"
    )
    assert done.state == PromiseState.NOT_KEPT


def test_a_promise_report_of_the_wrong_kind_of_input_is_refused(journey, promise):
    """A note that is not text is a clear input error."""
    with pytest.raises(InvalidInput):
        services.promise_report(
            promise_id=promise.pk, actor=journey.clerk, state="kept", note=["x"]
        )
