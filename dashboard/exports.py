"""Excel workbooks (openpyxl): the dashboard's tables, the unit league table and a
filtered suggestion list.

Headers are translated into the active language (Chinese by default); every sheet
has its header row frozen, columns sized to their text, counts formatted ``0``,
rates (percentages with one decimal, as the engine gives them) ``0.0"%"`` and dates
as Excel dates.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from congress.models import HandlerGroup, UnitKind
from suggestions.models import Outcome, Rating

from . import figures

COUNT = "0"
RATE = '0.0"%"'
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
TEXT = "@"
# The most suggestions one export writes; a note at the end says when there were more.
EXPORT_LIMIT = 50_000

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


def filename(kind: str, ext: str = "xlsx") -> str:
    return f"{kind}-{timezone.localdate():%Y%m%d}.{ext}"


def _width(value) -> int:
    """Display width: CJK characters count double."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def xml_text(value: str) -> str:
    """``value`` without the control characters that XML (so .xlsx and .docx) cannot
    hold; names and titles typed elsewhere may carry them."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _local(value):
    """A value a cell can hold. Excel has no time zones: datetimes in Beijing time,
    without the zone."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str):
        return xml_text(value)
    return value


def _sheet(workbook, title, headers, rows, formats, *, min_width=8, max_width=60):
    """A sheet with a bold, frozen header row; ``formats`` has one number format per
    column (``None``: general)."""
    sheet = workbook.create_sheet(title)
    sheet.append([_local(str(h)) for h in headers])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    widths = [_width(h) for h in headers]
    for row in rows:
        sheet.append([_local(v) for v in row])
        for i, value in enumerate(row):
            widths[i] = max(widths[i], _width(value))
            fmt = formats[i] if i < len(formats) else None
            if fmt and value is not None and not isinstance(value, str):
                sheet.cell(row=sheet.max_row, column=i + 1).number_format = fmt
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(
            min_width, min(max_width, width + 2)
        )
    sheet.freeze_panes = "A2"
    return sheet


def _bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _overview_rows(scope, stats) -> list[tuple]:
    outcomes, ratings = stats["outcomes"], stats["ratings"]
    rows = [
        (_("Scope"), str(scope.label), None),
        (_("Figures as of"), _local(figures.as_of(stats)), DATETIME),
        (_("Suggestions"), stats["suggestions"], COUNT),
    ]
    if stats.get("deputies") is not None:
        rows.append((_("Deputies"), stats["deputies"], COUNT))
    rows.append(
        (
            _("Deputies who handed them in"),
            stats.get("deputies_with_suggestions"),
            COUNT,
        )
    )
    if stats.get("previous_session_suggestions") is not None:
        rows += [
            (
                _("Suggestions in the previous session"),
                stats["previous_session_suggestions"],
                COUNT,
            ),
            (_("Change against the previous session"), stats["change"], "+0;-0;0"),
        ]
    rows += [(str(Outcome(k).label), outcomes.get(k, 0), COUNT) for k in Outcome.values]
    rows += [
        (_("Completion rate"), stats["completion_rate"], RATE),
        *((str(Rating(k).label), ratings.get(k, 0), COUNT) for k in Rating.values),
        (_("Satisfaction rate"), stats["satisfaction_rate"], RATE),
        (_("Reply rate"), stats.get("reply_rate"), RATE),
        (_("On-time reply rate"), stats.get("on_time_rate"), RATE),
        (_("Contact rate"), stats.get("contact_rate"), RATE),
        (_("Re-handled"), stats.get("rehandled"), COUNT),
        (_("Overdue now"), stats["overdue"], COUNT),
        (_("Key supervised"), stats["key_supervised"], COUNT),
        (_("Key supervised, replied"), stats.get("key_supervised_replied"), COUNT),
        (_("Key supervised, closed"), stats.get("key_supervised_closed"), COUNT),
    ]
    return rows


def _add_overview(workbook, scope, stats):
    rows = _overview_rows(scope, stats)
    sheet = _sheet(workbook, _("Overview"), [_("Figure"), _("Value")], [], [])
    widths = [_width(_("Figure")), 12]
    for label, value, fmt in rows:
        sheet.append([_local(str(label)), _local(value)])
        if fmt and value is not None:
            sheet.cell(row=sheet.max_row, column=2).number_format = fmt
        widths[0] = max(widths[0], _width(label))
    sheet.column_dimensions["A"].width = widths[0] + 2
    sheet.column_dimensions["B"].width = 40
    return sheet


def _share(count: int, total: int) -> float | None:
    return round(100 * count / total, 1) if total else None


def _count_rows(items, total):
    return [(str(label), count, _share(count, total)) for label, count in items]


def _league_sheet(
    workbook, scope, stats, *, sort="assigned", direction="desc", kind=""
):
    rows = figures.league(scope, stats, sort=sort, direction=direction, kind=kind)
    headers = [_("Unit"), _("Unit kind"), *(c.label for c in figures.LEAGUE_COLUMNS)]
    formats = [
        None,
        None,
        *(RATE if c.is_rate else COUNT for c in figures.LEAGUE_COLUMNS),
    ]
    return _sheet(
        workbook,
        _("Units"),
        headers,
        [
            (row.unit["name"], row.kind_label, *(cell.value for cell in row.cells))
            for row in rows
        ],
        formats,
    )


def dashboard_workbook(scope: figures.Scope, *, today=None) -> bytes:
    """概况, 分类, 承办机关, 承办单位, 代表团, 趋势."""
    stats = scope.statistics(today=today)
    n = stats["suggestions"]
    workbook = Workbook()
    workbook.remove(workbook.active)
    _add_overview(workbook, scope, stats)
    share_formats = [None, COUNT, RATE]
    _sheet(
        workbook,
        _("Categories"),
        [_("Category"), _("Suggestions"), _("Share")],
        _count_rows(((r["category"], r["count"]) for r in stats["by_category"]), n),
        share_formats,
    )
    bodies = _count_rows(
        (
            (HandlerGroup(r["group"]).label, r["count"])
            for r in stats["by_handler_group"]
        ),
        n,
    )
    kinds = _count_rows(
        ((UnitKind(r["kind"]).label, r["count"]) for r in stats["by_unit_kind"]), n
    )
    sheet = _sheet(
        workbook,
        _("Handling bodies"),
        [_("Handled by"), _("Suggestions"), _("Share")],
        [*bodies, (None, None, None)],
        share_formats,
    )
    sheet.append([_("Unit kind"), _("Suggestions"), _("Share")])
    for cell in sheet[sheet.max_row]:
        cell.font = HEADER_FONT
    for row in kinds:
        sheet.append([_local(v) for v in row])
        sheet.cell(row=sheet.max_row, column=2).number_format = COUNT
        if row[2] is not None:
            sheet.cell(row=sheet.max_row, column=3).number_format = RATE
    _league_sheet(workbook, scope, stats)
    _sheet(
        workbook,
        _("Delegations"),
        [_("Delegation"), _("Suggestions"), _("Share")],
        _count_rows(
            ((r["delegation"]["name"], r["count"]) for r in stats["by_delegation"]), n
        ),
        share_formats,
    )
    trend = figures.trend_rows(scope.session)
    _sheet(
        workbook,
        _("Trend"),
        [_("Session"), *(label for _key, label, _rate in figures.TREND_COLUMNS)],
        [
            (
                row["session"]["name"],
                *(row.get(key) for key, *_rest in figures.TREND_COLUMNS),
            )
            for row in trend
        ],
        [
            None,
            *(RATE if is_rate else COUNT for _k, _l, is_rate in figures.TREND_COLUMNS),
        ],
    )
    return _bytes(workbook)


def league_workbook(scope, *, sort="assigned", direction="desc", kind="", today=None):
    stats = scope.statistics(today=today)
    workbook = Workbook()
    workbook.remove(workbook.active)
    _league_sheet(workbook, scope, stats, sort=sort, direction=direction, kind=kind)
    return _bytes(workbook)


# --- the suggestion list --------------------------------------------------------------

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
        "session__congress", "lead_deputy__delegation", "category", "lead_unit"
    )


def suggestion_workbook(queryset, *, limit: int = EXPORT_LIMIT) -> bytes:
    """The suggestions of ``queryset`` (already limited to what the user may see and
    filtered), in its order, in a write-only (streamed) workbook of at most ``limit``
    rows; one query."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Suggestions"))
    for i, (_header, width, _fmt, _value) in enumerate(SUGGESTION_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for make_header, *_rest in SUGGESTION_COLUMNS:
        cell = WriteOnlyCell(sheet, value=str(make_header()))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        header.append(cell)
    sheet.append(header)
    rows = suggestion_rows(queryset)[: limit + 1].iterator(chunk_size=2000)
    for written, suggestion in enumerate(rows):
        if written == limit:
            sheet.append(
                [
                    _(
                        "Only the first %(limit)s suggestions are exported; "
                        "narrow the filters for the rest."
                    )
                    % {"limit": limit}
                ]
            )
            break
        row = []
        for _header, _width, fmt, value in SUGGESTION_COLUMNS:
            cell = WriteOnlyCell(sheet, value=_local(value(suggestion)))
            if fmt and cell.value is not None:
                cell.number_format = fmt
            row.append(cell)
        sheet.append(row)
    return _bytes(workbook)
