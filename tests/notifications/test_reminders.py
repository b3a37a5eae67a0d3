"""The reminder sweep (催办): due-soon offsets, weekly overdue reminders, rating
reminders and weekly digests — each sent once, on the right Beijing day (DESIGN.md §4,
issue 5)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import BodyRole, Membership
from common import clock
from congress.models import CongressLevel
from notifications import reminders, tasks
from notifications.models import Notification, Reminder, ReminderKind
from suggestions import services
from suggestions.models import Status
from tests.conftest import at
from tests.factories import (
    AssignmentFactory,
    CongressBodyFactory,
    DeputyFactory,
    HandlingRulesFactory,
    LeaderFactory,
    SessionFactory,
    StaffFactory,
    SuggestionFactory,
    UnitMemberFactory,
)

from .helpers import inbox

UTC = dt.UTC


def open_assignment(due: dt.date, *, members: int = 1, **fields):
    """An open lead assignment due on ``due`` and its unit's English-speaking clerks."""
    assignment = AssignmentFactory(due_at=due, **fields)
    clerks = [
        UnitMemberFactory(unit=assignment.unit, language="en") for _ in range(members)
    ]
    return assignment, clerks


def days(start: dt.date, end: dt.date):
    """Every day from ``start`` to ``end`` inclusive."""
    return [start + dt.timedelta(n) for n in range((end - start).days + 1)]


def sweep_daily(start: dt.date, end: dt.date) -> dict[dt.date, list[str]]:
    """Sweep once a day; the titles of the messages each day produced."""
    sent = {}
    for day in days(start, end):
        before = Notification.objects.order_by("-pk").values_list("pk", flat=True)
        last = before.first() or 0
        reminders.sweep(today=day)
        titles = list(
            Notification.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("title", flat=True)
        )
        if titles:
            sent[day] = titles
    return sent


# --- due soon ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # 2027: February has 28 days; 15, 7 and 1 days before 1 March.
        (2027, {(2, 14): 15, (2, 22): 7, (2, 28): 1}),
        # 2028 is a leap year: 29 February is the day before 1 March.
        (2028, {(2, 15): 15, (2, 23): 7, (2, 29): 1}),
    ],
)
def test_due_soon_offsets_around_the_end_of_february(db, year, expected):
    """Due 1 March: swept every day of February, the unit is reminded exactly 15, 7
    and 1 days before, counted on the calendar of that year."""
    open_assignment(dt.date(year, 3, 1))
    sent = sweep_daily(dt.date(year, 2, 1), dt.date(year, 3, 1))
    assert sent == {
        dt.date(year, month, day): [f"Reminder: due in {left} days: {title()}"]
        for (month, day), left in expected.items()
    }


def title() -> str:
    return Notification.objects.first().suggestion.title


def test_due_at_a_month_end_counts_calendar_days(db):
    """Due 31 March: the 15-day reminder goes on 16 March, the 7-day one on 24 March,
    the 1-day one on 30 March."""
    open_assignment(dt.date(2027, 3, 31))
    sent = sweep_daily(dt.date(2027, 3, 1), dt.date(2027, 3, 31))
    assert list(sent) == [
        dt.date(2027, 3, 16),
        dt.date(2027, 3, 24),
        dt.date(2027, 3, 30),
    ]


def test_a_late_first_sweep_sends_only_the_smallest_offset_reached(db):
    """First swept 5 days before the deadline: one reminder (the 7-day one, saying 5
    days), not the 15-day one as well."""
    assignment, [clerk] = open_assignment(dt.date(2027, 3, 1))
    result = reminders.sweep(today=dt.date(2027, 2, 24))
    assert (result.reminders, result.notifications) == (1, 1)
    [reminder] = Reminder.objects.all()
    assert reminder.key == f"due:{assignment.pk}:2027-03-01:7"
    assert reminder.kind == ReminderKind.DUE_SOON
    [message] = inbox(clerk)
    assert message.title.startswith("Reminder: due in 5 days: ")
    assert "is due by March 1, 2027 (5 days left)." in message.body
    assert message.suggestion == assignment.suggestion


def test_offsets_are_a_setting(db, settings):
    """SUGGESTIONS_REMINDER_DAYS = [10, 3]: reminded 10 and 3 days before only."""
    settings.SUGGESTIONS_REMINDER_DAYS = [10, 3]
    open_assignment(dt.date(2027, 3, 1))
    sent = sweep_daily(dt.date(2027, 2, 1), dt.date(2027, 3, 1))
    assert list(sent) == [dt.date(2027, 2, 19), dt.date(2027, 2, 26)]


def test_the_sweep_counts_days_in_beijing(db, monkeypatch):
    """The beat's sweep at 23:30 UTC on 21 February is 07:30 on 22 February in
    Beijing: the 7-day reminder goes then, not at 23:59 Beijing time the day before."""
    assignment, [clerk] = open_assignment(dt.date(2027, 3, 1))
    reminders.sweep(today=dt.date(2027, 2, 14))  # the 15-day reminder

    monkeypatch.setattr(
        timezone, "now", lambda: dt.datetime(2027, 2, 21, 15, 59, tzinfo=UTC)
    )
    assert tasks.send_reminders() == 0  # 23:59 on 21 Feb in Beijing: 8 days left

    monkeypatch.setattr(
        timezone, "now", lambda: dt.datetime(2027, 2, 21, 23, 30, tzinfo=UTC)
    )
    assert tasks.send_reminders() == 1
    assert Reminder.objects.filter(key=f"due:{assignment.pk}:2027-03-01:7").exists()
    assert inbox(clerk)[-1].title.startswith("Reminder: due in 7 days: ")


# --- overdue ----------------------------------------------------------------------------


def test_overdue_assignments_are_reminded_weekly(db):
    """Swept daily after the deadline: reminded on days 1, 8 and 15 overdue, one
    reminder each, saying how late it is."""
    assignment, [clerk] = open_assignment(dt.date(2027, 3, 1))
    reminders.sweep(today=dt.date(2027, 2, 28))  # the 1-day reminder
    sent = sweep_daily(dt.date(2027, 3, 1), dt.date(2027, 3, 21))
    assert list(sent) == [
        dt.date(2027, 3, 2),
        dt.date(2027, 3, 9),
        dt.date(2027, 3, 16),
    ]
    overdue = inbox(clerk, "overdue")
    assert [m.body.split("; it is ")[1].split(".")[0] for m in overdue] == [
        "1 days late",
        "8 days late",
        "15 days late",
    ]
    assert sorted(
        Reminder.objects.filter(kind=ReminderKind.OVERDUE).values_list("key", flat=True)
    ) == [f"overdue:{assignment.pk}:2027-03-01:{week}" for week in range(3)]


def test_repeated_sweeps_send_nothing_twice(db):
    """However often the sweep runs on a day, each member of the unit gets one
    reminder per assignment; other days' sweeps add only what they owe."""
    _, clerks = open_assignment(dt.date(2027, 3, 1), members=2)
    open_assignment(dt.date(2027, 2, 20))  # overdue on the day of the sweeps
    first = reminders.sweep(today=dt.date(2027, 2, 24))
    assert (first.reminders, first.notifications) == (2, 3)
    for _ in range(3):
        again = reminders.sweep(today=dt.date(2027, 2, 24))
        assert (again.reminders, again.notifications) == (0, 0)
    assert Reminder.objects.count() == 2
    for clerk in clerks:
        assert len(inbox(clerk)) == 1
    assert len(mail.outbox) == 0  # copies wait for the worker


def test_each_reminder_is_one_row_with_a_unique_key(db):
    """The database refuses a second reminder with the same key (not a hope)."""
    open_assignment(dt.date(2027, 3, 1))
    reminders.sweep(today=dt.date(2027, 2, 28))
    reminder = Reminder.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            key=reminder.key, kind=reminder.kind, batch=reminder.batch
        )


def test_an_extension_resets_the_reminders(journey):
    """A deadline extended: the old date's reminders stop (no more overdue ones) and
    the new date gets its own 15, 7 and 1-day reminders, then overdue ones."""
    journey.to(Status.ASSIGNED)  # on 10 March 2026, due 10 June 2026
    assignment = journey.lead_assignment()
    assert reminders.sweep(today=dt.date(2026, 6, 9)).reminders == 1
    assert reminders.sweep(today=dt.date(2026, 6, 11)).reminders == 1  # overdue
    with clock.frozen_at(at(2026, 6, 12)):
        request = services.assignment_request_extension(
            assignment_id=assignment.pk,
            actor=journey.clerk,
            reason="涉及多个部门。",
            until=dt.date(2026, 8, 10),
        )
        services.adjustment_approve(request_id=request.pk, actor=journey.staff)

    sent = sweep_daily(dt.date(2026, 6, 12), dt.date(2026, 8, 11))

    assert list(sent) == [
        dt.date(2026, 7, 26),
        dt.date(2026, 8, 3),
        dt.date(2026, 8, 9),
        dt.date(2026, 8, 11),
    ]
    new_keys = Reminder.objects.filter(due_at=dt.date(2026, 8, 10))
    assert sorted(new_keys.values_list("key", flat=True)) == [
        f"due:{assignment.pk}:2026-08-10:1",
        f"due:{assignment.pk}:2026-08-10:15",
        f"due:{assignment.pk}:2026-08-10:7",
        f"overdue:{assignment.pk}:2026-08-10:0",
    ]


def test_only_open_assignments_of_open_suggestions_are_reminded(journey_with_co_unit):
    """Replied, retired (reassigned) and closed assignments are never reminded; a
    co-unit is reminded of its own date while the suggestion is open; the unit that
    took over a reassignment is reminded afresh."""
    j = journey_with_co_unit
    j.to(Status.ASSIGNED)  # lead due 10 June, co-unit due 10 April 2026
    request = services.assignment_request_reassignment(
        assignment_id=j.lead_assignment().pk, actor=j.clerk, reason="不属于本单位。"
    )
    new_clerk = UnitMemberFactory(language="en")
    services.adjustment_approve(
        request_id=request.pk, actor=j.staff, new_unit=new_clerk.unit
    )
    replied, _ = open_assignment(dt.date(2026, 4, 5))
    replied.replied_at = timezone.now()
    replied.save()
    open_assignment(
        dt.date(2026, 4, 5), suggestion=SuggestionFactory(closed=True, history=False)
    )

    reminders.sweep(today=dt.date(2026, 4, 4))  # co-unit and the others: 6 and 1 days

    reminded = set(Reminder.objects.values_list("assignment_id", flat=True))
    assert reminded == {j.co_assignment().pk}
    assert reminders.sweep(today=dt.date(2026, 6, 9)).reminders == 2  # lead; co overdue
    assert Reminder.objects.filter(assignment=j.lead_assignment()).count() == 1
    assert inbox(new_clerk, "due_soon")
    assert inbox(j.clerk, "due_soon") == []

    j.acknowledge()
    j.reply()  # the suggestion is replied: the co-unit's opinion is no longer chased
    chased = Reminder.objects.filter(
        kind__in=[ReminderKind.DUE_SOON, ReminderKind.OVERDUE]
    )
    before = chased.count()
    reminders.sweep(today=dt.date(2026, 6, 30))
    assert chased.count() == before


# --- ratings ----------------------------------------------------------------------------


def replied_suggestion(replied_at: dt.datetime, state: str = "replied"):
    """A suggestion replied at ``replied_at`` (and rated, for ``state="closed"``),
    led by a deputy with an English-speaking account."""
    deputy = DeputyFactory(with_user=True)
    deputy.user.language = "en"
    deputy.user.save()
    return SuggestionFactory(**{state: True}, replied_at=replied_at, lead_deputy=deputy)


def test_rating_reminder_after_fifteen_working_days_across_national_day(db):
    """Replied on Monday 28 September 2026: the 15 working days skip the National Day
    holiday (1–7 October) and count Saturday 10 October (a make-up working day), so
    the window ends on 23 October; the deputy is reminded on 24 October, once.

    Counting Monday to Friday would have ended it on 19 October."""
    suggestion = replied_suggestion(at(2026, 9, 28, 16))
    closed = replied_suggestion(at(2026, 9, 28, 16), state="closed")
    user = suggestion.lead_deputy.user

    for day in (dt.date(2026, 10, 20), dt.date(2026, 10, 23)):
        assert reminders.sweep(today=day).reminders == 0
    assert reminders.sweep(today=dt.date(2026, 10, 24)).notifications == 1
    for day in days(dt.date(2026, 10, 24), dt.date(2026, 11, 30)):
        assert reminders.sweep(today=day).reminders == 0

    [message] = inbox(user)
    assert message.kind == "rating_awaited"
    assert message.suggestion == suggestion
    assert "arrived on Sept. 28, 2026" in message.body
    assert inbox(closed.lead_deputy.user) == []
    assert Reminder.objects.get().key == f"rating:{suggestion.pk}:1"


def test_rating_reminder_uses_the_beijing_date_of_the_reply(db):
    """A reply at 00:30 on 28 September in Beijing (16:30 UTC the day before) counts
    from 28 September."""
    suggestion = replied_suggestion(at(2026, 9, 28, 0, 30))
    assert reminders.sweep(today=dt.date(2026, 10, 23)).reminders == 0
    assert reminders.sweep(today=dt.date(2026, 10, 24)).reminders == 1
    assert Reminder.objects.get().key == f"rating:{suggestion.pk}:1"


def test_rating_reminders_once_per_round(db):
    """A re-handling round's reply is a new reply to rate: reminded again, once."""
    suggestion = replied_suggestion(at(2026, 3, 2))
    reminders.sweep(today=dt.date(2026, 4, 1))
    suggestion.round = 2
    suggestion.replied_at = at(2026, 5, 4)
    suggestion.save()
    assert reminders.sweep(today=dt.date(2026, 5, 6)).reminders == 0
    assert reminders.sweep(today=dt.date(2026, 6, 1)).reminders == 1
    assert reminders.sweep(today=dt.date(2026, 6, 2)).reminders == 0
    assert sorted(Reminder.objects.values_list("key", flat=True)) == [
        f"rating:{suggestion.pk}:1",
        f"rating:{suggestion.pk}:2",
    ]


# --- digests ----------------------------------------------------------------------------


@pytest.fixture
def digest_readers(db):
    staff = [StaffFactory(language="en") for _ in range(2)]
    leader = LeaderFactory(language="en")
    SuggestionFactory(assigned=True, due_at=dt.date(2026, 12, 1), history=False)
    SuggestionFactory(
        assigned=True, due_at=dt.date(2027, 2, 1), key_supervised=True, history=False
    )
    return staff, leader


def test_digests_once_per_iso_week_per_recipient(digest_readers):
    """Thursday 31 December 2026 and Friday 1 January 2027 are both in ISO week
    2026-W53: one digest each that week; Monday 4 January starts 2027-W01."""
    staff, leader = digest_readers
    for day in (dt.date(2026, 12, 31), dt.date(2026, 12, 31), dt.date(2027, 1, 1)):
        reminders.send_digests(today=day)
    for member in staff:
        [digest] = inbox(member, "digest_overdue")
        assert digest.title == "Weekly digest: 1 overdue suggestions"
    [key] = inbox(leader, "digest_key")
    assert key.title == "Weekly digest: key supervised suggestions"
    assert key.body.startswith(
        "1 key supervised suggestions: 1 being handled, 0 overdue"
    )
    assert inbox(leader, "digest_overdue") == []

    result = reminders.send_digests(today=dt.date(2027, 1, 4))
    assert result.notifications == 3
    assert len(inbox(staff[0], "digest_overdue")) == 2
    [body] = staff[0].staff_body_ids
    assert Reminder.objects.filter(
        key=f"digest_overdue:{staff[0].pk}:2027-W1:{body}"
    ).exists()


def test_a_member_of_two_bodies_reads_each_bodys_digest(db):
    """Staff of a prefecture and of a county get the week's overdue digest of
    each, once each, with each body's own items."""
    county = CongressBodyFactory(region="昌吉市", level=CongressLevel.COUNTY)
    staff = StaffFactory(language="en")
    Membership.objects.create(user=staff, body=county, role=BodyRole.STAFF)
    home = SuggestionFactory(assigned=True, due_at=dt.date(2026, 12, 1), history=False)
    there = SuggestionFactory(
        assigned=True,
        due_at=dt.date(2026, 12, 2),
        history=False,
        session=SessionFactory(congress__body=county, congress__ordinal=18),
    )
    for _ in range(2):
        reminders.send_digests(today=dt.date(2027, 1, 4))
    digests = inbox(staff, "digest_overdue")
    assert len(digests) == 2
    assert sorted(home.title in d.body for d in digests) == [False, True]
    assert sorted(there.title in d.body for d in digests) == [False, True]


def test_no_overdue_items_no_overdue_digest(db):
    """Nothing overdue: staff get no digest."""
    staff = StaffFactory()
    SuggestionFactory(assigned=True, due_at=dt.date(2027, 2, 1), history=False)
    assert reminders.send_digests(today=dt.date(2027, 1, 4)).notifications == 0
    assert inbox(staff) == []


def test_weekly_digest_task(digest_readers, monkeypatch):
    """The beat's digest task sends the week's digests once."""
    monkeypatch.setattr(
        timezone, "now", lambda: dt.datetime(2027, 1, 4, 0, 30, tzinfo=UTC)
    )
    assert tasks.send_weekly_digests() == 3
    assert tasks.send_weekly_digests() == 0


# --- cost -------------------------------------------------------------------------------


def queries_of(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_the_sweep_costs_the_same_queries_for_2_and_20_assignments(db):
    """The sweep's queries do not grow with the number of reminders: 12 — read the
    open assignments; in one transaction (2) look up which keys were sent before,
    insert the others, read back the keys this sweep inserted, read the units'
    members, insert the messages and their copies; read the 五定 plans' milestones
    passed without a report (none; one query, issue 17); read the replies awaiting a
    rating (none); read the promises past due (none). Swept again, it only reads the
    assignments, looks up their keys, and reads the milestones, the replies and the
    promises: 7."""
    for n in range(2):
        open_assignment(dt.date(2027, 3, 1) + dt.timedelta(n % 5))
    few = queries_of(lambda: reminders.sweep(today=dt.date(2027, 2, 27)))
    Reminder.objects.all().delete()
    for n in range(18):
        open_assignment(dt.date(2027, 3, 1) + dt.timedelta(n % 5), members=2)
    many = queries_of(lambda: reminders.sweep(today=dt.date(2027, 2, 27)))
    assert Reminder.objects.count() == 20
    assert few == many == 12
    assert queries_of(lambda: reminders.sweep(today=dt.date(2027, 2, 27))) == 7


def test_rating_reminders_cost_the_same_queries_for_2_and_20_replies(db):
    """Rating reminders cost 13 queries however many replies wait: the open
    assignments (none due), the plans' milestones owed a report (none), the waiting
    replies with their deputies' accounts, the
    staff calendar entries, the rules; in one transaction (2) the keys sent before,
    the reminders, the keys inserted, the messages and their copies; and the
    promises past due (none): 13."""
    HandlingRulesFactory()  # made on first use otherwise, which costs queries once
    for _ in range(2):
        replied_suggestion(at(2026, 3, 2))
    few = queries_of(lambda: reminders.sweep(today=dt.date(2026, 4, 1)))
    Reminder.objects.all().delete()
    for _ in range(18):
        replied_suggestion(at(2026, 3, 2))
    many = queries_of(lambda: reminders.sweep(today=dt.date(2026, 4, 1)))
    assert Reminder.objects.count() == 20
    assert few == many == 13


# --- the command ------------------------------------------------------------------------


def test_command_sweeps_as_of_the_given_date(db, capsys):
    """send_reminders --date sweeps as of that day; run again it sends nothing."""
    assignment, _ = open_assignment(dt.date(2027, 3, 1))
    call_command("send_reminders", "--date", "2027-02-22")
    assert "Reminders: 1 new, 1 messages." in capsys.readouterr().out
    call_command("send_reminders", "--date", "2027-02-22")
    assert "Reminders: 0 new, 0 messages." in capsys.readouterr().out
    assert Reminder.objects.get().key == f"due:{assignment.pk}:2027-03-01:7"
    assert len(mail.outbox) == 0


def test_command_delivers_in_process(db, capsys):
    """--deliver sends the pending e-mail copies without a worker."""
    _, [clerk] = open_assignment(dt.date(2027, 3, 1))
    call_command("send_reminders", "--date", "2027-02-28", "--deliver")
    assert "Delivered 1 e-mail/SMS copies." in capsys.readouterr().out
    assert [m.to for m in mail.outbox] == [[clerk.email]]


def test_command_sends_digests_on_request(digest_readers, capsys):
    """--digests adds the weekly digests."""
    call_command("send_reminders", "--date", "2027-01-04", "--digests")
    assert "Digests: 3 messages." in capsys.readouterr().out


def test_command_without_date_sweeps_today_in_beijing(db, monkeypatch, capsys):
    """Without --date the command sweeps the current Beijing day."""
    open_assignment(dt.date(2027, 3, 1))
    monkeypatch.setattr(
        timezone, "now", lambda: dt.datetime(2027, 2, 27, 16, 30, tzinfo=UTC)
    )
    call_command("send_reminders")  # 00:30 on 28 February in Beijing
    assert Reminder.objects.get().key.endswith(":2027-03-01:1")


@pytest.mark.parametrize("value", ["2027-02-30", "tomorrow", "22/02/2027"])
def test_command_refuses_a_bad_date(db, value):
    """A date that is not YYYY-MM-DD is a CommandError, and nothing is swept."""
    open_assignment(dt.date(2027, 3, 1))
    with pytest.raises(CommandError, match="Not a date"):
        call_command("send_reminders", "--date", value)
    assert not Reminder.objects.exists()
