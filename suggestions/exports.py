"""The visible, filtered suggestion list as an Excel workbook (the list page's and
the API's download)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from common.workbooks import (
    COUNT,
    DATE,
    HEADER_FILL,
    HEADER_FONT,
    append_row,
    cell,
    workbook_bytes,
)
from congress.models import Session
from congress.names import file_name as _file_name

# The most suggestions one export writes; a note at the end says when there were more.
EXPORT_LIMIT = 50_000

__all__ = [
    "EXPORT_LIMIT",
    "file_name",
    "promise_file_name",
    "promise_workbook",
    "suggestion_rows",
    "suggestion_workbook",
]


def file_name(session: Session | str | None = None):
    """昌吉州十六届人大二次会议_代表建议清单.xlsx for a list of one session (a
    ``Session`` or the list's ``session`` parameter), else 代表建议清单 with today's
    date."""
    if isinstance(session, str):
        session = (
            Session.objects.select_related("congress__body").filter(pk=session).first()
            if session.isdigit()
            else None
        )
    return _file_name(_("Suggestions list"), "suggestions", "xlsx", session=session)


SUGGESTION_COLUMNS = (
    # header, width, number format, value
    (lambda: _("No."), 8, COUNT, lambda s: s.number),
    (lambda: _("Title"), 50, None, lambda s: s.title),
    (lambda: _("Session"), 30, None, lambda s: s.session.name),
    (lambda: _("Lead deputy"), 12, None, lambda s: s.lead_deputy.name),
    (lambda: _("Delegation"), 20, None, lambda s: s.lead_deputy.delegation.name),
    (
        lambda: _("Category"),
        12,
        None,
        lambda s: s.category.name if s.category else None,
    ),
    (
        lambda: _("Lead unit"),
        28,
        None,
        lambda s: s.lead_unit.name if s.lead_unit else None,
    ),
    (lambda: _("Status"), 10, None, lambda s: str(s.get_status_display())),
    (
        lambda: _("Key supervised"),
        10,
        None,
        lambda s: _("Yes") if s.key_supervised else "",
    ),
    (lambda: _("Submitted"), 12, DATE, lambda s: _date(s.submitted_at)),
    (lambda: _("Assigned"), 12, DATE, lambda s: _date(s.assigned_at)),
    (lambda: _("Due date"), 12, DATE, lambda s: s.due_at),
    (lambda: _("Replied"), 12, DATE, lambda s: _date(s.replied_at)),
    (
        lambda: _("Outcome"),
        24,
        None,
        lambda s: str(s.get_outcome_display()) if s.outcome else None,
    ),
    (
        lambda: _("Rating"),
        12,
        None,
        lambda s: str(s.get_rating_display()) if s.rating else None,
    ),
)


def _date(value):
    return timezone.localdate(value) if value else None


def suggestion_rows(queryset):
    """The export's queryset: what it reads in one query, streamed."""
    return queryset.select_related(
        "session__congress__body", "lead_deputy__delegation", "category", "lead_unit"
    )


def suggestion_workbook(queryset, *, limit: int = EXPORT_LIMIT) -> bytes:
    """The suggestions of ``queryset`` (already limited to what the user may see and
    filtered), in its order, in a write-only (streamed) workbook of at most ``limit``
    rows; one query."""
    return _workbook(
        _("Suggestions"),
        SUGGESTION_COLUMNS,
        suggestion_rows(queryset),
        limit,
        _(
            "Only the first %(limit)s suggestions are exported; narrow the filters "
            "for the rest."
        ),
    )


def _workbook(title, columns, queryset, limit: int, over_limit: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for i, (_header, width, _fmt, _value) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for make_header, *_rest in columns:
        header_cell = cell(sheet, str(make_header()))
        header_cell.font = HEADER_FONT
        header_cell.fill = HEADER_FILL
        header.append(header_cell)
    sheet.append(header)
    rows = queryset[: limit + 1].iterator(chunk_size=2000)
    for written, row in enumerate(rows):
        if written == limit:
            append_row(sheet, [over_limit % {"limit": limit}])
            break
        append_row(
            sheet,
            [value(row) for *_rest, value in columns],
            [fmt for _header, _width, fmt, _value in columns],
        )
    return workbook_bytes(workbook)


# --- the promise ledger ---------------------------------------------------------------


def _suggestion_of(promise):
    return promise.reply.assignment.suggestion


PROMISE_COLUMNS = (
    (lambda: _("Session"), 30, None, lambda p: _suggestion_of(p).session.name),
    (lambda: _("No."), 8, COUNT, lambda p: _suggestion_of(p).number),
    (lambda: _("Title"), 40, None, lambda p: _suggestion_of(p).title),
    (lambda: _("Lead unit"), 28, None, lambda p: p.reply.assignment.unit.name),
    (lambda: _("Replied"), 12, DATE, lambda p: _date(p.reply.sent_at)),
    (lambda: _("Promise"), 50, None, lambda p: p.text),
    (lambda: _("Promised by"), 12, DATE, lambda p: p.due_on),
    (lambda: _("State"), 12, None, lambda p: str(p.get_state_display())),
    (lambda: _("Overdue"), 8, None, lambda p: _("Yes") if p.is_overdue() else ""),
    (lambda: _("Reported on"), 12, DATE, lambda p: p.reported_on),
    (lambda: _("Report"), 50, None, lambda p: p.report_note),
)


def promise_file_name(session: Session | None = None):
    """昌吉州十六届人大二次会议_承诺事项台账.xlsx, or with today's date."""
    return _file_name(_("Promise ledger"), "promises", "xlsx", session=session)


def promise_workbook(queryset, *, limit: int = EXPORT_LIMIT) -> bytes:
    """The promises of ``queryset`` (``selectors.promise_ledger``, filtered), in
    its order, as a streamed workbook of at most ``limit`` rows; one query."""
    return _workbook(
        _("Promises"),
        PROMISE_COLUMNS,
        queryset,
        limit,
        _(
            "Only the first %(limit)s promises are exported; narrow the filters "
            "for the rest."
        ),
    )
