"""psycopg parses a statement longer than its limit (4,096 bytes) again on every run; the
claims list's, whose JSON is written in SQL, is longer, so the app raises the limit."""

from __future__ import annotations

import pytest
from django.db import connection
from psycopg import _queries

from claims import selectors
from claims.api.representations import unfilled_rows
from claims.db import LONGEST_CACHED_STATEMENT


@pytest.mark.django_db
def test_the_claims_list_query_is_short_enough_for_psycopgs_cache():
    assert _queries.MAX_CACHED_STATEMENT_LENGTH == LONGEST_CACHED_STATEMENT == 16384
    query = unfilled_rows(selectors.claim_list(), "id").query
    sql, _params = query.get_compiler(connection.alias).as_sql()
    assert len(sql) < LONGEST_CACHED_STATEMENT
    if connection.vendor == "postgresql":  # the claims' JSON is written in the query
        assert len(sql) > 4096
