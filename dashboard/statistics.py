"""The dashboard's figures (DESIGN.md §5), computed in SQL in a fixed number of queries.

Counted are the suggestions filed and not merged away (``COUNTED_STATUSES``); each is
counted once, under its current lead unit. Rates are percentages with one decimal (as
the annual review prints them), ``None`` when the denominator is 0.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from congress.models import Deputy, HandlerGroup, Session, UnitKind
from suggestions.models import (
    COUNTED_STATUSES,
    OPEN_STATUSES,
    AdjustmentKind,
    AdjustmentRequest,
    Assignment,
    AssignmentRole,
    Category,
    ContactRecord,
    CoSignature,
    Decision,
    Evaluation,
    Outcome,
    Rating,
    Reply,
    Status,
    Suggestion,
)

SATISFIED = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED)


def rate(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator`` as a percentage rounded half-up to one decimal."""
    if not denominator:
        return None
    value = Decimal(100 * numerator) / Decimal(denominator)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def previous_session(session: Session) -> Session | None:
    """The session of the same region and level opened last before this one (it may
    belong to the previous congress)."""
    return (
        Session.objects.filter(
            congress__region=session.congress.region,
            congress__level=session.congress.level,
            opened_on__lt=session.opened_on,
        )
        .order_by("-opened_on")
        .first()
    )


def session_statistics(session: Session, *, today=None) -> dict:
    """Every dashboard figure of one session, in the shape of API.md's dashboard."""
    today = today or timezone.localdate()
    in_session = Suggestion.objects.filter(session=session)
    counted = in_session.filter(status__in=COUNTED_STATUSES)
    previous = previous_session(session)

    totals = _suggestion_totals(in_session, today)
    units_by_suggestion = _per_unit_suggestions(counted, today)
    units_by_assignment = _per_unit_assignments(session)
    by_kind = dict(
        counted.filter(lead_unit__isnull=False)
        .values_list("lead_unit__kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    groups = dict.fromkeys(HandlerGroup.values, 0)
    for kind, n in by_kind.items():
        groups[HandlerGroup.of_kind(kind)] += n
    first_round = Evaluation.objects.filter(suggestion__in=counted, round=1).aggregate(
        evaluated=Count("id"), satisfied=Count("id", filter=Q(rating__in=SATISFIED))
    )
    extensions = AdjustmentRequest.objects.filter(
        assignment__suggestion__in=counted,
        kind=AdjustmentKind.EXTENSION,
        decision=Decision.APPROVED,
    ).count()
    handed_in = Exists(counted.filter(lead_deputy=OuterRef("pk"))) | Exists(
        CoSignature.objects.filter(
            deputy=OuterRef("pk"), signed_at__isnull=False, suggestion__in=counted
        )
    )
    deputies = Deputy.objects.filter(
        delegation__congress_id=session.congress_id
    ).aggregate(
        active=Count("id", filter=Q(active=True)),
        with_suggestions=Count("id", filter=handed_in),
    )
    previous_count = (
        Suggestion.objects.filter(session=previous, status__in=COUNTED_STATUSES).count()
        if previous
        else None
    )

    first_replies = sum(u["replied"] for u in units_by_assignment.values())
    on_time = sum(u["on_time"] for u in units_by_assignment.values())
    contacted = sum(u["contacted"] for u in units_by_assignment.values())
    n = totals["suggestions"]
    outcomes = {o: totals[f"outcome_{o}"] for o in Outcome.values}
    ratings = {r: totals[f"rating_{r}"] for r in Rating.values}
    evaluated = sum(ratings.values())

    return {
        "session": session.pk,
        "deputies": deputies["active"],
        "deputies_with_suggestions": deputies["with_suggestions"],
        "suggestions": n,
        "previous_session": previous.pk if previous else None,
        "previous_session_suggestions": previous_count,
        "change": n - previous_count if previous_count is not None else None,
        "by_category": [
            {"category": c.name, "id": c.pk, "count": c.n}
            for c in Category.objects.annotate(
                n=Count("suggestions", filter=Q(suggestions__in=counted))
            ).order_by("position", "pk")
        ],
        "by_handler_group": [
            {"group": group, "count": count} for group, count in groups.items()
        ],
        "by_unit_kind": [
            {"kind": kind, "count": by_kind.get(kind, 0)} for kind in UnitKind.values
        ],
        "by_unit": [
            {"unit": row["unit"], "count": row["assigned"]}
            for row in sorted(
                units_by_suggestion.values(),
                key=lambda r: (-r["assigned"], r["unit"]["name"]),
            )
        ],
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
        "resolved_or_planned_rate": rate(
            outcomes[Outcome.RESOLVED] + outcomes[Outcome.IN_PROGRESS], n
        ),
        "ratings": ratings,
        "evaluated": evaluated,
        "satisfaction_rate": rate(
            ratings[Rating.SATISFIED] + ratings[Rating.BASICALLY_SATISFIED], evaluated
        ),
        "first_round_satisfaction_rate": rate(
            first_round["satisfied"], first_round["evaluated"]
        ),
        "assigned": totals["assigned"],
        "replied": totals["replied"],
        "reply_rate": rate(totals["replied"], totals["assigned"]),
        "on_time_rate": rate(on_time, first_replies),
        "contact_rate": rate(contacted, first_replies),
        "drafts": totals["drafts"],
        "submitted": totals["submitted"],
        "withdrawn": totals["withdrawn"],
        "rejected": totals["rejected"],
        "merged": totals["merged"],
        "rehandled": totals["rehandled"],
        "escalated": totals["escalated_count"],
        "extensions": extensions,
        "open_promises": totals["open_promises"],
        "overdue": totals["overdue"],
        "key_supervised": totals["key_count"],
        "key_supervised_replied": totals["key_replied"],
        "key_supervised_closed": totals["key_closed"],
        "units": [
            {
                "unit": row["unit"],
                "assigned": row["assigned"],
                "replied": units_by_assignment.get(row["unit"]["id"], {}).get(
                    "replied", 0
                ),
                "on_time": units_by_assignment.get(row["unit"]["id"], {}).get(
                    "on_time", 0
                ),
                "resolved": row["resolved"],
                "completion_rate": rate(row["resolved"], row["assigned"]),
                "satisfaction_rate": rate(row["satisfied"], row["evaluated"]),
                "rehandled": row["rehandled"],
                "overdue": row["overdue"],
            }
            for row in sorted(
                units_by_suggestion.values(),
                key=lambda r: (-r["assigned"], r["unit"]["name"]),
            )
        ],
    }


def _suggestion_totals(in_session, today) -> dict:
    counted = Q(status__in=COUNTED_STATUSES)
    promise_kept = Exists(
        Reply.objects.filter(
            assignment__suggestion=OuterRef("pk"),
            is_lead=True,
            outcome=Outcome.IN_PROGRESS,
            fulfilled_at__isnull=False,
        )
    )
    aggregates = {
        "suggestions": Count("id", filter=counted),
        "drafts": Count("id", filter=Q(status=Status.DRAFT)),
        "submitted": Count("id", filter=Q(status=Status.SUBMITTED)),
        "withdrawn": Count("id", filter=Q(status=Status.WITHDRAWN)),
        "rejected": Count("id", filter=Q(status=Status.REJECTED)),
        "merged": Count("id", filter=Q(status=Status.MERGED)),
        "assigned": Count("id", filter=counted & Q(assigned_at__isnull=False)),
        "replied": Count("id", filter=counted & ~Q(outcome="")),
        "rehandled": Count("id", filter=counted & Q(round__gt=1)),
        "escalated_count": Count("id", filter=counted & Q(escalated=True)),
        "open_promises": Count(
            "id",
            filter=counted & Q(outcome=Outcome.IN_PROGRESS, promise_kept=False),
        ),
        "overdue": Count("id", filter=Q(status__in=OPEN_STATUSES, due_at__lt=today)),
        "key_count": Count("id", filter=counted & Q(key_supervised=True)),
        "key_replied": Count(
            "id", filter=counted & Q(key_supervised=True) & ~Q(outcome="")
        ),
        "key_closed": Count("id", filter=Q(key_supervised=True, status=Status.CLOSED)),
    }
    for outcome in Outcome.values:
        aggregates[f"outcome_{outcome}"] = Count(
            "id", filter=counted & Q(outcome=outcome)
        )
    for rating in Rating.values:
        aggregates[f"rating_{rating}"] = Count("id", filter=counted & Q(rating=rating))
    return in_session.annotate(promise_kept=promise_kept).aggregate(**aggregates)


def _per_unit_suggestions(counted, today) -> dict[int, dict]:
    """Per lead unit: suggestions, resolved, rated, satisfied, re-handled, overdue."""
    rows = (
        counted.filter(lead_unit__isnull=False)
        .values("lead_unit_id", "lead_unit__name")
        .annotate(
            assigned=Count("id"),
            resolved=Count("id", filter=Q(outcome=Outcome.RESOLVED)),
            evaluated=Count("id", filter=~Q(rating="")),
            satisfied=Count("id", filter=Q(rating__in=SATISFIED)),
            rehandled=Count("id", filter=Q(round__gt=1)),
            overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, due_at__lt=today)),
        )
        .order_by()
    )
    return {
        row["lead_unit_id"]: {
            "unit": {"id": row["lead_unit_id"], "name": row["lead_unit__name"]},
            **{
                k: row[k]
                for k in (
                    "assigned",
                    "resolved",
                    "evaluated",
                    "satisfied",
                    "rehandled",
                    "overdue",
                )
            },
        }
        for row in rows
    }


def _per_unit_assignments(session: Session) -> dict[int, dict]:
    """Per unit, over its live first-round lead assignments (one per suggestion):
    replies, replies by the due date, and replies preceded by a recorded contact.

    Timeliness and contact are judged on the original handling, as the annual
    assessment does; re-handling rounds are counted apart (``rehandled``).
    """
    contact_first = Exists(
        ContactRecord.objects.filter(
            assignment=OuterRef("pk"), contacted_at__lte=OuterRef("replied_at")
        )
    )
    rows = (
        Assignment.objects.filter(
            suggestion__session=session,
            suggestion__status__in=COUNTED_STATUSES,
            role=AssignmentRole.LEAD,
            round=1,
            active=True,
            replied_at__isnull=False,
        )
        .annotate(contact_first=contact_first)
        .values("unit_id")
        .annotate(
            replied=Count("id"),
            # ``__date`` reads the time in the active time zone (Asia/Shanghai).
            on_time=Count("id", filter=Q(replied_at__date__lte=F("due_at"))),
            contacted=Count("id", filter=Q(contact_first=True)),
        )
        .order_by()
    )
    return {row["unit_id"]: row for row in rows}
