"""The roll-up (汇总): a parent body's headline figures and, row by row, those of
each body directly below it for its session of a year, with each body's trend over
the years before, and their total (docs/architecture.md, "Congress bodies").

Every row's figures are the body's own dashboard's (``statistics.session_statistics``
read through ``figures.headline_figures``), so a row equals what that body's
dashboard shows. The total sums the children's counts (the parent's own figures are
not in it) and makes each rate again from the summed numerator and denominator
(``figures.HEADLINE_RATES``): a weighted rate, not a mean of the rates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from congress.models import CongressBody, Session

from . import figures, statistics

# Years of trend a row shows, the roll-up's year included.
TREND_YEARS = 5


@dataclass
class RollupRow:
    body: CongressBody
    session: Session | None
    figures: dict
    # Per session up to the year, oldest first: {"year", "label", "suggestions",
    # "completion_rate", "satisfaction_rate", "on_time_rate"}.
    trend: list[dict]


@dataclass
class Rollup:
    body: CongressBody
    year: int
    own: RollupRow
    children: list[RollupRow]
    total: dict


def rollup_years(body: CongressBody) -> list[int]:
    """The years in which the body or a body below it held a session, latest
    first."""
    return list(
        Session.objects.filter(Q(congress__body=body) | Q(congress__body__parent=body))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def default_year(body: CongressBody, years: list[int]) -> int:
    """The year of the body's current session, else the latest year with a session,
    else this year."""
    current = Session.objects.filter(congress__body=body).current()
    if current is not None:
        return current.year
    return years[0] if years else timezone.localdate().year


def rollup(body: CongressBody, year: int, *, today=None) -> Rollup:
    """The roll-up of ``body`` for ``year``: a few queries, then a constant number
    per body below it (its figures and its trend, read from the snapshots)."""
    children = list(CongressBody.objects.filter(parent=body).order_by("pk"))
    sessions: dict[int, Session] = {}
    # The session of the year; the one opened last if a body held several.
    for session in (
        Session.objects.filter(
            congress__body__in=[body.pk, *(c.pk for c in children)], year=year
        )
        .select_related("congress__body")
        .order_by("opened_on", "pk")
    ):
        sessions[session.congress.body_id] = session
    own = _row(body, sessions.get(body.pk), year, today)
    rows = [_row(child, sessions.get(child.pk), year, today) for child in children]
    return Rollup(body, year, own, rows, total(rows))


def total(rows: list[RollupRow]) -> dict:
    """The children's counts summed, and the rates made from the sums."""
    return figures.with_rates(
        {key: sum(r.figures[key] for r in rows) for key in figures.HEADLINE_COUNTS}
    )


def _row(body: CongressBody, session: Session | None, year: int, today) -> RollupRow:
    stats = (
        statistics.session_statistics(session, today=today)
        if session is not None
        else None
    )
    trend = [
        {
            "year": r["year"],
            "label": r["session"]["label"],
            "session": r["session"]["id"],
            **{key: r[key] for key in TREND_KEYS},
        }
        for r in statistics.body_trend(body.pk, until_year=year, today=today)
    ][-TREND_YEARS:]
    return RollupRow(body, session, figures.headline_figures(stats), trend)


TREND_KEYS = ("suggestions", "completion_rate", "satisfaction_rate", "on_time_rate")


def sparkline(values: list, *, width: int = 96, height: int = 24) -> str:
    """The ``points`` of an SVG polyline drawing ``values`` (None: left out) left to
    right, the largest at the top; "" with fewer than two values."""
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return ""
    low, high = min(v for _i, v in known), max(v for _i, v in known)
    span = (high - low) or 1
    step = (width - 4) / max(len(values) - 1, 1)
    return " ".join(
        f"{2 + i * step:.1f},{2 + (height - 4) * (1 - (v - low) / span):.1f}"
        for i, v in known
    )


def as_data(result: Rollup) -> dict:
    """The roll-up in the shape of the API (docs/api.md)."""

    def body(b: CongressBody) -> dict:
        return {"id": b.pk, "name": b.name, "short_name": b.short_name}

    def session(s: Session | None) -> dict | None:
        if s is None:
            return None
        return {
            "id": s.pk,
            "name": s.name,
            "short_name": s.short_name,
            "label": s.short_label,
        }

    def row(r: RollupRow) -> dict:
        return {
            "body": body(r.body),
            "session": session(r.session),
            **r.figures,
            "trend": r.trend,
        }

    return {
        "body": body(result.body),
        "year": result.year,
        "own": row(result.own),
        "total": {
            "bodies": len(result.children),
            "sessions": sum(1 for r in result.children if r.session is not None),
            **result.total,
        },
        "children": [row(r) for r in result.children],
    }


def choose_body(bodies, body_id: int | None) -> CongressBody | None:
    """The body to roll up: ``body_id`` if the user is staff or leader of it, else
    (none asked) the user's first body with bodies below it; None: not found."""
    if body_id is not None:
        return next((b for b in bodies.own if b.pk == body_id), None)
    return bodies.parents[0] if bodies.parents else None
