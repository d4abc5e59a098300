"""Database helpers: batch commands, and recovery of prepared statements after a migration."""

from __future__ import annotations

from django.db import NotSupportedError, connection


def lift_statement_timeout() -> None:
    """Batch work may run long: remove the web requests' statement timeout (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")


# What PostgreSQL says when a statement prepared on this connection selects a column whose
# type another connection (a migration) has changed since.
_STALE_PLAN = "cached plan must not change result type"


def replan_stale_statements(execute, sql, params, many, context):
    """Run a query again once its prepared statements are dropped, if a migration made
    them stale: otherwise the connection, kept for CONN_MAX_AGE, fails every time.

    Only outside a transaction: inside one, the error has aborted it, and its rollback
    drops the statements (psycopg forgets them too)."""
    try:
        return execute(sql, params, many, context)
    except NotSupportedError as exc:
        wrapper = context["connection"]
        if _STALE_PLAN not in str(exc) or wrapper.in_atomic_block:
            raise
        # psycopg forgets its own prepared statements when it sees DEALLOCATE ALL.
        wrapper.connection.execute("DEALLOCATE ALL")
        return execute(sql, params, many, context)


def install_replanning(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: every PostgreSQL connection recovers."""
    if connection.vendor == "postgresql" and replan_stale_statements not in (
        connection.execute_wrappers
    ):
        connection.execute_wrappers.append(replan_stale_statements)


# psycopg parses a query's placeholders again on every run when the query is longer than
# this (4096 by default, for ORM INSERTs of many rows that rarely repeat): the claims list,
# 4.4 KB of SQL that writes each claim's JSON, was re-parsed on every request (a tenth of a
# millisecond, ~3% of a page). Its shapes repeat, so they are cached as short ones are.
LONGEST_CACHED_STATEMENT = 16384


def cache_long_statements() -> None:
    try:
        from psycopg import _queries
    except ImportError:  # no psycopg: SQLite only
        return
    if getattr(_queries, "MAX_CACHED_STATEMENT_LENGTH", None) is not None:
        _queries.MAX_CACHED_STATEMENT_LENGTH = max(
            _queries.MAX_CACHED_STATEMENT_LENGTH, LONGEST_CACHED_STATEMENT
        )
