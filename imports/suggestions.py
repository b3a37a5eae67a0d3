"""Importing past suggestions with their history: session, number, text, lead
deputy and co-signers, category, lead and co-units, the dates of submission,
assignment, reply and closing, the reply's class and the deputy's rating.

Each row becomes the rows the workflow would have left (the suggestion with its kept
columns, co-signatures, round-1 assignments, the lead reply, the evaluation and the
timeline), written in bulk; the timeline ends with an ``import`` entry naming who
imported it. A suggestion is matched by (session, number): the same title is the
same suggestion, and its row is compared with what is stored (docs/import.md)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from congress import names
from congress.models import Outcome, Session
from suggestions.deadlines import co_unit_due, reply_due, rules_for
from suggestions.models import (
    Assignment,
    AssignmentRole,
    Category,
    Complexity,
    CoSignature,
    Evaluation,
    Event,
    Rating,
    Reply,
    Status,
    Suggestion,
)

from .base import CREATED, UNCHANGED, UPDATED, Importer, choices_of
from .columns import Kind
from .workbook import BadCell

# The action of the timeline entry that marks a suggestion as imported (and so one
# a later import of the same file may rewrite); suggestions/workflow.py names it.
IMPORT_ACTION = "import"

_OUTCOMES = {
    **choices_of(Outcome.choices),
    "a": Outcome.RESOLVED,
    "b": Outcome.IN_PROGRESS,
    "c": Outcome.EXPLAINED,
    "d": Outcome.REFERENCE,
    "a类": Outcome.RESOLVED,
    "b类": Outcome.IN_PROGRESS,
    "c类": Outcome.EXPLAINED,
    "d类": Outcome.REFERENCE,
}
_RATINGS = choices_of(Rating.choices)

# The hours of the day an imported date's moments are set to (Beijing time), in the
# order things happen, so a timeline of one day still reads in order.
HOURS = {"submitted": 9, "registered": 10, "assigned": 11, "replied": 15, "closed": 16}

# The simple columns an import may change in place; the others are the history.
SIMPLE = ("body", "category_id", "key_supervised", "is_public")


def moment(day: dt.date | None, what: str) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(HOURS[what])))


def local_day(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


@dataclass
class Planned:
    """One row, resolved: the suggestion's columns and its history's ids and dates."""

    number: int  # the row's number in Excel
    session_key: tuple[int, int]
    fields: dict
    co_signers: tuple[int, ...]
    co_units: tuple[int, ...]
    reply_body: str
    rating_comment: str
    existing: Suggestion | None = None
    rewrite_history: bool = False

    def history(self) -> tuple:
        f = self.fields
        return (
            f["lead_deputy_id"],
            frozenset(self.co_signers),
            f["lead_unit_id"],
            frozenset(self.co_units),
            local_day(f["submitted_at"]),
            local_day(f["assigned_at"]),
            f["due_at"],
            local_day(f["replied_at"]),
            f["outcome"],
            self.reply_body,
            f["rating"],
            self.rating_comment,
            local_day(f["closed_at"]),
            f["status"],
        )


class SuggestionImporter(Importer):
    kind = Kind.SUGGESTIONS

    def choice(self, column, text):
        if column.key == "outcome":
            value = _OUTCOMES.get(text.lower())
            if value is None:
                raise BadCell(_("Write A, B, C or D."))
            return value
        value = _RATINGS.get(text.lower())
        if value is None:
            raise BadCell(_("Write 满意, 基本满意 or 不满意."))
        return value

    # --- planning -------------------------------------------------------------------

    def plan(self) -> None:
        self.load_congresses()
        self.load_lookups()
        self.plan_sessions()
        rows = [(n, r) for n, r in self.rows if self.row_complete(r)]
        self.load_existing()
        seen: dict[tuple, int] = {}
        self.planned: list[Planned] = []
        for number, row in rows:
            key = (row["term"], row["session"], row["number"])
            if key in seen:
                self.error(
                    number,
                    "number",
                    _("Number %(number)s of this session is already in row %(row)s.")
                    % {"number": row["number"], "row": seen[key]},
                )
                continue
            seen[key] = number
            planned = self.plan_row(number, row)
            if planned is not None:
                self.classify(planned, row)
        self.finish_counts()

    @staticmethod
    def row_complete(row) -> bool:
        return {"term", "session", "year", "number"} <= row.keys()

    def load_lookups(self) -> None:
        self.categories = {
            c.name: c.pk for c in Category.objects.filter(body=self.body)
        }
        units = list(
            self.body.units.values_list("pk", "name", "short_name").order_by("pk")
        )
        self.units = {name: pk for pk, name, _s in units}
        short = defaultdict(list)
        for pk, _n, short_name in units:
            if short_name:
                short[short_name].append(pk)
        for short_name, pks in short.items():
            if len(pks) == 1:
                self.units.setdefault(short_name, pks[0])
        self.deputies = defaultdict(list)  # (term, name) -> ids
        for pk, name, term in (
            self.body.congresses.filter(delegations__deputies__isnull=False)
            .values_list(
                "delegations__deputies__pk", "delegations__deputies__name", "ordinal"
            )
            .order_by("delegations__deputies__pk")
        ):
            self.deputies[(term, name)].append(pk)

    def plan_sessions(self) -> None:
        """The sessions the rows name: those of the body, and for the others the
        year and opening date they will be created with. A session's year must be
        the same in every row and in the database."""
        self.sessions: dict[tuple[int, int], Session] = {
            (s.congress.ordinal, s.ordinal): s
            for s in Session.objects.filter(congress__body=self.body).select_related(
                "congress"
            )
        }
        self.years: dict[tuple[int, int], tuple[int, int]] = {}  # key -> (year, row)
        opened: dict[tuple[int, int], dt.date] = {}
        for number, row in self.rows:
            if not self.row_complete(row):
                continue
            key = (row["term"], row["session"])
            session = self.sessions.get(key)
            known = (session.year, 0) if session else self.years.get(key)
            if known and known[0] != row["year"]:
                where = (
                    _("in row %(row)s") % {"row": known[1]}
                    if known[1]
                    else _("already entered")
                )
                self.error(
                    number,
                    "year",
                    _(
                        "Session %(session)s of term %(term)s met in %(year)s "
                        "(%(where)s)."
                    )
                    % {
                        "session": names.ordinal_in_name(row["session"]),
                        "term": names.ordinal_in_name(row["term"]),
                        "year": known[0],
                        "where": where,
                    },
                )
                row.clear()  # checked no further
                continue
            self.years.setdefault(key, (row["year"], number))
            day = row.get("opened_on") or row.get("submitted_on")
            if session is None and day and (key not in opened or day < opened[key]):
                opened[key] = day
        self.new_sessions = {
            key: Session(
                ordinal=key[1],
                year=year,
                opened_on=opened.get(key) or dt.date(year, 1, 1),
                is_current=False,
            )
            for key, (year, _row) in self.years.items()
            if key not in self.sessions
        }
        self.rules = {}
        for term in {key[0] for key in self.years}:
            congress = self.congresses.get(term)
            self.rules[term] = rules_for(congress.pk) if congress else None

    def load_existing(self) -> None:
        """The stored suggestions of the sessions the rows name, with their history,
        in a fixed number of queries."""
        ids = [s.pk for key, s in self.sessions.items() if key in self.years]
        rows = Suggestion.objects.filter(session_id__in=ids, number__isnull=False)
        self.existing = {(s.session_id, s.number): s for s in rows}
        pks = [s.pk for s in self.existing.values()]
        self.existing_co_signers = defaultdict(set)
        for sid, deputy in CoSignature.objects.filter(
            suggestion_id__in=pks, signed_at__isnull=False
        ).values_list("suggestion_id", "deputy_id"):
            self.existing_co_signers[sid].add(deputy)
        self.existing_co_units = defaultdict(set)
        for sid, unit in Assignment.objects.filter(
            suggestion_id__in=pks, role=AssignmentRole.CO, round=1, active=True
        ).values_list("suggestion_id", "unit_id"):
            self.existing_co_units[sid].add(unit)
        self.existing_reply = dict(
            Reply.objects.filter(assignment__suggestion_id__in=pks, is_lead=True)
            .order_by("round", "sent_at")
            .values_list("assignment__suggestion_id", "body")
        )
        self.existing_comment = dict(
            Evaluation.objects.filter(suggestion_id__in=pks)
            .order_by("round")
            .values_list("suggestion_id", "comment")
        )
        self.imported = set(
            Event.objects.filter(
                suggestion_id__in=pks, action=IMPORT_ACTION
            ).values_list("suggestion_id", flat=True)
        )

    def deputy(self, number, key, term, name):
        ids = self.deputies.get((term, name), [])
        if len(ids) == 1:
            return ids[0]
        if not ids:
            self.error(
                number,
                key,
                _("No deputy named %(name)s in term %(term)s.")
                % {"name": name, "term": names.ordinal_in_name(term)},
            )
        else:
            self.error(
                number,
                key,
                _(
                    "Term %(term)s has %(n)s deputies named %(name)s: the import "
                    "cannot tell which."
                )
                % {"term": names.ordinal_in_name(term), "n": len(ids), "name": name},
            )
        return None

    def unit(self, number, key, name):
        pk = self.units.get(name)
        if pk is None:
            self.error(
                number,
                key,
                _("No handling unit named %(name)s in this congress body.")
                % {"name": name},
            )
        return pk

    def plan_row(self, number: int, row: dict) -> Planned | None:
        """The row resolved to ids and moments, or None with its errors reported."""
        before = len(self.report.errors)
        term = row["term"]
        lead = None
        if "lead_deputy" in row:
            lead = self.deputy(number, "lead_deputy", term, row["lead_deputy"])
        co_signers = []
        for name in row.get("co_signers", []):
            pk = self.deputy(number, "co_signers", term, name)
            if pk is None:
                continue
            if pk == lead:
                self.error(
                    number,
                    "co_signers",
                    _("The lead deputy %(name)s cannot also co-sign.") % {"name": name},
                )
            elif pk not in co_signers:
                co_signers.append(pk)
        category = None
        if "category" in row:
            category = self.categories.get(row["category"])
            if category is None:
                self.error(
                    number,
                    "category",
                    _("No category named %(name)s. Write one of: %(names)s.")
                    % {"name": row["category"], "names": "、".join(self.categories)},
                )
        lead_unit = None
        if "lead_unit" in row:
            lead_unit = self.unit(number, "lead_unit", row["lead_unit"])
        co_units = []
        for name in row.get("co_units", []):
            pk = self.unit(number, "co_units", name)
            if pk is None:
                continue
            if pk == lead_unit:
                self.error(
                    number,
                    "co_units",
                    _("The lead unit %(name)s cannot also be a co-unit.")
                    % {"name": name},
                )
            elif pk not in co_units:
                co_units.append(pk)
        self.check_history(number, row)
        if len(self.report.errors) > before or number in self.bad_rows:
            return None

        key = (term, row["session"])
        session = self.sessions.get(key) or self.new_sessions[key]
        submitted_on = row.get("submitted_on") or session.opened_on
        assigned_on = row.get("assigned_on")
        replied_on = row.get("replied_on")
        rating = row.get("rating", "")
        closed_on = row.get("closed_on") or (replied_on if rating else None)
        if closed_on:
            status = Status.CLOSED
        elif replied_on:
            status = Status.REPLIED
        elif assigned_on:
            status = Status.ASSIGNED
        else:
            status = Status.REGISTERED
        due_on = None
        if assigned_on:
            due_on = row.get("due_on") or reply_due(
                self.rules.get(term) or _default_rules(), assigned_on, "normal"
            )
        submitted_at = moment(submitted_on, "submitted")
        fields = {
            "number": row["number"],
            "title": row["title"],
            "body": row["body"],
            "category_id": category,
            "lead_deputy_id": lead,
            "status": status,
            "complexity": Complexity.NORMAL,
            "key_supervised": row.get("key_supervised", False),
            "is_public": row.get("is_public", False),
            "round": 1,
            "escalated": status == Status.CLOSED and rating == Rating.DISSATISFIED,
            "lead_unit_id": lead_unit,
            "due_at": due_on,
            "outcome": row.get("outcome", ""),
            "rating": rating,
            "created_at": submitted_at,
            "submitted_at": submitted_at,
            "registered_at": moment(submitted_on, "registered"),
            "assigned_at": moment(assigned_on, "assigned"),
            "replied_at": moment(replied_on, "replied"),
            "closed_at": moment(closed_on, "closed"),
        }
        return Planned(
            number=number,
            session_key=key,
            fields=fields,
            co_signers=tuple(co_signers),
            co_units=tuple(co_units),
            reply_body=row.get("reply_body", ""),
            rating_comment=row.get("rating_comment", ""),
        )

    def check_history(self, number: int, row: dict) -> None:
        """The history a row describes must be one the workflow could have made:
        assigned to a lead unit before a reply, a reply with its class before a
        rating, dates in order."""
        if number in self.bad_rows:
            return  # its bad cells are reported; the rest would only repeat them
        has = row.keys()
        if "assigned_on" in has and "lead_unit" not in has:
            self.error(
                number, "lead_unit", _("An assigned suggestion needs its lead unit.")
            )
        if "lead_unit" in has and "assigned_on" not in has:
            self.error(number, "assigned_on", _("Give the date it was assigned."))
        if "co_units" in has and "lead_unit" not in has:
            self.error(number, "lead_unit", _("Co-units need a lead unit."))
        if "due_on" in has and "assigned_on" not in has:
            self.error(number, "assigned_on", _("Give the date it was assigned."))
        if "outcome" in has and "replied_on" not in has:
            self.error(number, "replied_on", _("A reply class needs the reply date."))
        if "replied_on" in has:
            if "outcome" not in has:
                self.error(
                    number, "outcome", _("Give the reply's class (A, B, C or D).")
                )
            if "assigned_on" not in has:
                self.error(
                    number, "assigned_on", _("A replied suggestion was assigned first.")
                )
        if "reply_body" in has and "replied_on" not in has:
            self.error(number, "replied_on", _("Reply text needs the reply date."))
        if "rating" in has and "replied_on" not in has:
            self.error(number, "rating", _("Only a reply can be rated."))
        if "rating_comment" in has and "rating" not in has:
            self.error(number, "rating", _("A comment needs the rating."))
        if "closed_on" in has and "replied_on" not in has:
            self.error(
                number, "closed_on", _("Only a replied suggestion can be closed.")
            )
        if "is_public" in has and row["is_public"] and "replied_on" not in has:
            self.error(number, "is_public", _("Only a reply can be made public."))
        order = ["submitted_on", "assigned_on", "replied_on", "closed_on"]
        last = None
        for key in order:
            day = row.get(key)
            if day is None:
                continue
            if last is not None and day < row[last]:
                self.error(
                    number,
                    key,
                    _("This date is before the %(column)s.")
                    % {"column": self.headers.get(last) or self.columns[last].label},
                )
            last = key
        if (
            "due_on" in has
            and "assigned_on" in has
            and row["due_on"] < row["assigned_on"]
        ):
            self.error(number, "due_on", _("The due date is before the assignment."))
        for key in [*order, "due_on", "opened_on"]:
            day = row.get(key)
            if day is not None and not 1950 <= day.year <= 2100:
                self.error(number, key, _("The year is out of range."))
        year = row.get("year")
        if year is not None and not 1950 <= year <= 2100:
            self.error(number, "year", _("The year is out of range."))

    def classify(self, planned: Planned, row: dict) -> None:
        """Created, updated or unchanged; an error when the number is another
        suggestion's or the change would rewrite a history not imported."""
        session = self.sessions.get(planned.session_key)
        existing = (
            self.existing.get((session.pk, planned.fields["number"]))
            if session
            else None
        )
        outcome = CREATED
        if existing is not None:
            planned.existing = existing
            if existing.title != planned.fields["title"]:
                self.error(
                    planned.number,
                    "number",
                    _(
                        "Number %(number)s of this session is already another "
                        "suggestion: %(title)s."
                    )
                    % {"number": existing.number, "title": existing.title},
                )
                return
            stored = self.stored_history(existing)
            history_changed = stored != planned.history()
            simple_changed = any(
                getattr(existing, name) != planned.fields[name] for name in SIMPLE
            )
            if history_changed and existing.pk not in self.imported:
                self.error(
                    planned.number,
                    "number",
                    _(
                        "Suggestion %(number)s of this session was handled in this "
                        "system: an import cannot change its history."
                    )
                    % {"number": existing.number},
                )
                return
            planned.rewrite_history = history_changed
            outcome = UPDATED if history_changed or simple_changed else UNCHANGED
        if outcome != UNCHANGED and session is not None and session.is_sealed:
            self.error(
                planned.number,
                "session",
                _("The session is sealed: reopen it before importing into it."),
            )
            return
        self.count(planned.number, outcome)
        if outcome != UNCHANGED:
            self.planned.append(planned)

    def stored_history(self, s: Suggestion) -> tuple:
        return (
            s.lead_deputy_id,
            frozenset(self.existing_co_signers.get(s.pk, ())),
            s.lead_unit_id,
            frozenset(self.existing_co_units.get(s.pk, ())),
            local_day(s.submitted_at),
            local_day(s.assigned_at),
            s.due_at,
            local_day(s.replied_at),
            s.outcome,
            self.existing_reply.get(s.pk, ""),
            s.rating,
            self.existing_comment.get(s.pk, ""),
            local_day(s.closed_at),
            s.status,
        )

    # --- writing --------------------------------------------------------------------

    def apply(self) -> None:
        from dashboard.changes import session_changed

        for key, session in self.new_sessions.items():
            session.congress = self.congress(key[0])
        self.save_congresses()
        for key, session in self.new_sessions.items():
            session.congress = self.congresses[key[0]]
            session.save()  # its statistics row is made by the dashboard's signal
            self.sessions[key] = session
        fresh = [p for p in self.planned if p.existing is None]
        changed = [p for p in self.planned if p.existing is not None]
        made = Suggestion.objects.bulk_create(
            [
                Suggestion(session=self.sessions[p.session_key], **p.fields)
                for p in fresh
            ],
            batch_size=2000,
        )
        history = [p for p in changed if p.rewrite_history]
        if history:
            ids = [p.existing.pk for p in history]
            # Its history is rewritten from the row: the old one goes.
            CoSignature.objects.filter(suggestion_id__in=ids).delete()
            Assignment.objects.filter(suggestion_id__in=ids).delete()
            Evaluation.objects.filter(suggestion_id__in=ids).delete()
            Event.objects.filter(suggestion_id__in=ids).delete()
        updated = []
        now = timezone.now()
        for p in changed:
            for name, value in p.fields.items():
                setattr(p.existing, name, value)
            p.existing.updated_at = now  # bulk_update leaves auto_now alone
            updated.append(p.existing)
        if updated:
            fields = [n for n in self.planned[0].fields if n != "number"]
            Suggestion.objects.bulk_update(
                updated, [*fields, "updated_at"], batch_size=1000
            )
        pairs = list(zip(fresh, made, strict=True)) + [(p, p.existing) for p in history]
        self.write_history(pairs)
        for key in {p.session_key for p in self.planned}:
            session_changed(self.sessions[key].pk)

    def write_history(self, pairs: list[tuple[Planned, Suggestion]]) -> None:
        """The rows the workflow would have left behind each suggestion."""
        now = timezone.now()
        co_signatures, leads, cos, evaluations, events = [], [], [], [], []
        for p, s in pairs:
            f = p.fields
            for deputy in p.co_signers:
                co_signatures.append(
                    CoSignature(
                        suggestion=s,
                        deputy_id=deputy,
                        invited_at=f["submitted_at"],
                        signed_at=f["submitted_at"],
                    )
                )
            timeline = [
                ("create", "", Status.DRAFT, f["submitted_at"], {}),
                ("submit", Status.DRAFT, Status.SUBMITTED, f["submitted_at"], {}),
                (
                    "register",
                    Status.SUBMITTED,
                    Status.REGISTERED,
                    f["registered_at"],
                    {"number": f["number"]},
                ),
            ]
            if f["assigned_at"]:
                assigned_on = local_day(f["assigned_at"])
                leads.append(
                    Assignment(
                        suggestion=s,
                        unit_id=f["lead_unit_id"],
                        role=AssignmentRole.LEAD,
                        round=1,
                        assigned_at=f["assigned_at"],
                        due_at=f["due_at"],
                        acknowledged_at=f["assigned_at"],
                        replied_at=f["replied_at"],
                    )
                )
                rules = self.rules.get(p.session_key[0]) or _default_rules()
                for unit in p.co_units:
                    cos.append(
                        Assignment(
                            suggestion=s,
                            unit_id=unit,
                            role=AssignmentRole.CO,
                            round=1,
                            assigned_at=f["assigned_at"],
                            due_at=co_unit_due(rules, assigned_on, f["due_at"]),
                            acknowledged_at=f["assigned_at"],
                        )
                    )
                timeline.append(
                    (
                        "assign",
                        Status.REGISTERED,
                        Status.ASSIGNED,
                        f["assigned_at"],
                        {"lead_unit": f["lead_unit_id"], "co_units": list(p.co_units)},
                    )
                )
            if f["replied_at"]:
                timeline.append(
                    ("reply", Status.ASSIGNED, Status.REPLIED, f["replied_at"], {})
                )
            if f["rating"]:
                evaluations.append(
                    Evaluation(
                        suggestion=s,
                        round=1,
                        deputy_id=f["lead_deputy_id"],
                        rating=f["rating"],
                        comment=p.rating_comment,
                        created_at=f["closed_at"],
                    )
                )
                timeline.append(
                    ("evaluate", Status.REPLIED, Status.CLOSED, f["closed_at"], {})
                )
            timeline.append((IMPORT_ACTION, "", f["status"], now, {"row": p.number}))
            for action, from_status, to_status, at, data in timeline:
                events.append(
                    Event(
                        suggestion=s,
                        action=action,
                        actor=self.actor if action == IMPORT_ACTION else None,
                        from_status=from_status,
                        to_status=to_status,
                        data=data,
                        created_at=at,
                    )
                )
        CoSignature.objects.bulk_create(co_signatures, batch_size=5000)
        Assignment.objects.bulk_create(leads, batch_size=5000)
        Assignment.objects.bulk_create(cos, batch_size=5000)
        by_suggestion = {a.suggestion_id: a for a in leads}
        replies = []
        for p, s in pairs:
            f = p.fields
            if f["replied_at"]:
                replies.append(
                    Reply(
                        assignment=by_suggestion[s.pk],
                        round=1,
                        is_lead=True,
                        outcome=f["outcome"],
                        body=p.reply_body,
                        sent_by=self.actor,
                        sent_at=f["replied_at"],
                        is_public=f["is_public"],
                    )
                )
        Reply.objects.bulk_create(replies, batch_size=5000)
        Evaluation.objects.bulk_create(evaluations, batch_size=5000)
        Event.objects.bulk_create(events, batch_size=5000)


def _default_rules():
    from congress.models import HandlingRules

    return HandlingRules()
