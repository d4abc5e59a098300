"""Pure-Python claim extraction: text in, dataclasses with offsets out. No Django here.

>>> g = Gazetteer([KnownSpeaker("erdogan", "Recep Tayyip Erdogan", aliases=(("Erdogan", "name"),))])
>>> [(c.text, c.speaker.key) for c in extract("« Nous achetons les armes », a déclaré Erdogan.", g).claims]
[('Nous achetons les armes', 'erdogan')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from claims.extraction.article import ArticleError, ParsedArticle, parse_article
from claims.extraction.attribution import (
    Document,
    Gazetteer,
    KnownSpeaker,
    SpeakerRef,
    find_cue,
    find_incise,
)
from claims.extraction.nlp import Analysis
from claims.extraction.quotes import QuoteSpan, find_quotes
from claims.extraction.reported import find_reported
from claims.extraction.stance import StanceSuggestion, TopicSpec, link_topics, suggest_stance

__all__ = [
    "EXTRACTOR_VERSION",
    "Analysis",
    "ArticleError",
    "ExtractedClaim",
    "Extraction",
    "Gazetteer",
    "KnownSpeaker",
    "ParsedArticle",
    "SpeakerRef",
    "StanceSuggestion",
    "TopicSpec",
    "extract",
    "parse_article",
]

# Bump when extraction output changes: the loader then refreshes what the extractor made.
EXTRACTOR_VERSION = "rules-5"
MIN_QUOTE_WORDS = 3

_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\bM|\bMme|\bMM|\bDr|\bSt|\bRep|\bSen|\bGen|\bJr|\bav|\bJ\.-C)\.$"
)


@dataclass(frozen=True)
class ExtractedClaim:
    """A claim found in the body: ``body[start:end] == text``."""

    text: str
    start: int
    end: int
    kind: str  # "direct" | "indirect"
    cue: str
    context: str
    speaker: SpeakerRef | None
    confidence: float
    fragment: bool  # fewer than MIN_QUOTE_WORDS words: a scare quote, not a statement
    stances: tuple[StanceSuggestion, ...] = ()


@dataclass(frozen=True)
class Extraction:
    """Everything found in one article body."""

    claims: tuple[ExtractedClaim, ...]
    version: str = EXTRACTOR_VERSION
    notes: tuple[str, ...] = field(default=())

    @property
    def attributed(self) -> tuple[ExtractedClaim, ...]:
        """Claims worth storing: whole statements with a speaker."""
        return tuple(c for c in self.claims if c.speaker is not None and not c.fragment)


def _masked(text: str, quotes: list[QuoteSpan]) -> str:
    chars = list(text)
    for q in quotes:
        for i in range(q.open + 1, min(q.close, len(chars))):
            if chars[i] != "\n":
                chars[i] = "x"
    return "".join(chars)


def _sentence_bounds(masked: str) -> list[int]:
    """Offsets where a sentence starts, computed with quote interiors masked out."""
    bounds = [0]
    for m in re.finditer(r"[.!?…]+[»”\"]?(?=\s+[«“\"A-ZÀ-ÖØ-Þ0-9])|\n", masked):
        if m.group() != "\n" and _ABBREVIATION.search(
            masked[max(0, m.start() - 6) : m.start() + 1]
        ):
            continue
        bounds.append(m.end())
    bounds.append(len(masked))
    return sorted(set(bounds))


def _paragraph(text: str, start: int, end: int) -> str:
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    return text[para_start : len(text) if para_end == -1 else para_end].strip()


def extract(
    body: str,
    gazetteer: Gazetteer,
    topics: list[TopicSpec] | None = None,
    analysis: Analysis | None = None,
) -> Extraction:
    """Find the claims in ``body``, their speakers and their stances on ``topics``.

    ``analysis`` (from ``claims.extraction.nlp``) adds the entity recognizer's people;
    without it, new names are found from capitalisation alone.
    """
    quotes = find_quotes(body)
    doc = Document(body, gazetteer, [(q.open, q.close) for q in quotes], analysis)
    masked = _masked(body, quotes)
    bounds = _sentence_bounds(masked)
    claims: list[ExtractedClaim] = []
    previous: ExtractedClaim | None = None
    previous_close = -1
    for index, quote in enumerate(quotes):
        before = [b for b in bounds if b <= quote.open]
        sent_start = max(before[-1] if before else 0, previous_close + 1)
        after = [b for b in bounds if b > quote.close]
        sent_end = after[0] if after else len(body)
        next_open = quotes[index + 1].open if index + 1 < len(quotes) else len(body)
        next_sent_end = after[1] if len(after) > 1 else sent_end
        incise = find_incise(doc, quote.start, quote.end)
        if incise is not None:
            parts = _split_at(body, quote, incise.start, incise.end)
            for part_start, part_end in parts:
                text = body[part_start:part_end]
                claim = ExtractedClaim(
                    text=text,
                    start=part_start,
                    end=part_end,
                    kind="direct",
                    cue=body[incise.start : incise.end].strip(" –—,"),
                    context=_paragraph(body, part_start, part_end),
                    speaker=incise.speaker,
                    confidence=round(incise.speaker.confidence, 3),
                    fragment=len(_WORDS.findall(text)) < MIN_QUOTE_WORDS,
                )
                if topics and not claim.fragment:
                    claim = _with_stances(claim, body[sent_start:sent_end], topics)
                claims.append(claim)
            previous = next((c for c in reversed(claims) if not c.fragment), previous)
            previous_close = quote.close
            continue
        cue = find_cue(
            doc,
            quote.open,
            quote.close,
            sent_start,
            min(sent_end, next_open),
            min(next_sent_end, next_open),
        )
        speaker = cue.speaker if cue else None
        cue_text = body[cue.start : cue.end].strip(" ,.") if cue else ""
        if cue is None and previous is not None and previous.speaker is not None:
            speaker = _continuation(body, doc, previous, previous_close, quote)
        confidence = speaker.confidence if speaker else 0.0
        if not quote.closed:
            confidence *= 0.8
        claim = ExtractedClaim(
            text=quote.text,
            start=quote.start,
            end=quote.end,
            kind="direct",
            cue=cue_text,
            context=_paragraph(body, quote.start, quote.end),
            speaker=speaker,
            confidence=round(confidence, 3),
            fragment=quote.words < MIN_QUOTE_WORDS,
        )
        if topics and speaker is not None and not claim.fragment:
            sentence = body[sent_start : min(sent_end, next_open)]
            claim = _with_stances(claim, sentence, topics)
        claims.append(claim)
        if not claim.fragment:
            previous, previous_close = claim, quote.close
        else:
            previous_close = max(previous_close, quote.close)
    sentences = [(a, b) for a, b in pairwise(bounds) if body[a:b].strip()]
    for found in find_reported(doc, sentences):
        claim = ExtractedClaim(
            text=body[found.start : found.end],
            start=found.start,
            end=found.end,
            kind="indirect",
            cue=body[found.cue_start : found.cue_end].strip(" ,."),
            context=_paragraph(body, found.start, found.end),
            speaker=found.speaker,
            confidence=round(found.speaker.confidence * 0.9, 3),
            fragment=False,
        )
        if topics:
            sentence = next((body[a:b] for a, b in sentences if a <= found.start < b), "")
            claim = _with_stances(claim, sentence, topics)
        claims.append(claim)
    claims.sort(key=lambda c: (c.start, c.end))
    return Extraction(claims=tuple(claims))


_WORDS = re.compile(r"\w+(?:['’-]\w+)*")
_PART_TRIM = " \t\n\u00a0\u202f,;:–—-"


def _split_at(body: str, quote: QuoteSpan, cut_start: int, cut_end: int) -> list[tuple[int, int]]:
    """The words of ``quote`` before and after an incise, trimmed of its dashes or commas."""
    parts = []
    for a, b in ((quote.start, cut_start), (cut_end, quote.end)):
        while a < b and body[a] in _PART_TRIM:
            a += 1
        while b > a and body[b - 1] in _PART_TRIM:
            b -= 1
        if b > a:
            parts.append((a, b))
    return parts


def _continuation(
    body: str, doc: Document, previous: ExtractedClaim, previous_close: int, quote: QuoteSpan
) -> SpeakerRef | None:
    """A quote with no cue right after another: the same speaker, unless someone else is named."""
    gap = body[previous_close + 1 : quote.open]
    if gap.count("\n") > 2 or len(gap) > 400:
        return None
    for mention in doc.mentions:
        if previous_close < mention.start < quote.open and mention.kind == "person":
            key = mention.key or mention.name
            if key not in (previous.speaker.key, previous.speaker.name):
                return None
    ref = previous.speaker
    return SpeakerRef(ref.key, ref.name, "continuation", round(ref.confidence * 0.7, 3), ref.role)


def _with_stances(claim: ExtractedClaim, sentence: str, topics: list[TopicSpec]) -> ExtractedClaim:
    by_key = {t.key: t for t in topics}
    stances = tuple(
        suggest_stance(claim.text, by_key[link.topic], link)
        for link in link_topics(claim.text, sentence, claim.context, topics)
    )
    return ExtractedClaim(**{**claim.__dict__, "stances": stances})
