"""Pure-Python claim extraction: text in, dataclasses with offsets out. No Django here.

>>> g = Gazetteer([KnownSpeaker("erdogan", "Recep Tayyip Erdogan", aliases=(("Erdogan", "name"),))])
>>> [(c.text, c.speaker.key) for c in extract("« Nous achetons les armes », a déclaré Erdogan.", g).claims]
[('Nous achetons les armes', 'erdogan')]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from itertools import pairwise

from claims.extraction.article import ArticleError, ParsedArticle, parse_article
from claims.extraction.attribution import (
    Cue,
    Document,
    Gazetteer,
    KnownSpeaker,
    SpeakerRef,
    discourse,
    find_cue,
    find_incise,
)
from claims.extraction.attribution.phrases import ANONYMOUS, RELAY, mark_subjects, resolve_phrase
from claims.extraction.attribution.syntax import Syntax
from claims.extraction.cue_choice import (
    context_speaker,
    narrative_infinitive,
    shared_inverted_cue,
    syntactic_cue,
)
from claims.extraction.nlp import Analysis
from claims.extraction.normalize import fold
from claims.extraction.quotes import MIN_QUOTE_WORDS, WORD, QuoteSpan, find_quotes
from claims.extraction.reported import find_reported
from claims.extraction.reported_parse import find_reported_parsed
from claims.extraction.stance import (
    StanceSuggestion,
    TopicSpec,
    article_topics,
    link_topics,
    suggest_stance,
    with_peers,
)
from claims.extraction.text import CONTEXT_CHARS, CleanText, clean, paragraph_around

__all__ = [
    "CONTEXT_CHARS",
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
EXTRACTOR_VERSION = "rules-11"

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
    # A stop then a capital, with or without the space pages sometimes lose ("F-35.Ankara",
    # after a digit or a lower-case word).
    for m in re.finditer(
        r"[.!?…]+[»”\"]?(?=\s+[«“\"A-ZÀ-ÖØ-Þ0-9])|(?<=[0-9a-zà-ÿ]{2}[.!?])(?=[A-ZÀ-ÖØ-Þ][a-zà-ÿ])|\n",
        masked,
    ):
        if m.group() != "\n" and _ABBREVIATION.search(
            masked[max(0, m.start() - 6) : m.start() + 1]
        ):
            continue
        bounds.append(m.end())
    bounds.append(len(masked))
    return sorted(set(bounds))


def _paragraph(text: str, start: int, end: int) -> str:
    a, b = paragraph_around(text, start, end)
    return text[a:b]


def extract(
    body: str,
    gazetteer: Gazetteer,
    topics: list[TopicSpec] | None = None,
    analysis: Analysis | None = None,
) -> Extraction:
    """Find the claims in ``body``, their speakers and their stances on ``topics``.

    ``analysis`` (``claims.extraction.nlp.analyze(body)``) adds the parse and the entity
    recognizer's people; without it, word-order rules and capitals do what they can. Every
    quotation found is returned, with ``speaker=None`` when nobody could be named.
    """
    cleaned = clean(body)
    extraction = _extract(cleaned.text, gazetteer, topics, analysis)
    if cleaned.text == body:
        return extraction
    return replace(extraction, claims=tuple(_to_raw(cleaned, c) for c in extraction.claims))


def _to_raw(cleaned: CleanText, claim: ExtractedClaim) -> ExtractedClaim:
    """The claim with its offsets and words in the stored text (``clean`` changed it)."""
    start, end = cleaned.raw_span(claim.start, claim.end)
    return replace(
        claim,
        start=start,
        end=end,
        text=cleaned.raw[start:end],
        context=_paragraph(cleaned.raw, start, end),
    )


def _extract(
    body: str,
    gazetteer: Gazetteer,
    topics: list[TopicSpec] | None,
    analysis: Analysis | None,
) -> Extraction:
    quotes = find_quotes(body)
    spans = [(q.open, q.close) for q in quotes]
    doc = Document(body, gazetteer, spans, analysis)
    syntax = Syntax(analysis.parse, body, spans) if analysis and analysis.parse else None
    if syntax is not None:
        mark_subjects(doc, syntax)
    masked = _masked(body, quotes)
    bounds = _sentence_bounds(masked)
    claims: list[ExtractedClaim] = []
    previous: ExtractedClaim | None = None
    previous_close = -1
    for index, quote in enumerate(quotes):
        at = bisect_right(bounds, quote.open)
        sent_start = max(bounds[at - 1] if at else 0, previous_close + 1)
        after = bisect_right(bounds, quote.close)
        sent_end = bounds[after] if after < len(bounds) else len(body)
        next_open = quotes[index + 1].open if index + 1 < len(quotes) else len(body)
        next_sent_end = bounds[after + 1] if after + 1 < len(bounds) else sent_end
        incise = find_incise(doc, quote.start, quote.end)
        if incise is not None and incise.speaker is None:
            # "« Nous irons, a-t-il dit, jusqu'au bout », a poursuivi X": the incise's
            # pronoun points forward; both pieces are the quotation's own speaker's.
            window = (sent_start, min(sent_end, next_open))
            outer = syntactic_cue(doc, syntax, quote, window, spans) if syntax else None
            if outer is None or outer.speaker is None:
                outer = find_cue(
                    doc,
                    quote.open,
                    quote.close,
                    sent_start,
                    window[1],
                    min(next_sent_end, next_open),
                )
            speaker = outer.speaker if outer is not None else None
            if speaker in (RELAY, ANONYMOUS):
                speaker = None
            incise = Cue(incise.start, incise.end, speaker) if speaker else None
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
                    fragment=len(WORD.findall(text)) < MIN_QUOTE_WORDS,
                )
                claims.append(claim)
            previous = next((c for c in reversed(claims) if not c.fragment), previous)
            previous_close = quote.close
            continue
        # The parse sees the whole sentence, other quotations included: "Ankara a critiqué
        # une décision « injuste », « unilatérale », et qui « ne respecte pas … »".
        window = (bounds[at - 1] if at else 0, sent_end)
        cue = syntactic_cue(doc, syntax, quote, window, spans) if syntax is not None else None
        if cue is None or cue.speaker is None:
            found = find_cue(
                doc,
                quote.open,
                quote.close,
                sent_start,
                min(sent_end, next_open),
                min(next_sent_end, next_open),
            )
            if found is not None and (cue is None or found.speaker is not None):
                cue = found
        speaker = cue.speaker if cue else None
        relayed = speaker is RELAY or speaker is ANONYMOUS
        if relayed:
            speaker = None
        if speaker is None and not relayed and cue is not None and previous is not None:
            speaker = narrative_infinitive(doc, cue.start, previous)
        cue_text = body[cue.start : cue.end].strip(" ,.") if cue else ""
        if cue is None:
            # No cue at all: what is around the quotation says who speaks.
            earlier = []  # the quotations of the last 3,000 characters, in order
            for c in reversed(claims):
                if c.start < quote.open - 3000:
                    break
                if c.speaker and not c.fragment:
                    earlier.insert(0, (c.start, c.speaker))
            speaker = context_speaker(
                body, doc, syntax, quote, previous, previous_close, bounds, at, earlier
            )
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
        claims.append(claim)
        if not claim.fragment:
            previous, previous_close = claim, quote.close
        else:
            previous_close = max(previous_close, quote.close)
    claims = shared_inverted_cue(body, claims, bounds)
    claims = _echoes(claims)
    # An interview's answers are the interviewee's words, quoted or not.
    taken = [(c.start, c.end) for c in claims if not c.fragment]
    for start, end, cue_start, cue_end, speaker in discourse.interview_answers(doc):
        if any(a < end and start < b for a, b in taken):
            continue
        claims.append(
            ExtractedClaim(
                text=body[start:end],
                start=start,
                end=end,
                kind="direct",
                cue=body[cue_start:cue_end].strip(" :"),
                context=_paragraph(body, start, end),
                speaker=speaker,
                confidence=speaker.confidence,
                fragment=False,
            )
        )
    claims = _qa_interview(doc, claims, body)
    sentences = [(a, b) for a, b in pairwise(bounds) if body[a:b].strip()]
    if syntax is not None:

        def resolve(phrase, pos):
            speaker = resolve_phrase(doc, syntax, phrase, pos)
            return None if speaker is RELAY or speaker is ANONYMOUS else speaker

        reported = _merged(
            find_reported_parsed(doc, syntax, sentences, resolve), find_reported(doc, sentences)
        )
    else:
        reported = find_reported(doc, sentences)
    for found in reported:
        claim = ExtractedClaim(
            text=body[found.start : found.end],
            start=found.start,
            end=found.end,
            kind="indirect",
            cue=body[found.cue_start : found.cue_end].strip(" ,."),
            context=_paragraph(body, found.start, found.end),
            speaker=found.speaker,
            confidence=round(found.speaker.confidence * 0.9, 3) if found.speaker else 0.0,
            fragment=False,
        )
        claims.append(claim)
    claims.sort(key=lambda c: (c.start, c.end))
    if topics:
        claims = _with_stances(body, claims, bounds, topics, syntax)
    return Extraction(claims=tuple(claims))


_ECHO_MIN_WORDS = 3
_ECHO_WORDS = re.compile(r"\w+")  # "qu'il faut" holds "il faut"


def _echoes(claims: list[ExtractedClaim]) -> list[ExtractedClaim]:
    """A quotation with no cue whose words the article quotes again with one (a pull quote
    over a paragraph, «…» in a heading): the same words are the same person's. The
    shorter of the two must have ``_ECHO_MIN_WORDS`` words."""
    cited = [
        (c, _ECHO_WORDS.findall(fold(c.text)))
        for c in claims
        if c.kind == "direct" and c.cue and c.speaker is not None
    ]
    out = []
    for claim in claims:
        # Not where a line names the speaker ("Déclaration de X :" above it, a caption).
        named = claim.speaker is not None and claim.speaker.how in ("heading", "caption")
        words = _ECHO_WORDS.findall(fold(claim.text)) if not claim.cue and not named else []
        best = None
        for other, theirs in cited if words else ():
            short, long_ = sorted((words, theirs), key=len)
            if other is claim or len(short) < _ECHO_MIN_WORDS or not _contiguous(short, long_):
                continue
            if best is None or abs(other.start - claim.start) < abs(best.start - claim.start):
                best = other
        if best is not None:
            ref = best.speaker
            speaker = SpeakerRef(
                ref.key, ref.name, "echo", round(ref.confidence * 0.75, 3), ref.role, ref.kind
            )
            claim = replace(claim, speaker=speaker, confidence=speaker.confidence)
        out.append(claim)
    return out


def _contiguous(short: list[str], long_: list[str]) -> bool:
    n = len(short)
    return any(long_[i : i + n] == short for i in range(len(long_) - n + 1))


def _qa_interview(doc: Document, claims: list, body: str) -> list:
    """ "Q : …" / "R : « … »": the answers are the words of the person the article quotes
    most; quotations in them that found no speaker are that person's."""
    counts: dict[str, int] = {}
    refs: dict[str, SpeakerRef] = {}
    for c in claims:
        if c.speaker is not None and c.speaker.kind != "organization":
            counts[c.speaker.name] = counts.get(c.speaker.name, 0) + 1
            refs.setdefault(c.speaker.name, c.speaker)
    if not counts:
        return claims
    best = refs[max(counts, key=lambda name: counts[name])]
    speaker = SpeakerRef(best.key, best.name, "interview", 0.6, best.role, best.kind)
    claims = list(claims)
    for start, end, cue_start, cue_end in discourse.qa_answers(doc):
        inside = [i for i, c in enumerate(claims) if start <= c.start and c.end <= end]
        for i in inside:
            if claims[i].speaker is None:
                claims[i] = replace(
                    claims[i],
                    speaker=speaker,
                    confidence=speaker.confidence,
                    cue=body[cue_start:cue_end].strip(" :"),
                )
        if not inside and not any(c.start < end and start < c.end for c in claims):
            words = body[start:end].strip()
            at = start + body[start:end].index(words)
            claims.append(
                ExtractedClaim(
                    text=words,
                    start=at,
                    end=at + len(words),
                    kind="direct",
                    cue=body[cue_start:cue_end].strip(" :"),
                    context=_paragraph(body, at, at + len(words)),
                    speaker=speaker,
                    confidence=speaker.confidence,
                    fragment=len(WORD.findall(words)) < MIN_QUOTE_WORDS,
                )
            )
    return sorted(claims, key=lambda c: c.start)


def _merged(parsed: list, ruled: list) -> list:
    """Reported claims from the parse and from the word-order rules, one per stretch of
    text: where both found one, the parse's, unless the rules' holds it or alone names a
    speaker."""
    kept = list(parsed)
    for claim in ruled:
        overlapping = [c for c in kept if c.start < claim.end and claim.start < c.end]
        if not overlapping:
            kept.append(claim)
        elif claim.speaker is not None and (
            all(c.speaker is None for c in overlapping)
            or all(claim.start <= c.start and c.end <= claim.end for c in overlapping)
        ):
            # The rules' clause holds the parse's pieces ("…, a expliqué X" over "convenus
            # de continuer …"), or only the rules name a speaker.
            kept = [c for c in kept if c not in overlapping] + [claim]
    return sorted(kept, key=lambda c: c.start)


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


def _with_stances(
    body: str,
    claims: list[ExtractedClaim],
    bounds: list[int],
    topics: list[TopicSpec],
    syntax: Syntax | None,
) -> list[ExtractedClaim]:
    """Each whole claim's stances on the topics it bears on (its speaker known or not)."""
    by_key = {t.key: t for t in topics}
    main = article_topics(body, topics)
    found = []
    for claim in claims:
        if claim.fragment:
            continue
        first = bounds[max(0, bisect_right(bounds, claim.start) - 1)]
        after = bisect_right(bounds, max(claim.start, claim.end - 1))
        sentence = body[first : bounds[after] if after < len(bounds) else len(body)]
        stances = [
            suggest_stance(
                claim.text,
                by_key[link.topic],
                link,
                syntax=syntax,
                start=claim.start,
                topics=topics,
                cue=claim.cue,
            )
            for link in link_topics(claim.text, sentence, claim.context, topics, main)
        ]
        speaker = (claim.speaker.key or claim.speaker.name) if claim.speaker else ""
        found.append((speaker, stances))
    peered = iter(with_peers(found))
    return [c if c.fragment else replace(c, stances=tuple(next(peered))) for c in claims]
