"""Small helpers shared by the API tests."""

from __future__ import annotations


def result_values(response, field: str) -> list:
    """One field of every result of a successful list response, in order."""
    assert response.status_code == 200, response.content
    return [item[field] for item in response.json()["results"]]
