"""Replica routing on a real PostgreSQL streaming replica, with read-your-writes."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.db import connections
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.middleware import COOKIE
from claims.models import Claim
from claims.routers import PrimaryReplicaRouter


def in_recovery(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]


def test_the_replica_is_a_real_standby():
    assert settings.DATABASE_REPLICAS == ["replica1"]
    assert (in_recovery("default"), in_recovery("replica1")) == (False, True)
    assert PrimaryReplicaRouter().db_for_read(Claim) == "replica1"


def test_curator_reads_own_write_and_anonymous_reads_catch_up_on_the_replica():
    claim = Claim.objects.using("default").filter(status="unreviewed").order_by("pk").first()
    assert claim is not None, "the CI script loads the seeds first"
    user, _ = User.objects.get_or_create(username=f"replica-curator-{time.time_ns()}")
    user.user_permissions.add(Permission.objects.get(codename="change_claim"))
    token = Token.objects.create(user=user)

    curator = APIClient()
    curator.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    with CaptureQueriesContext(connections["replica1"]) as on_replica:
        response = curator.patch(
            f"/api/claims/{claim.pk}/",
            {"status": "confirmed"},
            format="json",
            HTTP_IF_MATCH=f'"{claim.version}"',
        )
    assert (response.status_code, response.json()["status"]) == (200, "confirmed")
    assert len(on_replica) == 0  # a write request reads nothing from the replica
    assert COOKIE in response.cookies

    # The curator's next read carries the cookie: it is served by the primary, so the edit shows.
    with CaptureQueriesContext(connections["replica1"]) as on_replica:
        again = curator.get(f"/api/claims/{claim.pk}/")
    assert (again.json()["status"], len(on_replica)) == ("confirmed", 0)

    # Anyone else reads from the replica, which catches up within moments.
    anonymous = APIClient()
    deadline = time.monotonic() + 10
    while True:
        with CaptureQueriesContext(connections["replica1"]) as on_replica:
            seen = anonymous.get(f"/api/claims/{claim.pk}/").json()["status"]
        assert len(on_replica) >= 1
        if seen == "confirmed" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert seen == "confirmed"


def test_lists_are_served_by_the_replica():
    with (
        CaptureQueriesContext(connections["replica1"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = APIClient().get("/api/claims/", {"page_size": 5})
    assert (response.status_code, len(response.json()["results"])) == (200, 5)
    # One query on PostgreSQL: the claims with their stances (claims/api/representations.py).
    assert (len(on_replica), len(on_primary)) == (1, 0)
