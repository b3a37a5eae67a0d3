"""The API's lists page by the deferred join (``suggestions.pagination``): the page's
rows are picked by primary key first, as fast deep as on page 1, and counted as the
list's count plan says. ``count_exact`` is false only for a text search (``?q=``) on
PostgreSQL with more matches than ``SEARCH_COUNT_LIMIT``: ``count`` is then that
limit, and the pages hold the newest that many matches (suggestions.search)."""

from common.api import pagination

from ..pagination import CountPlan, DeferredJoinPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    def make_paginator(
        self, queryset, page_size: int, *, count_plan: CountPlan | None = None
    ) -> DeferredJoinPaginator:
        """``count_plan``: how the list is counted (a plain ``COUNT(*)`` without)."""
        return DeferredJoinPaginator(queryset, page_size, count_plan=count_plan)
