"""Reading a filled-in workbook (openpyxl, read-only: a 10,000-row file is streamed)
and the cell values as the importer takes them: text, whole numbers, dates, yes/no
and lists of names."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from common.text import multi_line, single_line

from .columns import (
    DATE,
    INTEGER,
    LIST,
    LONG_TEXT,
    YES_NO,
    Column,
    normalise_header,
)

MAX_ROWS = 50_000
HEADER_ROW = 1


class BadWorkbook(Exception):
    """The file is no workbook the importer can read (the message says why)."""


class BadCell(Exception):
    """A cell's value does not fit its column (the message says why)."""


@dataclass
class Sheet:
    """The rows of a workbook's first sheet: each row's number in Excel and its
    values by column key; the header each column was found under."""

    headers: dict[str, str] = field(default_factory=dict)  # key -> header as written
    rows: list[tuple[int, dict]] = field(default_factory=list)
    missing: list[Column] = field(default_factory=list)  # required, not found


def read_sheet(file, columns: tuple[Column, ...]) -> Sheet:
    """The first sheet of ``file`` (an .xlsx), its header row matched to
    ``columns``; blank rows are left out. Raises ``BadWorkbook``."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise BadWorkbook(_("The file is not an Excel workbook (.xlsx).")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None) or ()
        by_header = {}
        for column in columns:
            for name in column.headers():
                by_header[name] = column
        positions: dict[int, Column] = {}
        result = Sheet()
        for index, value in enumerate(header):
            column = by_header.get(normalise_header(value))
            if column is not None and column.key not in result.headers:
                positions[index] = column
                result.headers[column.key] = str(value).strip()
        result.missing = [
            c for c in columns if c.required and c.key not in result.headers
        ]
        for number, values in enumerate(rows, start=HEADER_ROW + 1):
            row = {}
            for index, column in positions.items():
                value = values[index] if index < len(values) else None
                if isinstance(value, str):
                    value = value.strip()
                if value is not None and value != "":
                    row[column.key] = value
            if row:
                if len(result.rows) >= MAX_ROWS:
                    raise BadWorkbook(
                        _("The file has more than %(n)s rows: split it.")
                        % {"n": MAX_ROWS}
                    )
                result.rows.append((number, row))
        return result
    finally:
        workbook.close()


_INTEGER = re.compile(r"^\d+$")
_DATE_PARTS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_SEPARATORS = re.compile(r"[、,，;；\n]+")
YES = {"是", "yes", "y", "true", "1", "√"}
NO = {"否", "no", "n", "false", "0", "×"}


def parse_cell(column: Column, value):
    """The value of a non-empty cell for ``column``; raises ``BadCell``."""
    if column.type == INTEGER:
        return _integer(value)
    if column.type == DATE:
        return _date(value)
    if column.type == YES_NO:
        text = str(value).strip().lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise BadCell(_("Write 是 or 否."))
    if column.type == LIST:
        names = [single_line(part) for part in _SEPARATORS.split(str(value))]
        return [n for n in names if n]
    if column.type == LONG_TEXT:
        return multi_line(_text(value))
    text = single_line(_text(value))
    if column.max_length and len(text) > column.max_length:
        raise BadCell(
            _("At most %(n)s characters (this has %(length)s).")
            % {"n": column.max_length, "length": len(text)}
        )
    return text


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed as a number
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def _integer(value) -> int:
    if isinstance(value, bool):
        raise BadCell(_("Write a whole number."))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _INTEGER.match(value.strip()):
        number = int(value.strip())
    else:
        raise BadCell(_("Write a whole number, not “%(value)s”.") % {"value": value})
    if number < 1 or number > 2_000_000_000:
        raise BadCell(_("Write a whole number greater than 0."))
    return number


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE_PARTS.match(str(value).strip())
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise BadCell(_("Write a date as YYYY-MM-DD, not “%(value)s”.") % {"value": value})
