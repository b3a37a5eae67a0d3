"""Pages that cost the same at any depth: the "deferred join", counted by the list's
explicit plan.

``OFFSET 99975 LIMIT 25`` over the full rows makes the database build and throw away
every skipped row with its joins. Instead the page's primary keys are chosen first, in
the list's order, by a subquery that an index can answer alone (an index-only scan of
the ordering's index), and only those 25 rows are then read with their related
objects, in the same single query::

    SELECT ... FROM suggestion JOIN ... WHERE id IN (
        SELECT id FROM suggestion WHERE <filters> ORDER BY ... LIMIT 25 OFFSET n
    ) ORDER BY ...

The outer query drops the filters (the chosen keys already satisfy them; evaluating
an expensive one, like the text search, again for the page would cost as much as the
search) unless it joins a multi-valued relation, whose rows the filters select.

How the list is counted is the caller's to say, with a ``CountPlan`` given to the
paginator next to the rows (``selectors.SuggestionList.count_plan`` builds the
suggestion lists' plans); the paginator only dispatches on it:

- ``ExactCount`` (the default): a ``COUNT(*)`` of the rows, so a page costs the same
  two queries as Django's own paginator.
- ``PublishedOnly``: the published ones among ``filtered`` (the list's rows before
  its published condition): read from the per-session counts that triggers keep
  (``PublishedCount``) when the plan says the rows are every suggestion, one
  body's or one session's (``KeptCounts``), otherwise counted through the partial index of the
  published ones.
- ``PublishedAndOwn`` (what a deputy or a unit sees): those published ones counted
  the same way, plus ``filtered``'s unpublished ones that are the user's ``own``,
  by key. An OR of the two could only be counted row by row.
- ``SearchCount``: a text search on PostgreSQL (``search.py``), counted only up to
  its limit (``search.count_matches``) over ``unsearched``, the list without the
  search: with more matches, ``count`` is the limit, ``count_exact`` is false, and
  the pages walk the list's ordered index testing each row with the search's cheap
  exact condition alone.

A page past the middle is read from the other end in the reverse order: the index
walks at most half the rows, and the last page costs what the first does.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.db.models.sql.where import WhereNode
from django.utils.functional import cached_property

from .models import PUBLISHED, PublishedCount
from .search import TextSearch, count_matches


@dataclass(frozen=True)
class ExactCount:
    """``COUNT(*)`` of the list's rows."""


@dataclass(frozen=True)
class KeptCounts:
    """The rows are every suggestion (``session`` None) or those of one session,
    of the congress bodies ``bodies`` (None: any): their published ones are
    counted by the triggers already."""

    session: int | None = None
    bodies: frozenset[int] | None = None


EVERY_SESSION = KeptCounts()


@dataclass(frozen=True)
class PublishedOnly:
    """The published ones among ``filtered``."""

    filtered: QuerySet  # the list's rows before its published condition
    kept: KeptCounts | None = None  # read the kept counts instead of the rows


@dataclass(frozen=True)
class PublishedAndOwn:
    """The published ones among ``filtered`` plus the unpublished ``own`` ones among
    ``own_in`` (``filtered`` when not given: the same rows without a condition that
    the user's own rows meet already, such as their bodies)."""

    filtered: QuerySet  # the list's rows before its condition ``PUBLISHED | own``
    own: Q
    kept: KeptCounts | None = None  # read the kept counts for the published ones
    own_in: QuerySet | None = None


@dataclass(frozen=True)
class SearchCount:
    """The matches of ``search`` among ``unsearched``, up to its count limit."""

    unsearched: QuerySet  # the list's rows, in its order, before the search's filter
    search: TextSearch


CountPlan = ExactCount | PublishedOnly | PublishedAndOwn | SearchCount


class DeferredJoinPaginator(Paginator):
    def __init__(
        self,
        object_list,
        per_page,
        *args,
        count: int | None = None,
        count_plan: CountPlan | None = None,
        **kw,
    ):
        """``count_plan``: how to count ``object_list`` (``ExactCount`` if not
        given). ``count``: the number of rows when the caller has counted them
        already (a unit's tab, counted with the others in one query)."""
        super().__init__(object_list, per_page, *args, **kw)
        self.count_plan = ExactCount() if count_plan is None else count_plan
        if count is not None:
            # Counted already; a search's count is still paged as its own plan
            # would page it (``_capped``).
            self.__dict__["count"] = self._capped(count)

    @cached_property
    def count(self):
        plan = self.count_plan
        if isinstance(plan, SearchCount):
            return self._capped(count_matches(plan.unsearched, plan.search))
        self._count_exact = True
        if isinstance(plan, PublishedOnly):
            return published_count(plan.filtered, plan.kept)
        if isinstance(plan, PublishedAndOwn):
            # Every published one (kept counts, or the partial index
            # sugg_published_idx alone) plus the user's own unpublished ones (their
            # keys against sugg_unpublished_idx).
            rows = plan.filtered if plan.own_in is None else plan.own_in
            own = rows.order_by().filter(~PUBLISHED & plan.own)
            return published_count(plan.filtered, plan.kept) + own.count()
        return super().count

    def _capped(self, found: int) -> int:
        """``found`` rows as the count: a search's capped at its count limit
        (``count_exact`` false past it), any other's as it is."""
        self._count_exact = True
        if isinstance(self.count_plan, SearchCount):
            limit = self.count_plan.search.count_limit
            self._count_exact = found <= limit
            return min(found, limit)
        return found

    @property
    def count_exact(self) -> bool:
        """Whether ``count`` counts every row (false: there are more)."""
        self.count  # noqa: B018 (computes it)
        return self._count_exact

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.slice(bottom, top), number, self)

    def slice(self, bottom: int, top: int):
        rows = self.object_list
        if not isinstance(rows, QuerySet) or not rows.ordered:
            return rows[bottom:top]
        if top <= bottom:
            return rows.none()
        keys = rows.values("pk")
        plan = self.count_plan
        if isinstance(plan, SearchCount) and not self.count_exact:
            # Many matches: walk the list's ordered index and test each row with
            # the exact condition, not the costly index function.
            keys = plan.unsearched.filter(plan.search.exact).values("pk")
        elif isinstance(plan, SearchCount):
            # Few matches: order by expressions that no index provides, so that
            # PostgreSQL sorts the index's matches instead.
            keys = keys.order_by(*_unindexed(rows.query.order_by))
        elif bottom > self.count // 2:
            # Past the middle, count from the other end in the reverse order: the
            # last page costs what the first does (the order ends with the key, so
            # it is total and reverses exactly).
            keys = keys.reverse()
            bottom, top = self.count - top, self.count - bottom
        keys = keys[bottom:top]
        page = rows.all()
        if page.query.combinator is None and _single_valued_joins(page.query):
            page.query.where = WhereNode()
        return page.filter(pk__in=keys)


def published_count(rows: QuerySet, kept: KeptCounts | None = None) -> int:
    """``rows.filter(PUBLISHED).count()``: read from the per-session counts when
    ``kept`` says ``rows`` are every suggestion, one body's or one session's, counted
    from the rows otherwise."""
    if kept is None:
        return rows.order_by().filter(PUBLISHED).count()
    counted = PublishedCount.objects.all()
    if kept.bodies is not None:
        counted = counted.filter(session__congress__body_id__in=kept.bodies)
    if kept.session is None:
        return counted.aggregate(n=Sum("n"))["n"] or 0
    counted = counted.filter(session_id=kept.session)
    return counted.values_list("n", flat=True).first() or 0


def _single_valued_joins(query) -> bool:
    """Whether every join of ``query`` follows a foreign key forward (so that, with
    the filters gone, each row still appears once)."""
    for join in query.alias_map.values():
        field = getattr(join, "join_field", None)
        if field is None:  # the base table
            continue
        if getattr(field, "many_to_many", False) or getattr(
            field, "one_to_many", False
        ):
            return False
    return True


def _unindexed(ordering):
    """The same order, as expressions that no index matches (``COALESCE(x, x)``)."""
    terms = []
    for term in ordering:
        if isinstance(term, str):
            descending = term.startswith("-")
            name = term.lstrip("-")
            expression = Coalesce(F(name), F(name))
            terms.append(expression.desc() if descending else expression.asc())
        else:
            terms.append(term)
    return terms
