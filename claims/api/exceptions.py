"""API errors: always JSON, and a query cut off by the statement timeout is a 503, not a 500."""

from __future__ import annotations

from django.db import OperationalError
from django.http import JsonResponse
from django.views import defaults
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

API_PREFIX = "/api/"


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None and isinstance(exc, OperationalError) and "statement timeout" in str(exc):
        return Response(
            {"detail": "The query took too long. Narrow the filters or use a smaller page."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    return response


# Django's own error pages, for what never reaches a DRF view (a path no route matches, a
# crash outside the views): JSON under /api/, as DRF answers, and Django's pages elsewhere.
def bad_request(request, exception):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Bad request."}, status=status.HTTP_400_BAD_REQUEST)
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {"detail": "Server error."}, status=status.HTTP_500_INTERNAL_SERVER_ERROR
        )
    return defaults.server_error(request)
