"""API errors: always JSON; a query cut off by the statement timeout, or a database that
went away, is a 503, never a 500."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
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
        detail = "Bad request."
        if isinstance(exception, TooManyFieldsSent):
            limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            detail = f"Too many parameters: at most {limit:,} in the query string or the body."
        return JsonResponse({"detail": detail}, status=status.HTTP_400_BAD_REQUEST)
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


def server_error(request):
    # Django calls this inside its ``except``: the exception is the one being handled.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable(request)
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {"detail": "Server error."}, status=status.HTTP_500_INTERNAL_SERVER_ERROR
        )
    return defaults.server_error(request)


UNAVAILABLE = "The database is unavailable. Try again in a few seconds."


def database_unavailable(request):
    """503 with Retry-After: the database stopped answering (a restart, a failover)."""
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"detail": UNAVAILABLE}, status=503)
    else:
        response = HttpResponse(UNAVAILABLE, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "5"
    return response
