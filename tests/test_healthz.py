"""/healthz: database reachable or not, and nothing else about the service."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import OperationalError, connections
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_when_the_database_answers():
    response = Client().get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_healthz_is_503_without_the_reason_when_the_database_is_down(monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise OperationalError(
            'connection to server at "db.internal" (10.0.0.7), port 5432 failed: '
            "FATAL: PostgreSQL 16.4 password authentication failed"
        )

    monkeypatch.setattr(connections["default"], "cursor", refuse)

    response = Client().get("/healthz")

    assert (response.status_code, response.content) == (503, b'{"status": "unavailable"}')
    # The reason is for the operator's log only.
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "claims.health",
            "WARNING",
            'Health check: the database is unreachable: connection to server at "db.internal" '
            "(10.0.0.7), port 5432 failed: FATAL: PostgreSQL 16.4 password authentication failed",
        ),
        ("django.request", "ERROR", "Service Unavailable: /healthz"),
    ]


def test_healthz_sets_no_cookie_and_opens_no_session():
    client = Client()

    response = client.get("/healthz")

    assert dict(response.cookies) == {}
    assert "Vary" not in response
    assert dict(client.cookies) == {}


def test_healthz_is_not_throttled(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/min", "user": "1/min"},
    }
    client = Client()

    api = [client.get("/api/topics/").status_code for _ in range(2)]
    health = [client.get("/healthz").status_code for _ in range(5)]
    cache.clear()

    assert (api, health) == ([200, 429], [200] * 5)


def test_healthz_is_for_reading_only():
    response = Client().post("/healthz")

    assert (response.status_code, response.content) == (405, b"")
    assert response["Allow"] == "GET, HEAD"


def test_healthz_head_has_the_status_and_no_body():
    response = Client().head("/healthz")

    assert (response.status_code, response.content) == (200, b"")


def test_healthz_is_exempt_from_the_https_redirect(settings):
    # Load balancers probe over plain HTTP.
    settings.SECURE_SSL_REDIRECT = True
    client = Client()

    health = client.get("/healthz")
    api = client.get("/api/topics/")

    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert (api.status_code, api["Location"]) == (301, "https://testserver/api/topics/")


def test_healthz_answers_only_to_allowed_hosts(settings):
    # A balancer that sends its target's IP as Host must have that IP in DJANGO_ALLOWED_HOSTS.
    settings.ALLOWED_HOSTS = ["claims.example"]
    client = Client()

    by_name = client.get("/healthz", HTTP_HOST="claims.example")
    by_ip = client.get("/healthz", HTTP_HOST="10.0.0.5")

    assert (by_name.status_code, by_ip.status_code) == (200, 400)


# --- the database going away while serving ------------------------------------------------


@pytest.mark.parametrize(
    ("path", "content_type", "body"),
    [
        (
            "/api/claims/",
            "application/json",
            b'{"detail": "The database is unavailable. Try again in a few seconds."}',
        ),
        (
            "/api/speakers/",
            "application/json",
            b'{"detail": "The database is unavailable. Try again in a few seconds."}',
        ),
        (
            "/admin/",
            "text/plain; charset=utf-8",
            b"The database is unavailable. Try again in a few seconds.",
        ),
    ],
)
def test_a_database_gone_away_is_503_with_retry_after_never_500(
    monkeypatch, path, content_type, body
):
    # /healthz said 503 while /api/claims/ answered 500.
    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    client = Client(raise_request_exception=False)
    # A signed-in curator: the session itself is read from the database.
    client.force_login(User.objects.create_superuser("admin", password="pw-123-admin"))
    monkeypatch.setattr(connections["default"], "cursor", refuse)

    response = client.get(path)

    assert (response.status_code, response["Content-Type"], response.content) == (
        503,
        content_type,
        body,
    )
    assert response["Retry-After"] == "5"
