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
