"""Reference data: the one reader of ``fixtures/`` (speakers, topics), for the loader, the
evaluation command and the tests, and its installation into the database."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from claims.choices import SpeakerKind, SpeakerOrigin
from claims.extraction import KnownSpeaker, TopicSpec
from claims.extraction.evaluate import load_gold_topics
from claims.extraction.normalize import fold
from claims.models import Alias, Speaker, Topic
from claims.services.protection import speaker_is_protected
from claims.services.speakers import alias_add
from claims.services.writes import retrying

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


@dataclass
class ReferenceReport:
    speakers_created: int = 0
    aliases_created: int = 0
    topics_created: int = 0
    skipped_aliases: list[str] = field(default_factory=list)


def _read(directory: Path, name: str) -> list[dict]:
    """The one reader of a reference file (``speakers.json``, ``topics.json``)."""
    return json.loads((directory / name).read_text(encoding="utf-8"))


def reference_speakers(*, directory: Path = FIXTURES_DIR) -> list[KnownSpeaker]:
    """The reference speakers of ``fixtures/speakers.json`` as the extractor knows them
    (for scoring on an empty database); nothing is written."""
    items = _read(directory, "speakers.json")
    return [
        KnownSpeaker(
            key=s["slug"],
            name=s["name"],
            kind=s["kind"],
            gender=s.get("gender", ""),
            role=s.get("role", ""),
            aliases=tuple((a["name"], a["kind"]) for a in s.get("aliases", [])),
        )
        for s in items
    ]


def reference_topics(*, directory: Path = FIXTURES_DIR) -> list[TopicSpec]:
    """The reference topics of ``fixtures/topics.json`` as the extractor takes them."""
    return load_gold_topics(directory / "topics.json") or []


def reference_install(*, directory: Path = FIXTURES_DIR) -> ReferenceReport:
    """Install the reference speakers and topics that are missing; never touch existing rows.

    Two loaders starting together both find them missing: the slower one's inserts fail
    on the unique slugs, and its rerun finds everything installed.
    """
    return retrying(lambda: _reference_install(directory))


@transaction.atomic
def _reference_install(directory: Path) -> ReferenceReport:
    report = ReferenceReport()
    speakers = _read(directory, "speakers.json")
    topics = _read(directory, "topics.json")
    existing_speakers = {s.slug: s for s in Speaker.objects.all()}
    taken_aliases = set(Alias.objects.values_list("normalized", flat=True))
    for item in speakers:
        current = existing_speakers.get(item["slug"])
        if current is not None:
            # New reference aliases are added (nothing is overwritten), unless a curator
            # has taken charge of this speaker.
            if not speaker_is_protected(current):
                for alias in item.get("aliases", []):
                    if fold(alias["name"]) in taken_aliases:
                        continue
                    if alias_add(
                        speaker=current, name=alias["name"], kind=alias.get("kind", "name")
                    ):
                        report.aliases_created += 1
            continue
        speaker = Speaker(
            name=item["name"],
            slug=item["slug"],
            kind=item.get("kind", SpeakerKind.PERSON),
            gender=item.get("gender", ""),
            role=item.get("role", ""),
            country=item.get("country", ""),
            wikidata_id=item.get("wikidata_id", ""),
            origin=SpeakerOrigin.REFERENCE,
        )
        # Unique keys are the database's to check: another loader may commit the same row
        # between any check here and the insert (see reference_install).
        speaker.full_clean(validate_unique=False, validate_constraints=False)
        speaker.save()
        report.speakers_created += 1
        for alias in item.get("aliases", []):
            if alias_add(speaker=speaker, name=alias["name"], kind=alias.get("kind", "name")):
                report.aliases_created += 1
            else:
                report.skipped_aliases.append(alias["name"])
    existing_topics = set(Topic.objects.values_list("slug", flat=True))
    for item in topics:
        if item["slug"] in existing_topics:
            continue
        topic = Topic(
            slug=item["slug"],
            name=item["name"],
            description=item.get("description", ""),
            keywords=item.get("keywords", []),
            stance_cues=item.get("stance_cues", {}),
        )
        topic.full_clean(validate_unique=False, validate_constraints=False)
        topic.save()
        report.topics_created += 1
    return report
