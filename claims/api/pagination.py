"""Page-number pagination with a validated, capped ``page_size``."""

from __future__ import annotations

from django.conf import settings
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError({"page_size": ["Give a whole number."]}) from None
        if size < 1:
            raise ValidationError({"page_size": ["Must be at least 1."]})
        return min(size, self.max_page_size)
