"""What every kind of import shares: the report, reading and checking the rows,
counting them, and the terms (congresses) of the body."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from congress.models import Congress, CongressBody

from .columns import CHOICE, COLUMNS, Column
from .workbook import BadCell, parse_cell


@dataclass
class Report:
    """What an import did, or would do: row counts and every problem found, each
    with its row (as numbered in Excel), its column's header and a message in the
    request's language."""

    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": list(self.errors),
        }


CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class Importer:
    kind = ""

    def __init__(self, *, actor, body: CongressBody, dry_run: bool):
        self.actor = actor
        self.body = body
        self.report = Report(dry_run=dry_run)
        self.columns = {c.key: c for c in COLUMNS[self.kind]}
        self.headers: dict[str, str] = {}
        self.rows: list[tuple[int, dict]] = []
        self.outcomes: dict[int, str] = {}  # row -> created / updated / unchanged
        self.bad_rows: set[int] = set()  # rows with a cell that did not parse

    # --- reading ----------------------------------------------------------------

    def load(self, sheet) -> None:
        """Parse every cell of every row; missing columns and values are errors."""
        self.headers = sheet.headers
        for column in sheet.missing:
            self.error(1, column.key, _("The column is missing."))
        if sheet.missing:
            return
        example = {
            c.key: str(c.example) for c in self.columns.values() if c.example != ""
        }
        # The template's example row, left in by mistake, is no data.
        rows = [
            (number, raw)
            for number, raw in sheet.rows
            if {k: str(v) for k, v in raw.items()} != example
        ]
        self.report.rows = len(rows)
        for number, raw in rows:
            values = {}
            for key, column in self.columns.items():
                value = raw.get(key)
                if value is None:
                    if column.required:
                        self.error(number, key, _("A value is required."))
                        self.bad_rows.add(number)
                    continue
                try:
                    values[key] = self.parse(column, value)
                except BadCell as error:
                    self.error(number, key, str(error))
                    self.bad_rows.add(number)
            self.rows.append((number, values))

    def parse(self, column: Column, value):
        parsed = parse_cell(column, value)
        if column.type == CHOICE:
            return self.choice(column, parsed)
        return parsed

    def choice(self, column: Column, text: str):
        raise BadCell(_("Not one of the allowed values."))

    def error(self, row: int, key: str, message: str) -> None:
        column = self.headers.get(key) or (
            str(self.columns[key].label) if key in self.columns else ""
        )
        self.report.errors.append({"row": row, "column": column, "message": message})

    def count(self, row: int, outcome: str) -> None:
        self.outcomes[row] = outcome

    def finish_counts(self) -> None:
        for outcome in self.outcomes.values():
            setattr(self.report, outcome, getattr(self.report, outcome) + 1)

    # --- the terms of the body ----------------------------------------------------

    def load_congresses(self) -> None:
        self.congresses = {
            c.ordinal: c for c in Congress.objects.filter(body=self.body)
        }
        self.new_congresses: dict[int, Congress] = {}

    def congress(self, term: int) -> Congress:
        """The term's congress, made (unsaved until ``save_congresses``) when the
        body has no such term yet."""
        found = self.congresses.get(term) or self.new_congresses.get(term)
        if found is None:
            found = self.new_congresses[term] = Congress(body=self.body, ordinal=term)
        return found

    def save_congresses(self) -> None:
        for congress in self.new_congresses.values():
            congress.save()
            self.congresses[congress.ordinal] = congress

    def plan(self) -> None:
        raise NotImplementedError

    def apply(self) -> None:
        raise NotImplementedError


def choices_of(pairs) -> dict[str, str]:
    """Each choice's value, and its label in Chinese and English, to its value."""
    from django.utils import translation

    result = {}
    for value, label in pairs:
        result[value.lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                result[str(label).strip().lower()] = value
    return result


def changed(obj, values: dict) -> bool:
    return any(getattr(obj, name) != value for name, value in values.items())


def reference_changed(body: CongressBody) -> None:
    """Reference data of ``body`` the figures name or count changed (written in
    bulk, so without the model signals the dashboard listens to): the snapshots of
    the body's sessions are stale."""
    from dashboard.changes import all_changed

    all_changed(session__congress__body=body)
