"""Read-your-writes: after a curator's write, their reads go to the primary for a while."""

from __future__ import annotations

import time

from django.conf import settings

from claims.routers import pinned_to_primary

COOKIE = "claims_primary_until"
_SAFE = {"GET", "HEAD", "OPTIONS", "TRACE"}


class ReadYourWritesMiddleware:
    """Pin a request to the primary database when a replica could show stale data.

    Writes and the admin always use the primary; after a successful write the client gets
    a short-lived cookie so its next reads do too, until replication has caught up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        writing = request.method not in _SAFE
        token = pinned_to_primary.set(
            writing or request.path.startswith("/admin/") or self._recent_writer(request)
        )
        try:
            response = self.get_response(request)
        finally:
            pinned_to_primary.reset(token)
        if writing and response.status_code < 400 and settings.READ_YOUR_WRITES_SECONDS:
            until = time.time() + settings.READ_YOUR_WRITES_SECONDS
            response.set_cookie(
                COOKIE,
                f"{until:.3f}",
                max_age=settings.READ_YOUR_WRITES_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    @staticmethod
    def _recent_writer(request) -> bool:
        try:
            return float(request.COOKIES.get(COOKIE, "0")) > time.time()
        except ValueError:
            return False
