"""Pages that cost the same at any depth: the "deferred join" (issue 6).

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

The count stays a ``COUNT(*)`` of the same filtered query, so a page costs the same two
queries as Django's own paginator. A text search on PostgreSQL (``search.py``) is
counted only up to its limit (``search.count_matches``): with more matches, ``count``
is the limit, ``count_exact`` is false, and the pages walk the list's ordered index
testing each row with the cheap exact condition alone. What a deputy or a unit sees
is counted as published plus own unpublished: the published ones from the
per-session counts that triggers keep (``PublishedCount``) when the list has no
filter or only its session's, otherwise from an index; the own ones by key.

A page past the middle is read from the other end in the reverse order: the index
walks at most half the rows, and the last page costs what the first does.
"""

from django.core.paginator import Paginator
from django.db.models import F, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.db.models.sql.where import WhereNode
from django.utils.functional import cached_property

from .models import PUBLISHED, PublishedCount, Suggestion
from .search import count_matches, without_index_match


class DeferredJoinPaginator(Paginator):
    def __init__(self, object_list, per_page, *args, count: int | None = None, **kw):
        """``count``: the number of rows when the caller has counted them already
        (a unit's tab, counted with the others in one query), saving the count."""
        super().__init__(object_list, per_page, *args, **kw)
        if count is not None:
            self.__dict__["count"] = count
            self._count_exact = True

    @cached_property
    def count(self):
        search = _text_search(self.object_list)
        if search is None:
            self._count_exact = True
            span = _published_filters(self.object_list)
            if span is not None:
                # Published ones only (the public list), perhaps filtered further.
                start, end = span
                rows = self.object_list.order_by()
                where = rows.query.where
                where.children = where.children[:start] + where.children[end:]
                return published_count(rows, PUBLISHED)
            parts = _visibility_parts(self.object_list)
            if parts is None:
                return super().count
            # What a deputy or a unit sees: every published suggestion (from the
            # kept counts, or the partial index sugg_published_idx alone) plus
            # their own unpublished ones (their keys against sugg_unpublished_idx).
            published, mine, at = parts
            rows = _without_filter(self.object_list.order_by(), at)
            return (
                published_count(rows, published)
                + rows.exclude(published).filter(mine).count()
            )
        limit = search.count_limit
        found = count_matches(self.object_list, search)
        self._count_exact = found <= limit
        return min(found, limit)

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
        search = _text_search(rows)
        if search is not None and not self.count_exact:
            # Many matches: walk the list's ordered index and test each row with
            # the exact condition, not the costly index function.
            keys = without_index_match(keys, search)
        elif search is not None:
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


def _text_search(rows):
    if not isinstance(rows, QuerySet):
        return None
    return getattr(rows.query, "text_search", None)


def published_count(rows: QuerySet, published) -> int:
    """``rows.filter(published).count()``: read from the per-session counts when
    ``published`` is ``PUBLISHED`` and ``rows`` is every suggestion, or those of one
    session; counted from the rows otherwise."""
    query = rows.query
    plain = (
        published == PUBLISHED
        and query.model is Suggestion
        and not (query.where.negated or query.distinct or query.is_sliced)
        and query.combinator is None
    )
    children = query.where.children
    if plain and not children:
        return PublishedCount.objects.aggregate(n=Sum("n"))["n"] or 0
    if plain and len(children) == 1:
        session = _session_of(children[0])
        if session is not None:
            kept = PublishedCount.objects.filter(session_id=session)
            return kept.values_list("n", flat=True).first() or 0
    return rows.filter(published).count()


def _session_of(node) -> int | None:
    """The session id of a ``session=<id>`` filter, else None."""
    if not isinstance(node, Exact) or not isinstance(node.rhs, int):
        return None
    target = getattr(node.lhs, "target", None)
    if target is None or target != Suggestion._meta.get_field("session"):
        return None
    return node.rhs


def _published_filters(rows) -> tuple[int, int] | None:
    """Where ``Suggestion.objects.published()`` put its filters among those of
    ``rows`` (start, end), else None."""
    if not isinstance(rows, QuerySet) or rows.query.combinator is not None:
        return None
    where = rows.query.where
    if where.connector != "AND" or where.negated:
        return None
    return getattr(rows.query, "published_filters", None)


def _visibility_parts(rows):
    if not isinstance(rows, QuerySet) or rows.query.combinator is not None:
        return None
    return getattr(rows.query, "visibility_parts", None)


def _without_filter(rows: QuerySet, at: int) -> QuerySet:
    """``rows`` without its ``at``-th filter when that is an OR (the visibility
    scope, which each half of the count states more narrowly)."""
    rows = rows.all()
    where = rows.query.where
    children = where.children
    if (
        where.connector == "AND"
        and not where.negated
        and at < len(children)
        and getattr(children[at], "connector", None) == "OR"
    ):
        where.children = children[:at] + children[at + 1 :]
    return rows


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
