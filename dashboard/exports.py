"""Excel workbooks (openpyxl): the dashboard's tables and the unit league table (the
suggestion list's is ``suggestions.exports``).

Headers are translated into the active language (Chinese by default); every sheet
has its header row frozen, columns sized to their text, counts formatted ``0``,
rates (percentages with one decimal, as the engine gives them) ``0.0"%"`` and dates
as Excel dates.
"""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook

from common.downloads import DownloadName
from common.workbooks import (
    COUNT,
    DATETIME,
    HEADER_FONT,
    RATE,
    add_sheet,
    append_row,
    cell_value,
    display_width,
    workbook_bytes,
)
from congress.models import HandlerGroup, Outcome, UnitKind
from congress.names import file_name
from suggestions.models import Rating

from . import assessment, figures

__all__ = [
    "assessment_file_name",
    "assessment_workbook",
    "dashboard_file_name",
    "dashboard_workbook",
    "league_file_name",
    "league_workbook",
]


def dashboard_file_name(scope: figures.Scope) -> DownloadName:
    """昌吉州十六届人大二次会议_办理情况统计.xlsx."""
    return scope.file_name(_("Handling statistics"), "statistics", "xlsx")


def league_file_name(scope: figures.Scope) -> DownloadName:
    """昌吉州十六届人大二次会议_承办单位办理情况.xlsx."""
    return scope.file_name(_("Handling by unit"), "units", "xlsx")


def _overview_rows(scope, stats) -> list[tuple]:
    outcomes, ratings = stats["outcomes"], stats["ratings"]
    rows = [
        (_("Scope"), str(scope.label), None),
        (_("Congress body"), scope.body_name, None),
        (_("Figures as of"), cell_value(figures.as_of(stats)), DATETIME),
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
    sheet = add_sheet(workbook, _("Overview"), [_("Figure"), _("Value")], [], [])
    widths = [display_width(_("Figure")), 12]
    for label, value, fmt in rows:
        append_row(sheet, [str(label), value], [None, fmt])
        widths[0] = max(widths[0], display_width(label))
    sheet.column_dimensions["A"].width = widths[0] + 2
    sheet.column_dimensions["B"].width = 40
    return sheet


def _count_rows(items):
    """(label, count, share) rows; the shares are the engine's
    (``statistics.shares``: of the breakdown's own whole, adding up to 100)."""
    return [(str(label), count, share) for label, count, share in items]


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
    return add_sheet(
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
    workbook = Workbook()
    workbook.remove(workbook.active)
    _add_overview(workbook, scope, stats)
    share_formats = [None, COUNT, RATE]
    add_sheet(
        workbook,
        _("Categories"),
        [_("Category"), _("Suggestions"), _("Share")],
        _count_rows(
            (r["category"], r["count"], r["share"]) for r in stats["by_category"]
        ),
        share_formats,
    )
    bodies = _count_rows(
        (HandlerGroup(r["group"]).label, r["count"], r["share"])
        for r in stats["by_handler_group"]
    )
    kinds = _count_rows(
        (UnitKind(r["kind"]).label, r["count"], r["share"])
        for r in stats["by_unit_kind"]
    )
    sheet = add_sheet(
        workbook,
        _("Handling bodies"),
        [_("Handled by"), _("Suggestions"), _("Share")],
        [*bodies, (None, None, None)],
        share_formats,
    )
    append_row(sheet, [str(_("Unit kind")), str(_("Suggestions")), str(_("Share"))])
    for header in sheet[sheet.max_row]:
        header.font = HEADER_FONT
    for row in kinds:
        append_row(sheet, row, share_formats)
    _league_sheet(workbook, scope, stats)
    add_sheet(
        workbook,
        _("Delegations"),
        [_("Delegation"), _("Suggestions"), _("Share")],
        _count_rows(
            (r["delegation"]["name"], r["count"], r["share"])
            for r in stats["by_delegation"]
        ),
        share_formats,
    )
    trend = figures.trend_rows(scope)
    add_sheet(
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
    return workbook_bytes(workbook)


def league_workbook(scope, *, sort="assigned", direction="desc", kind="", today=None):
    stats = scope.statistics(today=today)
    workbook = Workbook()
    workbook.remove(workbook.active)
    _league_sheet(workbook, scope, stats, sort=sort, direction=direction, kind=kind)
    return workbook_bytes(workbook)


# --- unit assessment ------------------------------------------------------------------


def assessment_file_name(session) -> DownloadName:
    """昌吉州十六届人大二次会议_承办单位绩效考核.xlsx."""
    return file_name(_("Unit assessment"), "assessment", "xlsx", session=session)


def assessment_workbook(result: assessment.Assessment) -> bytes:
    """得分 (the ranking, a column per rule that scored), 明细 (every item: its
    rule, points, suggestion and why) and 考核办法 (the formula in force)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    rules = [r for r, weight in result.formula.rows() if weight]
    subtotals = [row.subtotals() for row in result.scores]
    add_sheet(
        workbook,
        _("Scores"),
        [_("Rank"), _("Unit"), _("Unit kind"), _("Score"), *(r.label for r in rules)],
        [
            (
                row.rank,
                row.unit.name,
                str(UnitKind(row.unit.kind).label),
                assessment.number(row.score),
                *(assessment.number(totals.get(r.key, 0)) for r in rules),
            )
            for row, totals in zip(result.scores, subtotals, strict=True)
        ],
        [COUNT, None, None, None, *(None for _r in rules)],
    )
    add_sheet(
        workbook,
        _("Items"),
        [
            _("Unit"),
            _("Rule"),
            _("Points"),
            _("Suggestion number"),
            _("Title"),
            _("Explanation"),
        ],
        [
            (
                row.unit.name,
                str(item.rule.label),
                assessment.number(item.points),
                item.suggestion.number,
                item.suggestion.title,
                item.explanation,
            )
            for row in result.scores
            for item in row.items
        ],
        [None, None, None, COUNT, None, None],
    )
    version = result.formula.version
    add_sheet(
        workbook,
        _("Formula"),
        [_("Rule"), _("Points per item"), _("Deduction"), _("What scores")],
        [
            (
                str(r.label),
                assessment.number(weight),
                _("Yes") if r.deduction else _("No"),
                str(r.description),
            )
            for r, weight in result.formula.rows()
        ]
        + [
            (
                _("In force from"),
                formats.date_format(version.effective_from)
                if version
                else _("Built-in default"),
                None,
                version.note if version else "",
            )
        ],
        [None, None, None, None],
    )
    return workbook_bytes(workbook)
