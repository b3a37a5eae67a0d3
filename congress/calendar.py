"""Working days on the Chinese public-holiday calendar, with make-up working days (调休).

Three sources, in order of precedence:
1. ``CalendarDay`` rows that staff entered (holidays and make-up days);
2. the ``chinesecalendar`` package, which knows the years the State Council announced;
3. Monday–Friday, for a year neither describes. Results computed this way say so
   (``WorkingDays.unannounced_years``) so that the interface can warn; nothing raises.

A year counts as described by staff once it has at least one national
``CalendarDay`` row (a body's own day, a regional holiday, describes no year).

A body's own rows win over the national ones for that body (``body=`` or
``congress=`` when building the calendar, or ``for_body`` on one built for all).
"""

import copy
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import chinese_calendar
from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone

from .models import CalendarDay

logger = logging.getLogger(__name__)

# Sanity limit on a search: no rule here counts more than a few months of working days.
_MAX_SPAN_DAYS = 3660


@dataclass(frozen=True)
class WorkingDays:
    """A date computed on the working-day calendar, and the years it had to guess."""

    date: date
    unannounced_years: tuple[int, ...] = field(default=())

    @property
    def is_estimate(self) -> bool:
        return bool(self.unannounced_years)


def package_knows(year: int) -> bool:
    """Whether the ``chinesecalendar`` package has the State Council's schedule."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class WorkingDayCalendar:
    """Answers working-day questions for a span of years with one query for overrides.

    ``body``: the congress body whose own days count besides the national ones;
    ``congress``: the same, read through the congress's body in that one query. With
    neither, the calendar holds every body's days and answers nationally until
    ``for_body`` picks a body (no further query)."""

    def __init__(
        self,
        start: date,
        end: date,
        *,
        body: int | None = None,
        congress: int | None = None,
    ):
        if end < start:
            start, end = end, start
        rows = CalendarDay.objects.filter(
            date__year__gte=start.year, date__year__lte=end.year
        )
        if body is not None:
            rows = rows.filter(Q(body__isnull=True) | Q(body_id=body))
        elif congress is not None:
            rows = rows.filter(Q(body__isnull=True) | Q(body__congresses=congress))
        self._national: dict[date, bool] = {}
        self._local: dict[int, dict[date, bool]] = {}
        for day, working, body_id in rows.values_list(
            "date", "is_working_day", "body_id"
        ):
            if body_id is None:
                self._national[day] = working
            else:
                self._local.setdefault(body_id, {})[day] = working
        self._staff_years = {d.year for d in self._national}
        self._known: dict[int, bool] = {}
        if congress is not None and body is None:
            # Only the congress's body's rows were read.
            body = next(iter(self._local), None)
        self._use(body)

    def _use(self, body: int | None) -> None:
        self.body = body
        self._overrides = {**self._national, **self._local.get(body, {})}

    def for_body(self, body: int | None) -> "WorkingDayCalendar":
        """The same calendar for ``body``'s suggestions (national days and the
        body's own), without reading again; build it without ``body`` or
        ``congress`` to hold every body's days."""
        if body == self.body:
            return self
        other = copy.copy(self)
        other._use(body)
        return other

    def year_is_described(self, year: int) -> bool:
        if year not in self._known:
            self._known[year] = year in self._staff_years or package_knows(year)
        return self._known[year]

    def is_working_day(self, day: date) -> bool:
        if day in self._overrides:
            return self._overrides[day]
        if package_knows(day.year):
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def add(self, start: date, working_days: int) -> WorkingDays:
        """The date ``working_days`` working days after ``start`` (start itself not
        counted): the last day of a window that opens on ``start``."""
        if working_days < 0:
            raise ValueError("working_days must not be negative")
        day, counted, guessed = start, 0, set()
        while counted < working_days:
            day += timedelta(days=1)
            if (day - start).days > _MAX_SPAN_DAYS:
                raise ValueError("working-day span too long")
            if not self.year_is_described(day.year):
                guessed.add(day.year)
            if self.is_working_day(day):
                counted += 1
        if guessed:
            logger.warning(
                "Working days after %s counted Monday–Friday for %s: no holiday "
                "schedule is known for those years.",
                start,
                sorted(guessed),
            )
        return WorkingDays(day, tuple(sorted(guessed)))

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def working_days_span(working_days: int) -> tuple[int, int]:
    """The fewest and the most calendar days that ``working_days`` working days take:
    at least one day each; holiday periods are short, so a window never spans more
    than three times its length plus a month (the calendar read for it covers that)."""
    return working_days, working_days * 3 + 30


def add_working_days(
    start: date,
    working_days: int,
    *,
    body: int | None = None,
    congress: int | None = None,
) -> WorkingDays:
    """The last day of a window of ``working_days`` working days opening on ``start``,
    counted on the calendar of ``body`` (or of ``congress``'s body): the national days
    and the body's own."""
    _fewest, most = working_days_span(working_days)
    calendar = WorkingDayCalendar(
        start, start + timedelta(days=most), body=body, congress=congress
    )
    return calendar.add(start, working_days)


def is_working_day(day: date, *, body: int | None = None) -> bool:
    return WorkingDayCalendar(day, day, body=body).is_working_day(day)


def add_months(start: date | datetime, months: int) -> date:
    """Calendar months later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb).

    A moment counts from its local date (stored times are UTC: 00:30 on 1 Feb in
    Beijing is still 31 Jan in UTC)."""
    if isinstance(start, datetime):
        start = timezone.localdate(start) if timezone.is_aware(start) else start.date()
    return start + relativedelta(months=months)


def undescribed_years(years) -> list[int]:
    """Which of ``years`` neither the package nor staff entries describe."""
    staff_years = set(
        CalendarDay.objects.filter(date__year__in=list(years), body__isnull=True)
        .values_list("date__year", flat=True)
        .distinct()
    )
    return [
        y for y in sorted(set(years)) if y not in staff_years and not package_knows(y)
    ]
