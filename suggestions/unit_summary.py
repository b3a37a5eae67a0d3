"""A unit's 办理情况汇总表 of one session (Excel): one row per suggestion the unit
handled (as lead or co-unit), and a sheet of totals.

Which assignment a row shows: the unit's latest round of the suggestion still
assigned to it (one reassigned elsewhere is not the unit's to answer for). The
flags follow the single rules in ``deadlines`` (``replied_on_time``,
``acknowledged_on_time``, the reassignment window), the rates ``common.rates``;
a flag not yet known (work still within its time) is left empty.

Who may have it: the unit's own members, and the staff and leaders of the unit's
congress body (``may_read``); the default session is the body's current one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from common import clock
from common.downloads import DownloadName
from common.errors import NotFound
from common.rates import rate
from common.workbooks import COUNT, DATE, RATE, add_sheet, workbook_bytes
from congress.models import HandlingUnit, Outcome, Session
from congress.names import file_name

from . import deadlines
from .models import Assignment, AssignmentRole, Evaluation, Rating

SATISFIED = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED)


def may_read(user, unit: HandlingUnit) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_unit_member and user.unit_id == unit.pk:
        return True
    return user.is_superuser or unit.body_id in user.supervised_body_ids


def session_of(unit: HandlingUnit, session_id=None) -> Session | None:
    """The session asked for (one of the unit's body), else the body's current one;
    None when there is none such."""
    sessions = Session.objects.select_related("congress__body").filter(
        congress__body_id=unit.body_id
    )
    if session_id in (None, ""):
        return sessions.current()
    try:
        return sessions.get(pk=int(session_id))
    except (Session.DoesNotExist, TypeError, ValueError):
        return None


def find(user, unit_id, session_id=None) -> tuple[HandlingUnit, Session]:
    """The unit and session of a request for the 汇总表; ``NotFound`` for a unit the
    user may not read (or none), or no such session of its body."""
    try:
        unit = HandlingUnit.objects.get(pk=int(unit_id))
    except (HandlingUnit.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    if not may_read(user, unit):
        raise NotFound()
    session = session_of(unit, session_id)
    if session is None:
        raise NotFound()
    return unit, session


def download_parts(user, unit_id, session_id=None) -> tuple[bytes, DownloadName]:
    """The workbook and its name (``find`` raises ``NotFound``)."""
    unit, session = find(user, unit_id, session_id)
    return workbook(unit, session, rows(unit, session)), summary_file_name(
        unit, session
    )


@dataclass
class Row:
    assignment: Assignment
    rating: str | None
    acknowledged_on_time: bool | None
    replied_on_time: bool | None

    @property
    def suggestion(self):
        return self.assignment.suggestion

    @property
    def reply(self):
        return getattr(self.assignment, "reply", None)


def rows(unit: HandlingUnit, session: Session, today: date | None = None) -> list[Row]:
    """The unit's suggestions of ``session`` by number; four queries (the
    assignments with their suggestions and replies, the ratings, the rules, the
    calendar)."""
    today = today or clock.today()
    latest: dict[int, Assignment] = {}
    for assignment in (
        Assignment.objects.filter(unit=unit, active=True, suggestion__session=session)
        .select_related("suggestion__lead_deputy", "reply")
        .order_by("suggestion__number", "suggestion_id", "round", "pk")
    ):
        latest[assignment.suggestion_id] = assignment
    if not latest:
        return []
    ratings = {
        (suggestion, round_): rating
        for suggestion, round_, rating in Evaluation.objects.filter(
            suggestion_id__in=list(latest)
        ).values_list("suggestion_id", "round", "rating")
    }
    rules = deadlines.rules_for(session.congress_id)
    ends = deadlines.reassignment_window_ends(
        rules, [timezone.localdate(a.assigned_at) for a in latest.values()]
    )
    result = []
    for assignment in latest.values():
        end = ends[timezone.localdate(assignment.assigned_at)]
        result.append(
            Row(
                assignment=assignment,
                rating=ratings.get((assignment.suggestion_id, assignment.round)),
                acknowledged_on_time=deadlines.acknowledged_on_time(
                    assignment, end, today
                ),
                replied_on_time=deadlines.replied_on_time(assignment, today),
            )
        )
    return result


def totals(found: list[Row]) -> dict:
    replied = [r for r in found if r.assignment.replied_at is not None]
    rated = [r for r in found if r.rating is not None]
    on_time = sum(1 for r in replied if r.replied_on_time)
    satisfied = sum(1 for r in rated if r.rating in SATISFIED)
    return {
        "suggestions": len(found),
        "lead": sum(1 for r in found if r.assignment.is_lead),
        "co": sum(1 for r in found if not r.assignment.is_lead),
        "replied": len(replied),
        "on_time": on_time,
        "on_time_rate": rate(on_time, len(replied)),
        "evaluated": len(rated),
        "satisfied": satisfied,
        "satisfaction_rate": rate(satisfied, len(rated)),
    }


def _local(moment):
    return timezone.localdate(moment) if moment else None


def _yes_no(flag: bool | None) -> str:
    if flag is None:
        return ""
    return _("Yes") if flag else _("No")


def _columns():
    """(header, number format, value of a ``Row``), in the table's order."""
    return [
        (pgettext("unit summary", "No."), COUNT, lambda r: r.suggestion.number),
        (pgettext("unit summary", "Title"), None, lambda r: r.suggestion.title),
        (
            pgettext("unit summary", "Lead deputy"),
            None,
            lambda r: r.suggestion.lead_deputy.name,
        ),
        (
            pgettext("unit summary", "Lead or co"),
            None,
            lambda r: (
                pgettext("unit summary", "Lead")
                if r.assignment.role == AssignmentRole.LEAD
                else pgettext("unit summary", "Co")
            ),
        ),
        (
            pgettext("unit summary", "Assigned on"),
            DATE,
            lambda r: _local(r.assignment.assigned_at),
        ),
        (
            pgettext("unit summary", "Acknowledged on"),
            DATE,
            lambda r: _local(r.assignment.acknowledged_at),
        ),
        (pgettext("unit summary", "Due date"), DATE, lambda r: r.assignment.due_at),
        (
            pgettext("unit summary", "Replied on"),
            DATE,
            lambda r: _local(r.assignment.replied_at),
        ),
        (
            pgettext("unit summary", "Class"),
            None,
            lambda r: Outcome(r.reply.outcome).letter if r.reply else "",
        ),
        (
            pgettext("unit summary", "Deputy's rating"),
            None,
            lambda r: (
                str(Rating(r.rating).label)
                if r.rating
                else pgettext("unit summary", "Not rated")
            ),
        ),
        (
            pgettext("unit summary", "Acknowledged on time"),
            None,
            lambda r: _yes_no(r.acknowledged_on_time),
        ),
        (
            pgettext("unit summary", "Replied on time"),
            None,
            lambda r: _yes_no(r.replied_on_time),
        ),
        (
            pgettext("unit summary", "Rehandled"),
            None,
            lambda r: _yes_no(r.assignment.round > 1),
        ),
    ]


def workbook(unit: HandlingUnit, session: Session, found: list[Row]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    columns = _columns()
    add_sheet(
        book,
        pgettext("unit summary", "Suggestions handled"),
        [header for header, _fmt, _value in columns],
        [[value(row) for _header, _fmt, value in columns] for row in found],
        [fmt for _header, fmt, _value in columns],
    )
    figures = totals(found)
    summary = [
        (pgettext("unit summary", "Unit"), None, unit.name),
        (pgettext("unit summary", "Session"), None, session.short_name),
        (pgettext("unit summary", "Suggestions"), COUNT, figures["suggestions"]),
        (pgettext("unit summary", "As lead unit"), COUNT, figures["lead"]),
        (pgettext("unit summary", "As co-unit"), COUNT, figures["co"]),
        (pgettext("unit summary", "Replies"), COUNT, figures["replied"]),
        (pgettext("unit summary", "Replies on time"), COUNT, figures["on_time"]),
        (pgettext("unit summary", "On-time reply rate"), RATE, figures["on_time_rate"]),
        (pgettext("unit summary", "Rated"), COUNT, figures["evaluated"]),
        (
            pgettext("unit summary", "Satisfied or basically"),
            COUNT,
            figures["satisfied"],
        ),
        (
            pgettext("unit summary", "Satisfaction rate"),
            RATE,
            figures["satisfaction_rate"],
        ),
    ]
    add_sheet(
        book,
        pgettext("unit summary", "Totals"),
        [header for header, _fmt, _value in summary],
        [[value for _header, _fmt, value in summary]],
        [fmt for _header, fmt, _value in summary],
    )
    return workbook_bytes(book)


def summary_file_name(unit: HandlingUnit, session: Session) -> DownloadName:
    """州十六届人大二次会议_州教育局_办理情况汇总表.xlsx (the session's name as
    ``congress.names.file_name`` gives it)."""
    what = f"{unit}_{pgettext('file name', 'handling summary')}"
    return file_name(what, f"unit-{unit.pk}-summary", "xlsx", session=session)
