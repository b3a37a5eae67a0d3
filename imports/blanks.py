"""The templates to fill in (GET /imports/templates/<kind>.xlsx): the kind's columns
with an example row, and a second sheet "填写说明" saying for each column whether it
is required, its format and the values allowed."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from common.workbooks import add_sheet, workbook_bytes

from .columns import COLUMNS, KIND_LABELS, Kind


def template_workbook(kind: str, *, body=None) -> bytes:
    """The template of ``kind`` in the active language; with ``body``, the
    instructions also list that body's categories (suggestions)."""
    columns = COLUMNS[kind]
    workbook = Workbook()
    workbook.remove(workbook.active)
    add_sheet(
        workbook,
        str(KIND_LABELS[kind])[:31],
        [str(c.label) for c in columns],
        [[c.example if c.example != "" else None for c in columns]],
        [None] * len(columns),
    )
    notes = [
        [str(c.label), _("Yes") if c.required else _("No"), str(c.note)]
        for c in columns
    ]
    notes.append(["", "", ""])
    notes.append([_("Row 2 is an example: replace it with your rows."), "", ""])
    notes.append(
        [
            _(
                "Rows are matched on their keys (see docs/import.md): importing the "
                "same file again changes nothing."
            ),
            "",
            "",
        ]
    )
    if kind == Kind.SUGGESTIONS and body is not None:
        names = "、".join(
            body.categories.order_by("position", "pk").values_list("name", flat=True)
        )
        notes.append([_("Categories of this congress body"), "", names])
    add_sheet(
        workbook,
        _("Instructions"),
        [_("Column"), _("Required"), _("Format and allowed values")],
        notes,
        [None, None, None],
        max_width=90,
    )
    return workbook_bytes(workbook)


def template_file_name(kind: str) -> str:
    return _("import template - %(kind)s.xlsx") % {"kind": KIND_LABELS[kind]}
