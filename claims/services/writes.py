"""How the loader writes: the reason its history rows carry, and transactions run again
when they lost a race with another loader."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.db import DatabaseError, IntegrityError, models, transaction

from claims.models import EditConflict

# What the history says of the loader's changes (curators' carry their user). The rows an
# article creates are not recorded: their created_at and extractor_version say as much,
# and one more insert per row made the loader 5% slower. Their first change records the
# state before it (services.history).
LOADER_REASON = "load_seeds"
# Attempts at one transaction that lost a race with another loader (see ``retrying``).
WRITE_ATTEMPTS = 4

_T = TypeVar("_T")
_M = TypeVar("_M", bound=models.Model)


def by_loader(obj: _M) -> _M:
    obj._change_reason = LOADER_REASON  # read by simple-history when it records the save
    return obj


def lost_race(exc: Exception) -> bool:
    """A write that collided with another writer's; running it again will see their rows."""
    if isinstance(exc, EditConflict):
        return True  # a curator saved a claim while we were extracting; rerun will keep it
    if isinstance(exc, IntegrityError):
        return True  # a unique key another loader committed while we were writing
    if getattr(exc.__cause__, "sqlstate", None) in ("40001", "40P01"):
        return True  # PostgreSQL: serialization failure, deadlock
    return "database is locked" in str(exc)  # SQLite: the other writer outlasted the timeout


def retrying(write: Callable[[], _T]) -> _T:
    """Run ``write`` (one transaction), again when it lost a race with another loader.

    Inside an outer transaction a failed write spoils it, so there is nothing to retry.
    """
    attempts = 1 if transaction.get_connection().in_atomic_block else WRITE_ATTEMPTS
    for attempt in range(1, attempts):
        try:
            return write()
        except (DatabaseError, EditConflict) as exc:
            if not lost_race(exc):
                raise
            time.sleep(0.05 * attempt)  # let a deadlocked peer finish first
    return write()
