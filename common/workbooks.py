"""Excel workbooks (openpyxl) as the office reads them: headers translated into the
active language, the header row bold and frozen, columns sized to their text (CJK
characters count double), counts formatted ``0``, rates (percentages with one
decimal) ``0.0"%"`` and dates as Excel dates in Beijing time.

Every value goes into a sheet through ``cell`` (``add_sheet`` and ``append_row`` use
it): a string is always stored as text, never as a formula, whatever it starts with
(a title ``=HYPERLINK(…)`` or a unit named ``=1+2`` is shown, not evaluated)."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

COUNT = "0"
RATE = '0.0"%"'
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
TEXT = "@"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


def display_width(value) -> int:
    """Display width: CJK characters count double."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def xml_text(value: str) -> str:
    """``value`` without the control characters that XML (so .xlsx and .docx) cannot
    hold; names and titles typed elsewhere may carry them."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def cell_value(value):
    """A value a cell can hold. Excel has no time zones: datetimes in Beijing time,
    without the zone."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str):
        return xml_text(value)
    return value


# A string starting with one of these is what Excel, WPS or a CSV import may take for
# a formula (OWASP's "CSV injection" list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(sheet, value, number_format=None) -> Cell:
    """A cell of ``sheet`` (normal or write-only) holding ``cell_value(value)``; to
    be given to ``sheet.append``. A string is stored as a string (openpyxl would store
    one starting with ``=`` as a formula) and, when it starts like a formula, marked
    with Excel's quote prefix, so that editing the cell keeps it text too."""
    value = cell_value(value)
    # Row and column are placeholders: ``sheet.append`` sets them.
    result = Cell(sheet, row=1, column=1, value=value)
    if isinstance(value, str):
        result.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            result.quotePrefix = True
    elif number_format and value is not None:
        result.number_format = number_format
    return result


def append_row(sheet, values, formats=()) -> None:
    """Append ``values`` as one row of ``cell``s; ``formats`` has a number format
    per column (``None``: general), given to the values that are neither None nor
    text."""
    sheet.append(
        [
            cell(sheet, value, formats[i] if i < len(formats) else None)
            for i, value in enumerate(values)
        ]
    )


def add_sheet(workbook, title, headers, rows, formats, *, min_width=8, max_width=60):
    """A sheet with a bold, frozen header row; ``formats`` has one number format per
    column (``None``: general)."""
    sheet = workbook.create_sheet(title)
    append_row(sheet, [str(h) for h in headers])
    for header in sheet[1]:
        header.font = HEADER_FONT
        header.fill = HEADER_FILL
    widths = [display_width(h) for h in headers]
    for row in rows:
        append_row(sheet, row, formats)
        for i, value in enumerate(row):
            widths[i] = max(widths[i], display_width(value))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(
            min_width, min(max_width, width + 2)
        )
    sheet.freeze_panes = "A2"
    return sheet


def workbook_bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
