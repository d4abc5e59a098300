"""Environment helpers that fail loudly, naming the variable (healthchecks style)."""

import os
import re

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean: ``env_bool("DJANGO_DEBUG", False)`` accepts 1/0, true/false, yes/no, on/off."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of 1, 0, true, false, yes, no, on, off."
    )


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list: ``a.example, b.example`` -> ["a.example", "b.example"]."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} is set but lists nothing; give comma-separated values.")
    return items


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    """Read an integer no smaller than ``minimum``."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def masked_url(url: str) -> str:
    """``url`` with its password replaced: ``postgres://u:***@h/db``. Errors print URLs."""
    return re.sub(r"(//[^/:@]*:)[^/]*@", r"\1***@", url)


def env_database(name: str, default: str, value: str | None = None) -> dict:
    """Parse a database URL (postgres://…, sqlite:///…) with dj-database-url.

    ``value`` is the URL when it does not come straight from the variable ``name``
    (an item of a list variable); errors still name the variable.
    """
    import dj_database_url

    raw = value if value is not None else os.environ.get(name, default)
    if not raw.strip():
        # An empty value quietly meant the SQLite default, also in production.
        raise ImproperlyConfigured(
            f"{name} is set but empty; give a database URL (postgres://user@host:5432/db), "
            "or unset it for the local SQLite file."
        )
    shown = masked_url(raw)
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError) as exc:
        reason = str(exc).replace(raw, shown)
        raise ImproperlyConfigured(
            f"{name}={shown!r} is not a usable database URL: {reason}"
        ) from None
    engine = config.get("ENGINE", "")
    if engine not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise ImproperlyConfigured(
            f"{name}={shown!r}: only PostgreSQL (postgres://) and SQLite (sqlite:///) are supported."
        )
    if engine.endswith("sqlite3"):
        # A long-lived connection to SQLite buys nothing and keeps the file locked.
        config["CONN_MAX_AGE"] = 0
        # WAL lets the API read while the loader writes; NORMAL sync is durable across
        # application crashes and spares an fsync per article's transaction.
        config.setdefault("OPTIONS", {})["init_command"] = (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        )
        config["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    return config
