"""Score extraction against gold sets (formats: ``claims.extraction.gold``, evaluation/README.md).

Pure Python: the command ``evaluate_extraction`` only gathers the speakers and prints.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from claims.extraction import (
    Analysis,
    ExtractedClaim,
    Gazetteer,
    TopicSpec,
    extract,
    nlp,
)
from claims.extraction.gold import GoldError, GoldSet, load_gold_sets
from claims.extraction.normalize import fold

__all__ = [
    "BANDS",
    "ArticleScore",
    "GoldError",
    "Score",
    "evaluate_dir",
    "evaluate_set",
    "load_gold_topics",
]

_WORD = re.compile(r"\w+")
# Confidence bands, lowest first: the lowest goes to curators first.
BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 1.01))


STANCES = ("favor", "against", "neutral")


def macro_f1(confusion: dict[str, int]) -> float | None:
    """Mean per-class F1 from ``{"gold>found": n}`` counts ("none": no stance given)."""
    if not confusion:
        return None
    f1s = []
    for label in STANCES:
        tp = confusion.get(f"{label}>{label}", 0)
        gold = sum(n for k, n in confusion.items() if k.startswith(f"{label}>"))
        found = sum(n for k, n in confusion.items() if k.endswith(f">{label}"))
        if gold == 0 and found == 0:
            continue
        f1s.append(2 * tp / (gold + found) if gold + found else 0.0)
    return round(sum(f1s) / len(f1s), 4) if f1s else None


def band_of(confidence: float) -> str:
    for low, high in BANDS:
        if low <= confidence < high:
            return f"{low:.2f}-{min(high, 1.0):.2f}"
    return f"{BANDS[-1][0]:.2f}-1.00"


@dataclass
class Counts:
    """Raw counts; the rates are computed from them so articles add up.

    Gold quotes count whoever said them: one whose speaker is unknown (``null``) is found
    right when the extractor keeps it with no speaker.
    """

    gold_direct: int = 0
    found_direct: int = 0  # gold direct quotes matched by a found claim
    predicted_direct: int = 0  # found direct claims (not fragments), with or without speaker
    correct_direct: int = 0  # found direct claims that match a gold quote
    right_speaker_direct: int = 0  # gold direct quotes found with the right speaker
    gold_indirect: int = 0
    found_indirect: int = 0
    predicted_indirect: int = 0
    correct_indirect: int = 0
    right_speaker_indirect: int = 0
    gold_stances: int = 0  # gold (quote, topic) pairs; a quote not found gets none right
    right_stances: int = 0
    linked_stances: int = 0  # gold pairs given a stance row at all
    extra_links: int = 0  # stance rows on an article topic the gold quote is not about
    polar_answers: int = 0  # favor/against rows above the threshold, on gold pairs
    polar_answers_right: int = 0
    polar_suggestions: int = 0  # every favor/against row on gold pairs, answers or not
    polar_suggestions_right: int = 0
    # "gold>found" -> count, for macro-F1 ("none" when no row)
    stance_confusion: dict = field(default_factory=dict)
    # confidence band -> [claims found in it, of which right quote and right speaker]
    bands: dict = field(default_factory=dict)

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            if name == "bands":
                for band, (total, right) in other.bands.items():
                    mine = self.bands.setdefault(band, [0, 0])
                    mine[0] += total
                    mine[1] += right
            elif name == "stance_confusion":
                for key, n in other.stance_confusion.items():
                    self.stance_confusion[key] = self.stance_confusion.get(key, 0) + n
            else:
                setattr(self, name, getattr(self, name) + getattr(other, name))


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


@dataclass
class Score:
    """Scores over one article or many."""

    counts: Counts = field(default_factory=Counts)

    @property
    def quote_precision(self) -> float | None:
        return _rate(self.counts.correct_direct, self.counts.predicted_direct)

    @property
    def quote_recall(self) -> float | None:
        return _rate(self.counts.found_direct, self.counts.gold_direct)

    @property
    def attribution_accuracy(self) -> float | None:
        """Of the gold quotes found, the share with the right speaker."""
        return _rate(self.counts.right_speaker_direct, self.counts.found_direct)

    @property
    def end_to_end_attribution(self) -> float | None:
        """Of all gold quotes, the share found with the right speaker."""
        return _rate(self.counts.right_speaker_direct, self.counts.gold_direct)

    @property
    def indirect_recall(self) -> float | None:
        return _rate(self.counts.found_indirect, self.counts.gold_indirect)

    @property
    def indirect_precision(self) -> float | None:
        return _rate(self.counts.correct_indirect, self.counts.predicted_indirect)

    @property
    def indirect_attribution_accuracy(self) -> float | None:
        return _rate(self.counts.right_speaker_indirect, self.counts.found_indirect)

    @property
    def stance_accuracy(self) -> float | None:
        """Of all gold (quote, topic) pairs, the share with the right stance (none: wrong)."""
        return _rate(self.counts.right_stances, self.counts.gold_stances)

    @property
    def stance_link_recall(self) -> float | None:
        return _rate(self.counts.linked_stances, self.counts.gold_stances)

    @property
    def polar_answer_precision(self) -> float | None:
        return _rate(self.counts.polar_answers_right, self.counts.polar_answers)

    @property
    def polar_suggestion_precision(self) -> float | None:
        return _rate(self.counts.polar_suggestions_right, self.counts.polar_suggestions)

    @property
    def stance_macro_f1(self) -> float | None:
        """Mean F1 of favor, against and neutral over gold pairs (no row: a miss)."""
        return macro_f1(self.counts.stance_confusion)

    def band_precision(self) -> dict[str, tuple[int, float | None]]:
        """Per confidence band: claims found in it, and the share right (quote and speaker)."""
        return {
            band: (total, _rate(right, total))
            for band, (total, right) in sorted(self.counts.bands.items())
        }

    def as_dict(self) -> dict:
        return {
            "quote_precision": self.quote_precision,
            "quote_recall": self.quote_recall,
            "attribution_accuracy": self.attribution_accuracy,
            "end_to_end_attribution": self.end_to_end_attribution,
            "indirect_recall": self.indirect_recall,
            "indirect_precision": self.indirect_precision,
            "indirect_attribution_accuracy": self.indirect_attribution_accuracy,
            "stance_accuracy": self.stance_accuracy,
            "stance_link_recall": self.stance_link_recall,
            "stance_macro_f1": self.stance_macro_f1,
            "polar_answer_precision": self.polar_answer_precision,
            "polar_suggestion_precision": self.polar_suggestion_precision,
            "bands": {
                b: {"claims": n, "precision": r} for b, (n, r) in self.band_precision().items()
            },
            "counts": {
                k: v
                for k, v in self.counts.__dict__.items()
                if k not in ("bands", "stance_confusion")
            },
        }


@dataclass
class ArticleScore(Score):
    name: str = ""
    misses: list[str] = field(default_factory=list)
    # (gold quote, the claim matched to it or None): what stance learning is scored on
    pairs: list[tuple[dict, ExtractedClaim | None]] = field(default_factory=list, repr=False)
    topics: frozenset[str] | None = None  # the topics scored in this article


def _words(text: str) -> Counter:
    return Counter(_WORD.findall(fold(text)))


def _overlap(gold: Counter, found: Counter) -> float:
    common = sum((gold & found).values())
    if not common:
        return 0.0
    if common < 0.5 * sum(gold.values()) or common < 0.5 * sum(found.values()):
        return 0.0
    return common / max(sum(gold.values()), sum(found.values()))


def _match(gold: list[dict], found: list[ExtractedClaim]) -> dict[int, int]:
    """Pair gold quotes with found claims one to one, best word overlap first."""
    pairs = []
    gold_words = [_words(g["text"]) for g in gold]
    found_words = [_words(f.text) for f in found]
    for gi, gw in enumerate(gold_words):
        for fi, fw in enumerate(found_words):
            score = _overlap(gw, fw)
            if score:
                pairs.append((score, gi, fi))
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _score, gi, fi in sorted(pairs, reverse=True):
        if gi not in matched and fi not in used:
            matched[gi] = fi
            used.add(fi)
    return matched


# Words that do not tell one speaker from another: articles, prepositions, titles.
_FILLER = frozenset(
    "le la les l un une des de du d au aux a en et the m mme mm mr mrs dr pr me monsieur madame".split()
)


def _content(name: str) -> list[str]:
    return [w for w in _WORD.findall(fold(name)) if w not in _FILLER]


def _names_match(gold: list[str], found: list[str], kind: str | None) -> bool:
    """Two names of one speaker: equal, or one a part of the other with the same head word.

    A person: the same surname ("Erdogan" for "Recep Tayyip Erdogan"). A role or an
    organisation: the same head noun and nothing contradicting ("procureur" for "procureur
    de Lyon", not "procureur" for "préfet").
    """
    if not gold or not found:
        return False
    if gold == found:
        return True
    smaller, larger = sorted((set(gold), set(found)), key=len)
    if not smaller <= larger:
        return False
    if kind in ("role", "organisation"):
        return gold[0] == found[0]
    return gold[-1] == found[-1]


def _same_speaker(gold: dict, claim: ExtractedClaim, gazetteer: Gazetteer) -> bool:
    said = gold.get("speaker")
    if said is None or claim.speaker is None:
        return said is None and claim.speaker is None
    kind = gold.get("speaker_type")
    target = _content(said)
    names = [claim.speaker.name]
    if claim.speaker.key is not None:
        known = gazetteer.speakers.get(claim.speaker.key)
        if known is not None:
            names += [known.name, *(alias for alias, _kind in known.aliases)]
        entry = gazetteer.entries.get(" ".join(_WORD.findall(fold(said))))
        if entry is not None and entry[0] == claim.speaker.key:
            return True
    return any(_names_match(target, _content(name), kind) for name in names)


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _who(claim: ExtractedClaim) -> str:
    return claim.speaker.name if claim.speaker else "no speaker"


def score_article(
    name: str,
    body: str,
    gold: list[dict],
    gazetteer: Gazetteer,
    topics: list[TopicSpec],
    scored_topics: set[str] | frozenset[str] | None = None,
    analysis: Analysis | None = None,
) -> ArticleScore:
    """Compare the extraction of ``body`` with ``gold``."""
    extraction = extract(body, gazetteer, topics, analysis)
    found = [c for c in extraction.claims if not c.fragment]
    result = ArticleScore(
        name=name, topics=frozenset(scored_topics) if scored_topics is not None else None
    )
    c = result.counts
    real_gold = [g for g in gold if not g.get("fragment")]
    matched: dict[int, int] = {}
    for kind in ("direct", "indirect"):
        gold_ids = [i for i, g in enumerate(real_gold) if g.get("kind", "direct") == kind]
        found_ids = [i for i, f in enumerate(found) if f.kind == kind]
        pairs = _match([real_gold[i] for i in gold_ids], [found[i] for i in found_ids])
        matched.update({gold_ids[g]: found_ids[f] for g, f in pairs.items()})
    right_claims: set[int] = set()
    for gi, g in enumerate(real_gold):
        kind = g.get("kind", "direct")
        fi = matched.get(gi)
        claim = found[fi] if fi is not None else None
        if kind == "direct":
            c.gold_direct += 1
        else:
            c.gold_indirect += 1
        who = g.get("speaker") or "no speaker"
        _score_stances(g, claim, scored_topics, result)
        result.pairs.append((g, claim))
        if claim is None:
            result.misses.append(f"missed {kind}: «{_short(g['text'])}» ({who})")
            continue
        right = _same_speaker(g, claim, gazetteer)
        if kind == "direct":
            c.found_direct += 1
            c.right_speaker_direct += right
        else:
            c.found_indirect += 1
            c.right_speaker_indirect += right
        if right:
            right_claims.add(fi)
        else:
            how = f" ({claim.speaker.how})" if claim.speaker else ""
            result.misses.append(
                f"wrong speaker: {kind} «{_short(g['text'])}» is {who}, extractor said "
                f"{_who(claim)}{how}"
            )
    gold_of = {f: g for g, f in matched.items()}
    for fi, claim in enumerate(found):
        direct = claim.kind == "direct"
        c.predicted_direct += direct
        c.predicted_indirect += not direct
        band = c.bands.setdefault(band_of(claim.confidence), [0, 0])
        band[0] += 1
        band[1] += fi in right_claims
        if fi in gold_of:
            c.correct_direct += direct
            c.correct_indirect += not direct
            continue
        fragment = any(
            g.get("fragment") and _overlap(_words(g["text"]), _words(claim.text)) for g in gold
        )
        what = "a scare quote" if fragment else "not in the gold"
        result.misses.append(
            f"extra {claim.kind} claim ({what}): «{_short(claim.text)}» → {_who(claim)}"
        )
    return result


def _score_stances(
    g: dict, claim: ExtractedClaim | None, scored_topics, result: ArticleScore
) -> None:
    c = result.counts
    suggested = {s.topic: s for s in claim.stances} if claim is not None else {}
    gold = g.get("stances") or {}
    for topic, stance in gold.items():
        if scored_topics is not None and topic not in scored_topics:
            continue
        c.gold_stances += 1
        row = suggested.get(topic)
        got = row.stance if row is not None else "none"
        key = f"{stance}>{got}"
        c.stance_confusion[key] = c.stance_confusion.get(key, 0) + 1
        c.linked_stances += row is not None
        if row is not None and got != "neutral":
            c.polar_suggestions += 1
            c.polar_suggestions_right += got == stance
            if not row.abstain:
                c.polar_answers += 1
                c.polar_answers_right += got == stance
        if got == stance:
            c.right_stances += 1
        else:
            why = f" ({', '.join(row.evidence)})" if row is not None and row.evidence else ""
            result.misses.append(
                f"stance on {topic}: «{_short(g['text'], 50)}» is {stance}, suggested {got}{why}"
            )
    for topic in suggested:
        if topic not in gold and (scored_topics is None or topic in scored_topics):
            c.extra_links += 1


def load_gold_topics(path: Path | None) -> list[TopicSpec] | None:
    """Evaluation topics from a ``topics.json`` (same shape as fixtures/topics.json)."""
    if path is None or not path.exists():
        return None
    items = json.loads(path.read_text(encoding="utf-8"))
    return [
        TopicSpec(
            key=t["slug"],
            keywords=tuple(t.get("keywords", ())),
            name=t.get("name", ""),
            favor=tuple(t.get("stance_cues", {}).get("favor", ())),
            against=tuple(t.get("stance_cues", {}).get("against", ())),
        )
        for t in items
    ]


def evaluate_set(
    gold_set: GoldSet, gazetteer: Gazetteer, topics: list[TopicSpec], use_nlp: bool = True
) -> tuple[Score, list[ArticleScore]]:
    """Score every article of ``gold_set``; returns the total and each article's score."""
    own_topics = load_gold_topics(gold_set.topics_file)
    topics = own_topics if own_topics is not None else topics
    total = Score()
    articles = []
    for article in gold_set.articles:
        analysis = nlp.analyze(article.body) if use_nlp else None
        score = score_article(
            article.name, article.body, article.quotes, gazetteer, topics, article.topics, analysis
        )
        total.counts.add(score.counts)
        articles.append(score)
    return total, articles


def evaluate_dir(
    directory: Path, gazetteer: Gazetteer, topics: list[TopicSpec], use_nlp: bool = True
) -> tuple[Score, list[ArticleScore]]:
    """Score a composed gold folder (every article in it)."""
    sets = load_gold_sets(directory)
    if len(sets) != 1:
        raise GoldError(f"{directory}: holds {len(sets)} gold sets; score each with evaluate_set")
    return evaluate_set(sets[0], gazetteer, topics, use_nlp)
