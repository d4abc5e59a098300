"""Prepared statements (PostgreSQL) survive a migration that changes a column's type."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection

from tests.factories import ClaimFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
    ),
]


def _other_connection(sql: str) -> None:
    """As `migrate` would, from its own process."""
    params = connection.get_connection_params()
    with psycopg.connect(
        host=params["host"],
        port=params.get("port", 5432),
        user=params["user"],
        password=params.get("password"),
        dbname=connection.settings_dict["NAME"],
        autocommit=True,
    ) as other:
        other.execute(sql)


def test_reads_after_another_connection_changes_a_selected_column_type(api_client):
    claim = ClaimFactory()
    for _ in range(6):  # the fifth run prepares the detail's statement
        assert api_client.get(f"/api/claims/{claim.pk}/").status_code == 200
    _other_connection("ALTER TABLE claims_speaker ALTER COLUMN slug TYPE varchar(300)")
    try:
        api_client.raise_request_exception = False
        answers = [api_client.get(f"/api/claims/{claim.pk}/") for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert answers[0].json()["speaker"]["slug"] == claim.speaker.slug
    finally:
        _other_connection("ALTER TABLE claims_speaker ALTER COLUMN slug TYPE varchar(200)")
