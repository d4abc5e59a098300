"""Against a real primary and its streaming replica (set up by .ci/run): no test database.

Writes must really commit, or the replica never sees them, so these tests run outside
pytest-django's per-test transactions, on a throwaway database made for them.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def django_db_setup():
    """Use the databases as configured: .ci/run made and migrated them."""


@pytest.fixture(autouse=True)
def real_database(django_db_blocker):
    with django_db_blocker.unblock():
        yield
