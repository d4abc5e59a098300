"""Extraction tests run without a database: the reference data is read from fixtures/."""

from __future__ import annotations

import pytest

from claims.extraction import Gazetteer, TopicSpec
from claims.services import reference


def reference_gazetteer() -> Gazetteer:
    return Gazetteer(reference.reference_speakers())


def reference_topics() -> list[TopicSpec]:
    return reference.reference_topics()


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return reference_gazetteer()


@pytest.fixture(scope="session")
def topics() -> list[TopicSpec]:
    return reference_topics()
