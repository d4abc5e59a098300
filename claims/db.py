"""Database helpers for batch commands."""

from __future__ import annotations

from django.db import connection


def lift_statement_timeout() -> None:
    """Batch work may run long: remove the web requests' statement timeout (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
