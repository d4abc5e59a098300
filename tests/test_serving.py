"""How the API is served: orjson, the statement timeout and its 503, static files."""

from __future__ import annotations

import subprocess
import sys
from os import environ
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from rest_framework.test import APIRequestFactory

from claims.api.exceptions import exception_handler
from claims.db import lift_statement_timeout

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]


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
    # Right after the security middleware, as whitenoise asks.
    security = settings.MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
    assert settings.MIDDLEWARE[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert settings.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedStaticFilesStorage"
    )


def test_api_processes_never_import_extraction_or_spacy(tmp_path):
    """An API worker stays small: serving the lists loads no spaCy, models or name data.

    (The rule modules of claims.extraction are pure Python and small; services import them.)
    """
    script = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "project.settings"
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
import project.wsgi  # what gunicorn imports
from django.test import Client
client = Client()
for path in ("/api/claims/", "/api/speakers/", "/api/sources/", "/api/topics/",
             "/api/claims/?q=missile", "/api/schema/", "/healthz"):
    assert client.get(path, HTTP_HOST="127.0.0.1").status_code == 200, path
print(sorted(m for m in sys.modules
             if m.split(".")[0] in ("spacy", "thinc", "gender_guesser", "fr_core_news_md")))
"""
    env = {
        **environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'api.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "[]"
