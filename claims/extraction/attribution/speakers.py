"""Who can be a speaker, and how one is named: the reference data's speakers (the
gazetteer), a mention of someone in an article, and the speaker a cue names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claims.extraction.normalize import fold, fold_keeping_a_grave

__all__ = ["Cue", "Gazetteer", "KnownSpeaker", "Mention", "SpeakerRef"]

_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class KnownSpeaker:
    """A speaker from the database, as the extractor needs it."""

    key: str
    name: str
    kind: str = "person"
    gender: str = ""
    role: str = ""
    aliases: tuple[tuple[str, str], ...] = ()  # (alias, "name" | "role")


@dataclass(frozen=True)
class SpeakerRef:
    """The speaker of a claim: a known ``key``, or ``key=None`` for a new person."""

    key: str | None
    name: str
    how: str
    confidence: float
    role: str = ""
    kind: str = "person"  # or "organization"


def _tokens(folded: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(folded)]


def _key(value: str) -> str:
    return " ".join(t for _, _, t in _tokens(fold_keeping_a_grave(" ".join(value.split()))))


class Gazetteer:
    """Known speakers indexed by the folded token sequences of their names and aliases."""

    def __init__(self, speakers: list[KnownSpeaker]) -> None:
        self.speakers = {s.key: s for s in speakers}
        # token key -> (speaker key, "canonical" | "name" | "role")
        self.entries: dict[str, tuple[str, str]] = {}
        for speaker in speakers:
            self.entries.setdefault(_key(speaker.name), (speaker.key, "canonical"))
            for alias, kind in speaker.aliases:
                self.entries.setdefault(_key(alias), (speaker.key, kind))
        # first token -> the token counts of entries starting with it, longest first
        lengths: dict[str, set[int]] = {}
        for key in self.entries:
            words = key.split(" ")
            lengths.setdefault(words[0], set()).add(len(words))
        self.lengths = {first: sorted(ns, reverse=True) for first, ns in lengths.items()}


@dataclass
class Mention:
    """A place where the article names a speaker (known, or a new person)."""

    start: int
    end: int
    key: str | None  # known speaker key
    name: str  # canonical name, or the words for a new person
    how: str  # "name", "alias", "role-alias", "new"
    tok_start: int
    tok_end: int
    roles: list[str] = field(default_factory=list)
    kind: str = "person"
    gender: str = ""
    salient: bool = False  # a subject, or the speaker of a verb of saying

    @property
    def ident(self) -> str:
        return self.key or "new:" + fold(self.name)  # fold() is cached


@dataclass(frozen=True)
class Cue:
    """Attribution words and the speaker they name."""

    start: int
    end: int
    speaker: SpeakerRef | None
