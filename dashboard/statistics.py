"""The dashboard's figures (docs/statistics.md): read from a maintained snapshot per session.

Counted are the suggestions filed and not merged away (``COUNTED_STATUSES``); each is
counted once, under its current lead unit. Rates are percentages with one decimal (as
the annual review prints them), ``None`` when the denominator is 0.

Reading a session (README: "Statistics: what is exact and what may lag"):
- fresh snapshot (no change since it was computed): served as it is, two queries;
- stale and small (at most ``STATISTICS_SYNC_LIMIT`` suggestions counted): computed
  again now and stored, so the figures are exact;
- stale and large: the stale snapshot is served, marked ``stale`` with its ``as_of``
  time, and a background refresh is asked for (``dashboard.tasks``).
"Overdue now" depends on the day, not on writes: it is always counted live.
"""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from common.db import reading_from_primary
from common.rates import rate
from congress.models import ContactStage, HandlingUnit, Session
from suggestions.models import (
    COUNTED_STATUSES,
    Outcome,
    Promise,
    PromiseState,
    Rating,
    RatingChannel,
    Suggestion,
    SupervisionKind,
    recount_published,
)

from . import changes, engine
from .engine import Scope
from .models import SessionBreakdown, SessionStatistics


def shares(counts) -> list[float | None]:
    """Each count's share of the whole they make up (their sum), as percentages with
    one decimal that add up to exactly 100.0: every share is rounded down to a tenth,
    then the tenths still missing go to the largest remainders (ties: the larger
    count, then the earlier row). All ``None`` when the whole is 0.

    The one rule for every breakdown's 占比 (page, workbook, review, API): a
    breakdown's whole is the suggestions it sorts, so ratings divide by the rated,
    outcomes by the replied, lead units by the assigned."""
    counts = list(counts)
    whole = sum(counts)
    if not whole:
        return [None] * len(counts)
    tenths = [divmod(1000 * c, whole) for c in counts]
    result = [q for q, _r in tenths]
    missing = 1000 - sum(result)
    order = sorted(range(len(counts)), key=lambda i: (-tenths[i][1], -counts[i], i))
    for i in order[:missing]:
        result[i] += 1
    return [float(Decimal(t) / 10) for t in result]


def _with_shares(rows: list[dict]) -> list[dict]:
    """Copies of breakdown rows (``count`` each) with their ``share``."""
    return [
        {**row, "share": share}
        for row, share in zip(rows, shares(r["count"] for r in rows), strict=True)
    ]


def _keyed_shares(counts: dict) -> dict:
    return dict(zip(counts, shares(counts.values()), strict=True))


def sync_limit() -> int:
    return getattr(settings, "STATISTICS_SYNC_LIMIT", 20000)


def previous_session(session: Session) -> Session | None:
    """The session of the same congress body opened last before this one (it may
    belong to the previous term)."""
    return (
        Session.objects.filter(
            congress__body=session.congress.body_id,
            opened_on__lt=session.opened_on,
        )
        .order_by("-opened_on")
        .first()
    )


def promise_outcomes(session: Session) -> dict[str, int]:
    """How the promises of a session's class-B replies ended (the ledger): their
    number and how many are kept, partly kept, not kept and still open (not yet
    reported), in one aggregate query. Every promise made counts, also one of a
    round that a dissatisfied rating sent back: it was made to the deputy."""
    counts = Promise.objects.filter(
        reply__assignment__suggestion__session=session
    ).aggregate(
        total=Count("pk"),
        **{state.value: Count("pk", filter=Q(state=state)) for state in PromiseState},
    )
    return counts


# --- refreshing the snapshot ---------------------------------------------------------


def refresh(session: Session, *, today=None) -> SessionStatistics:
    """Compute the session's figures now and store them as its snapshot.

    The figures are stored with the version read *before* computing: a change that
    commits meanwhile has bumped the version, so the snapshot stays stale and is
    computed again; a slower, older computation never overwrites a newer one.

    It reads the primary, even on a page that reads the replica: the version and
    the figures must come from the database the version is bumped in, or a lagging
    replica's figures would be stored as those of the newest version."""
    with reading_from_primary():
        return _refresh(session, today=today)


def _refresh(session: Session, *, today=None) -> SessionStatistics:
    today = today or timezone.localdate()
    SessionStatistics.objects.bulk_create(
        [SessionStatistics(session_id=session.pk)], ignore_conflicts=True
    )
    version = (
        SessionStatistics.objects.filter(pk=session.pk)
        .values_list("version", flat=True)
        .get()
    )
    figures = engine.compute(Scope.of_session(session), today)
    previous = previous_session(session)
    now = timezone.now()
    fields = {
        "computed_version": version,
        "computed_at": now,
        "computed_on": today,
        "expires_on": figures["expires_on"],
        "suggestions": figures["totals"]["suggestions"],
        "previous_session": previous,
        "totals": figures["totals"],
    }
    with transaction.atomic():
        stored = (
            SessionStatistics.objects.filter(pk=session.pk)
            .filter(Q(computed_version__isnull=True) | Q(computed_version__lte=version))
            .update(**fields)
        )
        if stored:
            SessionBreakdown.objects.bulk_create(
                [SessionBreakdown(statistics_id=session.pk, data=figures["breakdown"])],
                update_conflicts=True,
                unique_fields=["statistics"],
                update_fields=["data"],
            )
    # What this computation saw, whether or not a newer one was stored meanwhile.
    snapshot = SessionStatistics(session=session, version=version, **fields)
    snapshot.breakdown = SessionBreakdown(
        statistics=snapshot, data=figures["breakdown"]
    )
    return snapshot


def refresh_all(*, only_stale: bool = False, today=None) -> int:
    """Refresh every session's snapshot (or only the stale and missing ones); a
    full refresh also rebuilds the counts of published suggestions (after a bulk
    load, which may have gone around their triggers)."""
    today = today or timezone.localdate()
    if not only_stale:
        recount_published()
    sessions = Session.objects.select_related("congress__body").order_by(
        "opened_on", "pk"
    )
    done = 0
    for session in sessions:
        if only_stale:
            snapshot = SessionStatistics.objects.filter(pk=session.pk).first()
            if snapshot is not None and snapshot.is_fresh(today):
                continue
        refresh(session, today=today)
        done += 1
    return done


def stale_session_ids(today=None) -> list[int]:
    today = today or timezone.localdate()
    stale = (
        Q(statistics__isnull=True)
        | Q(statistics__totals__isnull=True)
        | Q(statistics__computed_version__isnull=True)
        | ~Q(statistics__computed_version=F("statistics__version"))
        | Q(statistics__expires_on__lt=today)
    )
    return list(Session.objects.filter(stale).values_list("pk", flat=True))


# --- reading -------------------------------------------------------------------------


def _snapshot(session: Session, today) -> tuple[SessionStatistics, bool]:
    """The session's snapshot and whether it is stale; computes it when it is stale
    and small, or missing."""
    snapshot = (
        SessionStatistics.objects.select_related(
            "breakdown", "previous_session__statistics"
        )
        .filter(pk=session.pk)
        .first()
    )
    if snapshot is not None and snapshot.is_fresh(today):
        return snapshot, False
    usable = (
        snapshot is not None
        and snapshot.totals is not None
        and hasattr(snapshot, "breakdown")
    )
    if usable and snapshot.suggestions > sync_limit():
        changes.request_refresh(session.pk)
        return snapshot, True
    return refresh(session, today=today), False


def session_statistics(session: Session, *, today=None) -> dict:
    """Every dashboard figure of one session, in the shape of the dashboard API (docs/api.md)."""
    today = today or timezone.localdate()
    snapshot, stale = _snapshot(session, today)
    previous = snapshot.previous_session
    previous_count = None
    if previous is not None:
        previous_stats = getattr(previous, "statistics", None)
        if previous_stats is not None and (
            previous_stats.totals is not None
            and previous_stats.computed_version == previous_stats.version
        ):
            previous_count = previous_stats.suggestions
        else:
            previous_count = Suggestion.objects.filter(
                session=previous, status__in=COUNTED_STATUSES
            ).count()
    return assemble(
        snapshot.totals,
        snapshot.breakdown.data,
        overdue=_overdue(
            Scope.of_session(session), today, snapshot.breakdown.data["units"]
        ),
        session_id=session.pk,
        previous_session_id=previous.pk if previous else None,
        previous_count=previous_count,
        as_of=snapshot.computed_at,
        stale=stale,
    )


def live_statistics(session: Session, *, today=None) -> dict:
    """The session's figures computed now, without reading or storing a snapshot."""
    today = today or timezone.localdate()
    figures = engine.compute(Scope.of_session(session), today)
    previous = previous_session(session)
    return assemble(
        figures["totals"],
        figures["breakdown"],
        overdue=_overdue(
            Scope.of_session(session), today, figures["breakdown"]["units"]
        ),
        session_id=session.pk,
        previous_session_id=previous.pk if previous else None,
        previous_count=(
            Suggestion.objects.filter(
                session=previous, status__in=COUNTED_STATUSES
            ).count()
            if previous
            else None
        ),
        as_of=timezone.now(),
        stale=False,
    )


def period_statistics(date_from, date_to, *, body_id=None, today=None) -> dict:
    """The same figures for the suggestions submitted from ``date_from`` to
    ``date_to`` (local dates, both included) to the congress body ``body_id``
    (None: every body), computed live."""
    if date_to < date_from:
        raise ValueError("date_to is before date_from")
    today = today or timezone.localdate()
    scope = Scope.of_period(date_from, date_to, body_id=body_id)
    figures = engine.compute(scope, today)
    result = assemble(
        figures["totals"],
        figures["breakdown"],
        overdue=_overdue(scope, today, figures["breakdown"]["units"]),
        session_id=None,
        previous_session_id=None,
        previous_count=None,
        as_of=timezone.now(),
        stale=False,
    )
    result["date_from"] = date_from.isoformat()
    result["date_to"] = date_to.isoformat()
    return result


def _overdue(scope: Scope, today, units: list[dict]) -> dict[int | None, dict]:
    """Overdue now, per lead unit: open suggestions past their due date. One
    index-only scan (see README) — plus, only when the snapshot lacks a unit that has
    overdue suggestions (it is out of date), one query for that unit's name."""
    counts = dict(
        Suggestion.objects.filter(scope.q(), Suggestion.objects.overdue_q(today))
        .values_list("lead_unit_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    known = {row["unit"]["id"]: row["unit"] for row in units}
    missing = [pk for pk in counts if pk is not None and pk not in known]
    if missing:
        for unit in HandlingUnit.objects.filter(pk__in=missing).values(
            "id", "name", "kind"
        ):
            known[unit["id"]] = unit
    return {pk: {"n": n, "unit": known.get(pk)} for pk, n in counts.items()}


def assemble(
    totals: dict,
    breakdown: dict,
    *,
    overdue: dict,
    session_id,
    previous_session_id,
    previous_count,
    as_of,
    stale: bool,
) -> dict:
    """The API's dashboard dict from stored totals and breakdown plus live overdue."""
    t = totals
    n = t["suggestions"]
    outcomes = {o: t[f"outcome_{o}"] for o in Outcome.values}
    ratings = {r: t[f"rating_{r}"] for r in Rating.values}
    evaluated = sum(ratings.values())
    # ``get``: a snapshot stored before these figures were kept reads none until
    # it is computed again.
    attitudes = {r: t.get(f"attitude_{r}", 0) for r in Rating.values}
    by_channel = {c: t.get(f"channel_{c}", 0) for c in RatingChannel.values}
    units = []
    seen = set()
    for row in breakdown["units"]:
        unit_id = row["unit"]["id"]
        seen.add(unit_id)
        units.append(_league_row(row, overdue.get(unit_id, {}).get("n", 0)))
    # A unit that only an out-of-date snapshot misses still shows its overdue ones.
    for unit_id, row in overdue.items():
        if unit_id is not None and unit_id not in seen and row["unit"]:
            units.append(_league_row({"unit": row["unit"]}, row["n"]))
    return {
        "session": session_id,
        "as_of": as_of.isoformat() if as_of else None,
        "stale": stale,
        "deputies": t["deputies"],
        "deputies_with_suggestions": t["deputies_with_suggestions"],
        "suggestions": n,
        "previous_session": previous_session_id,
        "previous_session_suggestions": previous_count,
        "change": n - previous_count if previous_count is not None else None,
        "by_category": _with_shares(breakdown["by_category"]),
        "by_handler_group": _with_shares(breakdown["by_handler_group"]),
        "by_unit_kind": _with_shares(breakdown["by_unit_kind"]),
        "by_unit": _with_shares(
            [
                {"unit": row["unit"], "count": row["assigned"]}
                for row in breakdown["units"]
            ]
        ),
        "by_delegation": _with_shares(breakdown["by_delegation"]),
        "outcomes": outcomes,
        "outcome_shares": _keyed_shares(outcomes),
        "completion_rate": rate(outcomes[Outcome.RESOLVED], n),
        "resolved_or_planned_rate": rate(
            outcomes[Outcome.RESOLVED] + outcomes[Outcome.IN_PROGRESS], n
        ),
        "ratings": ratings,
        "rating_shares": _keyed_shares(ratings),
        "evaluated": evaluated,
        "satisfaction_rate": rate(
            ratings[Rating.SATISFIED] + ratings[Rating.BASICALLY_SATISFIED], evaluated
        ),
        "first_round_satisfaction_rate": rate(
            t["first_round_satisfied"], t["first_round_evaluated"]
        ),
        # The handling attitude (办理态度) beside the result (``ratings``, 办理结果),
        # of each rated suggestion's latest rating; an attitude not asked (ratings
        # given before it was) counts in neither.
        "attitude_ratings": attitudes,
        "attitude_satisfaction_rate": rate(
            attitudes[Rating.SATISFIED] + attitudes[Rating.BASICALLY_SATISFIED],
            sum(attitudes.values()),
        ),
        "attitude_shares": _keyed_shares(attitudes),
        "ratings_by_channel": by_channel,
        "channel_shares": _keyed_shares(by_channel),
        "assigned": t["assigned"],
        "replied": t["replied"],
        "reply_rate": rate(t["replied"], t["assigned"]),
        "first_replies": t["first_replies"],
        "on_time": t["on_time"],
        "on_time_rate": rate(t["on_time"], t["first_replies"]),
        "contact_rate": rate(t["contacted"], t["first_replies"]),
        **contact_stage_figures(t),
        **leaders_figures(t),
        "acknowledged_late": t["acknowledged_late"],
        # Snapshots stored before the 五定 plans were counted read as none.
        "acknowledged": t.get("acknowledged", 0),
        "plans_on_time": t.get("plans_on_time", 0),
        "plan_on_time_rate": rate(t.get("plans_on_time", 0), t.get("acknowledged", 0)),
        "drafts": t["drafts"],
        "submitted": t["submitted"],
        "withdrawn": t["withdrawn"],
        "rejected": t["rejected"],
        "merged": t["merged"],
        "rehandled": t["rehandled"],
        "escalated": t["escalated"],
        "extensions": t["extensions"],
        "open_promises": t["open_promises"],
        "overdue": sum(row["n"] for row in overdue.values()),
        "key_supervised": t["key_supervised"],
        "key_supervised_replied": t["key_supervised_replied"],
        "key_supervised_closed": t["key_supervised_closed"],
        "units": units,
    }


def contact_stage_figures(t: dict) -> dict:
    """The three meetings (三见面): of the first lead assignments
    (``lead_assignments``), how many met the deputy at each stage
    (``contacts_by_stage``) and the share (``contact_stage_rates``, a percentage
    with one decimal, null for none). A snapshot stored before stages existed has
    none of these: nulls until it is recomputed."""
    n = t.get("lead_assignments")
    counts = {stage: t.get(f"contacts_{stage}") for stage in ContactStage.values}
    return {
        "lead_assignments": n,
        "contacts_by_stage": counts,
        "contact_stage_rates": {
            stage: rate(k, n) if n is not None and k is not None else None
            for stage, k in counts.items()
        },
    }


def leaders_figures(t: dict) -> dict:
    """The leaders' part in the key suggestions: how many name a leading leader
    (``key_with_leading_leader``) and the supervision activities on them by kind
    (``supervision_activities``). Nulls from a snapshot older than these."""
    return {
        "key_with_leading_leader": t.get("key_with_leading_leader"),
        "supervision_activities": {
            kind: t.get(f"supervision_{kind}") for kind in SupervisionKind.values
        },
    }


def _league_row(row: dict, overdue: int) -> dict:
    assigned = row.get("assigned", 0)
    return {
        "unit": row["unit"],
        "assigned": assigned,
        "acknowledged_late": row.get("acknowledged_late", 0),
        "replied": row.get("replied", 0),
        "on_time": row.get("on_time", 0),
        "resolved": row.get("resolved", 0),
        "completion_rate": rate(row.get("resolved", 0), assigned),
        "evaluated": row.get("evaluated", 0),
        "satisfied": row.get("satisfied", 0),
        "satisfaction_rate": rate(row.get("satisfied", 0), row.get("evaluated", 0)),
        "rehandled": row.get("rehandled", 0),
        "overdue": overdue,
    }


# --- the trend across sessions -------------------------------------------------------


def trend(session: Session, *, today=None) -> list[dict]:
    """One row per session of ``session``'s congress body, by opening date, read
    from the snapshots' totals (missing or stale small ones computed now)."""
    return body_trend(session.congress.body_id, today=today)


def body_trend(
    body_id: int, *, until_year: int | None = None, today=None
) -> list[dict]:
    """The trend's rows of the sessions of the congress body ``body_id`` (up to the
    year ``until_year``, when given): one query while the snapshots are fresh."""
    today = today or timezone.localdate()
    sessions = Session.objects.filter(congress__body=body_id)
    if until_year is not None:
        sessions = sessions.filter(year__lte=until_year)
    sessions = list(
        sessions.select_related("congress__body", "statistics").order_by(
            "opened_on", "pk"
        )
    )
    rows = []
    for s in sessions:
        snapshot = getattr(s, "statistics", None)
        stale = False
        if snapshot is None or not snapshot.is_fresh(today):
            if (
                snapshot is not None
                and snapshot.totals is not None
                and snapshot.suggestions > sync_limit()
            ):
                stale = True
                changes.request_refresh(s.pk)
            else:
                snapshot = refresh(s, today=today)
        t = snapshot.totals
        rows.append(
            {
                "session": {
                    "id": s.pk,
                    "name": str(s),
                    "short_name": s.short_name,
                    "label": s.short_label,
                },
                "year": s.year,
                "suggestions": t["suggestions"],
                "deputies_with_suggestions": t["deputies_with_suggestions"],
                "completion_rate": rate(
                    t[f"outcome_{Outcome.RESOLVED}"], t["suggestions"]
                ),
                "satisfaction_rate": rate(t["satisfied"], t["evaluated"]),
                "on_time_rate": rate(t["on_time"], t["first_replies"]),
                "key_supervised": t["key_supervised"],
                "as_of": snapshot.computed_at.isoformat(),
                "stale": stale,
            }
        )
    return rows
