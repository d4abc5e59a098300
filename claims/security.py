"""The client's address, the same for the API throttles and the admin login lockout."""

from __future__ import annotations

from rest_framework.throttling import BaseThrottle


def client_ip(request) -> str:
    # DRF's reading: REMOTE_ADDR, or X-Forwarded-For as far back as API_NUM_PROXIES trusts.
    return BaseThrottle().get_ident(request)
