"""The claims list's compiled queries (claims/api/compiled.py) answer what the plain
queryset path answers, for random filter combinations, orderings and pages."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection

from claims.api import compiled
from tests.factories import ClaimFactory, SourceFactory, SpeakerFactory, StanceFactory, TopicFactory

TEXT = (
    "« Les hôpitaux manquent de moyens », a dit A. « Nous voterons contre », a dit B. "
    "« Le budget sera tenu », a dit C. « Rien ne change pour les écoles », a dit D."
)
QUOTES = [
    "Les hôpitaux manquent de moyens",
    "Nous voterons contre",
    "Le budget sera tenu",
    "Rien ne change pour les écoles",
]
ORDERINGS = [None, "id", "-id", "published", "-published", "confidence", "-confidence"]
ORDERINGS += ["created", "-created", "start", "-start"]


@pytest.fixture
def corpus(db):
    rng = random.Random(7)
    speakers = [SpeakerFactory(name=f"Personne Hôpital{n}") for n in range(4)]
    topics = [TopicFactory() for _ in range(3)]
    sources = []
    for n in range(6):
        # Two undated, and dates shared by several claims: ties the cursor's offset settles.
        published = None if n < 2 else dt.date(2020, 1 + n % 2, 1)
        precision = "" if published is None else "day"
        sources.append(SourceFactory(text=TEXT, published=published, published_precision=precision))
    for source in sources:
        for quote in QUOTES:
            speaker = rng.choice([*speakers, None])
            claim = ClaimFactory(
                source=source,
                speaker=speaker,
                quote=quote,
                status=rng.choice(["unreviewed", "confirmed", "rejected"]),
                kind=rng.choice(["direct", "indirect"]),
                confidence=rng.choice([0.25, 0.5, 0.9, 1.0]),
            )
            for topic in rng.sample(topics, rng.randint(0, 2)):
                StanceFactory(
                    claim=claim,
                    topic=topic,
                    stance=rng.choice(["favor", "against", "neutral"]),
                    contradicts_history=rng.random() < 0.2,
                )
    return {"speakers": speakers, "topics": topics, "sources": sources}


def _params(rng: random.Random, corpus: dict) -> dict:
    choices = {
        "speaker": lambda: [s.slug for s in rng.sample(corpus["speakers"], rng.randint(1, 2))],
        "speaker_id": lambda: [str(s.pk) for s in rng.sample(corpus["speakers"], 2)],
        "speaker_name": lambda: rng.choice(["hopital1", "Personne", "zzz"]),
        "source": lambda: [rng.choice(corpus["sources"]).key],
        "source_id": lambda: [str(s.pk) for s in rng.sample(corpus["sources"], 3)],
        "topic": lambda: [t.slug for t in rng.sample(corpus["topics"], rng.randint(1, 2))],
        "topic_id": lambda: [str(rng.choice(corpus["topics"]).pk)],
        "stance": lambda: rng.sample(["favor", "against", "neutral", "favor"], rng.randint(1, 3)),
        "status": lambda: rng.sample(["unreviewed", "confirmed", "rejected"], rng.randint(1, 3)),
        "kind": lambda: rng.choice(["direct", "indirect"]),
        "published_after": lambda: rng.choice(["2019-06-01", "2020-01-15"]),
        "published_before": lambda: rng.choice(["2020-01-31", "2021-01-01"]),
        "min_confidence": lambda: rng.choice(["0", "0.5", "0.9", "1"]),
        "needs_speaker": lambda: rng.choice(["true", "false"]),
        "contradicts_history": lambda: rng.choice(["true", "false"]),
        "q": lambda: rng.choice(["hôpitaux", "budget", "   ", "écoles moyens"]),
    }
    params = {name: make() for name, make in rng.sample(sorted(choices.items()), rng.randint(0, 4))}
    ordering = rng.choice(ORDERINGS)
    if ordering:
        params["ordering"] = ordering
    params["page_size"] = str(rng.choice([1, 2, 5, 50]))
    return params


def _pages(client, params: dict) -> list[bytes]:
    """The first pages and one step back, as bytes."""
    bodies = []
    response = client.get("/api/claims/", params)
    for _ in range(3):
        assert response.status_code == 200, response.content
        bodies.append(response.content)
        following = response.json()["next"]
        if following is None:
            break
        response = client.get(following)
    previous = response.json()["previous"]
    if previous:
        bodies.append(client.get(previous).content)
    return bodies


def test_compiled_pages_equal_plain_pages_for_random_filters(api_client, corpus, monkeypatch):
    rng = random.Random(20261203)
    compiled._compiled.clear()
    for _ in range(120):
        params = _params(rng, corpus)
        monkeypatch.setattr(compiled, "ENABLED", False)
        plain = _pages(api_client, params)
        monkeypatch.setattr(compiled, "ENABLED", True)
        assert _pages(api_client, params) == plain, params
    if connection.vendor != "postgresql":
        assert compiled._compiled == {}  # SQLite keeps the plain path
        return
    assert len(compiled._compiled) > 60  # distinct shapes seen
    for key, query in compiled._compiled.items():
        shape = dict(key[2])
        # The plain path only for the folded speaker_name; every other shape compiles.
        assert (query is None) == ("speaker_name" in shape), key


def test_a_shape_compiles_once_and_binds_each_request_values(api_client, corpus):
    compiled._compiled.clear()
    first, second = corpus["speakers"][:2]
    for speaker in (first, second, first):
        response = api_client.get("/api/claims/", {"speaker": speaker.slug, "stance": "against"})
        expected = sorted(
            c.pk for c in speaker.claims.all() if c.stances.filter(stance="against").exists()
        )
        assert expected
        assert [r["id"] for r in response.json()["results"]] == expected
    # One shape, compiled once on PostgreSQL; SQLite keeps the plain path.
    assert len(compiled._compiled) == (1 if connection.vendor == "postgresql" else 0)


def test_compiled_speaker_pages_equal_plain_pages_for_random_filters(api_client, db, monkeypatch):
    rng = random.Random(3)
    for n in range(12):
        speaker = SpeakerFactory(
            name=f"Personne Numéro{n % 5} {n}",
            country=rng.choice(["FR", "TR", ""]),
            kind=rng.choice(["person", "organization"]),
            needs_review=rng.random() < 0.4,
        )
        for _ in range(rng.randint(0, 3)):
            ClaimFactory(speaker=speaker)
    compiled._compiled.clear()
    choices = {
        "q": lambda: rng.choice(["numero1", "Personne", "  ", "zzz"]),
        "country": lambda: rng.choice(["fr", "TR"]),
        "kind": lambda: rng.choice(["person", "organization"]),
        "needs_review": lambda: rng.choice(["true", "false"]),
        "ordering": lambda: rng.choice(
            ["name", "-name", "claim_count", "-claim_count", "-created"]
        ),
        "page_size": lambda: str(rng.choice([1, 3, 50])),
        "page": lambda: rng.choice(["1", "2"]),
    }
    for _ in range(80):
        params = {
            name: make() for name, make in rng.sample(sorted(choices.items()), rng.randint(0, 4))
        }
        monkeypatch.setattr(compiled, "ENABLED", False)
        plain = api_client.get("/api/speakers/", params)
        monkeypatch.setattr(compiled, "ENABLED", True)
        response = api_client.get("/api/speakers/", params)
        assert (response.status_code, response.content) == (plain.status_code, plain.content), (
            params
        )
    if connection.vendor != "postgresql":
        assert compiled._compiled == {}  # SQLite keeps the plain path
        return
    assert len(compiled._compiled) > 20
    for key, query in compiled._compiled.items():
        shape = dict(key[3])
        # The plain path only where a filter rewrites its value: q's prefix match (a blank q
        # is no filter), country's capitals.
        refused = shape.get("q") == "str" or "country" in shape
        assert (query is None) == refused, key
