"""Pagination: page numbers for small lists; keyset cursors for claims, which grow large."""

from __future__ import annotations

from django.conf import settings
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from claims.models import PUBLISHED_SORT

COUNT_CAP = 10_000


def _page_size(request, param: str, default: int, maximum: int) -> int:
    raw = request.query_params.get(param)
    if raw is None:
        return default
    try:
        size = int(raw)
    except ValueError:
        raise ValidationError({param: ["Give a whole number."]}) from None
    if size < 1:
        raise ValidationError({param: ["Must be at least 1."]})
    return min(size, maximum)


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE
    query_params = frozenset({"page", "page_size"})

    def get_page_size(self, request):
        return _page_size(request, self.page_size_query_param, self.page_size, self.max_page_size)


class ClaimCursorPagination(pagination.CursorPagination):
    """Keyset pagination: page 200 costs what page 1 does; no count unless asked for.

    ``?ordering=`` picks the key (id by default, -id for newest first); ``?count=true`` adds a count,
    capped at 10,000 so a broad filter never counts a million rows.
    """

    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE
    query_params = frozenset({"cursor", "page_size", "count"})
    # ordering parameter -> keyset columns; ties on the first are settled by the id
    orderings = {
        None: ("id",),
        "-id": ("-id",),
        "id": ("id",),
        "-created": ("-created_at", "-id"),
        "created": ("created_at", "id"),
        "-confidence": ("-confidence", "-id"),
        "confidence": ("confidence", "id"),
        "-published": ("-published_sort", "-id"),
        "published": ("published_sort", "id"),
        "-start": ("-start", "-id"),
        "start": ("start", "id"),
    }

    def get_page_size(self, request):
        return _page_size(request, self.page_size_query_param, self.page_size, self.max_page_size)

    def get_ordering(self, request, queryset, view):
        return self.orderings.get(request.query_params.get("ordering"), self.orderings[None])

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get("count")
        if raw not in (None, "true", "false"):
            raise ValidationError({"count": ["Use true or false."]})
        # An undated article sorts last by date, not as a null the cursor cannot hold.
        queryset = queryset.annotate(published_sort=PUBLISHED_SORT)
        self.count = None
        if raw == "true":
            self.count = queryset.order_by()[: COUNT_CAP + 1].count()
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        body = {"next": self.get_next_link(), "previous": self.get_previous_link()}
        if self.count is not None:
            body["count"] = min(self.count, COUNT_CAP)
            body["count_capped"] = self.count > COUNT_CAP
        body["results"] = data
        return Response(body)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"] = {"type": "integer", "description": "With ?count=true."}
        response["properties"]["count_capped"] = {"type": "boolean"}
        return response
