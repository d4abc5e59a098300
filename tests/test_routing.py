"""Replica routing decisions and read-your-writes pinning (the real replica: tests_replica/)."""

from __future__ import annotations

import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from claims.middleware import COOKIE, ReadYourWritesMiddleware
from claims.models import Claim
from claims.routers import PrimaryReplicaRouter, pinned_to_primary

router = PrimaryReplicaRouter()


@pytest.fixture
def replicas(settings):
    settings.DATABASE_REPLICAS = ["replica1", "replica2"]
    settings.READ_YOUR_WRITES_SECONDS = 10


def test_reads_go_to_a_replica_and_writes_to_the_primary(replicas):
    assert {router.db_for_read(Claim) for _ in range(50)} == {"replica1", "replica2"}
    assert router.db_for_write(Claim) == "default"
    assert (
        router.allow_migrate("default", "claims"),
        router.allow_migrate("replica1", "claims"),
    ) == (
        True,
        False,
    )


def test_without_replicas_everything_uses_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    assert router.db_for_read(Claim) == "default"


def test_pinned_request_reads_from_the_primary(replicas):
    token = pinned_to_primary.set(True)
    try:
        assert router.db_for_read(Claim) == "default"
    finally:
        pinned_to_primary.reset(token)


def _seen_by_view(request):
    seen = {}

    def view(req):
        seen["pinned"] = pinned_to_primary.get()
        return HttpResponse(status=200)

    response = ReadYourWritesMiddleware(view)(request)
    return seen["pinned"], response


def test_a_write_is_pinned_and_leaves_a_short_cookie(replicas):
    pinned, response = _seen_by_view(RequestFactory().patch("/api/claims/1/"))
    assert pinned is True
    cookie = response.cookies[COOKIE]
    assert (cookie["max-age"], cookie["httponly"]) == (10, True)
    assert 0 < float(cookie.value) - time.time() <= 10.001  # the value is rounded to ms


def test_reads_after_a_write_stay_on_the_primary_until_the_cookie_expires(replicas):
    request = RequestFactory().get("/api/claims/1/")
    request.COOKIES[COOKIE] = f"{time.time() + 5:.0f}"
    assert _seen_by_view(request)[0] is True
    request.COOKIES[COOKIE] = f"{time.time() - 1:.0f}"
    assert _seen_by_view(request)[0] is False
    request.COOKIES[COOKIE] = "not-a-time"
    assert _seen_by_view(request)[0] is False


def test_the_admin_always_reads_from_the_primary(replicas):
    assert _seen_by_view(RequestFactory().get("/admin/claims/claim/"))[0] is True
    assert _seen_by_view(RequestFactory().get("/api/claims/"))[0] is False
