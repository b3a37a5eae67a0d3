"""The one pagination of every API list: ``{count, next, previous, results}`` with
``?page=`` and ``?page_size=`` (at most 200, API.md)."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
