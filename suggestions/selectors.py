"""Reads, already scoped to what the user may see and already joined.

A list that is paged (``pagination.DeferredJoinPaginator``) is read as a
``SuggestionList``: its rows, the user's visibility and its text search kept apart,
so that it can say how it is counted (``count_plan``) instead of leaving the
paginator to take a built query apart.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from congress.models import CongressBody, CongressLevel, HandlingUnit, Session

from . import deadlines, workflow
from .models import (
    OPEN_STATUSES,
    AdjustmentRequest,
    Assignment,
    CoSignature,
    Decision,
    Evaluation,
    EvaluationMeeting,
    Event,
    Promise,
    PublishedCount,
    Reply,
    Status,
    StatusCount,
    Suggestion,
    Visibility,
    in_bodies,
    involvement_of,
    visibility_of,
)
from .pagination import (
    EVERY_SESSION,
    CountPlan,
    ExactCount,
    KeptCounts,
    PublishedAndOwn,
    PublishedOnly,
    SearchCount,
)
from .search import (
    TextSearch,
    search_suggestions,
    status_counts_within_limit,
    text_search,
)


@dataclass(frozen=True)
class SuggestionList:
    """A list of suggestions in the pieces that page and count it.

    ``rows`` are joined, ordered and filtered by the list and the user's choices,
    but not yet limited to what the user may see (``visibility``, whose condition
    holds the user's congress bodies) nor searched (``search``); ``queryset``
    composes them. ``kept`` says whether ``rows`` are still every suggestion, one
    body's or one session's: the published ones among them are then counted by the
    triggers already. Each step answers a new list.
    """

    rows: QuerySet
    visibility: Visibility
    kept: KeptCounts | None = EVERY_SESSION
    search: TextSearch | None = None

    def order_by(self, *fields) -> "SuggestionList":
        return replace(self, rows=self.rows.order_by(*fields))

    def narrow(self, how: Callable[[QuerySet], QuerySet]) -> "SuggestionList":
        """Only the rows that ``how`` keeps (``how(rows)``)."""
        return replace(self, rows=how(self.rows), kept=None)

    def filter(self, *args, **kwargs) -> "SuggestionList":
        return self.narrow(lambda rows: rows.filter(*args, **kwargs))

    def in_session(self, session_id: int) -> "SuggestionList":
        """Only the rows of one session."""
        return replace(
            self,
            rows=self.rows.filter(session_id=session_id),
            kept=self._kept_in(session_id),
        )

    def in_body(self, body_id: int) -> "SuggestionList":
        """Only the rows of one congress body's sessions."""
        kept = (
            KeptCounts(bodies=frozenset({body_id}))
            if self.kept == EVERY_SESSION
            else None
        )
        return replace(
            self,
            rows=self.rows.filter(session__congress__body_id=body_id),
            kept=kept,
        )

    def searched(self, text: str) -> "SuggestionList":
        """Those whose title or body contains ``text``: on PostgreSQL kept apart
        as a ``TextSearch`` (counted up to its limit, ``search.py``), elsewhere a
        plain filter; a number ("60", "第60号") finds the suggestion of that number.
        A list is searched once."""
        number = number_in(text)
        if number is not None:
            return replace(self, rows=self.rows.filter(number=number), kept=None)
        search = text_search(text, using=self.rows.db)
        if search is not None:
            return replace(self, search=search)
        rows = search_suggestions(self.rows, text)
        return self if rows is self.rows else replace(self, rows=rows, kept=None)

    def filters(self, filterset_class, data, **kwargs):
        """A ``filters.SuggestionFilter`` (or a subclass) of ``data`` over
        ``rows``, for ``filtered_by``."""
        kwargs.setdefault("bodies", self.visibility.bodies)
        return filterset_class(
            data, queryset=self.rows, visible=self.visibility.condition, **kwargs
        )

    def filtered_by(self, filterset, *, skip=()) -> "SuggestionList":
        """Narrowed by ``filterset`` (``filters``, bound and valid): every filter
        applied to ``rows`` but the text search, which is kept apart (``searched``),
        and those named in ``skip``; a session chosen alone still lets the kept
        counts serve."""
        chosen = {k: v for k, v in filterset.chosen().items() if k not in skip}
        text = chosen.pop("q", "")
        session = chosen.pop("session", None)
        if chosen:
            kept = None
        elif session is not None:
            kept = self._kept_in(session.pk)
        else:
            kept = self.kept
        rows = filterset.filter_queryset(self.rows, search=False, skip=skip)
        return replace(self, rows=rows, kept=kept).searched(text)

    def status_counts(self) -> dict[str, int]:
        """How many of the list's suggestions are in each status (the list's status
        tabs): from the kept counts (``kept_status_counts``) when they serve, else
        in one grouped query."""
        kept = self.kept_status_counts()
        if kept is not None:
            return kept
        rows = self.queryset.order_by().values("status").annotate(n=Count("pk"))
        return {row["status"]: row["n"] for row in rows}

    def kept_status_counts(self) -> dict[str, int] | None:
        """The status counts of a list that is still every suggestion, one body's or
        one session's, for someone who sees all of them but drafts (staff and
        leaders): the rows the triggers keep (``StatusCount``, at most one per
        session and status), with the user's own drafts counted apart. None when
        the list is filtered or searched, or the user sees less."""
        visibility, kept = self.visibility, self.kept
        if kept is None or self.search is not None or not visibility.all_but_drafts:
            return None
        counted = StatusCount.objects.exclude(status=Status.DRAFT).filter(n__gt=0)
        if kept.session is not None:
            counted = counted.filter(session_id=kept.session)
        for bodies in (kept.bodies, visibility.bodies):
            if bodies is not None:
                counted = counted.filter(session__congress__body_id__in=bodies)
        counts = dict(
            counted.values("status")
            .annotate(total=Sum("n"))
            .order_by()
            .values_list("status", "total")
        )
        if visibility.drafts_of is not None:
            drafts = (
                self.rows.filter(status=Status.DRAFT)
                .filter(visibility.drafts_of & in_bodies(visibility.bodies))
                .count()
            )
            if drafts:
                counts[Status.DRAFT] = drafts
        return counts

    def tab_counts(self) -> dict[str, int] | None:
        """The status tabs' counts (``status_counts``); None for a text search
        with more matches than its count limit, whose tabs are shown uncounted
        (``search.status_counts_within_limit``)."""
        if self.search is None:
            return self.status_counts()
        return status_counts_within_limit(self._visible(), self.search)

    @property
    def queryset(self) -> QuerySet[Suggestion]:
        """The list's rows: visible, filtered, searched, ordered."""
        if self.search is None:
            return self._visible()
        return self._visible().filter(self.search.match)

    @property
    def count_plan(self) -> CountPlan:
        """How ``pagination.DeferredJoinPaginator`` counts ``queryset``."""
        if self.search is not None:
            return SearchCount(unsearched=self._visible(), search=self.search)
        visibility = self.visibility
        # The published ones are counted in the user's bodies; the user's own
        # unpublished ones by their keys alone: what a deputy or a unit takes part
        # in is in its own bodies already (the services keep deputies, units and
        # suggestions of one body together), and the bodies' sessions as a
        # further condition led PostgreSQL to scan the body's unpublished rows
        # before a unit's assignments (a clerk's list at 1M over 8 bodies).
        scoped = self.rows.filter(in_bodies(visibility.bodies))
        if visibility.own is not None:
            return PublishedAndOwn(scoped, visibility.own, self.kept, own_in=self.rows)
        if visibility.published_only:
            return PublishedOnly(scoped, self.kept)
        return ExactCount()

    def _visible(self) -> QuerySet[Suggestion]:
        return self.rows.filter(self.visibility.condition)

    def _kept_in(self, session_id: int) -> KeptCounts | None:
        if self.kept is None or self.kept.session is not None:
            return None
        return replace(self.kept, session=session_id)


def number_in(text: str) -> int | None:
    """The suggestion number that ``text`` names ("17", "No. 17", "第17号"), if any."""
    import re

    found = re.fullmatch(
        r"(?:no\.?|#|第)?\s*(\d{1,9})\s*号?", (text or "").strip(), re.IGNORECASE
    )
    return int(found.group(1)) if found else None


def suggestion_listing(*, user) -> SuggestionList:
    """The visible suggestions with what a list row shows, as a ``SuggestionList``
    (``user`` None: what anyone may see, the published ones), in the user's
    congress bodies alone (the visibility's condition; ``count_plan`` counts the
    parts in them)."""
    visibility = visibility_of(user)
    rows = Suggestion.objects.select_related(
        "session__congress__body",
        "category",
        "lead_deputy__delegation",
        "lead_unit",
        "entered_by",
    )
    return SuggestionList(
        rows=rows,
        visibility=visibility,
        kept=KeptCounts(bodies=visibility.bodies),
    )


def public_listing(*, body_id: int) -> SuggestionList:
    """What anyone may read of one congress body: its published replies, with what
    a list row shows (counted from the kept per-session counts while unfiltered)."""
    return suggestion_listing(user=None).in_body(body_id)


@dataclass(frozen=True)
class PublicBody:
    """A congress body as the public's home page lists it."""

    body: CongressBody
    published: int  # suggestions of its sessions with a published reply
    latest_session: Session | None  # the one opened last
    depth: int  # 0 for a body heading its group, 1 for a body below it …


def public_bodies() -> list[list[PublicBody]]:
    """Every congress body, in groups: a body without a parent on the platform (a
    prefecture's), then the bodies below it (its counties'), each with its count of
    published replies and its latest session. Two queries, however many bodies.

    The counts are the ones the triggers keep per session (``PublishedCount``), so
    the page never visits the suggestions."""
    published = (
        PublishedCount.objects.filter(session__congress__body=OuterRef("pk"))
        .order_by()
        .values("session__congress__body")
        .annotate(n=Sum("n"))
        .values("n")
    )
    latest = Session.objects.filter(congress__body=OuterRef("pk")).order_by(
        "-opened_on", "-pk"
    )
    bodies = list(
        CongressBody.objects.annotate(
            published=Coalesce(Subquery(published), 0),
            latest_session_id=Subquery(latest.values("pk")[:1]),
        )
    )
    sessions = Session.objects.select_related("congress__body").in_bulk(
        [b.latest_session_id for b in bodies if b.latest_session_id is not None]
    )
    ranks = {level: rank for rank, level in enumerate(CongressLevel.values)}

    def order(body):
        return (ranks.get(body.level, len(ranks)), body.pk)

    children: dict[int | None, list[CongressBody]] = {}
    known = {b.pk for b in bodies}
    for body in sorted(bodies, key=order):
        parent = body.parent_id if body.parent_id in known else None
        children.setdefault(parent, []).append(body)
    groups: list[list[PublicBody]] = []
    seen: set[int] = set()

    def walk(body, depth, group):
        if body.pk in seen:  # a loop of parents (only one's own is forbidden)
            return
        seen.add(body.pk)
        group.append(
            PublicBody(
                body=body,
                published=body.published,
                latest_session=sessions.get(body.latest_session_id),
                depth=depth,
            )
        )
        for child in children.get(body.pk, []):
            walk(child, depth + 1, group)

    for root in children.get(None, []):
        groups.append([])
        walk(root, 0, groups[-1])
    for body in sorted(bodies, key=order):
        if body.pk not in seen:
            groups.append([])
            walk(body, 0, groups[-1])
    return groups


def suggestion_list(*, user) -> QuerySet[Suggestion]:
    """Visible suggestions with what a list row shows, in a fixed number of queries."""
    return suggestion_listing(user=user).queryset


def replies_visible_to(user) -> QuerySet[Reply]:
    """Lead replies reach everyone who may see the suggestion; a co-unit's opinion is
    addressed to the lead unit, so only staff, leaders and the units handling the
    suggestion read it. A reply staff have not published (a new round's, until they
    publish it) is read only by those who take part in the suggestion
    (``involvement_of``); everyone else, and the public (``user`` None), reads the
    published ones. Pages, the API and the letter downloads all read through this."""
    if user is None:
        user = AnonymousUser()
    visible = Reply.objects.filter(
        assignment__suggestion__in=Suggestion.objects.visible_to(user)
    )
    if user.is_authenticated and user.is_superuser:
        return visible
    if not user.is_authenticated:
        return visible.filter(is_lead=True, is_public=True)
    lead_or_own_unit = Q(is_lead=True)
    if user.unit_id:
        lead_or_own_unit |= Q(
            assignment__suggestion__in=Assignment.objects.filter(
                unit_id=user.unit_id
            ).values("suggestion")
        )
    published_or_involved = Q(is_public=True)
    if involvement_of(user) is not False:
        published_or_involved |= Q(
            assignment__suggestion__in=Suggestion.objects.involving(user).values("pk")
        )
    theirs = lead_or_own_unit & published_or_involved
    if user.supervised_body_ids:
        # Staff and leaders read every reply of their bodies' suggestions.
        theirs |= in_bodies(user.supervised_body_ids, via="assignment__suggestion__")
    return visible.filter(theirs)


def promise_scope(user) -> QuerySet[Promise]:
    """The promises ``user`` may read: those of the suggestions the user takes part
    in (``involvement_of``: staff and leaders their bodies', a deputy their own, a
    unit those it handles or handled); none for anyone else, the public included
    (a promise is part of the handling, not of the published reply)."""
    mine = involvement_of(user)
    rows = Promise.objects.all()
    if mine is False:
        return rows.none()
    if mine is not True:
        rows = rows.filter(
            reply__assignment__suggestion__in=Suggestion.objects.filter(mine).values(
                "pk"
            )
        )
    return rows


def promise_ledger(*, user) -> QuerySet[Promise]:
    """The ledger's rows: the promises ``user`` may read, with their suggestion,
    session and unit joined, by due date (two rows or two thousand, one query)."""
    return (
        promise_scope(user)
        .select_related(
            "reply__assignment__unit",
            "reply__assignment__suggestion__session__congress__body",
        )
        .order_by("due_on", "pk")
    )


def suggestion_detail(*, user, pk) -> Suggestion:
    """One visible suggestion with its signers, assignments, replies (those the user
    may read), contacts, evaluations and timeline prefetched, marked
    ``caller_takes_part`` (``rules.may_see_contacts``). Raises
    ``Suggestion.DoesNotExist``."""
    replies = replies_visible_to(user).select_related("sent_by")
    assignments = (
        Assignment.objects.select_related("unit", "plan")
        .prefetch_related(
            "contacts",
            # Read only when a plan is filed: no query for a suggestion without.
            "plan__milestones",
            "plan__reports",
            Prefetch(
                "adjustment_requests",
                queryset=AdjustmentRequest.objects.select_related("new_unit"),
            ),
        )
        .order_by("round", "role", "pk")
    )
    return (
        suggestion_list(user=user)
        .with_involvement(user)
        .prefetch_related(
            # Apart, not joined: the row's query joins 9 tables and the scope's
            # subquery 2 more, and each table more multiplies the planner's
            # search (tests/api/test_queries.py). The first two are empty for
            # most suggestions, and then cost no query.
            "merged_into",
            "supervising_leader",
            "handling_leader",
            Prefetch(
                "cosignatures",
                queryset=CoSignature.objects.select_related("deputy__delegation"),
            ),
            Prefetch("assignments", queryset=assignments),
            Prefetch(
                "assignments__reply",
                queryset=replies,
            ),
            Prefetch(
                "evaluations",
                queryset=Evaluation.objects.select_related("deputy", "entered_by"),
            ),
            Prefetch("events", queryset=Event.objects.select_related("actor")),
            "merged_suggestions",
        )
        .get(pk=pk)
    )


def original_of(*, user, pk) -> Suggestion:
    """The suggestion ``pk`` whose scanned original (代录) ``user`` may download:
    one they see and take part in (``involvement_of``: staff and leaders of its
    body, its deputies, its units), for the scan carries the deputies'
    signatures; the public never, even once the reply is published. Raises
    ``Suggestion.DoesNotExist`` (a 404) otherwise, or when it has no scan."""
    return (
        Suggestion.objects.visible_to(user)
        .involving(user)
        .exclude(original="")
        .select_related("session__congress__body")
        .get(pk=pk)
    )


def key_supervised_q() -> Q:
    """The key supervised suggestions that count: the leader's list and cards."""
    from .models import COUNTED_STATUSES

    return Q(key_supervised=True, status__in=COUNTED_STATUSES)


# The status sets the workbench's cards count, by role and card. A card links to
# its list filtered by the same set (``workbench_card_queries``), so the number on
# the card and the rows behind it cannot disagree.
CARD_STATUSES = {
    "staff": {
        "to_review": (Status.SUBMITTED,),
        "to_assign": (Status.REGISTERED,),
    },
    "leader": {
        "key_open": OPEN_STATUSES,
        "key_closed": (Status.CLOSED,),
    },
    "deputy": {
        "drafts": (Status.DRAFT,),
        "to_rate": (Status.REPLIED,),
        "in_progress": (
            Status.SUBMITTED,
            Status.REGISTERED,
            Status.ASSIGNED,
            Status.REHANDLING,
        ),
        "closed": (Status.CLOSED,),
    },
}


def _status_counts(role: str) -> dict:
    return {
        card: Count("id", filter=Q(status__in=statuses))
        for card, statuses in CARD_STATUSES[role].items()
    }


def workbench_card_queries() -> dict[str, dict[str, str]]:
    """The query string (``status=…&status=…``) of each status card's list."""
    from urllib.parse import urlencode

    return {
        role: {
            card: urlencode({"status": [str(s) for s in statuses]}, doseq=True)
            for card, statuses in cards.items()
        }
        for role, cards in CARD_STATUSES.items()
    }


def workbench_counts(*, user, today=None) -> dict:
    """What waits for the user, per role, in one query per role."""
    today = today or timezone.localdate()
    counts = {}
    staff_bodies = None if user.is_superuser else user.staff_body_ids
    if user.is_congress_staff:
        counts["staff"] = Suggestion.objects.filter(in_bodies(staff_bodies)).aggregate(
            **_status_counts("staff"),
            overdue=Count("id", filter=Suggestion.objects.overdue_q(today)),
            escalated=Count("id", filter=Q(escalated=True)),
        )
        counts["staff"]["requests"] = AdjustmentRequest.objects.filter(
            in_bodies(staff_bodies, via="assignment__suggestion__"),
            decision=Decision.PENDING,
        ).count()
    if user.is_leader:
        counts["leader"] = Suggestion.objects.filter(
            in_bodies(user.leader_body_ids), key_supervised_q()
        ).aggregate(
            key=Count("id"),
            key_overdue=Count("id", filter=Suggestion.objects.overdue_q(today)),
            **_status_counts("leader"),
        )
    if user.unit_id:
        live = Assignment.objects.live_q()
        counts["unit"] = Assignment.objects.filter(unit_id=user.unit_id).aggregate(
            to_acknowledge=Count("id", filter=live & Q(acknowledged_at__isnull=True)),
            in_progress=Count("id", filter=live),
            due_soon=Count("id", filter=Assignment.objects.due_soon_q(today)),
            overdue=Count("id", filter=Assignment.objects.overdue_q(today)),
            opinions_awaited=Count("id", filter=live & Q(role="co")),
        )
    if user.deputy_ids:
        own = Suggestion.objects.filter(lead_deputy_id__in=user.deputy_ids)
        counts["deputy"] = own.aggregate(**_status_counts("deputy"))
        counts["deputy"]["invitations"] = pending_invitations(user.deputy_ids).count()
    return counts


def pending_invitations(deputy_ids):
    """The co-sign invitations of the deputy records ``deputy_ids`` (one person's)
    still awaiting an answer: neither signed nor declined, on a suggestion that can
    still be co-signed; newest first, with the suggestion, its session and its lead
    deputy."""
    return (
        CoSignature.objects.filter(
            deputy_id__in=deputy_ids,
            signed_at__isnull=True,
            declined_at__isnull=True,
            suggestion__status__in=workflow.ACTIONS["cosign"].allowed_from,
        )
        .select_related(
            "suggestion__session__congress__body", "suggestion__lead_deputy__delegation"
        )
        .order_by("-invited_at", "-pk")
    )


# --- staff: merge search and the queue of adjustment requests -------------------------

# The most matches the merge search answers with: enough to pick from, small to send.
SEARCH_LIMIT = 20


def merge_target_statuses() -> frozenset[str]:
    """The statuses a suggestion may be merged into (the workflow's ``absorb``)."""
    from .workflow import ACTIONS

    return ACTIONS["absorb"].allowed_from


def merge_candidates(*, user, suggestion: Suggestion) -> QuerySet[Suggestion]:
    """The visible suggestions of the same session that ``suggestion`` may join."""
    return (
        Suggestion.objects.visible_to(user)
        .filter(session_id=suggestion.session_id, status__in=merge_target_statuses())
        .exclude(pk=suggestion.pk)
    )


def suggestion_search(
    *,
    user,
    session_id: int,
    q: str = "",
    statuses=(),
    exclude: int | None = None,
    limit: int = SEARCH_LIMIT,
) -> QuerySet[Suggestion]:
    """At most ``limit`` visible suggestions of one session whose number is ``q``
    ("17", "No. 17", "第17号") or whose title contains it; numbered ones first."""

    from django.db.models import F

    rows = Suggestion.objects.visible_to(user).filter(session_id=session_id)
    if statuses:
        rows = rows.filter(status__in=statuses)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    # PostgreSQL takes no NUL in a string; no title holds one anyway.
    q = (q or "").replace("\x00", "").strip()
    if q:
        match = Q(title__icontains=q)
        number = number_in(q)
        if number is not None:
            match |= Q(number=number)
        rows = rows.filter(match)
    return rows.order_by(F("number").asc(nulls_last=True), "pk")[:limit]


def adjustment_request_list(*, user) -> QuerySet[AdjustmentRequest]:
    """Reassignment and extension requests: staff see their bodies', a unit its own. Pending
    ones first, the longest waiting at the top; then the most recently decided."""
    from django.db.models import Case, F, IntegerField, When

    rows = AdjustmentRequest.objects.select_related(
        "assignment__unit",
        "assignment__suggestion__session__congress",
        "requested_by",
        "decided_by",
        "new_unit",
    )
    rows = rows.filter(_assignments_of(user, via="assignment__", staff_only=True))
    pending = Q(decision=Decision.PENDING)
    return rows.annotate(
        pending_rank=Case(
            When(pending, then=0), default=1, output_field=IntegerField()
        ),
        pending_since=Case(When(pending, then=F("requested_at")), default=None),
    ).order_by(
        "pending_rank",
        F("pending_since").asc(nulls_last=True),
        F("decided_at").desc(nulls_last=True),
        "-pk",
    )


def handling_rules_by_congress(congress_ids) -> dict:
    """Each congress's ``HandlingRules`` in one query; a congress that has none yet
    gets the defaults (unsaved), as ``deadlines.rules_for`` does."""
    from congress.models import HandlingRules

    ids = set(congress_ids)
    found = {
        r.congress_id: r for r in HandlingRules.objects.filter(congress_id__in=ids)
    }
    return {pk: found.get(pk) or HandlingRules(congress_id=pk) for pk in ids}


def extension_limits(requests) -> dict:
    """For each request (its suggestion and session joined), the latest date its
    deadline may be extended to, in one query for all of them."""
    requests = list(requests)
    rules = handling_rules_by_congress(
        r.assignment.suggestion.session.congress_id for r in requests
    )
    limits = {}
    for r in requests:
        suggestion = r.assignment.suggestion
        first_assigned = suggestion.assigned_at or r.assignment.assigned_at
        limits[r.pk] = deadlines.extension_limit(
            rules[suggestion.session.congress_id], timezone.localdate(first_assigned)
        )
    return limits


# --- handling units: their assignments ------------------------------------------------

# The tabs of a unit's assignment list, in the order shown.
UNIT_TABS = ("pending", "open", "due-soon", "overdue", "co", "done", "all")


def _unit_tab_filters(today) -> dict[str, Q]:
    """What each tab shows: the unit's live work (``Assignment.objects.live``), the
    same that the workbench counts, the reminders chase and the services act on."""
    from .models import AssignmentRole

    live = Assignment.objects.live_q()
    return {
        "pending": live & Q(acknowledged_at__isnull=True),
        "open": live,
        "due-soon": Assignment.objects.due_soon_q(today),
        "overdue": Assignment.objects.overdue_q(today),
        "co": live & Q(role=AssignmentRole.CO),
        "done": Q(replied_at__isnull=False),
        "all": Q(),
    }


def _assignments_of(user, *, via: str = "", staff_only: bool = False) -> Q:
    """The assignments ``user`` reaches (``via``: the path from the rows read to
    their assignment): a unit member its own unit's; staff and leaders (only staff
    with ``staff_only``) those of their congress bodies' suggestions; the
    superuser every one. Nobody else any."""
    nothing = Q(pk__in=[])
    if not user.is_authenticated or not user.is_active:
        return nothing
    if user.is_superuser:
        return Q()
    reach = nothing
    bodies = user.staff_body_ids if staff_only else user.supervised_body_ids
    if bodies:
        reach |= in_bodies(bodies, via=f"{via}suggestion__")
    if user.unit_id:
        reach |= Q(**{f"{via}unit_id": user.unit_id})
    return reach


def assignment_scope(user) -> QuerySet[Assignment]:
    """The assignments ``user`` reaches (``_assignments_of``)."""
    return Assignment.objects.filter(_assignments_of(user))


def _assignments_in_reach(*, user, unit_id=None) -> QuerySet[Assignment]:
    """A unit member reaches its own unit's assignments; staff and leaders, who see
    every filed suggestion of their bodies, reach all of those (or one unit's, with
    ``unit_id``)."""
    rows = assignment_scope(user)
    if unit_id is not None and (user.is_superuser or user.supervised_body_ids):
        return rows.filter(unit_id=unit_id)
    if not user.is_superuser and not user.supervised_body_ids and user.unit_id:
        return rows.filter(unit_id=user.unit_id)
    return rows


def _unit_search(rows: QuerySet, *, q: str = "", session_id=None) -> QuerySet:
    """Assignments of one session (``session_id``) whose suggestion's number is
    ``q`` or whose title contains it (the unit list's search)."""
    if session_id is not None:
        rows = rows.filter(suggestion__session_id=session_id)
    q = (q or "").replace("\x00", "").strip()
    if q:
        number = number_in(q)
        match = Q(suggestion__title__icontains=q)
        if number is not None:
            match |= Q(suggestion__number=number)
        rows = rows.filter(match)
    return rows


def unit_assignments(
    *,
    user,
    tab: str = "open",
    unit_id: int | None = None,
    today=None,
    q: str = "",
    session_id: int | None = None,
) -> QuerySet[Assignment]:
    """The assignments of one tab (``UNIT_TABS``) that the user may reach, with all a
    list row shows joined in, so the page's query count does not grow with rows."""
    from django.db.models import Exists, OuterRef

    today = today or timezone.localdate()
    filters = _unit_tab_filters(today)
    rows = (
        _unit_search(
            _assignments_in_reach(user=user, unit_id=unit_id),
            q=q,
            session_id=session_id,
        )
        .filter(filters.get(tab, filters["open"]))
        .select_related("suggestion__session__congress__body", "unit")
        .annotate(
            has_pending_request=Exists(
                AdjustmentRequest.objects.filter(
                    assignment=OuterRef("pk"), decision=Decision.PENDING
                )
            )
        )
    )
    if tab == "done":
        return rows.order_by("-replied_at", "-pk")
    if tab == "all":
        return rows.order_by("-assigned_at", "-pk")
    return rows.order_by("due_at", "pk")


def unit_assignment_counts(
    *,
    user,
    unit_id: int | None = None,
    today=None,
    q: str = "",
    session_id: int | None = None,
) -> dict:
    """How many rows each tab of ``unit_assignments`` has, in one query."""
    today = today or timezone.localdate()
    rows = _unit_search(
        _assignments_in_reach(user=user, unit_id=unit_id), q=q, session_id=session_id
    )
    counts = rows.aggregate(
        **{
            tab.replace("-", "_"): Count("id", filter=condition)
            for tab, condition in _unit_tab_filters(today).items()
        }
    )
    return {tab: counts[tab.replace("-", "_")] for tab in UNIT_TABS}


def unit_assignment_detail(*, user, pk) -> Assignment:
    """One assignment the user may reach, with its suggestion, deputies, reply,
    contacts and adjustment requests. Raises ``Assignment.DoesNotExist``."""
    from .models import ContactRecord, ProgressReport

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Assignment.DoesNotExist from None
    return (
        _assignments_in_reach(user=user)
        .select_related(
            # The rules too, which the page's deadlines and actions weigh.
            f"suggestion__{deadlines.RULES_PATH}",
            "suggestion__category",
            "suggestion__lead_unit",
            "suggestion__lead_deputy__delegation",
            "unit",
            "reply__sent_by",
            "plan__filed_by",
        )
        .prefetch_related(
            Prefetch(
                "contacts",
                queryset=ContactRecord.objects.select_related("recorded_by"),
            ),
            # Read only when a plan is filed: no query for an assignment without.
            "plan__milestones",
            Prefetch(
                "plan__reports",
                queryset=ProgressReport.objects.select_related("reported_by"),
            ),
            Prefetch(
                "adjustment_requests",
                queryset=AdjustmentRequest.objects.select_related(
                    "new_unit", "requested_by", "decided_by"
                ),
            ),
            Prefetch(
                "suggestion__cosignatures",
                queryset=CoSignature.objects.filter(
                    signed_at__isnull=False
                ).select_related("deputy__delegation"),
            ),
            Prefetch(
                "suggestion__evaluations",
                queryset=Evaluation.objects.select_related("entered_by"),
            ),
        )
        .get(pk=pk)
    )


def assignment_letter_unit(*, user, pk) -> HandlingUnit:
    """The unit whose 交办函 ``user`` may read (``rules.may_print_assignment_letter``),
    with its body. Raises ``HandlingUnit.DoesNotExist`` for any other, so that
    another body's units stay unknown."""
    from . import rules

    unit = HandlingUnit.objects.select_related("body").filter(pk=pk).first()
    if unit is None or not rules.may_print_assignment_letter(user, unit):
        raise HandlingUnit.DoesNotExist
    return unit


def assignment_letter_rows(
    *, unit, session=None, suggestion_ids=None
) -> list[Assignment]:
    """What a 交办函 to ``unit`` lists: its live assignments (in ``session`` if
    given), or with ``suggestion_ids`` its current ones (not reassigned, of the
    suggestion's round, replied or not) for those suggestions only; ordered by
    session and number, with the suggestion, its lead deputy, its session's
    congress, body and handling rules joined (``deadlines.rules_of`` reads no more).
    The caller checks that the user may read the unit's letter."""
    from django.db.models import F

    rows = Assignment.objects.filter(unit=unit)
    if suggestion_ids is None:
        rows = rows.live()
    else:
        rows = rows.filter(
            active=True,
            round=F("suggestion__round"),
            suggestion_id__in=suggestion_ids,
        )
    if session is not None:
        rows = rows.filter(suggestion__session=session)
    return list(
        rows.select_related(
            "suggestion__lead_deputy",
            "suggestion__session__congress__body",
            f"suggestion__{deadlines.RULES_PATH}",
        ).order_by("suggestion__session__opened_on", "suggestion__number", "pk")
    )


@dataclass(frozen=True)
class EvaluationFormFacts:
    """What a 征询意见表 prints of a suggestion: its current round's units and the
    latest lead reply the reader may read (None before the first)."""

    suggestion: Suggestion
    lead_units: list
    co_units: list
    reply: Reply | None


def evaluation_form_facts(*, user, pk) -> EvaluationFormFacts:
    """The 征询意见表 of a suggestion ``user`` sees and takes part in (staff and
    leaders of its body, its deputies, its units; ``involvement_of``), with its lead
    deputy's delegation and its session's congress, body and rules joined. Raises
    ``Suggestion.DoesNotExist`` for any other (or a malformed ``pk``)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Suggestion.DoesNotExist from None
    suggestion = (
        Suggestion.objects.visible_to(user)
        .involving(user)
        .select_related(
            "lead_deputy__delegation",
            "session__congress__body",
            deadlines.RULES_PATH,
        )
        .get(pk=pk)
    )
    assignments = list(
        Assignment.objects.filter(
            suggestion=suggestion, round=suggestion.round, active=True
        )
        .select_related("unit")
        .order_by("pk")
    )
    reply = (
        replies_visible_to(user)
        .filter(assignment__suggestion=suggestion, is_lead=True)
        .order_by("-sent_at", "-pk")
        .first()
    )
    return EvaluationFormFacts(
        suggestion,
        lead_units=[a.unit for a in assignments if a.is_lead],
        co_units=[a.unit for a in assignments if not a.is_lead],
        reply=reply,
    )


def co_unit_opinions(*, assignment: Assignment) -> QuerySet[Assignment]:
    """The co-units of the lead assignment's round, each with its opinion (if sent),
    for the lead unit to read before it replies."""
    from .models import AssignmentRole

    return (
        Assignment.objects.filter(
            suggestion_id=assignment.suggestion_id,
            round=assignment.round,
            role=AssignmentRole.CO,
            active=True,
        )
        .select_related("unit", "reply")
        .order_by("pk")
    )


def earlier_lead_replies(*, assignment: Assignment) -> QuerySet[Reply]:
    """The lead replies of the rounds before this assignment's, which a unit handling
    the suggestion again needs to read with the deputy's rating."""
    return (
        Reply.objects.filter(
            assignment__suggestion_id=assignment.suggestion_id,
            is_lead=True,
            round__lt=assignment.round,
        )
        .select_related("assignment__unit")
        .order_by("round", "pk")
    )


# --- on-site evaluation (现场测评) -------------------------------------------------------


def evaluation_meetings(*, user, session_id=None) -> QuerySet[EvaluationMeeting]:
    """The evaluation meetings of the sessions of ``user``'s bodies (staff; anyone
    else none), with their session and counts of deputies, units and ratings."""
    if not user.is_authenticated or not user.is_congress_staff:
        return EvaluationMeeting.objects.none()
    rows = EvaluationMeeting.objects.select_related("session__congress__body")
    if not user.is_superuser:
        rows = rows.filter(session__congress__body_id__in=user.staff_body_ids)
    if session_id is not None:
        rows = rows.filter(session_id=session_id)
    return rows.annotate(
        n_deputies=Count("deputies", distinct=True),
        n_units=Count("units", distinct=True),
        n_ratings=Count("evaluations", distinct=True),
    ).order_by("-held_on", "-pk")


def evaluation_meeting_detail(*, user, pk) -> EvaluationMeeting:
    """One meeting of ``user``'s bodies with its deputies, units and ratings (their
    suggestions and who entered them). Raises ``EvaluationMeeting.DoesNotExist``."""
    return (
        evaluation_meetings(user=user)
        .prefetch_related(
            Prefetch("deputies", queryset=_deputies_by_name()),
            "units",
            Prefetch(
                "evaluations",
                queryset=Evaluation.objects.select_related(
                    "suggestion__session", "deputy", "entered_by"
                ).order_by("created_at", "pk"),
            ),
        )
        .get(pk=pk)
    )


def _deputies_by_name():
    from congress.models import Deputy

    return Deputy.objects.select_related("delegation").order_by("name", "pk")


def rateable_on_site(*, meeting: EvaluationMeeting) -> QuerySet[Suggestion]:
    """The suggestions that may be rated at ``meeting`` now: of its session, their
    lead deputy present, in a status the deputy's rating is taken from
    (``workflow.ACTIONS["evaluate"]``), the session not sealed: the pickers of the
    meeting's page (``actions.require_on_site_rating`` decides each)."""
    if meeting.session.sealed_at is not None:
        return Suggestion.objects.none()
    return (
        Suggestion.objects.filter(
            session_id=meeting.session_id,
            status__in=workflow.ACTIONS["evaluate"].allowed_from,
            lead_deputy__in=meeting.deputies.all(),
        )
        .select_related("lead_deputy", "lead_unit")
        .order_by("number", "pk")
    )


def form_scan_of(*, user, pk) -> Evaluation:
    """The on-site rating ``pk`` whose signed 征询意见表 ``user`` may download: of a
    suggestion they see and take part in (as the scanned original, ``original_of``:
    it carries the deputy's signature). Raises ``Evaluation.DoesNotExist``."""
    suggestions = Suggestion.objects.visible_to(user).involving(user)
    return (
        Evaluation.objects.filter(suggestion__in=suggestions)
        .exclude(form_scan="")
        .select_related("suggestion__session__congress__body")
        .get(pk=pk)
    )
