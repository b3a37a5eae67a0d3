"""Computing the dashboard's figures from the rows (docs/statistics.md).

Two paths give the same ``Counts``: on PostgreSQL one scan of the suggestions with
``GROUP BY GROUPING SETS`` and ``COUNT(*) FILTER (…)`` columns, and one of the first
lead assignments; elsewhere (SQLite) portable ORM aggregates. Then a few small queries
common to both (first-round ratings, extensions, deputies, names, rules, calendar).

``compute`` returns the figures without the live ones (overdue now); ``statistics``
stores them as a snapshot or serves them at once.
"""

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connections, router, transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from congress.calendar import WorkingDayCalendar
from congress.models import (
    Congress,
    ContactStage,
    Delegation,
    Deputy,
    HandlerGroup,
    HandlingUnit,
    UnitKind,
)
from suggestions import deadlines
from suggestions.models import (
    COUNTED_STATUSES,
    AdjustmentKind,
    AdjustmentRequest,
    Assignment,
    AssignmentRole,
    Category,
    ContactRecord,
    CoSignature,
    Decision,
    Evaluation,
    HandlingPlan,
    Outcome,
    Rating,
    RatingChannel,
    Reply,
    Status,
    Suggestion,
    SupervisionKind,
    latest_evaluation_q,
)

SATISFIED = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED)

# Totals counted over every suggestion in scope; names match ``Counts.totals``.
TOTAL_KEYS = (
    "suggestions",
    "drafts",
    "submitted",
    "withdrawn",
    "rejected",
    "merged",
    "assigned",
    "replied",
    "rehandled",
    "escalated",
    "open_promises",
    "key_supervised",
    "key_supervised_replied",
    "key_supervised_closed",
    "evaluated",
    "satisfied",
    *(f"outcome_{o}" for o in Outcome.values),
    *(f"rating_{r}" for r in Rating.values),
)
UNIT_KEYS = ("assigned", "resolved", "evaluated", "satisfied", "rehandled")
ASSIGNMENT_KEYS = ("replied", "on_time", "contacted")


@dataclass(frozen=True)
class Scope:
    """Which suggestions: those of one session, or those submitted in a date range
    (local dates, both included) to one congress body (``body_id``; None: any)."""

    session_id: int | None = None
    congress_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    body_id: int | None = None

    @classmethod
    def of_session(cls, session) -> "Scope":
        return cls(session_id=session.pk, congress_id=session.congress_id)

    @classmethod
    def of_period(
        cls, date_from: date, date_to: date, *, body_id: int | None = None
    ) -> "Scope":
        return cls(date_from=date_from, date_to=date_to, body_id=body_id)

    def _bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        start = datetime.combine(self.date_from, time.min, tzinfo=tz)
        end = datetime.combine(self.date_to + timedelta(days=1), time.min, tzinfo=tz)
        return start, end

    def q(self, prefix: str = "") -> Q:
        """The scope as a filter on suggestions (``prefix``: the path to them)."""
        if self.session_id is not None:
            return Q(**{f"{prefix}session_id": self.session_id})
        start, end = self._bounds()
        q = Q(**{f"{prefix}submitted_at__gte": start, f"{prefix}submitted_at__lt": end})
        if self.body_id is not None:
            q &= Q(**{f"{prefix}session__congress__body_id": self.body_id})
        return q

    def sql(self, alias: str = "s") -> tuple[str, list]:
        if self.session_id is not None:
            return f"{alias}.session_id = %s", [self.session_id]
        start, end = self._bounds()
        where = f"{alias}.submitted_at >= %s AND {alias}.submitted_at < %s"
        if self.body_id is None:
            return where, [start, end]
        # Formatted in is the alias, a code constant; the body id is a parameter.
        body = (
            f" AND {alias}.session_id IN (SELECT bs.id FROM congress_session bs"  # noqa: S608
            " JOIN congress_congress bc ON bc.id = bs.congress_id"
            " WHERE bc.body_id = %s)"
        )
        return where + body, [start, end, self.body_id]

    def suggestions(self):
        return Suggestion.objects.filter(self.q())


@dataclass
class Counts:
    """The grouped counts both paths produce (compared by the tests)."""

    totals: dict[str, int] = field(default_factory=dict)
    by_category: dict[int | None, int] = field(default_factory=dict)
    by_unit: dict[int, dict[str, int]] = field(default_factory=dict)
    by_delegation: dict[int, int] = field(default_factory=dict)
    by_assignment: dict[int, dict[str, int]] = field(default_factory=dict)
    # (unit, congress, assigned on, acknowledged on or None) → first lead assignments
    acknowledgements: dict[tuple, int] = field(default_factory=dict)
    # Of those acknowledged, with a 五定 plan filed by its due day (not late).
    plans_on_time: int = 0


def _connection():
    """The connection the figures are read from: the one the ORM's reads of the
    suggestions go to (the read replica on the dashboards, when there is one;
    common/db.py), so that the raw queries and the ORM's see the same data."""
    return connections[router.db_for_read(Suggestion)]


def use_grouping_sets() -> bool:
    return _connection().vendor == "postgresql"


def count(scope: Scope, *, grouping_sets: bool | None = None) -> Counts:
    if grouping_sets is None:
        grouping_sets = use_grouping_sets()
    return _count_sql(scope) if grouping_sets else _count_orm(scope)


@contextmanager
def _tuned():
    """On PostgreSQL, for the grouped scans: no JIT (the planner's cost estimate of
    the per-row subquery triggers it, and compiling costs more than a second while
    the scan itself takes a tenth of that) and sort memory enough not to spill."""
    connection = _connection()
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('jit', 'off', true),"
                " set_config('work_mem', '64MB', true)"
            )
        yield


# --- PostgreSQL: GROUPING SETS ---------------------------------------------------------


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _count_sql(scope: Scope) -> Counts:
    with _tuned():
        return _count_sql_tuned(scope)


def _count_sql_tuned(scope: Scope) -> Counts:
    where, params = scope.sql("s")
    counted = f"s.status IN {_in(COUNTED_STATUSES)}"
    sat = _in(SATISFIED)
    columns = {
        "suggestions": counted,
        "drafts": f"s.status = '{Status.DRAFT}'",
        "submitted": f"s.status = '{Status.SUBMITTED}'",
        "withdrawn": f"s.status = '{Status.WITHDRAWN}'",
        "rejected": f"s.status = '{Status.REJECTED}'",
        "merged": f"s.status = '{Status.MERGED}'",
        "assigned": f"{counted} AND s.assigned_at IS NOT NULL",
        "replied": f"{counted} AND s.outcome <> ''",
        "rehandled": f"{counted} AND s.round > 1",
        "escalated": f"{counted} AND s.escalated",
        "open_promises": (
            f"{counted} AND s.outcome = '{Outcome.IN_PROGRESS}' AND NOT EXISTS ("  # noqa: S608
            "SELECT 1 FROM suggestions_reply r JOIN suggestions_assignment ra"
            " ON ra.id = r.assignment_id WHERE ra.suggestion_id = s.id AND r.is_lead"
            f" AND r.outcome = '{Outcome.IN_PROGRESS}'"
            " AND r.fulfilled_at IS NOT NULL)"
        ),
        "key_supervised": f"{counted} AND s.key_supervised",
        "key_supervised_replied": f"{counted} AND s.key_supervised AND s.outcome <> ''",
        "key_supervised_closed": f"s.key_supervised AND s.status = '{Status.CLOSED}'",
        "evaluated": f"{counted} AND s.rating <> ''",
        "satisfied": f"{counted} AND s.rating IN {sat}",
    }
    for o in Outcome.values:
        columns[f"outcome_{o}"] = f"{counted} AND s.outcome = '{o}'"
    for r in Rating.values:
        columns[f"rating_{r}"] = f"{counted} AND s.rating = '{r}'"
    select = ",\n".join(
        f"COUNT(*) FILTER (WHERE {cond}) AS {name}" for name, cond in columns.items()
    )
    # Formatted in are code constants only; the scope's values are parameters.
    sql = f"""
        SELECT GROUPING(s.category_id), GROUPING(s.lead_unit_id),
               GROUPING(d.delegation_id), s.category_id, s.lead_unit_id,
               d.delegation_id, {select}
        FROM suggestions_suggestion s
        JOIN congress_deputy d ON d.id = s.lead_deputy_id
        WHERE {where}
        GROUP BY GROUPING SETS ((), (s.category_id), (s.lead_unit_id),
                                (d.delegation_id))
    """  # noqa: S608
    names = list(columns)
    counts = Counts()
    with _connection().cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for g_cat, g_unit, g_del, category, unit, delegation, *values in rows:
        row = dict(zip(names, values, strict=True))
        if g_cat and g_unit and g_del:
            counts.totals = row
        elif not g_cat:
            if row["suggestions"]:
                counts.by_category[category] = row["suggestions"]
        elif not g_unit:
            if unit is not None and row["suggestions"]:
                counts.by_unit[unit] = _unit_row(row)
        elif row["suggestions"]:
            counts.by_delegation[delegation] = row["suggestions"]
    if not counts.totals:  # nothing in scope: GROUPING SETS still gives the () row
        counts.totals = dict.fromkeys(names, 0)

    tz = timezone.get_current_timezone_name()
    # Contact first: a probe of the contact records' index per replied assignment
    # (cheaper than aggregating every contact record of the archive).
    sql = f"""
        SELECT GROUPING(se.congress_id), a.unit_id, se.congress_id,
               (a.assigned_at AT TIME ZONE %s)::date,
               (a.acknowledged_at AT TIME ZONE %s)::date,
               COUNT(*),
               COUNT(*) FILTER (WHERE a.replied_at IS NOT NULL),
               COUNT(*) FILTER (WHERE a.replied_at IS NOT NULL
                   AND (a.replied_at AT TIME ZONE %s)::date <= a.due_at),
               COUNT(*) FILTER (WHERE a.replied_at IS NOT NULL AND EXISTS (
                   SELECT 1 FROM suggestions_contactrecord c
                   WHERE c.assignment_id = a.id AND c.contacted_at <= a.replied_at)),
               COUNT(*) FILTER (WHERE a.acknowledged_at IS NOT NULL AND EXISTS (
                   SELECT 1 FROM suggestions_handlingplan p
                   WHERE p.assignment_id = a.id AND NOT p.filed_late))
        FROM suggestions_assignment a
        JOIN suggestions_suggestion s ON s.id = a.suggestion_id
        JOIN congress_session se ON se.id = s.session_id
        WHERE {where} AND s.status IN {_in(COUNTED_STATUSES)}
          AND a.role = %s AND a.round = 1 AND a.active
        GROUP BY GROUPING SETS (
            (a.unit_id),
            (a.unit_id, se.congress_id, (a.assigned_at AT TIME ZONE %s)::date,
             (a.acknowledged_at AT TIME ZONE %s)::date)
        )
    """  # noqa: S608
    lead = AssignmentRole.LEAD
    with _connection().cursor() as cursor:
        cursor.execute(sql, [tz, tz, tz, *params, lead, tz, tz])
        rows = cursor.fetchall()
    for (
        per_unit,
        unit,
        congress,
        assigned_on,
        acked_on,
        n,
        replied,
        on_time,
        cont,
        planned,
    ) in rows:
        if per_unit:
            if replied:
                counts.by_assignment[unit] = {
                    "replied": replied,
                    "on_time": on_time,
                    "contacted": cont,
                }
        else:
            counts.acknowledgements[(unit, congress, assigned_on, acked_on)] = n
            counts.plans_on_time += planned
    return counts


def _unit_row(row: dict) -> dict[str, int]:
    return {
        "assigned": row["suggestions"],
        "resolved": row[f"outcome_{Outcome.RESOLVED}"],
        "evaluated": row["evaluated"],
        "satisfied": row["satisfied"],
        "rehandled": row["rehandled"],
    }


# --- portable: ORM aggregates ---------------------------------------------------------


def _count_orm(scope: Scope) -> Counts:
    in_scope = scope.suggestions()
    counted_q = Q(status__in=COUNTED_STATUSES)
    counted = in_scope.filter(counted_q)
    promise_kept = Exists(
        Reply.objects.filter(
            assignment__suggestion=OuterRef("pk"),
            is_lead=True,
            outcome=Outcome.IN_PROGRESS,
            fulfilled_at__isnull=False,
        )
    )
    aggregates = {
        "suggestions": Count("id", filter=counted_q),
        "drafts": Count("id", filter=Q(status=Status.DRAFT)),
        "submitted": Count("id", filter=Q(status=Status.SUBMITTED)),
        "withdrawn": Count("id", filter=Q(status=Status.WITHDRAWN)),
        "rejected": Count("id", filter=Q(status=Status.REJECTED)),
        "merged": Count("id", filter=Q(status=Status.MERGED)),
        "assigned": Count("id", filter=counted_q & Q(assigned_at__isnull=False)),
        "replied": Count("id", filter=counted_q & ~Q(outcome="")),
        "rehandled": Count("id", filter=counted_q & Q(round__gt=1)),
        "escalated": Count("id", filter=counted_q & Q(escalated=True)),
        "open_promises": Count(
            "id",
            filter=counted_q & Q(outcome=Outcome.IN_PROGRESS, promise_kept=False),
        ),
        "key_supervised": Count("id", filter=counted_q & Q(key_supervised=True)),
        "key_supervised_replied": Count(
            "id", filter=counted_q & Q(key_supervised=True) & ~Q(outcome="")
        ),
        "key_supervised_closed": Count(
            "id", filter=Q(key_supervised=True, status=Status.CLOSED)
        ),
        "evaluated": Count("id", filter=counted_q & ~Q(rating="")),
        "satisfied": Count("id", filter=counted_q & Q(rating__in=SATISFIED)),
    }
    for o in Outcome.values:
        aggregates[f"outcome_{o}"] = Count("id", filter=counted_q & Q(outcome=o))
    for r in Rating.values:
        aggregates[f"rating_{r}"] = Count("id", filter=counted_q & Q(rating=r))
    counts = Counts()
    # Aliased: an aggregate may not share a field's name (``key_supervised``).
    row = in_scope.annotate(promise_kept=promise_kept).aggregate(
        **{f"t_{name}": aggregate for name, aggregate in aggregates.items()}
    )
    counts.totals = {name: row[f"t_{name}"] for name in aggregates}
    counts.by_category = dict(
        counted.values_list("category_id").annotate(n=Count("id")).order_by()
    )
    for row in (
        counted.filter(lead_unit__isnull=False)
        .values("lead_unit_id")
        .annotate(
            assigned=Count("id"),
            resolved=Count("id", filter=Q(outcome=Outcome.RESOLVED)),
            evaluated=Count("id", filter=~Q(rating="")),
            satisfied=Count("id", filter=Q(rating__in=SATISFIED)),
            rehandled=Count("id", filter=Q(round__gt=1)),
        )
        .order_by()
    ):
        counts.by_unit[row.pop("lead_unit_id")] = row
    counts.by_delegation = dict(
        counted.values_list("lead_deputy__delegation_id")
        .annotate(n=Count("id"))
        .order_by()
    )

    first_leads = Assignment.objects.filter(
        scope.q("suggestion__"),
        suggestion__status__in=COUNTED_STATUSES,
        role=AssignmentRole.LEAD,
        round=1,
        active=True,
    )
    first_contact = (
        ContactRecord.objects.filter(assignment=OuterRef("pk"))
        .order_by()
        .values("assignment")
        .annotate(at=Min("contacted_at"))
        .values("at")
    )
    for row in (
        first_leads.filter(replied_at__isnull=False)
        .annotate(first_contact=first_contact)
        .values("unit_id")
        .annotate(
            replied=Count("id"),
            # ``__date`` reads the time in the active time zone (Asia/Shanghai).
            on_time=Count("id", filter=deadlines.REPLIED_ON_TIME),
            contacted=Count("id", filter=Q(first_contact__lte=F("replied_at"))),
        )
        .order_by()
    ):
        counts.by_assignment[row.pop("unit_id")] = row
    plan_on_time = Exists(
        HandlingPlan.objects.filter(assignment=OuterRef("pk"), filed_late=False)
    )
    for unit, congress, assigned_on, acked_on, n, planned in (
        first_leads.annotate(
            assigned_on=TruncDate("assigned_at"),
            acked_on=TruncDate("acknowledged_at"),
            plan_on_time=plan_on_time,
        )
        .values_list(
            "unit_id", "suggestion__session__congress_id", "assigned_on", "acked_on"
        )
        .annotate(
            n=Count("id"),
            planned=Count(
                "id",
                filter=Q(acknowledged_at__isnull=False, plan_on_time=True),
            ),
        )
        .order_by()
    ):
        counts.acknowledgements[(unit, congress, assigned_on, acked_on)] = n
        counts.plans_on_time += planned
    return counts


# --- common to both paths -------------------------------------------------------------


def compute(scope: Scope, today: date, *, grouping_sets: bool | None = None) -> dict:
    """The stored figures of ``scope`` as of ``today``: ``{"totals", "breakdown",
    "expires_on"}`` (JSON-ready; rates are derived when the figures are read)."""
    counts = count(scope, grouping_sets=grouping_sets)
    counted = scope.suggestions().filter(status__in=COUNTED_STATUSES)
    totals = counts.totals

    # The ratings in one scan: the first round's results, and of each rated
    # suggestion's latest rating (the one ``Suggestion.rating`` keeps) the
    # attitude and the channel it was given by (online, on site).
    latest = latest_evaluation_q()
    rated = Evaluation.objects.filter(
        scope.q("suggestion__"), suggestion__status__in=COUNTED_STATUSES
    ).aggregate(
        evaluated=Count("id", filter=Q(round=1)),
        satisfied=Count("id", filter=Q(round=1, rating__in=SATISFIED)),
        **{
            f"attitude_{r}": Count("id", filter=latest & Q(attitude=r))
            for r in Rating.values
        },
        **{
            f"channel_{c}": Count("id", filter=latest & Q(channel=c))
            for c in RatingChannel.values
        },
    )
    extensions = AdjustmentRequest.objects.filter(
        scope.q("assignment__suggestion__"),
        assignment__suggestion__status__in=COUNTED_STATUSES,
        kind=AdjustmentKind.EXTENSION,
        decision=Decision.APPROVED,
    ).count()
    deputies = _deputies(scope, counted)
    stages = _contact_stages(scope)
    leaders = _leaders_part(counted)

    late, expires_on = _acknowledged_late(counts.acknowledgements, today)
    units = {
        u["id"]: u
        for u in HandlingUnit.objects.filter(
            pk__in=set(counts.by_unit) | set(counts.by_assignment) | set(late)
        ).values("id", "name", "kind")
    }
    delegations = dict(
        Delegation.objects.filter(pk__in=list(counts.by_delegation)).values_list(
            "id", "name"
        )
    )
    categories = Category.objects.order_by("position", "pk")
    if scope.congress_id is not None:
        # A session's figures list its body's categories (each body has its own).
        categories = categories.filter(body__congresses=scope.congress_id)
    elif scope.body_id is not None:
        # And a date range's, the body's it counts.
        categories = categories.filter(body_id=scope.body_id)
    categories = list(categories.values("id", "name"))

    by_kind = dict.fromkeys(UnitKind.values, 0)
    for unit_id, row in counts.by_unit.items():
        by_kind[units[unit_id]["kind"]] += row["assigned"]
    groups = dict.fromkeys(HandlerGroup.values, 0)
    for kind, n in by_kind.items():
        groups[HandlerGroup.of_kind(kind)] += n

    league = []
    for unit_id, row in counts.by_unit.items():
        per_assignment = counts.by_assignment.get(unit_id, {})
        league.append(
            {
                "unit": units[unit_id],
                **row,
                "acknowledged_late": late.get(unit_id, 0),
                "replied": per_assignment.get("replied", 0),
                "on_time": per_assignment.get("on_time", 0),
            }
        )
    league.sort(key=lambda r: (-r["assigned"], r["unit"]["name"], r["unit"]["id"]))

    first_replies = sum(r["replied"] for r in counts.by_assignment.values())
    stored_totals = {
        **{k: totals[k] for k in TOTAL_KEYS},
        "deputies": deputies["active"],
        "deputies_with_suggestions": deputies["with_suggestions"],
        "first_round_evaluated": rated["evaluated"],
        "first_round_satisfied": rated["satisfied"],
        **{f"attitude_{r}": rated[f"attitude_{r}"] for r in Rating.values},
        **{f"channel_{c}": rated[f"channel_{c}"] for c in RatingChannel.values},
        "extensions": extensions,
        "first_replies": first_replies,
        "on_time": sum(r["on_time"] for r in counts.by_assignment.values()),
        "contacted": sum(r["contacted"] for r in counts.by_assignment.values()),
        "acknowledged_late": sum(late.values()),
        # The 五定 plans (计划按时制定率): first lead assignments acknowledged, and
        # of them those whose plan was filed by its due day.
        "acknowledged": sum(
            n for key, n in counts.acknowledgements.items() if key[3] is not None
        ),
        "plans_on_time": counts.plans_on_time,
        **stages,
        **leaders,
    }
    breakdown = {
        "by_category": [
            {
                "category": c["name"],
                "id": c["id"],
                "count": counts.by_category.get(c["id"], 0),
            }
            for c in categories
        ],
        "by_handler_group": [
            {"group": group, "count": n} for group, n in groups.items()
        ],
        "by_unit_kind": [{"kind": kind, "count": n} for kind, n in by_kind.items()],
        "by_delegation": [
            {"delegation": {"id": pk, "name": delegations[pk]}, "count": n}
            for pk, n in sorted(
                counts.by_delegation.items(), key=lambda item: (-item[1], item[0])
            )
        ],
        "units": league,
    }
    return {
        "totals": stored_totals,
        "breakdown": breakdown,
        "expires_on": expires_on,
    }


def _contact_stages(scope: Scope) -> dict[str, int]:
    """The first lead assignments of the counted suggestions (``lead_assignments``)
    and, per stage of the three meetings (三见面), how many of them have at least one
    contact of that stage (``contacts_<stage>``): one aggregate, a probe of the
    contact records' index per assignment and stage."""
    first_leads = Assignment.objects.filter(
        scope.q("suggestion__"),
        suggestion__status__in=COUNTED_STATUSES,
        role=AssignmentRole.LEAD,
        round=1,
        active=True,
    )
    flags = {
        f"has_{stage}": Exists(
            ContactRecord.objects.filter(assignment=OuterRef("pk"), stage=stage)
        )
        for stage in ContactStage.values
    }
    return first_leads.annotate(**flags).aggregate(
        lead_assignments=Count("id"),
        **{
            f"contacts_{stage}": Count("id", filter=Q(**{f"has_{stage}": True}))
            for stage in ContactStage.values
        },
    )


def _leaders_part(counted) -> dict[str, int]:
    """The leaders' part in the key suggestions (领衔办理, 领衔督办): how many key
    suggestions name a leading leader (``key_with_leading_leader``), and the
    supervision activities on them of each kind (``supervision_<kind>``): one
    aggregate over the key suggestions joined to their leader and activities."""
    key = counted.filter(key_supervised=True)
    return key.aggregate(
        key_with_leading_leader=Count(
            "id", distinct=True, filter=Q(handling_leader__isnull=False)
        ),
        **{
            f"supervision_{kind}": Count(
                "supervision_activities",
                distinct=True,
                filter=Q(supervision_activities__kind=kind),
            )
            for kind in SupervisionKind.values
        },
    )


def _deputies(scope: Scope, counted) -> dict:
    # ``IN`` (one hashed scan of the suggestions) rather than ``EXISTS`` per deputy.
    handed_in = Q(pk__in=counted.order_by().values("lead_deputy_id")) | Q(
        pk__in=CoSignature.objects.filter(
            signed_at__isnull=False, suggestion__in=counted
        ).values("deputy_id")
    )
    if scope.congress_id is not None:
        deputies = Deputy.objects.filter(delegation__congress_id=scope.congress_id)
    else:
        deputies = Deputy.objects.filter(
            delegation__congress_id__in=scope.suggestions()
            .order_by()
            .values("session__congress_id")
        )
    return deputies.aggregate(
        active=Count("id", filter=Q(active=True)),
        with_suggestions=Count("id", filter=handed_in),
    )


def _acknowledged_late(
    acknowledgements: dict[tuple, int], today: date
) -> tuple[dict[int, int], date | None]:
    """Per unit, first lead assignments acknowledged after the reassignment window
    (working days from ``HandlingRules``), or not acknowledged with the window past;
    and the last day on which no further one turns late by time alone."""
    if not acknowledgements:
        return {}, None
    # Each congress's rules and the body whose own days (a regional holiday) count
    # besides the national ones, in one query.
    congresses = {
        c.pk: c
        for c in Congress.objects.filter(
            pk__in={key[1] for key in acknowledgements}
        ).select_related("rules")
    }
    days = [key[2] for key in acknowledgements]
    # Every body's days in one read; ``for_body`` picks a congress's.
    calendar = WorkingDayCalendar(min(days), max(days) + timedelta(days=200))
    ends: dict[tuple[int, date], date] = {}
    late: dict[int, int] = defaultdict(int)
    expires_on = None
    for (unit, congress, assigned_on, acked_on), n in acknowledgements.items():
        key = (congress, assigned_on)
        if key not in ends:
            ends[key] = _window_end(
                calendar.for_body(congresses[congress].body_id),
                assigned_on,
                deadlines.rules_of_congress(
                    congresses[congress]
                ).reassignment_window_working_days,
            )
        end = ends[key]
        if acked_on is not None:
            if acked_on > end:
                late[unit] += n
        elif today > end:
            late[unit] += n
        elif expires_on is None or end < expires_on:
            expires_on = end
    return dict(late), expires_on


def _window_end(calendar: WorkingDayCalendar, start: date, working_days: int) -> date:
    """``calendar.add`` without its warning per call for a year with no announced
    holidays (a recompute asks for hundreds of dates; Monday–Friday is assumed)."""
    day, counted = start, 0
    while counted < working_days:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day
