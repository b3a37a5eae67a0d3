"""Working days on the Chinese calendar: the ``chinesecalendar`` package with its
make-up working days (调休), staff overrides that win over it, and a Monday–Friday
fallback, flagged, for years nobody has described yet.

The holiday facts below were read from chinesecalendar 1.11 (State Council notices for
2025 and 2026), and the first tests pin them so that a package update that changes
them shows up here rather than as a puzzling window elsewhere.
"""

import datetime as dt
import logging

import chinese_calendar
import pytest
from django.core import checks

from congress import calendar
from congress.calendar import (
    WorkingDayCalendar,
    add_months,
    add_working_days,
    is_working_day,
    package_knows,
    undescribed_years,
)
from congress.checks import check_holiday_calendar
from tests.conftest import at
from tests.factories import CalendarDayFactory

D = dt.date

# Spring Festival 2026: off Sun 15 – Mon 23 Feb; Sat 14 and Sat 28 Feb are worked.
SPRING_FESTIVAL_2026 = [D(2026, 2, 15) + dt.timedelta(days=i) for i in range(9)]
MAKE_UP_2026 = [D(2026, 2, 14), D(2026, 2, 28)]
# National Day 2025 (with Mid-Autumn): off 1–8 Oct; Sun 28 Sep and Sat 11 Oct worked.
NATIONAL_DAY_2025 = [D(2025, 10, 1) + dt.timedelta(days=i) for i in range(8)]
MAKE_UP_2025 = [D(2025, 9, 28), D(2025, 10, 11)]
# National Day 2026: off 1–7 Oct, Sat 10 Oct worked; Mid-Autumn off 25–27 Sep.
NATIONAL_DAY_2026 = [D(2026, 10, 1) + dt.timedelta(days=i) for i in range(7)]
MAKE_UP_2026_OCT = [D(2026, 9, 20), D(2026, 10, 10)]


# --- the package's facts, as this suite relies on them ---------------------------------


@pytest.mark.parametrize(
    "day", SPRING_FESTIVAL_2026 + NATIONAL_DAY_2025 + NATIONAL_DAY_2026
)
def test_package_knows_the_holidays(day):
    """The package marks the Spring Festival and National Day holidays as off."""
    assert chinese_calendar.is_workday(day) is False


@pytest.mark.parametrize("day", MAKE_UP_2026 + MAKE_UP_2025 + MAKE_UP_2026_OCT)
def test_package_knows_the_make_up_days(day):
    """The package marks the make-up weekends as working days."""
    assert day.weekday() >= 5
    assert chinese_calendar.is_workday(day) is True


def test_package_does_not_know_2027():
    """2027 is unannounced: the package raises for it, and ``package_knows`` says
    no instead."""
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 4))
    assert package_knows(2026) is True
    assert package_knows(2027) is False


# --- working days from the package -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "working"),
    [(d, False) for d in SPRING_FESTIVAL_2026]
    + [(d, True) for d in MAKE_UP_2026]
    + [(D(2026, 3, 1), False), (D(2026, 3, 2), True)],
)
def test_is_working_day_around_spring_festival(day, working):
    """Holidays are off, make-up Saturdays are worked, ordinary weeks are Mon–Fri."""
    assert is_working_day(day) is working


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        # 11–13 Feb, Sat 14 Feb, 24–28 Feb (Sat 28 worked), Mon 2 Mar.
        (D(2026, 2, 10), 10, D(2026, 3, 2)),
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        (D(2026, 2, 18), 1, D(2026, 2, 24)),
        (D(2026, 2, 27), 2, D(2026, 3, 2)),
        # National Day 2025: Sun 28 Sep worked, 1–8 Oct off, Sat 11 Oct worked.
        (D(2025, 9, 26), 10, D(2025, 10, 16)),
        (D(2025, 9, 30), 1, D(2025, 10, 9)),
        (D(2025, 10, 10), 1, D(2025, 10, 11)),
        # National Day 2026: Mid-Autumn 25–27 Sep and 1–7 Oct off, Sat 10 Oct worked.
        (D(2026, 9, 24), 10, D(2026, 10, 15)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 10, 9), 1, D(2026, 10, 10)),
        # An empty window ends where it opens.
        (D(2026, 2, 16), 0, D(2026, 2, 16)),
    ],
)
def test_windows_around_the_holidays(start, days, end):
    """A window of n working days opening on ``start`` ends on the n-th working day
    after it, skipping holidays and counting make-up days."""
    result = add_working_days(start, days)
    assert result.date == end
    assert result.unannounced_years == ()
    assert result.is_estimate is False


@pytest.mark.django_db
def test_counting_working_days_between_dates():
    """``between`` counts working days after the start up to and including the
    end."""
    cal = WorkingDayCalendar(D(2026, 2, 13), D(2026, 3, 2))
    # Sat 14, 24, 25, 26, 27, Sat 28 Feb, Mon 2 Mar.
    assert cal.between(D(2026, 2, 13), D(2026, 3, 2)) == 7
    assert cal.between(D(2026, 2, 14), D(2026, 2, 23)) == 0


@pytest.mark.django_db
def test_negative_windows_are_a_programming_error():
    """A negative number of working days is refused."""
    with pytest.raises(ValueError):
        add_working_days(D(2026, 2, 10), -1)


# --- staff overrides -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_staff_holiday_wins_over_the_package():
    """A day staff declared off is skipped although the package says worked."""
    CalendarDayFactory(date=D(2026, 2, 27), is_working_day=False, name="地方假日")
    assert is_working_day(D(2026, 2, 27)) is False
    assert add_working_days(D(2026, 2, 10), 10).date == D(2026, 3, 3)


@pytest.mark.django_db
def test_a_staff_working_day_wins_over_the_package():
    """A day staff declared worked counts although the package says holiday."""
    CalendarDayFactory(date=D(2026, 2, 23), is_working_day=True, name="提前上班")
    assert is_working_day(D(2026, 2, 23)) is True
    assert add_working_days(D(2026, 2, 14), 1).date == D(2026, 2, 23)


@pytest.mark.django_db
def test_overrides_are_read_in_one_query(django_assert_num_queries):
    """A window, even across two years, costs one query for the overrides."""
    CalendarDayFactory(date=D(2027, 1, 1), is_working_day=False)
    with django_assert_num_queries(1):
        add_working_days(D(2026, 12, 18), 10)


# --- years nobody has described ----------------------------------------------------------


@pytest.mark.django_db
def test_a_window_into_an_unannounced_year_falls_back_to_weekdays(caplog):
    """Crossing into 2027 never raises: 2027 counts Monday–Friday and the result
    says it guessed, with a warning in the log."""
    with caplog.at_level(logging.WARNING, logger=calendar.__name__):
        result = add_working_days(D(2026, 12, 18), 10)
    # 21–25 Dec, 28–31 Dec, then Fri 1 Jan 2027 counted as an ordinary Friday.
    assert result.date == D(2027, 1, 1)
    assert result.unannounced_years == (2027,)
    assert result.is_estimate is True
    assert "2027" in caplog.text


@pytest.mark.django_db
def test_an_unannounced_day_is_judged_by_weekday():
    """In 2027 weekdays are working days and weekends are not."""
    assert is_working_day(D(2027, 1, 4)) is True
    assert is_working_day(D(2027, 1, 2)) is False


@pytest.mark.django_db
def test_staff_entries_describe_a_year_the_package_does_not_know():
    """Once staff enter New Year's Day 2027 it is skipped and 2027 counts as
    described."""
    CalendarDayFactory(date=D(2027, 1, 1), is_working_day=False, name="元旦")
    result = add_working_days(D(2026, 12, 18), 10)
    assert result.date == D(2027, 1, 4)
    assert result.unannounced_years == ()


@pytest.mark.django_db
def test_any_staff_entry_in_a_year_makes_it_described():
    """One staff entry anywhere in 2027 is enough to stop flagging the year; the
    days not entered count Monday–Friday."""
    CalendarDayFactory(date=D(2027, 2, 20), is_working_day=True, name="春节调休")
    result = add_working_days(D(2026, 12, 18), 10)
    assert result.date == D(2027, 1, 1)
    assert result.unannounced_years == ()
    assert undescribed_years([2026, 2027]) == []


@pytest.mark.django_db
def test_undescribed_years():
    """Only years neither the package nor staff describe are listed."""
    assert undescribed_years([2027, 2025, 2026, 2027]) == [2027]
    CalendarDayFactory(date=D(2027, 10, 1), is_working_day=False)
    assert undescribed_years([2027, 2028]) == [2028]


# --- calendar months -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 3, 31), 3, D(2026, 6, 30)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2026, 3, 10), 3, D(2026, 6, 10)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_month_end(start, months, end):
    """Calendar months later, the day clamped to the shorter month's end."""
    assert add_months(start, months) == end


def test_add_months_of_a_moment_counts_from_its_local_date():
    """A moment counts from its date in Beijing: 00:30 on 1 Feb is 1 Feb, although
    it is still 31 Jan in UTC."""
    moment = at(2026, 2, 1, 0, 30).astimezone(dt.UTC)
    assert moment.date() == D(2026, 1, 31)
    assert add_months(moment, 1) == D(2026, 3, 1)


# --- the system check ----------------------------------------------------------------


@pytest.fixture
def today(monkeypatch):
    """Set the day the check believes it is."""

    def set_today(day):
        monkeypatch.setattr("congress.checks.timezone.localdate", lambda *a, **k: day)

    return set_today


@pytest.mark.django_db
def test_check_warns_when_next_year_is_unknown(today):
    """In late 2026, with 2027 unannounced, the check warns (congress.W001)."""
    today(D(2026, 11, 27))
    messages = check_holiday_calendar(databases=["default"])
    assert [(m.id, m.level) for m in messages] == [("congress.W001", checks.WARNING)]
    assert "2027" in messages[0].msg


@pytest.mark.django_db
def test_check_is_quiet_once_staff_describe_the_year(today):
    """A staff entry in 2027 silences the warning."""
    today(D(2026, 11, 27))
    CalendarDayFactory(date=D(2027, 1, 1), is_working_day=False)
    assert check_holiday_calendar(databases=["default"]) == []


@pytest.mark.django_db
def test_check_is_quiet_when_both_years_are_known(today):
    """In 2025 both 2025 and 2026 are announced: no warning."""
    today(D(2025, 6, 1))
    assert check_holiday_calendar(databases=["default"]) == []


def test_check_needs_the_database():
    """Without databases (``manage.py check`` without ``--database``) it stays
    silent rather than query."""
    assert check_holiday_calendar(databases=None) == []


@pytest.mark.django_db
def test_check_is_registered(today):
    """The warning shows in Django's own check run for the database tag."""
    today(D(2026, 11, 27))
    messages = checks.run_checks(tags=[checks.Tags.database], databases=["default"])
    assert "congress.W001" in [m.id for m in messages]


# --- a congress body's own days ---------------------------------------------------------


def test_a_bodys_own_days_count_only_for_that_body(db):
    """古尔邦节 as a holiday of one body: that body's calendar skips it, the national
    calendar and another body's do not; one calendar read for every body answers
    for each with ``for_body`` (no further query)."""
    from tests.factories import CongressBodyFactory, CongressFactory

    xinjiang = CongressBodyFactory(region="新疆")
    other = CongressBodyFactory(region="江苏")
    eid = D(2026, 5, 27)  # a Wednesday
    CalendarDayFactory(date=eid, body=xinjiang, is_working_day=False, name="古尔邦节")

    assert is_working_day(eid) is True
    assert is_working_day(eid, body=other.pk) is True
    assert is_working_day(eid, body=xinjiang.pk) is False
    assert add_working_days(D(2026, 5, 26), 1).date == eid
    assert add_working_days(D(2026, 5, 26), 1, body=xinjiang.pk).date == D(2026, 5, 28)
    term = CongressFactory(body=xinjiang)
    assert add_working_days(D(2026, 5, 26), 1, congress=term.pk).date == D(2026, 5, 28)

    every = WorkingDayCalendar(D(2026, 1, 1), D(2026, 12, 31))
    assert every.is_working_day(eid) is True
    assert every.for_body(xinjiang.pk).is_working_day(eid) is False
    assert every.for_body(other.pk).is_working_day(eid) is True


def test_a_bodys_make_up_day_wins_over_a_national_holiday_for_it(db):
    from tests.factories import CongressBodyFactory

    body = CongressBodyFactory(region="新疆")
    day = D(2027, 1, 1)
    CalendarDayFactory(date=day, is_working_day=False, name="元旦")
    CalendarDayFactory(date=day, body=body, is_working_day=True, name="调休")
    assert is_working_day(day) is False
    assert is_working_day(day, body=body.pk) is True


def test_a_bodys_own_day_describes_no_year(db):
    """Only national entries say staff described a year's holidays."""
    from tests.factories import CongressBodyFactory

    body = CongressBodyFactory(region="新疆")
    CalendarDayFactory(date=D(2031, 7, 1), body=body, is_working_day=False)
    assert undescribed_years([2031]) == [2031]
    assert WorkingDayCalendar(D(2031, 1, 1), D(2031, 12, 31)).year_is_described(
        2031
    ) is package_knows(2031)
