"""The public shape of a claim and of a stance, declared once.

The serializers (the documented schema), the rows the selectors read, the JSON Python
writes from them and the JSON PostgreSQL writes in the claims query all follow these
tables: adding a field to the API is one line here (and its serializer field when DRF
cannot infer it). ``tests/api/test_claims.py`` holds the three writers to the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Member:
    """One JSON member, read from one row column (an ORM lookup)."""

    key: str
    column: str = ""
    kind: str = "value"  # value | float | date | datetime | url
    url: str = ""  # for kind "url": whose detail URL ("claim", "speaker", "source")

    @property
    def lookup(self) -> str:
        return self.column or self.key


@dataclass(frozen=True)
class Nested:
    """A JSON object inside the claim; null when ``null_when``'s column is."""

    key: str
    members: tuple[Member, ...]
    null_when: str = ""


@dataclass(frozen=True)
class Stances:
    """The claim's stances: a list in STANCE_SHAPE, ordered by topic slug."""

    key: str = "stances"


STANCE_SHAPE: tuple[Member, ...] = (
    Member("topic", "topic__slug"),
    Member("stance"),
    Member("confidence", kind="float"),
    Member("method"),
    Member("model_version"),
    Member("suggestion"),
    Member("evidence"),
    Member("contradicts_history"),
)

SPEAKER_REF: tuple[Member, ...] = (
    Member("slug", "speaker__slug"),
    Member("name", "speaker__name"),
    Member("url", "speaker__slug", kind="url", url="speaker"),
)

SOURCE_REF: tuple[Member, ...] = (
    Member("key", "source__key"),
    Member("title", "source__title"),
    Member("outlet", "source__outlet"),
    Member("published", "source__published", kind="date"),
    Member("published_precision", "source__published_precision"),
    Member("url", "source__key", kind="url", url="source"),
    Member("article_url", "source__url"),
)

CLAIM_SHAPE: tuple[Member | Nested | Stances, ...] = (
    Member("id"),
    Member("url", "id", kind="url", url="claim"),
    Member("text"),
    Member("kind"),
    Nested("speaker", SPEAKER_REF, null_when="speaker__slug"),
    Nested("source", SOURCE_REF),
    Stances(),
    Member("start"),
    Member("end"),
    Member("cue"),
    Member("context"),
    Member("status"),
    Member("confidence", kind="float"),
    Member("method"),
    Member("extractor_version"),
    Member("created_at", kind="datetime"),
    Member("updated_at", kind="datetime"),
    Member("version"),
)


def keys(shape) -> list[str]:
    """The top-level JSON keys, in order: a serializer's ``Meta.fields``."""
    return [part.key for part in shape]


def row_columns(shape) -> tuple[str, ...]:
    """Every column the JSON is written from, each once, in order."""
    columns: list[str] = []
    for part in shape:
        members = part.members if isinstance(part, Nested) else (part,)
        if isinstance(part, Stances):
            continue
        for member in members:
            if member.lookup not in columns:
                columns.append(member.lookup)
    return tuple(columns)
