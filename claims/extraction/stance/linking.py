"""Which topics a claim bears on: its own keywords, its sentence's, its paragraph's, and the
article's main topic (a quote about "ce choix" in an article about the measure is about it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from claims.extraction.normalize import fold, fold_preserving_offsets

__all__ = ["TopicLink", "TopicSpec", "article_topics", "keyword_spans", "link_topics"]

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class TopicSpec:
    """A topic as the extractor needs it."""

    key: str
    keywords: tuple[str, ...]
    favor: tuple[str, ...] = ()  # a curator's own cues for the topic
    against: tuple[str, ...] = ()
    name: str = ""  # its words are the target itself, never an action on it


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@lru_cache(maxsize=1024)
def joined_words(text: str) -> str:
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
    """Why a claim bears on a topic: keyword counts in the claim, its sentence, its
    paragraph; ``article``: only as the article's main topic."""

    topic: str
    score: float
    in_claim: int
    in_sentence: int
    article: bool = False

    @property
    def strong(self) -> bool:
        return self.in_claim + self.in_sentence > 0


# An article is about a topic when its keywords come back this often.
_ARTICLE_MIN_HITS = 2


def article_topics(body: str, topics: list[TopicSpec]) -> tuple[str, ...]:
    """The article's main topic (and any within a third of it): the ones whose keywords
    occur most, at least ``_ARTICLE_MIN_HITS`` times. Empty for an article on none.

    >>> t = TopicSpec("s400", ("S-400",))
    >>> article_topics("Les S-400. Des S-400. Trois S-400.", [t])
    ('s400',)
    """
    words = " ".join(_words(body))  # not the cached joined_words: bodies can be megabytes
    counts = {}
    for topic in topics:
        pattern = _phrases_re(_topic_phrases(topic))
        if pattern is not None:
            counts[topic.key] = sum(1 for _ in pattern.finditer(words))
    best = max(counts.values(), default=0)
    if best < _ARTICLE_MIN_HITS:
        return ()
    return tuple(
        key
        for key, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if n == best or (n >= _ARTICLE_MIN_HITS and n * 3 >= best * 2)
    )


def link_topics(
    claim: str,
    sentence: str,
    paragraph: str,
    topics: list[TopicSpec],
    article: tuple[str, ...] = (),
) -> list[TopicLink]:
    """Topics the claim bears on: a keyword in the claim or its sentence, two in its
    paragraph, or none of another topic's in the claim in an article on the topic.

    >>> t = TopicSpec("s400", ("S-400", "missile"))
    >>> [(l.topic, l.score) for l in link_topics("Nous achetons des S-400.", "", "", [t])]
    [('s400', 0.4)]
    >>> [(l.topic, l.article) for l in link_topics("Ce choix est une erreur.", "", "", [t], ("s400",))]
    [('s400', True)]
    """
    claim_words, sentence_words = joined_words(claim), joined_words(sentence)
    paragraph_words = joined_words(paragraph) if len(paragraph) <= _MAX_LINKING_PARAGRAPH else ""
    linked = []
    own = set()
    for topic in topics:
        phrases = _topic_phrases(topic)
        in_claim = _count(claim_words, phrases)
        in_sentence = _count(sentence_words, phrases) if sentence_words else 0
        in_paragraph = _count(paragraph_words, phrases) if paragraph_words else 0
        if in_claim:
            own.add(topic.key)
        if in_claim or in_sentence or in_paragraph >= 2:
            score = min(1.0, 0.2 * (2 * in_claim + in_sentence) + 0.1 * in_paragraph)
            linked.append(TopicLink(topic.key, round(score, 2), in_claim, in_sentence))
    keys = {link.topic for link in linked}
    # The article's main topic reaches every claim that names no other topic of its own.
    if article and not (own - set(article)):
        for key in article:
            if key not in keys:
                linked.append(TopicLink(key, 0.1, 0, 0, article=True))
    return sorted(linked, key=lambda link: (-link.score, link.topic))


@lru_cache(maxsize=256)
def _span_patterns(topic: TopicSpec) -> tuple[re.Pattern, ...]:
    """One pattern per keyword (words apart by anything but letters and digits), after
    one that matches any of them."""
    sources = []
    for phrase in _topic_phrases(topic):
        if phrase:
            parts = [re.escape(p) + ("[a-z0-9]*" if len(p) >= 4 else "") for p in phrase]
            sources.append(r"(?<![a-z0-9])" + r"[^a-z0-9]+".join(parts) + r"(?![a-z0-9])")
    if not sources:
        return ()
    # First, all of them as one: a claim that matches none is done in one pass.
    return (re.compile("|".join(f"(?:{p})" for p in sources)), *map(re.compile, sources))


@lru_cache(maxsize=64)
def _folded_lower(text: str) -> str:
    # A claim is searched once per topic: fold it once.
    return fold_preserving_offsets(text).lower()


def keyword_spans(text: str, topic: TopicSpec) -> list[tuple[int, int]]:
    """Where the topic's keywords occur in ``text``: (start, end) offsets into it."""
    folded = _folded_lower(text)
    patterns = _span_patterns(topic)
    if not patterns or not patterns[0].search(folded):  # most claims name no keyword
        return []
    spans = {(m.start(), m.end()) for pattern in patterns[1:] for m in pattern.finditer(folded)}
    return sorted(spans)
