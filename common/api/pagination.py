"""The envelope of every API list: ``{count, count_exact, next, previous, results}``
with ``?page=`` and ``?page_size=`` (at most 200, docs/api.md).

``count_exact`` is false when the paginator counted only up to a cap (a text search
with very many matches): ``count`` is then the cap. A list may hand its paginator
options (``paginate_queryset(..., **options)``); ``make_paginator`` receives them."""

from django.core.paginator import Paginator
from rest_framework import pagination
from rest_framework.response import Response


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
    _options: dict = {}

    def paginate_queryset(self, queryset, request, view=None, **options):
        self._options = options
        return super().paginate_queryset(queryset, request, view)

    def make_paginator(self, queryset, page_size: int, **options) -> Paginator:
        """The Django paginator of this list; a subclass picks its own."""
        return Paginator(queryset, page_size, **options)

    def django_paginator_class(self, queryset, page_size):
        return self.make_paginator(queryset, page_size, **self._options)

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_exact": getattr(paginator, "count_exact", True),
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
