"""The one pagination of every API list: ``{count, count_exact, next, previous,
results}`` with ``?page=`` and ``?page_size=`` (at most 200, docs/api.md).

``count_exact`` is false only for a text search (``?q=``) on PostgreSQL with more
matches than ``SEARCH_COUNT_LIMIT``: ``count`` is then that limit, and the pages hold
the newest that many matches (suggestions.search)."""

from rest_framework import pagination
from rest_framework.response import Response

from ..pagination import CountPlan, DeferredJoinPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
    _count_plan: CountPlan | None = None

    def paginate_queryset(self, queryset, request, view=None, *, count_plan=None):
        """``count_plan``: how the list is counted (``pagination.CountPlan``; a
        plain ``COUNT(*)`` without it), for the paginator this makes."""
        self._count_plan = count_plan
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, queryset, page_size):
        """The page's rows are picked by primary key first: as fast deep as on
        page 1 (``pagination.DeferredJoinPaginator``)."""
        return DeferredJoinPaginator(queryset, page_size, count_plan=self._count_plan)

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_exact": paginator.count_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "count_exact", "results"]
        response["properties"]["count_exact"] = {
            "type": "boolean",
            "example": True,
            "description": "False when a text search found more than `count` "
            "matches: only the newest `count` are listed.",
        }
        return response
