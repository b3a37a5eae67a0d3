"""Promises past their due date without a report are reminded (the reminder sweep,
docs/deadlines.md): the lead unit's members, the day after the date and then every
30 days, each reminder once, none once the unit has reported."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import reminders
from notifications.models import Reminder, ReminderKind
from suggestions import services
from suggestions.models import Outcome, Status
from tests.factories import Journey, UnitMemberFactory

from .helpers import inbox

DUE = dt.date(2026, 9, 30)


def promised(journey, *dues):
    journey.to(Status.ASSIGNED)
    reply = journey.reply(
        outcome=Outcome.IN_PROGRESS,
        promises=[{"text": f"承诺{i}", "due_on": d} for i, d in enumerate(dues)],
    )
    return list(reply.promises.order_by("pk"))


def sweep(day: dt.date):
    return reminders.sweep(today=day)


def test_an_overdue_promise_is_reminded_monthly(journey):
    """Nothing on the due date; the day after, the lead unit's clerks each get one
    message naming the promise; again 30 days later; never twice for one key."""
    [promise] = promised(journey, DUE)
    second_clerk = UnitMemberFactory(unit=journey.unit, language="en")
    sweep(DUE)
    assert inbox(journey.clerk, "promise_overdue") == []
    sweep(DUE + dt.timedelta(days=1))
    sweep(DUE + dt.timedelta(days=1))
    for clerk in (journey.clerk, second_clerk):
        [message] = inbox(clerk, "promise_overdue")
        assert "承诺0" in message.body
        assert message.suggestion_id == journey.suggestion.pk
    for day in range(2, 31):
        sweep(DUE + dt.timedelta(days=day))
    assert len(inbox(journey.clerk, "promise_overdue")) == 1
    sweep(DUE + dt.timedelta(days=31))
    assert len(inbox(journey.clerk, "promise_overdue")) == 2
    assert sorted(
        Reminder.objects.filter(kind=ReminderKind.PROMISE).values_list("key", flat=True)
    ) == [f"promise:{promise.pk}:{DUE}:0", f"promise:{promise.pk}:{DUE}:1"]


def test_a_reported_promise_is_not_reminded(journey):
    """Once the unit has reported, the sweep owes it nothing; an open promise
    beside it still is reminded."""
    reported, still_open = promised(journey, DUE, DUE)
    services.promise_report(
        promise_id=reported.pk, actor=journey.clerk, state="not_kept", note="资金未到位"
    )
    sweep(DUE + dt.timedelta(days=5))
    keys = list(
        Reminder.objects.filter(kind=ReminderKind.PROMISE).values_list("key", flat=True)
    )
    assert keys == [f"promise:{still_open.pk}:{DUE}:0"]


def test_a_co_unit_is_not_reminded(journey_with_co_unit):
    """The promise is the lead unit's; the co-unit's clerks are not reminded."""
    journey = journey_with_co_unit
    promised(journey, DUE)
    sweep(DUE + dt.timedelta(days=1))
    assert inbox(journey.co_clerk, "promise_overdue") == []
    assert len(inbox(journey.clerk, "promise_overdue")) == 1


def test_promise_reminders_cost_the_same_queries_for_2_and_20(journey):
    """However many promises are owed a reminder, the sweep's queries are the same:
    the open assignments, the replies awaiting a rating, the promises past due;
    in one transaction the keys sent before, the reminders, the keys inserted,
    the units' members, the messages and their copies."""
    promised(journey, DUE, DUE)
    day = DUE + dt.timedelta(days=1)
    with CaptureQueriesContext(connection) as few:
        sweep(day)
    Reminder.objects.all().delete()
    for _ in range(3):
        promised(Journey(session=journey.session), *[DUE] * 6)
    with CaptureQueriesContext(connection) as many:
        sweep(day)
    assert Reminder.objects.filter(kind=ReminderKind.PROMISE).count() == 20
    assert len(few) == len(many)


@pytest.mark.parametrize(
    ("days_late", "key_week"),
    [(0, None), (1, 0), (30, 0), (31, 1), (61, 2)],
)
def test_the_reminder_key(days_late, key_week):
    """One key the day after the due date and every 30 days after."""
    key = reminders.promise_reminder_key(7, DUE, DUE + dt.timedelta(days=days_late))
    assert key == (None if key_week is None else f"promise:7:{DUE}:{key_week}")
