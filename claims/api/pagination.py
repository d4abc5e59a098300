"""Pagination: page numbers for small lists; keyset cursors for claims, which grow large."""

from __future__ import annotations

import base64
import binascii
import functools
from urllib import parse

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from claims.models import PUBLISHED_SORT
from claims.orderings import CLAIM_ORDERINGS

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


def _documented(parameters: list[dict], *, at_least_one: tuple, empty: tuple) -> list[dict]:
    """DRF's parameters, with what they accept: page sizes and numbers from 1; an empty page
    number or cursor is the first page, as DRF reads them."""
    for parameter in parameters:
        if parameter["name"] in at_least_one:
            parameter["schema"] = {**parameter["schema"], "minimum": 1}
        if parameter["name"] in empty:
            parameter["allowEmptyValue"] = True
    return parameters


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE
    query_params = frozenset({"page", "page_size"})

    def get_page_size(self, request):
        return _page_size(request, self.page_size_query_param, self.page_size, self.max_page_size)

    def get_page_number(self, request, paginator):
        # A page that is not a number is a bad parameter (400); a page past the last one is
        # a page that does not exist (404, from DRF).
        number = super().get_page_number(request, paginator)
        try:
            number = int(number)
        except ValueError:
            raise ValidationError({self.page_query_param: ["Give a whole number."]}) from None
        if number < 1:
            raise ValidationError({self.page_query_param: ["Must be at least 1."]})
        return number

    def get_schema_operation_parameters(self, view):
        return _documented(
            super().get_schema_operation_parameters(view),
            at_least_one=(self.page_query_param, self.page_size_query_param),
            empty=(self.page_query_param,),
        )


class ClaimCursorPagination(pagination.CursorPagination):
    """Keyset pagination: page 200 costs what page 1 does; no count unless asked for.

    ``?ordering=`` picks the key (id by default, -id for newest first); ``?count=true`` adds a count,
    capped at 10,000 so a broad filter never counts a million rows.
    """

    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE
    query_params = frozenset({"cursor", "page_size", "count"})
    orderings = CLAIM_ORDERINGS

    def get_page_size(self, request):
        return _page_size(request, self.page_size_query_param, self.page_size, self.max_page_size)

    def get_ordering(self, request, queryset, view):
        return self.orderings.get(request.query_params.get("ordering"), self.orderings[None])

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get("count")
        if raw not in (None, "true", "false"):
            raise ValidationError({"count": ["Use true or false."]})
        # An undated article sorts last by date, not as a null the cursor cannot hold.
        queryset = queryset.annotate(**SORT_ANNOTATIONS)
        key = self.get_ordering(request, queryset, view)[0].lstrip("-")
        self._key_field = sort_key_field(queryset.model, key)
        self.count = None
        if raw == "true":
            self.count = queryset.order_by()[: COUNT_CAP + 1].count()
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        # A cursor is the client's to send back: one that does not decode, or whose position
        # is no value of the sort key (a cursor made for another ordering, or by hand), is a
        # bad parameter, not a missing page nor a failed query.
        invalid = ValidationError({self.cursor_query_param: ["Invalid cursor."]})
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded == "":
            return None  # documented: an empty cursor is the first page
        if encoded is not None and not _well_formed_cursor(encoded):
            raise invalid
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise invalid from None
        if cursor is not None and cursor.position is not None:
            try:
                self._key_field.get_prep_value(self._key_field.to_python(cursor.position))
            except (DjangoValidationError, TypeError, ValueError):
                raise invalid from None
        return cursor

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

    def get_schema_operation_parameters(self, view):
        parameters = _documented(
            super().get_schema_operation_parameters(view),
            at_least_one=(self.page_size_query_param,),
            empty=(self.cursor_query_param,),
        )
        count = {
            "name": "count",
            "required": False,
            "in": "query",
            "description": f"true adds count (capped at {COUNT_CAP:,}) and count_capped.",
            "schema": {"type": "boolean"},
        }
        return [*parameters, count]


_CURSOR_TOKENS = frozenset({"o", "r", "p"})


def _well_formed_cursor(encoded: str) -> bool:
    """Whether ``encoded`` is a cursor as DRF writes one: strict base64 of a query string of
    ``o`` (offset), ``r`` (reverse, always 1) and ``p`` (position), each at most once.

    DRF's own reading skips bad base64 characters and reads a query string of none of its
    keys as the first page: ``!!!`` or ``Zm9v`` ("foo") answered the first page.
    """
    try:
        decoded = base64.b64decode(encoded.encode("ascii"), validate=True).decode("ascii")
        tokens = parse.parse_qs(decoded, keep_blank_values=True, strict_parsing=True)
    except (UnicodeError, binascii.Error, ValueError):
        return False
    if not tokens or not set(tokens) <= _CURSOR_TOKENS:
        return False
    if any(len(values) != 1 for values in tokens.values()):
        return False
    return tokens.get("r", ["1"]) == ["1"]


# What the cursor sorts on besides columns: an undated article's claims sort last by date.
SORT_ANNOTATIONS = {"published_sort": PUBLISHED_SORT}


@functools.cache
def sort_key_field(model, name: str):
    """The model field, or the sort annotation's output field, that sort key ``name`` is."""
    if name in SORT_ANNOTATIONS:
        annotated = model._default_manager.annotate(**{name: SORT_ANNOTATIONS[name]})
        return annotated.query.annotations[name].output_field
    return model._meta.get_field(name)
