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
queries as Django's own paginator.
"""

from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.db.models.sql.where import WhereNode


class DeferredJoinPaginator(Paginator):
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
        if getattr(rows.query, "sort_matches", False):
            # A text search (search.py): order by expressions that no index
            # provides, so that PostgreSQL sorts the index's matches instead.
            keys = keys.order_by(*_unindexed(rows.query.order_by))
        keys = keys[bottom:top]
        page = rows.all()
        if page.query.combinator is None and _single_valued_joins(page.query):
            page.query.where = WhereNode()
        return page.filter(pk__in=keys)


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
