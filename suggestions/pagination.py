"""Pages that cost the same at any depth: the "deferred join" (issue 6).

``OFFSET 99975 LIMIT 25`` over the full rows makes the database build and throw away
every skipped row with its joins. Instead the page's primary keys are chosen first, in
the list's order, by a subquery that an index can answer alone (an index-only scan of
the ordering's index), and only those 25 rows are then read with their related
objects, in the same single query::

    SELECT ... FROM suggestion JOIN ... WHERE <filters> AND id IN (
        SELECT id FROM suggestion WHERE <filters> ORDER BY ... LIMIT 25 OFFSET n
    ) ORDER BY ...

The count stays a ``COUNT(*)`` of the same filtered query, so a page costs the same two
queries as Django's own paginator.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet


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
        return rows.filter(pk__in=rows.values("pk")[bottom:top])
