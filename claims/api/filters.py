"""The API's filter backend: django-filter, plus a 400 for query parameters nobody reads."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class StrictFilterBackend(DjangoFilterBackend):
    """A misspelt filter (``?speakr=x``) is an error, never a silently unfiltered list."""

    def filter_queryset(self, request, queryset, view):
        self.refuse_unknown_parameters(request, queryset, view)
        return super().filter_queryset(request, queryset, view)

    def refuse_unknown_parameters(self, request, queryset, view) -> None:
        filterset_class = self.get_filterset_class(view, queryset)
        # Besides the filters: format negotiation, and whatever the view's paginator reads.
        allowed = {"format"} | set(getattr(view.paginator, "query_params", ()))
        if filterset_class is not None:
            allowed |= set(filterset_class.base_filters)
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ValidationError(
                {
                    name: [f"Unknown query parameter. Known: {', '.join(sorted(allowed))}."]
                    for name in unknown
                }
            )
