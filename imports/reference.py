"""Importing reference data: delegations, deputies and handling units."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from congress import names
from congress.models import Delegation, Deputy, Gender, HandlingUnit, UnitKind

from .base import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Importer,
    changed,
    choices_of,
    reference_changed,
)
from .columns import Kind
from .workbook import BadCell

# --- delegations ------------------------------------------------------------------


class DelegationImporter(Importer):
    """Delegations by (term, name): a term not yet entered is created."""

    kind = Kind.DELEGATIONS

    def plan(self) -> None:
        self.load_congresses()
        existing = {
            (d.congress.ordinal, d.name)
            for d in Delegation.objects.filter(congress__body=self.body).select_related(
                "congress"
            )
        }
        seen = {}
        self.new = []
        for number, row in self.rows:
            if "name" not in row or "term" not in row:
                continue
            key = (row["term"], row["name"])
            if key in seen:
                self.error(
                    number,
                    "name",
                    _("The same delegation is already in row %(row)s.")
                    % {"row": seen[key]},
                )
                continue
            seen[key] = number
            if key in existing:
                self.count(number, UNCHANGED)
            else:
                self.count(number, CREATED)
                self.new.append(key)
        self.finish_counts()

    def apply(self) -> None:
        for term, _name in self.new:
            self.congress(term)
        self.save_congresses()
        Delegation.objects.bulk_create(
            [Delegation(congress=self.congresses[t], name=n) for t, n in self.new]
        )
        reference_changed(self.body)


# --- deputies ---------------------------------------------------------------------


class DeputyImporter(Importer):
    """Deputies by (term, name), told apart by the phone when a term has two of the
    same name; a delegation (and a term) not yet entered is created."""

    kind = Kind.DEPUTIES
    GENDERS = choices_of(Gender.choices)

    def choice(self, column, text):
        value = self.GENDERS.get(text.lower())
        if value is None:
            raise BadCell(_("Write 男 or 女."))
        return value

    def plan(self) -> None:
        self.load_congresses()
        self.delegations = {
            (d.congress.ordinal, d.name): d
            for d in Delegation.objects.filter(congress__body=self.body).select_related(
                "congress"
            )
        }
        by_name = defaultdict(list)
        for deputy in Deputy.objects.filter(
            delegation__congress__body=self.body
        ).select_related("delegation__congress"):
            by_name[(deputy.delegation.congress.ordinal, deputy.name)].append(deputy)
        seen = {}
        self.new_delegations = set()
        self.creates: list[tuple[int, dict]] = []
        self.updates: list[tuple[Deputy, dict, tuple]] = []
        for number, row in self.rows:
            if not {"name", "delegation", "term"} <= row.keys():
                continue
            term, name, phone = row["term"], row["name"], row.get("phone", "")
            key = (term, name, phone)
            if key in seen:
                self.error(
                    number,
                    "name",
                    _("The same deputy is already in row %(row)s.")
                    % {"row": seen[key]},
                )
                continue
            seen[key] = number
            delegation_key = (term, row["delegation"])
            if delegation_key not in self.delegations:
                self.new_delegations.add(delegation_key)
            values = {
                "gender": row.get("gender", ""),
                "ethnicity": row.get("ethnicity", ""),
                "phone": phone,
                "email": row.get("email", ""),
                "active": row.get("active", True),
            }
            if values["email"]:
                try:
                    validate_email(values["email"])
                except ValidationError:
                    self.error(number, "email", _("Not an e-mail address."))
                    continue
            candidates = by_name.get((term, name), [])
            match = None
            if phone:
                same = [d for d in candidates if d.phone == phone]
                blank = [d for d in candidates if not d.phone]
                if len(same) == 1:
                    match = same[0]
                elif not same and len(blank) == 1 and len(candidates) == 1:
                    match = blank[0]
            elif len(candidates) == 1:
                match = candidates[0]
            elif len(candidates) > 1:
                self.error(
                    number,
                    "name",
                    _(
                        "Term %(term)s has %(n)s deputies named %(name)s: add the "
                        "mobile phone to tell them apart."
                    )
                    % {
                        "term": names.ordinal_in_name(term),
                        "n": len(candidates),
                        "name": name,
                    },
                )
                continue
            if match is None:
                self.count(number, CREATED)
                self.creates.append((number, {"name": name, **values}, delegation_key))
                continue
            differs = changed(match, values) or (
                match.delegation.name != row["delegation"]
            )
            if differs:
                self.count(number, UPDATED)
                self.updates.append((match, values, delegation_key))
            else:
                self.count(number, UNCHANGED)
        self.finish_counts()

    def apply(self) -> None:
        new = []
        for term, name in sorted(self.new_delegations):
            congress = self.congress(term)
            new.append((term, name, congress))
        self.save_congresses()
        made = Delegation.objects.bulk_create(
            [Delegation(congress=c, name=n) for _t, n, c in new]
        )
        for (term, name, _c), delegation in zip(new, made, strict=True):
            self.delegations[(term, name)] = delegation
        Deputy.objects.bulk_create(
            [
                Deputy(delegation=self.delegations[key], **values)
                for _n, values, key in self.creates
            ]
        )
        changed = []
        for deputy, values, key in self.updates:
            for name, value in values.items():
                setattr(deputy, name, value)
            deputy.delegation = self.delegations[key]
            changed.append(deputy)
        Deputy.objects.bulk_update(
            changed, ["delegation", "gender", "ethnicity", "phone", "email", "active"]
        )
        reference_changed(self.body)


# --- handling units ---------------------------------------------------------------


class UnitImporter(Importer):
    """Handling units by (body, name); a parent is named by its full name, in this
    file or already entered."""

    kind = Kind.UNITS
    KINDS = choices_of(UnitKind.choices)

    def choice(self, column, text):
        value = self.KINDS.get(text.lower())
        if value is None:
            raise BadCell(
                _("Not a kind of unit. Write one of: %(kinds)s.")
                % {"kinds": "、".join(str(label) for _v, label in UnitKind.choices)}
            )
        return value

    def plan(self) -> None:
        self.existing = {u.name: u for u in HandlingUnit.objects.filter(body=self.body)}
        names_in_file = {row["name"] for _n, row in self.rows if "name" in row}
        names_by_pk = {u.pk: u.name for u in self.existing.values()}
        seen = {}
        self.creates, self.updates = [], []
        for number, row in self.rows:
            if not {"name", "kind"} <= row.keys():
                continue
            name = row["name"]
            if name in seen:
                self.error(
                    number,
                    "name",
                    _("The same unit is already in row %(row)s.") % {"row": seen[name]},
                )
                continue
            seen[name] = number
            parent = row.get("parent", "")
            if parent == name:
                self.error(number, "parent", _("A unit cannot be its own parent."))
                continue
            if parent and parent not in self.existing and parent not in names_in_file:
                self.error(
                    number,
                    "parent",
                    _("No handling unit named %(name)s in this congress body.")
                    % {"name": parent},
                )
                continue
            values = {
                "short_name": row.get("short_name", ""),
                "kind": row["kind"],
                "active": row.get("active", True),
            }
            if "duties" in self.headers:  # a file without the column keeps them
                values["duties"] = row.get("duties", "")
            unit = self.existing.get(name)
            if unit is None:
                self.count(number, CREATED)
                self.creates.append((name, values, parent))
                continue
            old_parent = names_by_pk.get(unit.parent_id, "")
            if changed(unit, values) or old_parent != parent:
                self.count(number, UPDATED)
                self.updates.append((unit, values, parent))
            else:
                self.count(number, UNCHANGED)
        self.finish_counts()

    def apply(self) -> None:
        made = HandlingUnit.objects.bulk_create(
            [HandlingUnit(body=self.body, name=n, **v) for n, v, _p in self.creates]
        )
        units = dict(self.existing)
        units.update({u.name: u for u in made})
        changed = []
        for name, _v, parent in self.creates:
            if parent:
                unit = units[name]
                unit.parent = units[parent]
                changed.append(unit)
        for unit, values, parent in self.updates:
            for key, value in values.items():
                setattr(unit, key, value)
            unit.parent = units[parent] if parent else None
            changed.append(unit)
        HandlingUnit.objects.bulk_update(
            changed, ["short_name", "kind", "active", "parent", "duties"]
        )
        reference_changed(self.body)
