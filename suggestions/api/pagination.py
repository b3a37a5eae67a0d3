"""The one pagination of every API list: ``{count, next, previous, results}`` with
``?page=`` and ``?page_size=`` (at most 200, API.md)."""

from rest_framework import pagination

from ..pagination import DeferredJoinPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    # The page's rows are picked by primary key first: as fast deep as on page 1.
    django_paginator_class = DeferredJoinPaginator
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
