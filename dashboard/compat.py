"""TEMPORARY (remove at merge): the engine's ``period_statistics`` and ``trend``, and
the league rows' ``unit.kind``, until the statistics helper's version of
``dashboard.statistics`` lands. Every caller imports them from here; at merge,
replace this module's body with ``from .statistics import period_statistics, trend``
and drop ``with_unit_kinds``.
"""

import datetime as dt

from django.db.models import Count, F, Q
from django.utils import timezone

from congress.models import HandlerGroup, HandlingUnit, Session, UnitKind
from suggestions.models import (
    COUNTED_STATUSES,
    Assignment,
    AssignmentRole,
    Category,
    Outcome,
    Rating,
    Suggestion,
)

from . import statistics

session_statistics = statistics.session_statistics


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _period_fallback(date_from, date_to, *, today=None) -> dict:
    today = today or timezone.localdate()
    in_range = Suggestion.objects.filter(
        submitted_at__gte=_start(date_from),
        submitted_at__lt=_start(date_to + dt.timedelta(1)),
    )
    counted = in_range.filter(status__in=COUNTED_STATUSES)
    totals = statistics._suggestion_totals(in_range, today)
    per_unit = statistics._per_unit_suggestions(counted, today)
    replies = {
        row["unit_id"]: row
        for row in Assignment.objects.filter(
            suggestion__in=counted,
            role=AssignmentRole.LEAD,
            round=1,
            active=True,
            replied_at__isnull=False,
        )
        .values("unit_id")
        .annotate(
            replied=Count("id"),
            on_time=Count("id", filter=Q(replied_at__date__lte=F("due_at"))),
        )
        .order_by()
    }
    by_kind = dict(
        counted.filter(lead_unit__isnull=False)
        .values_list("lead_unit__kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    groups = dict.fromkeys(HandlerGroup.values, 0)
    for kind, n in by_kind.items():
        groups[HandlerGroup.of_kind(kind)] += n
    n = totals["suggestions"]
    outcomes = {o: totals[f"outcome_{o}"] for o in Outcome.values}
    ratings = {r: totals[f"rating_{r}"] for r in Rating.values}
    evaluated = sum(ratings.values())
    first = sum(r["replied"] for r in replies.values())
    on_time = sum(r["on_time"] for r in replies.values())
    rows = sorted(per_unit.values(), key=lambda r: (-r["assigned"], r["unit"]["name"]))
    rate = statistics.rate
    return {
        "session": None,
        "deputies": None,
        "deputies_with_suggestions": in_range.filter(status__in=COUNTED_STATUSES)
        .values("lead_deputy")
        .distinct()
        .count(),
        "suggestions": n,
        "previous_session_suggestions": None,
        "change": None,
        "by_category": [
            {"category": c.name, "id": c.pk, "count": c.n}
            for c in Category.objects.annotate(
                n=Count("suggestions", filter=Q(suggestions__in=counted))
            ).order_by("position", "pk")
        ],
        "by_handler_group": [{"group": g, "count": c} for g, c in groups.items()],
        "by_unit_kind": [
            {"kind": k, "count": by_kind.get(k, 0)} for k in UnitKind.values
        ],
        "by_unit": [{"unit": r["unit"], "count": r["assigned"]} for r in rows],
        "by_delegation": [
            {"delegation": {"id": pk, "name": name}, "count": count}
            for pk, name, count in counted.values_list(
                "lead_deputy__delegation_id", "lead_deputy__delegation__name"
            )
            .annotate(n=Count("id"))
            .order_by("-n", "lead_deputy__delegation_id")
        ],
        "outcomes": outcomes,
        "completion_rate": rate(outcomes[Outcome.RESOLVED], n),
        "ratings": ratings,
        "evaluated": evaluated,
        "satisfaction_rate": rate(
            ratings[Rating.SATISFIED] + ratings[Rating.BASICALLY_SATISFIED], evaluated
        ),
        "assigned": totals["assigned"],
        "replied": totals["replied"],
        "reply_rate": rate(totals["replied"], totals["assigned"]),
        "on_time_rate": rate(on_time, first),
        "rehandled": totals["rehandled"],
        "overdue": totals["overdue"],
        "key_supervised": totals["key_count"],
        "key_supervised_replied": totals["key_replied"],
        "key_supervised_closed": totals["key_closed"],
        "units": [
            {
                "unit": r["unit"],
                "assigned": r["assigned"],
                "replied": replies.get(r["unit"]["id"], {}).get("replied", 0),
                "on_time": replies.get(r["unit"]["id"], {}).get("on_time", 0),
                "resolved": r["resolved"],
                "completion_rate": rate(r["resolved"], r["assigned"]),
                "evaluated": r["evaluated"],
                "satisfied": r["satisfied"],
                "satisfaction_rate": rate(r["satisfied"], r["evaluated"]),
                "rehandled": r["rehandled"],
                "overdue": r["overdue"],
            }
            for r in rows
        ],
    }


def _trend_fallback(session) -> list[dict]:
    sessions = Session.objects.filter(
        congress__region=session.congress.region,
        congress__level=session.congress.level,
    ).select_related("congress")
    rows = []
    for each in sessions.order_by("opened_on", "pk"):
        figures = session_statistics(each)
        rows.append(
            {
                "session": {"id": each.pk, "name": each.name},
                **{
                    key: figures[key]
                    for key in (
                        "suggestions",
                        "deputies_with_suggestions",
                        "completion_rate",
                        "satisfaction_rate",
                        "on_time_rate",
                        "key_supervised",
                    )
                },
            }
        )
    return rows


period_statistics = getattr(statistics, "period_statistics", _period_fallback)
trend = getattr(statistics, "trend", _trend_fallback)


def with_unit_kinds(rows: list[dict]) -> list[dict]:
    """The league rows with ``unit.kind`` (one query, only while the engine leaves
    it out)."""
    if not rows or "kind" in rows[0]["unit"]:
        return rows
    kinds = dict(
        HandlingUnit.objects.filter(pk__in=[r["unit"]["id"] for r in rows]).values_list(
            "pk", "kind"
        )
    )
    for row in rows:
        row["unit"]["kind"] = kinds.get(row["unit"]["id"], "")
    return rows
