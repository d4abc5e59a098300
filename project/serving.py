"""What the web server (gunicorn, ``gunicorn.conf.py``) does besides serving Django.

- ``check_or_exit``: before any worker starts, the settings load and every database
  answers; if not, one line naming the variable, and the server does not start (it used to
  start and answer 500, or print four tracebacks for a missing secret key).
- ``json_error_pages``: what gunicorn itself refuses (a request line over its limit, too
  many headers) is answered in JSON like every API error, not with gunicorn's HTML page.
"""

from __future__ import annotations

import json
import os
import sys


class StartupError(Exception):
    """The server cannot start; the message is one line for the operator."""


def check_startup() -> None:
    """Load the settings and reach each database; ``StartupError`` says what is wrong."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise StartupError(f"Configuration error: {exc}") from None
    from django.conf import settings
    from django.db import DatabaseError, connections

    for alias in connections:
        variable = "DATABASE_URL" if alias == "default" else "DATABASE_REPLICA_URLS"
        try:
            connections[alias].ensure_connection()
        except DatabaseError as exc:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            where = _describe(settings.DATABASES[alias])
            raise StartupError(
                f"Configuration error: {variable}: the database {where} does not answer: {reason}"
            ) from None
        finally:
            connections[alias].close()  # the workers are forked from here: no shared socket


def _describe(config: dict) -> str:
    """Where a database is, without its password: ``user@host:5432/name`` or the file."""
    if config["ENGINE"].endswith("sqlite3"):
        return str(config["NAME"])
    user = f"{config['USER']}@" if config.get("USER") else ""
    host, port = config.get("HOST") or "localhost", config.get("PORT") or 5432
    return f"{user}{host}:{port}/{config['NAME']}"


def check_or_exit() -> None:
    try:
        check_startup()
    except StartupError as exc:
        sys.stderr.write(f"{exc}\n")
        sys.stderr.flush()
        sys.exit(1)


def _json_error(sock, status_int: int, reason: str, mesg: str) -> None:
    if status_int == 414:
        mesg = (
            f"{mesg}. Shorten the URL: filter values are short (q takes at most 200 characters), "
            "and several values of one filter may be given comma-separated."
        )
    body = json.dumps({"detail": f"{reason}: {mesg}" if mesg else reason}).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode("latin-1")
    from gunicorn import util

    util.write_nonblock(sock, head + body)


def json_error_pages() -> None:
    """gunicorn's own error answers in JSON (it has no hook for them: its writer is swapped)."""
    from gunicorn import util

    util.write_error = _json_error
