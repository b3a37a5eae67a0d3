"""``evaluate_intake``: how good the smart intake is (suggestions.intake.evaluation),
on the bodies of this database and on the outside set of real suggestions."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from openpyxl import Workbook

from accounts.models import BodyRole, Membership
from congress.models import CongressBody, CongressLevel
from demo.data import BODY_NAME, COUNTIES
from demo.matters import same_matter as demo_same_matter
from imports.columns import COLUMNS, Kind
from imports.services import import_run
from suggestions.intake.evaluation import (
    Figures,
    evaluate,
    pairs_to_judge,
    test_sessions,
)
from suggestions.models import Category

OUTSIDE = Path(__file__).resolve().parents[3] / "suggestions" / "intake" / "outside"
OUTSIDE_BODY = "公开答复评估集"
OUTSIDE_DEPUTY = "未署名代表"
OUTSIDE_DELEGATION = "公开资料"
OUTSIDE_CATEGORY = "未分类"


class Rollback(Exception):
    """Undo the outside set's import once it is measured."""


def workbook(kind: str, rows: list[dict]) -> io.BytesIO:
    """An .xlsx the import reads: the English headers of ``kind``'s columns."""
    columns = [c for c in COLUMNS[kind] if any(c.key in row for row in rows)]
    book = Workbook()
    sheet = book.active
    with translation.override("en"):
        sheet.append([str(c.label) for c in columns])
    for row in rows:
        sheet.append([row.get(c.key, "") for c in columns])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def read_csv(name: str) -> list[dict]:
    with (OUTSIDE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def outside_judge():
    """The person's judgement of the pairs the outside set names (judgements.csv):
    True, False, or None for a pair nobody judged."""
    path = OUTSIDE / "judgements.csv"
    judged = {}
    if path.exists():
        for row in read_csv(path.name):
            judged[(row["title"], row["similar"])] = row["same_matter"].strip() == "是"
    return lambda a, b: judged.get((a, b))


def import_outside(stdout) -> CongressBody:
    """The outside set, imported through the office's import (imports.services)
    into a body of its own: one session a year, its units with their duties, one
    unnamed deputy (the letters do not name them), the title as the text (the
    letters' texts are not in the set) and one category (the set has none)."""
    body = CongressBody.objects.create(
        name=OUTSIDE_BODY,
        short_name=OUTSIDE_BODY,
        region="多地",
        level=CongressLevel.COUNTY,
    )
    Category.objects.create(body=body, name=OUTSIDE_CATEGORY)
    actor = get_user_model().objects.create_user(
        username="evaluate-intake", password=None, is_active=True
    )
    Membership.objects.create(user=actor, body=body, role=BodyRole.STAFF)
    rows = read_csv("suggestions.csv")
    years = sorted({int(r["year"]) for r in rows})
    session_of = {year: i + 1 for i, year in enumerate(years)}
    numbers = defaultdict(int)
    suggestions = []
    for row in rows:
        year = int(row["year"])
        numbers[year] += 1
        suggestions.append(
            {
                "term": 1,
                "session": session_of[year],
                "year": year,
                "opened_on": f"{year}-01-10",
                "number": numbers[year],
                "title": row["title"],
                "body": row["title"],
                "lead_deputy": OUTSIDE_DEPUTY,
                "category": OUTSIDE_CATEGORY,
                "lead_unit": row["lead_unit"],
                "co_units": row["co_units"],
                "submitted_on": f"{year}-01-12",
                "assigned_on": f"{year}-02-20",
            }
        )
    files = [
        (Kind.DELEGATIONS, [{"name": OUTSIDE_DELEGATION, "term": 1}]),
        (
            Kind.DEPUTIES,
            [{"name": OUTSIDE_DEPUTY, "delegation": OUTSIDE_DELEGATION, "term": 1}],
        ),
        (
            Kind.UNITS,
            [
                {
                    "name": u["name"],
                    "short_name": u["short_name"],
                    "kind": u["kind"],
                    "duties": u["duties"],
                }
                for u in read_csv("units.csv")
            ],
        ),
        (Kind.SUGGESTIONS, suggestions),
    ]
    for kind, data in files:
        report = import_run(
            actor=actor, body=body, kind=kind, file=workbook(kind, data), dry_run=False
        )
        if report.errors:
            raise CommandError(
                f"The outside set's {kind} did not import: {report.errors[:5]}"
            )
    stdout.write(
        f"outside set imported: {len(rows)} suggestions of {len(years)} years "
        f"({years[0]}–{years[-1]}), {len(files[2][1])} units\n"
    )
    return body


def percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


class Command(BaseCommand):
    help = (
        "Measure the smart intake: trained on the sessions before a body's newest, "
        "the lead unit's top-1 and top-3 accuracy, the category's accuracy and the "
        "precision at 5 of the duplicates, for that session. By default every body "
        "of the database; --outside also imports the outside set of real "
        "suggestions (suggestions/intake/outside) and measures it, then removes it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--body", type=int, action="append", help="Only this body's id."
        )
        parser.add_argument(
            "--outside", action="store_true", help="Also measure the outside set."
        )
        parser.add_argument(
            "--only-outside", action="store_true", help="Measure only the outside set."
        )
        parser.add_argument(
            "--sessions",
            type=int,
            default=1,
            help="Measure the newest N sessions, each learnt from those before it, "
            "and their total (default 1: the newest).",
        )
        parser.add_argument(
            "--pairs",
            type=Path,
            help="Write the outside set's named pairs to this CSV, for a person to judge.",
        )

    def handle(self, *args, body, outside, only_outside, sessions, pairs, **options):
        if sessions < 1:
            raise CommandError("--sessions must be at least 1.")
        demo_bodies = {BODY_NAME, *(c.body_name for c in COUNTIES)}
        if not only_outside:
            bodies = CongressBody.objects.order_by("pk")
            if body:
                bodies = bodies.filter(pk__in=body)
            for each in bodies:
                judge = demo_same_matter if each.name in demo_bodies else None
                self.report(each, sessions, judge)
        if outside or only_outside or pairs:
            try:
                with transaction.atomic():
                    each = import_outside(self.stdout)
                    if pairs:
                        self.write_pairs(each, sessions, pairs)
                    self.report(each, sessions, outside_judge())
                    raise Rollback
            except Rollback:
                pass

    def report(self, body, count, judge) -> None:
        chosen = test_sessions(body.pk, count)
        if not chosen:
            return
        self.stdout.write(f"\n{body.name}")
        self.stdout.write(
            "  session              history  tested  lead top-1  lead top-3  "
            "(baseline)     category  similar P@5            duplicates P@5"
        )
        total = Figures(session=None)
        for session in chosen:
            figures = evaluate(body.pk, session, judge)
            total.add(figures)
            self.line(f"{session.year} ({session.pk})", figures, judge)
        if len(chosen) > 1:
            self.line("all of them", total, judge)

    def line(self, label, f: Figures, judge) -> None:
        if judge is None:
            similar = duplicates = "not judged"
        else:
            similar = f"{percent(f.precision)} of {f.named}" + (
                f" ({f.unjudged} unjudged)" if f.unjudged else ""
            )
            duplicates = f"{percent(f.duplicate_precision)} of {f.duplicates}"
        self.stdout.write(
            f"  {label:<20} {f.history:>7}  {f.tested:>6}  "
            f"{percent(f.top1_rate):>10}  {percent(f.top3_rate):>10}  "
            f"({percent(f.baseline_top1_rate)}/{percent(f.baseline_top3_rate)})  "
            f"{percent(f.category_rate):>8}  {similar:<24} {duplicates}"
        )

    def write_pairs(self, body, count, path: Path) -> None:
        judge = outside_judge()
        with path.open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(["title", "similar", "score", "same_matter"])
            for session in test_sessions(body.pk, count):
                for title, similar, score in pairs_to_judge(body.pk, session):
                    known = judge(title, similar)
                    mark = "" if known is None else ("是" if known else "否")
                    out.writerow([title, similar, f"{score:.3f}", mark])
