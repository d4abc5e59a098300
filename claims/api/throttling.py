"""Request rates: per client address for anonymous clients, per user for the others.

The counters live in Django's default cache (``DJANGO_CACHE_URL``). With the default
in-process cache each gunicorn worker counts on its own, so a client may get up to
workers × the rate; a shared cache (file or Redis) makes the limit exact.
"""

from __future__ import annotations

from rest_framework import throttling
from rest_framework.settings import api_settings


class LiveRatesMixin:
    """Read the rates when a request comes, not when DRF is imported.

    DRF copies ``DEFAULT_THROTTLE_RATES`` into a class attribute at import time, so a settings
    override (a test lowering the rates) would otherwise never reach the throttles.
    """

    @property
    def THROTTLE_RATES(self) -> dict:
        return api_settings.DEFAULT_THROTTLE_RATES


class AnonRateThrottle(LiveRatesMixin, throttling.AnonRateThrottle):
    """Anonymous clients, by address (``REMOTE_ADDR``, or ``X-Forwarded-For`` per NUM_PROXIES)."""


class UserRateThrottle(LiveRatesMixin, throttling.UserRateThrottle):
    """Authenticated clients (token or session), by user."""


class FailedAuthenticationThrottle(LiveRatesMixin, throttling.SimpleRateThrottle):
    """Failed token authentications per client address (``API_THROTTLE_AUTH_FAILURES``).

    Unlike the request throttles it counts only failures, recorded after the fact, and is
    asked before the token is looked up (``claims.api.authentication``).
    """

    scope = "auth_failure"

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def _history(self, request) -> tuple[str, list[float]]:
        key = self.get_cache_key(request)
        now = self.timer()
        history = [t for t in self.cache.get(key, []) if t > now - self.duration]
        return key, history

    def blocked_for(self, request) -> float | None:
        """Seconds until this address may try a token again, or None if it may now."""
        self.key, self.history = self._history(request)
        self.now = self.timer()
        if len(self.history) < self.num_requests:
            return None
        return self.wait()

    def record_failure(self, request) -> None:
        key, history = self._history(request)
        history.insert(0, self.timer())
        self.cache.set(key, history, self.duration)
