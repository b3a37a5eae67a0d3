"""A recommended handling for a suggestion awaiting assignment: a category and a
ranked list of lead units and co-units, learnt from the body's own past
assignments, each with its reasons. It never assigns; staff decide.

How a unit earns its place (docs/intake.md), half from each of:
- **the nearest texts**: the ``NEIGHBOURS`` texts closest to it among the past
  suggestions that have a lead unit and the units' own words (their names, their
  duties 职责 whole and clause by clause) each vote for their unit with the square
  of their cosine (a close case counts far more than a loose one); a similar case
  where the unit was chosen first and the suggestion then reassigned away from it
  (改办) takes its vote back from it;
- **its centroid**: the cosine with everything the unit led and says it does, as
  of the last build (``index.fit``), squared.
The units' words are what speak for a new unit or where the history is thin.
Co-units are those that took part beside the lead in the similar cases; the
category is the one the similar cases were filed under."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from congress.models import HandlingUnit

from ..models import Assignment, AssignmentRole, Category, Suggestion
from . import index
from .similar import loaded, ranked
from .text import unit_documents

NEIGHBOURS = 20
POOL = 200  # the closest asked of the database, for NEIGHBOURS with a lead unit
NEAR = 0.03  # a cosine below which a past case is no evidence at all
# The share of a unit's score that its centroid gives (the rest: the votes of
# the nearest texts).
CENTROID_SHARE = 0.5
AGAINST = 1.0
LEADS = 5
CO_UNITS = 5
CO_SHARE = 0.15  # a co-unit in fewer of the similar cases (by weight) is not offered
CATEGORIES = 3
BECAUSE = 5


@dataclass(frozen=True)
class Because:
    suggestion: Suggestion
    score: float
    rating: str
    reassigned_away: bool


@dataclass(frozen=True)
class UnitChoice:
    unit: HandlingUnit
    score: float
    because: list[Because]
    duties_match: float


@dataclass(frozen=True)
class CategoryChoice:
    category: Category
    score: float


@dataclass(frozen=True)
class Recommendation:
    category: CategoryChoice | None
    categories: list[CategoryChoice]
    lead_units: list[UnitChoice]
    co_units: list[UnitChoice]


EMPTY = Recommendation(None, [], [], [])


def recommend(suggestion: Suggestion) -> Recommendation:
    """The recommended handling of ``suggestion`` from its body's history (the
    caller has checked that the actor is staff of its body)."""
    body_id = suggestion.session.congress.body_id
    return recommend_text(
        index.live(body_id),
        body_id,
        suggestion.title,
        suggestion.body,
        exclude=suggestion.pk,
    )


def _unit_texts(live, units) -> tuple[list[int], list[bool], object]:
    """The units' own texts (``text.unit_documents``) as one matrix, a row per
    text: (unit of each row, whether it is of the duties, matrix). Vectorised once
    per process and wording (kept in ``live.duties``)."""
    key = tuple((u.pk, u.name, u.short_name, u.duties) for u in units)
    held = live.duties.get("texts")
    if held is None or held[0] != key:
        owners, of_duties, texts = [], [], []
        for unit in units:
            names = 2 if unit.short_name and unit.short_name != unit.name else 1
            for n, text in enumerate(
                unit_documents(unit.name, unit.short_name, unit.duties)
            ):
                owners.append(unit.pk)
                of_duties.append(n >= names)
                texts.append(text)
        matrix = live.base.vectorize(texts) if texts else None
        held = (key, (owners, of_duties, matrix))
        live.duties["texts"] = held
    return held[1]


def recommend_text(
    live, body_id: int, title: str, text: str = "", *, exclude=None, keep=None
) -> Recommendation:
    """The recommendation for a text, from the suggestions ``live`` holds (``keep``
    masks their sessions: the evaluation keeps the older ones)."""
    query = live.vector(title, text)
    if query is None or not query.nnz:
        return EMPTY
    units = {
        u.pk: u
        for u in HandlingUnit.objects.filter(body_id=body_id, active=True).order_by(
            "pk"
        )
    }
    owners, of_duties, own = _unit_texts(live, units.values())
    own_cosine = (
        np.asarray((own @ query.T).todense()).ravel() if own is not None else []
    )
    duties = defaultdict(float)
    for unit, is_duties, value in zip(owners, of_duties, own_cosine, strict=True):
        if is_duties:
            duties[unit] = max(duties[unit], float(value))
    hits = ranked(live, query, keep=keep, exclude=exclude, floor=NEAR, pool=POOL)
    cosine = dict(hits)
    cases = list(
        Suggestion.objects.filter(pk__in=cosine, lead_unit__isnull=False).values_list(
            "pk", "lead_unit_id", "category_id", "rating"
        )
    )
    # The nearest texts with a unit: past cases and the units' own words.
    nearest = sorted(
        [(cosine[pk], unit, pk) for pk, unit, _c, _r in cases]
        + [(float(v), unit, None) for unit, v in zip(owners, own_cosine, strict=True)],
        key=lambda n: -n[0],
    )[:NEIGHBOURS]
    chosen = {pk for _s, _u, pk in nearest if pk is not None}
    cases = [c for c in cases if c[0] in chosen]
    cases.sort(key=lambda c: -cosine[c[0]])
    weight = {pk: cosine[pk] ** 2 for pk, *_ in cases}
    lead = defaultdict(float)
    for score, unit, _pk in nearest:
        lead[unit] += score**2
    away = defaultdict(list)
    co = defaultdict(float)
    co_cases = defaultdict(list)
    categories = defaultdict(float)
    for pk, _unit, category, _rating in cases:
        if category is not None:
            categories[category] += weight[pk]
    for pk, unit, role, active in Assignment.objects.filter(
        suggestion_id__in=weight
    ).values_list("suggestion_id", "unit_id", "role", "active"):
        if role == AssignmentRole.LEAD and not active:
            lead[unit] -= AGAINST * weight[pk]
            away[unit].append(pk)
        elif role == AssignmentRole.CO and active and pk not in co_cases[unit]:
            co[unit] += weight[pk]
            co_cases[unit].append(pk)
    centroid = {
        pk: max(value, 0.0) ** 2
        for pk, value in live.base.unit_scores(query).items()
        if pk in units
    }
    votes = sum(max(lead.get(pk, 0.0), 0.0) for pk in units)
    like = sum(centroid.values())
    scores = {
        pk: (1 - CENTROID_SHARE) * (max(lead.get(pk, 0.0), 0.0) / votes if votes else 0)
        + CENTROID_SHARE * (centroid.get(pk, 0.0) / like if like else 0)
        for pk in units
    }
    total = sum(scores.values())
    leads = [pk for pk in sorted(scores, key=lambda pk: -scores[pk]) if scores[pk] > 0]
    leads = leads[:LEADS]
    evidence = sum(weight.values())
    co_ranked = [
        pk
        for pk in sorted(co, key=lambda pk: -co[pk])
        if pk in units
        and (not leads or pk != leads[0])
        and co[pk] >= CO_SHARE * evidence
    ][:CO_UNITS]
    led_by = defaultdict(list)
    for pk, unit, _c, _r in cases:
        led_by[unit].append(pk)
    cited = {
        pk for unit in leads for pk in (led_by[unit][:BECAUSE] + away[unit][:BECAUSE])
    } | {pk for unit in co_ranked for pk in co_cases[unit][:BECAUSE]}
    shown = {s.pk: s for s in loaded(Suggestion.objects.filter(pk__in=cited))}

    def because(pks, reassigned=False):
        return [
            Because(shown[pk], round(cosine[pk], 3), shown[pk].rating, reassigned)
            for pk in pks
            if pk in shown
        ]

    def choice(pk, share, reasons):
        return UnitChoice(
            units[pk], round(share, 3), reasons, round(max(duties.get(pk, 0.0), 0.0), 3)
        )

    lead_units = [
        choice(
            pk,
            scores[pk] / total,
            sorted(
                because(led_by[pk][:BECAUSE]) + because(away[pk][:BECAUSE], True),
                key=lambda b: -b.score,
            ),
        )
        for pk in leads
    ]
    co_units = [
        choice(pk, co[pk] / evidence, because(co_cases[pk][:BECAUSE]))
        for pk in co_ranked
    ]
    category_choices = []
    if categories:
        known = Category.objects.in_bulk(list(categories))
        weight_sum = sum(categories.values())
        for pk in sorted(categories, key=lambda pk: -categories[pk])[:CATEGORIES]:
            if pk in known:
                category_choices.append(
                    CategoryChoice(known[pk], round(categories[pk] / weight_sum, 3))
                )
    return Recommendation(
        category_choices[0] if category_choices else None,
        category_choices,
        lead_units,
        co_units,
    )
