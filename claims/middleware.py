"""Middleware: read-your-writes (a curator's reads go to the primary after a write), the
request body limit, and the Content-Security-Policy header built once."""

from __future__ import annotations

import functools
import time

from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import JsonResponse

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


class RequestBodyLimitMiddleware:
    """A request whose body is over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413, unread.

    DRF parses a JSON body straight from the stream, past Django's own check: a 300 MB
    PATCH from a signed-in client was read and parsed in full (a worker at 660 MB).
    Django reads no body without a Content-Length, so the header is the whole question.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            return JsonResponse(
                {"detail": f"Content-Length {raw[:40]!r} is not a number of bytes."}, status=400
            )
        if limit is not None and length > limit:
            return JsonResponse(
                {
                    "detail": f"The request body is {length:,} bytes; at most {limit:,} are "
                    "accepted (DJANGO_MAX_BODY_BYTES)."
                },
                status=413,
            )
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp, the header built once for the responses that change nothing in it.

    django-csp builds the policy anew for every response (a tenth of a claims page's Python
    time): no page here uses a nonce or a per-view policy, so the header is the same each
    time. A response that asks for anything else, a report-only or excluded-prefix policy,
    or a debug error page, goes through django-csp unchanged.
    """

    _PER_RESPONSE = (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_exempt",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
        "_csp_exempt_ro",
    )

    def process_response(self, request, response):
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        plain = (
            getattr(request, "_csp_nonce", None) is None
            and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            and not policy.get("EXCLUDE_URL_PREFIXES")
            and not (settings.DEBUG and response.status_code in (404, 500))
            and not any(hasattr(response, name) for name in self._PER_RESPONSE)
        )
        if not plain:
            return super().process_response(request, response)
        if CSP_HEADER not in response:
            response[CSP_HEADER] = _policy(repr(policy))
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


@functools.lru_cache(maxsize=8)
def _policy(settings_repr: str) -> str:
    # Keyed by the setting as written: a test that overrides it gets its own header.
    return build_policy()
