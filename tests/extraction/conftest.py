"""Extraction tests run without a database: the reference data is read from fixtures/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.extraction import Gazetteer, KnownSpeaker, TopicSpec

ROOT = Path(__file__).resolve().parents[2]


def reference_gazetteer() -> Gazetteer:
    speakers = json.loads((ROOT / "fixtures" / "speakers.json").read_text(encoding="utf-8"))
    return Gazetteer(
        [
            KnownSpeaker(
                key=s["slug"],
                name=s["name"],
                kind=s["kind"],
                gender=s["gender"],
                role=s["role"],
                aliases=tuple((a["name"], a["kind"]) for a in s["aliases"]),
            )
            for s in speakers
        ]
    )


def reference_topics() -> list[TopicSpec]:
    topics = json.loads((ROOT / "fixtures" / "topics.json").read_text(encoding="utf-8"))
    return [
        TopicSpec(
            key=t["slug"],
            keywords=tuple(t["keywords"]),
            favor=tuple(t["stance_cues"]["favor"]),
            against=tuple(t["stance_cues"]["against"]),
        )
        for t in topics
    ]


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return reference_gazetteer()


@pytest.fixture(scope="session")
def topics() -> list[TopicSpec]:
    return reference_topics()
