"""A claim's stance on one topic from the lexicon, aimed at the topic's target.

An evaluative word counts for a topic only when the parse puts the topic in what the word
bears on: the path from a keyword (or "ce choix" pointing back to the article's measure)
up to the word, through the actions and negations on the way, gives the sign ("exiger
l'abandon du projet": demand × abandon = against the project). A judgement of something
else in the same quote ("l'invasion était inacceptable") says nothing about the topic.
Without a parse, the words of the claim count as a bag, with a narrow negation window.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from claims.extraction.normalize import fold
from claims.extraction.stance.lexicon import Entry, StanceLexicon, stance_lexicon
from claims.extraction.stance.linking import TopicLink, TopicSpec, joined_words
from claims.extraction.stance.parsed import Signal, parsed_signals

__all__ = [
    "ABSTAIN_BELOW",
    "LEXICON_VERSION",
    "Signal",
    "StanceSuggestion",
    "suggest_stance",
    "with_peers",
]

# How a model's doubt that a claim is about the topic opens a stance's evidence.
DOUBT = "likely not about the topic"
# Bump when the rules or the lexicon change what they suggest.
LEXICON_VERSION = "lexicon-2"
# Below this confidence a polar stance is a suggestion for curators, not an answer. The
# lexicon's polar stances were right 55 % of the time on the dev half at any confidence
# under 0.8 (67 % above): most are suggestions.
ABSTAIN_BELOW = 0.8
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class StanceSuggestion:
    """A suggested stance of one claim on one topic, with the words behind it."""

    topic: str
    stance: str  # "favor" | "against" | "neutral"
    confidence: float
    evidence: tuple[str, ...] = field(default=())
    contradicts_history: bool = False  # against the speaker's reviewed stances on the topic
    method: str = "auto"  # "auto": the lexicon's rules; "model": a trained classifier
    model_version: str = LEXICON_VERSION
    abstain: bool = False  # below the confidence threshold: a suggestion for review
    score: float = 0.0  # the lexicon's signed weight of evidence
    peer: float = 0.0  # the same speaker's other claims in the article, on the topic
    off_topic: float | None = None  # a model's doubt that the claim is about the topic


def _bag_signals(text: str) -> list[Signal]:
    """No parse: every lexicon word of the claim, negated by "ne/pas/jamais/sans" right
    before it ("plus" only with "ne": "les plus fragiles" is no negation)."""
    lexicon = stance_lexicon()
    words = _WORD.findall(fold(text))
    signals = []
    for i, word in enumerate(words):
        entry, lemma = _bag_entry(lexicon, word)
        if entry is None or entry.kind == "action":
            continue
        before = words[max(0, i - 3) : i]
        negated = any(w in lexicon.negations - {"sans", "ni", "non"} for w in before)
        negated |= i > 0 and words[i - 1] in ("sans", "ni", "non")
        negated |= "ne" in before or "n" in before
        sign = -entry.polarity if negated else entry.polarity
        signals.append(Signal(lemma, sign, 0.8, aimed=False))
    return signals


_VERB_ENDINGS = (
    "erait",
    "eront",
    "aient",
    "ait",
    "ent",
    "ons",
    "ez",
    "era",
    "ees",
    "ee",
    "es",
    "e",
    "a",
)


_CUE_STOP = re.compile(r"\b(?:le|la|les|l'|l’|un|une|des|du|de|selon|d'après)\b|[A-ZÀ-Ý]")


def _verb_part(cue: str) -> str:
    """The cue up to its speaker: "a déclaré Aimé Dupont" -> "a déclaré", "a dénoncé le
    chargé de la lutte …" -> "a dénoncé" (a name or a role is no verb of judgement)."""
    m = _CUE_STOP.search(cue)
    return cue[: m.start()] if m else cue


def _saying_signals(cue: str) -> list[Signal]:
    """An evaluative verb of saying ("a dénoncé", "s'est félicité", "regrette"): its
    polarity, from its conjugated form, with no parse (the cue is a few words)."""
    lexicon = stance_lexicon()
    signals = []
    words = _WORD.findall(fold(_verb_part(cue)))
    for i, word in enumerate(words):
        entry = None
        for ending in ("", *_VERB_ENDINGS):
            if ending and not word.endswith(ending):
                continue
            stem = word[: len(word) - len(ending)] if ending else word
            for lemma in (stem, stem + "er", stem + "ir", stem + "re"):
                candidate = lexicon.words.get(lemma)
                if candidate is not None and candidate.pos == "VERB":
                    entry = candidate
                    break
            if entry is not None:
                break
        # "a demandé", "exhorte": a request's side is in what is asked, not in the asking.
        if entry is None or entry.kind in ("action", "demand"):
            continue
        negated = any(w in ("ne", "n", "pas", "jamais") for w in words[max(0, i - 3) : i])
        sign = -entry.polarity if negated else entry.polarity
        signals.append(Signal(f"cue {word}", sign, 0.8, aimed=False))
    return signals


def _bag_entry(lexicon: StanceLexicon, word: str) -> tuple[Entry | None, str]:
    """A word's entry without a lemmatizer: as written, or without a plural or feminine
    ending ("inacceptables", "opposée")."""
    for form in (word, word[:-1], word[:-2], word[:-3]):
        if len(form) < 4:
            break
        entry = lexicon.words.get(form)
        if entry is not None and (form == word or word[len(form) :] in _ENDINGS):
            return entry, form
    return None, word


_ENDINGS = frozenset({"s", "x", "e", "es", "ee", "ees", "aux", "ux"})


@lru_cache(maxsize=256)
def _cue_patterns(topic: TopicSpec) -> tuple[tuple[str, int, frozenset, re.Pattern], ...]:
    """The topic's own cues, compiled once: (cue, sign, its words, pattern)."""
    out = []
    for cues, sign in ((topic.favor, 1), (topic.against, -1)):
        for cue in cues:
            phrase = _WORD.findall(fold(cue))
            if phrase:
                pattern = r"(?<![a-z0-9])" + " ".join(re.escape(p) + "[a-z0-9]*" for p in phrase)
                out.append((cue, sign, frozenset(phrase), re.compile(pattern)))
    return tuple(out)


def _cue_signals(text: str, topic: TopicSpec) -> list[Signal]:
    """A curator's own cues for the topic: they name it, so they count wherever they are."""
    patterns = _cue_patterns(topic)
    if not patterns:
        return []
    joined = joined_words(text)
    words = joined.split()
    lexicon = stance_lexicon()
    signals = []
    for cue, sign, phrase, pattern in patterns:
        for m in pattern.finditer(joined):
            at = joined.count(" ", 0, m.start())
            before = words[max(0, at - 3) : at]
            negated = not (phrase & lexicon.negations) and any(
                w in lexicon.negations - {"ni", "sans"} for w in before
            )
            word = f"ne… {cue}" if negated else cue
            signals.append(Signal(word, -sign if negated else sign, 1.0, aimed=True))
    return signals


def _hedged(text: str) -> bool:
    folded = fold(text)
    if folded.rstrip(' »"').endswith("?"):
        return True
    words = set(_WORD.findall(folded))
    return any(h in words or (" " in h and h in folded) for h in stance_lexicon().hedges)


def with_peers(claims: list[tuple[str, list[StanceSuggestion]]]) -> list[list[StanceSuggestion]]:
    """A speaker keeps a side within an article: each claim's suggestions learn the sum of
    the same speaker's other claims' evidence on the topic (``peer``), and a claim with no
    evidence of its own leans that way, as a suggestion for review.

    ``claims``: (speaker, suggestions) in article order; "" for a claim with no speaker.
    """
    totals: dict[tuple[str, str], float] = {}
    for speaker, suggestions in claims:
        for s in suggestions:
            if speaker:
                totals[(speaker, s.topic)] = totals.get((speaker, s.topic), 0.0) + s.score
    out = []
    for speaker, suggestions in claims:
        mine = []
        for s in suggestions:
            peer = round(totals.get((speaker, s.topic), 0.0) - s.score, 2) if speaker else 0.0
            s = replace(s, peer=peer)
            if s.stance == "neutral" and not s.evidence and abs(peer) >= 0.8:
                s = replace(
                    s,
                    stance="favor" if peer > 0 else "against",
                    confidence=0.45,
                    evidence=(f"same speaker in the article: {peer:+g}",),
                    abstain=True,
                )
            mine.append(s)
        out.append(mine)
    return out


def suggest_stance(
    claim: str,
    topic: TopicSpec,
    link: TopicLink,
    *,
    syntax=None,
    start: int = 0,
    topics: list[TopicSpec] = (),
    cue: str = "",
) -> StanceSuggestion:
    """The claim's stance on ``topic`` and the words behind it.

    ``syntax`` (the article's parse) and ``start`` (the claim's offset in the parsed text)
    aim each judgement at its target; ``topics`` are the others, whose keywords take the
    judgements aimed at them. ``cue``: the words that introduce the claim ("a dénoncé"):
    an evaluative verb of saying tells the side too.

    >>> t = TopicSpec("s400", ("S-400",), name="S-400")
    >>> suggest_stance("Nous ne soutenons pas ce choix", t, TopicLink("s400", .4, 1, 0)).stance
    'against'
    """
    foreign = False
    if syntax is not None:
        signals, foreign, _aimed = parsed_signals(claim, start, topic, list(topics), syntax, link)
    else:
        signals = _bag_signals(claim) if link.strong or link.article else []
    signals += _cue_signals(claim, topic)
    # What introduces a claim judges its words ("a dénoncé", "s'est félicité"). Limited to
    # reported noun phrases that name the topic, it lost more than it fixed on the dev half.
    if cue and not foreign:
        signals += _saying_signals(cue)
    score = sum(s.polarity * s.weight for s in signals)
    evidence = tuple(s.label() for s in signals)[:12]
    if abs(score) < 0.5:
        confidence = round(0.3 + 0.3 * link.score, 2)
        return StanceSuggestion(topic.key, "neutral", confidence, evidence, score=round(score, 2))
    stance = "favor" if score > 0 else "against"
    agree = sum(s.weight for s in signals if (s.polarity > 0) == (score > 0))
    total = sum(s.weight for s in signals)
    confidence = 0.45 + 0.12 * min(3.0, abs(score)) + 0.15 * (agree / total - 0.5) * 2
    confidence += 0.1 if any(s.aimed for s in signals) else 0.0
    confidence -= 0.15 if _hedged(claim) else 0.0
    confidence = round(max(0.05, min(0.95, confidence)), 2)
    return StanceSuggestion(
        topic.key,
        stance,
        confidence,
        evidence,
        abstain=confidence < ABSTAIN_BELOW,
        score=round(score, 2),
    )
