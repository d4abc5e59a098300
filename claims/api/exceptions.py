"""API errors: a query cut off by the statement timeout is a 503 that says so, not a 500."""

from __future__ import annotations

from django.db import OperationalError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None and isinstance(exc, OperationalError) and "statement timeout" in str(exc):
        return Response(
            {"detail": "The query took too long. Narrow the filters or use a smaller page."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    return response
