"""The import engine: a workbook of one kind (delegations, deputies, handling units,
past suggestions) read, every row validated, then either reported (a dry run, which
writes nothing) or applied all at once (one transaction: any bad row and nothing is
written). Rows are matched on their natural keys, so importing the same file again
changes nothing (docs/import.md).

Every lookup is read once into a dict before the rows are looked at, and the rows
are written with ``bulk_create`` / ``bulk_update``: an import costs a fixed number of
queries per kind of row, not per row (10,000 suggestions in seconds)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.rules import require_staff
from audit.models import Action
from audit.services import record_event
from common.errors import NotPermitted
from congress.models import CongressBody

from .base import Report
from .columns import COLUMNS, Kind
from .reference import DelegationImporter, DeputyImporter, UnitImporter
from .suggestions import SuggestionImporter
from .workbook import BadWorkbook, read_sheet

IMPORTERS = {
    Kind.DELEGATIONS: DelegationImporter,
    Kind.DEPUTIES: DeputyImporter,
    Kind.UNITS: UnitImporter,
    Kind.SUGGESTIONS: SuggestionImporter,
}


def import_run(
    *, actor, body: CongressBody, kind: str, file, dry_run: bool = True
) -> Report:
    """Import ``file`` (an .xlsx of ``kind``) into ``body`` for ``actor``, who must be
    its staff. A dry run, or an apply with any error, writes nothing; an apply
    without errors writes every row in one transaction and records an audit entry."""
    require_staff(actor)
    if not actor.is_staff_of(body.pk):
        raise NotPermitted(
            _("Only the staff of this congress body may import into it.")
        )
    if kind not in COLUMNS:
        raise ValueError(kind)
    importer = IMPORTERS[kind](actor=actor, body=body, dry_run=dry_run)
    try:
        sheet = read_sheet(file, COLUMNS[kind])
    except BadWorkbook as error:
        importer.report.errors.append({"row": 1, "column": "", "message": str(error)})
        return importer.report
    importer.load(sheet)
    if sheet.missing:
        return importer.report
    # Rows with bad cells are still looked up, so that one report lists every
    # problem of the file.
    importer.plan()
    if importer.report.errors or dry_run:
        return importer.report
    try:
        with transaction.atomic():
            importer.apply()
            record_event(
                Action.IMPORT,
                actor=actor,
                target=f"{kind}: {body.name}"[:255],
                details={
                    "kind": kind,
                    "body": body.pk,
                    "rows": importer.report.rows,
                    "created": importer.report.created,
                    "updated": importer.report.updated,
                    "unchanged": importer.report.unchanged,
                },
            )
    except IntegrityError:
        # Another writer took a number or a name between the plan and the write.
        importer.report.errors.append(
            {
                "row": 1,
                "column": "",
                "message": _(
                    "The data changed while importing; nothing was written. "
                    "Import the file again."
                ),
            }
        )
    return importer.report
