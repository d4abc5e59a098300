"""``/healthz`` for load balancers: can this process reach its database? Nothing more."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """200 ``{"status": "ok"}`` or 503 ``{"status": "unavailable"}``.

    A plain Django view, outside DRF: no throttle, no authentication, no session. The
    reason for a failure goes to the log only: versions, hosts and error text stay private.
    """
    try:
        # The primary: writes go there, and reads fall back to it.
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        # Probes come every few seconds: one line each, no traceback.
        logger.warning("Health check: the database is unreachable: %s", exc)
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
