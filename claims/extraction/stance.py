"""Topics and stances: link a claim to topics by keywords, suggest a stance from cue words.

Transparent on purpose: every suggestion carries the words that produced it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from claims.extraction.normalize import fold

__all__ = ["StanceSuggestion", "TopicLink", "TopicSpec", "link_topics", "suggest_stance"]

_WORD = re.compile(r"[a-z0-9]+")
# Polarity words that hold for any topic; each topic adds its own cues.
GENERIC_FAVOR = (
    "soutenir",
    "soutien",
    "favorable",
    "approuver",
    "saluer",
    "se féliciter",
    "bienvenu",
    "nécessaire",
    "indispensable",
    "essentiel",
    "légitime",
    "positif",
    "bonne décision",
    "prometteur",
)
GENERIC_AGAINST = (
    "opposer",
    "opposé",
    "condamner",
    "dénoncer",
    "rejeter",
    "refuser",
    "inacceptable",
    "illégitime",
    "inadmissible",
    "regrettable",
    "erreur",
    "dangereux",
    "menace",
    "attaque",
    "hostile",
    "injuste",
    "négatif",
    "négativement",
    "scandale",
)
_NEGATIONS = {"ne", "n", "pas", "plus", "jamais", "aucun", "aucune", "sans", "ni", "guere", "non"}


@dataclass(frozen=True)
class TopicSpec:
    """A topic as the extractor needs it."""

    key: str
    keywords: tuple[str, ...]
    favor: tuple[str, ...] = ()
    against: tuple[str, ...] = ()


@dataclass(frozen=True)
class StanceSuggestion:
    """A suggested stance of one claim on one topic, with the words behind it."""

    topic: str
    stance: str  # "favor" | "against" | "neutral"
    confidence: float
    evidence: tuple[str, ...] = field(default=())
    contradicts_history: bool = False  # against the speaker's reviewed stances on the topic
    method: str = "auto"  # "auto": the lexicon's rules; "model": a trained classifier
    model_version: str = ""
    abstain: bool = False  # below the confidence threshold: a suggestion for review


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@lru_cache(maxsize=1024)
def _joined(text: str) -> str:
    """The text's folded words joined by single spaces: what the compiled phrases search."""
    return " ".join(_words(text))


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(_words(text))


@lru_cache(maxsize=8192)
def _phrase_re(phrase: tuple[str, ...]) -> re.Pattern:
    # Short words must match whole; longer ones may take an ending (sanction ~ sanctions).
    parts = [re.escape(p) + ("[a-z0-9]*" if len(p) >= 4 else "") for p in phrase]
    return re.compile(r"(?<![a-z0-9])" + " ".join(parts) + r"(?![a-z0-9])")


def _find(joined: str, phrase: tuple[str, ...]) -> list[int]:
    """Word positions where ``phrase`` matches the joined words as word prefixes."""
    if not phrase:
        return []
    return [joined.count(" ", 0, m.start()) for m in _phrase_re(phrase).finditer(joined)]


@lru_cache(maxsize=256)
def _phrases_re(phrases: tuple[tuple[str, ...], ...]) -> re.Pattern | None:
    """One pattern for a whole keyword list; each keyword is a named group."""
    alternatives = []
    for i, phrase in enumerate(phrases):
        if phrase:
            parts = [re.escape(p) + ("[a-z0-9]*" if len(p) >= 4 else "") for p in phrase]
            alternatives.append(f"(?P<k{i}>" + " ".join(parts) + ")")
    if not alternatives:
        return None
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(alternatives) + r")(?![a-z0-9])")


@lru_cache(maxsize=4096)
def _count(joined: str, phrases: tuple[tuple[str, ...], ...]) -> int:
    """How many of ``phrases`` occur at least once (one regex pass over the text)."""
    pattern = _phrases_re(phrases)
    if pattern is None or not joined:
        return 0
    return len({m.lastgroup for m in pattern.finditer(joined)})


@lru_cache(maxsize=8192)
def _cue_phrase(cue: str) -> tuple[str, ...]:
    return _phrase(cue)


@lru_cache(maxsize=256)
def _topic_phrases(topic: TopicSpec) -> tuple[tuple[str, ...], ...]:
    return tuple(_phrase(k) for k in topic.keywords)


# A paragraph this long is a whole article pasted as one block: too broad to link a topic.
_MAX_LINKING_PARAGRAPH = 1200


@dataclass(frozen=True)
class TopicLink:
    """Why a claim bears on a topic: keyword counts in the claim, its sentence, its paragraph."""

    topic: str
    score: float
    in_claim: int
    in_sentence: int

    @property
    def strong(self) -> bool:
        return self.in_claim + self.in_sentence > 0


def link_topics(
    claim: str, sentence: str, paragraph: str, topics: list[TopicSpec]
) -> list[TopicLink]:
    """Topics the claim bears on: a keyword in the claim or its sentence, or two in a paragraph.

    >>> t = TopicSpec("s400", ("S-400", "missile"))
    >>> [(l.topic, l.score) for l in link_topics("Nous achetons des S-400.", "", "", [t])]
    [('s400', 0.4)]
    """
    claim_words, sentence_words = _joined(claim), _joined(sentence)
    paragraph_words = _joined(paragraph) if len(paragraph) <= _MAX_LINKING_PARAGRAPH else ""
    linked = []
    for topic in topics:
        phrases = _topic_phrases(topic)
        in_claim = _count(claim_words, phrases)
        in_sentence = _count(sentence_words, phrases) if sentence_words else 0
        in_paragraph = _count(paragraph_words, phrases) if paragraph_words else 0
        if in_claim or in_sentence or in_paragraph >= 2:
            score = min(1.0, 0.2 * (2 * in_claim + in_sentence) + 0.1 * in_paragraph)
            linked.append(TopicLink(topic.key, round(score, 2), in_claim, in_sentence))
    return sorted(linked, key=lambda link: (-link.score, link.topic))


def _negated(words: list[str], at: int, phrase: tuple[str, ...]) -> bool:
    if any(w in _NEGATIONS for w in phrase):
        return False  # the cue carries its own negation: "pas que des roses"
    return any(w in _NEGATIONS for w in words[max(0, at - 3) : at])


def suggest_stance(claim: str, topic: TopicSpec, link: TopicLink) -> StanceSuggestion:
    """Count favor and against cues in the claim; a negated cue counts for the other side.

    Generic polarity words count only when the claim or its sentence names the topic;
    a word that merely names the topic ("transfert") is no stance.

    >>> t = TopicSpec("s400", ("S-400",), favor=("acheter",), against=("renoncer",))
    >>> suggest_stance("Nous ne renoncerons pas aux S-400", t, TopicLink("s400", .4, 1, 0)).stance
    'favor'
    """
    words = _words(claim)
    joined = " ".join(words)
    keywords = set(_topic_phrases(topic))
    # A cue can only match if its first word can: skip the regex for the rest.
    whole = set(words)
    stems = {w[:4] for w in words if len(w) >= 4}
    favor, against, evidence = 0, 0, []
    generic_favor = GENERIC_FAVOR if link.strong else ()
    generic_against = GENERIC_AGAINST if link.strong else ()
    for cues, sign in ((topic.favor + generic_favor, 1), (topic.against + generic_against, -1)):
        for cue in cues:
            phrase = _cue_phrase(cue)
            if not phrase or phrase in keywords:
                continue
            first = phrase[0]
            if (first[:4] not in stems) if len(first) >= 4 else (first not in whole):
                continue
            for at in _find(joined, phrase):
                polarity = -sign if _negated(words, at, phrase) else sign
                label = ("ne… " if polarity != sign else "") + cue
                evidence.append(f"{'+' if polarity > 0 else '-'}{label}")
                if polarity > 0:
                    favor += 1
                else:
                    against += 1
    score = favor - against
    if score == 0:
        return StanceSuggestion(
            topic.key, "neutral", round(0.3 + 0.3 * link.score, 2), tuple(evidence)
        )
    stance = "favor" if score > 0 else "against"
    confidence = min(0.9, 0.45 + 0.1 * abs(score) + 0.2 * link.score)
    return StanceSuggestion(topic.key, stance, round(confidence, 2), tuple(evidence))


def apply_prior(suggestion: StanceSuggestion, history: dict[str, int]) -> StanceSuggestion:
    """Weigh a suggestion against the speaker's reviewed stances on the same topic.

    ``history`` counts those stances, e.g. ``{"favor": 3, "against": 0}``. With no cue
    words, the usual position is suggested (a prior, with modest confidence). A suggestion
    opposite to it is kept, flagged, and trusted less: a change of position for curators
    to look at, or an extraction error.

    >>> s = StanceSuggestion("s400", "neutral", 0.4)
    >>> apply_prior(s, {"favor": 2}).stance
    'favor'
    >>> apply_prior(StanceSuggestion("s400", "against", 0.7), {"favor": 3}).contradicts_history
    True
    """
    decided = {k: v for k, v in history.items() if k in ("favor", "against") and v > 0}
    if not decided:
        return suggestion
    usual, count = max(decided.items(), key=lambda item: (item[1], item[0]))
    if len(decided) == 2 and decided["favor"] == decided["against"]:
        return suggestion  # the record is split: no prior either way
    note = f"{count} reviewed {usual}"
    if suggestion.stance == "neutral" and not suggestion.evidence:
        confidence = min(0.7, 0.35 + 0.1 * count)
        return StanceSuggestion(suggestion.topic, usual, round(confidence, 2), (f"prior: {note}",))
    opposite = {"favor": "against", "against": "favor"}.get(suggestion.stance)
    if opposite == usual:
        return StanceSuggestion(
            suggestion.topic,
            suggestion.stance,
            round(max(0.1, suggestion.confidence - 0.15), 2),
            (*suggestion.evidence, f"contradicts {note}"),
            contradicts_history=True,
        )
    return suggestion
