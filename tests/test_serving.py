"""How the API is served: orjson, the statement timeout and its 503, static files."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from rest_framework.test import APIRequestFactory

from claims.api.exceptions import exception_handler
from claims.db import lift_statement_timeout

pytestmark = pytest.mark.django_db


def test_api_renders_json_with_orjson(api_client):
    response = api_client.get("/api/topics/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert type(response.accepted_renderer).__name__ == "ORJSONRenderer"
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_statement_timeout_becomes_a_503_that_says_why():
    request = APIRequestFactory().get("/api/claims/")
    error = OperationalError("canceling statement due to statement timeout")
    response = exception_handler(error, {"request": request})
    assert (response.status_code, response["Retry-After"]) == (503, "5")
    assert response.data == {
        "detail": "The query took too long. Narrow the filters or use a smaller page."
    }


def test_other_database_errors_are_not_disguised():
    assert exception_handler(OperationalError("disk I/O error"), {}) is None


def test_statement_timeout_on_postgresql_and_lifted_for_batch_work():
    if connection.vendor != "postgresql":
        # SQLite has no statement timeout: nothing is configured for it.
        assert "options" not in settings.DATABASES["default"].get("OPTIONS", {})
        lift_statement_timeout()  # a no-op there
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == f"{settings.DATABASE_STATEMENT_TIMEOUT_MS // 1000}s"
        lift_statement_timeout()
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


def test_static_files_are_served_by_whitenoise():
    assert settings.MIDDLEWARE[1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert settings.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedStaticFilesStorage"
    )
