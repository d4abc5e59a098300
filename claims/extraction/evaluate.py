"""Score extraction against hand-written gold files (format: evaluation/README.md).

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
    parse_article,
)
from claims.extraction.normalize import fold

__all__ = ["ArticleScore", "GoldError", "Score", "evaluate_dir", "load_gold_topics"]

_WORD = re.compile(r"\w+")


class GoldError(ValueError):
    """A gold file that cannot be used; the message names the file."""


@dataclass
class Counts:
    """Raw counts; the rates are computed from them so articles add up."""

    gold_direct: int = 0
    found_direct: int = 0  # gold direct quotes matched by a predicted claim
    predicted_direct: int = 0
    correct_direct: int = 0  # predicted direct claims that match a gold quote with a speaker
    right_speaker_direct: int = 0
    gold_indirect: int = 0
    found_indirect: int = 0
    predicted_indirect: int = 0
    correct_indirect: int = 0
    right_speaker_indirect: int = 0
    gold_stances: int = 0
    right_stances: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
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
        return _rate(self.counts.right_speaker_direct, self.counts.found_direct)

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
        return _rate(self.counts.right_stances, self.counts.gold_stances)

    def as_dict(self) -> dict:
        return {
            "quote_precision": self.quote_precision,
            "quote_recall": self.quote_recall,
            "attribution_accuracy": self.attribution_accuracy,
            "indirect_recall": self.indirect_recall,
            "indirect_precision": self.indirect_precision,
            "indirect_attribution_accuracy": self.indirect_attribution_accuracy,
            "stance_accuracy": self.stance_accuracy,
            "counts": dict(self.counts.__dict__),
        }


@dataclass
class ArticleScore(Score):
    name: str = ""
    misses: list[str] = field(default_factory=list)


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


def _same_speaker(gold: str | None, claim: ExtractedClaim, gazetteer: Gazetteer) -> bool:
    if gold is None or claim.speaker is None:
        return gold is None and claim.speaker is None
    target = fold(gold)
    if claim.speaker.key is None:
        return fold(claim.speaker.name) == target
    entry = gazetteer.entries.get(" ".join(_WORD.findall(target)))
    return fold(claim.speaker.name) == target or (
        entry is not None and entry[0] == claim.speaker.key
    )


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def score_article(
    name: str,
    body: str,
    gold: list[dict],
    gazetteer: Gazetteer,
    topics: list[TopicSpec],
    scored_topics: set[str] | None = None,
    analysis: Analysis | None = None,
) -> ArticleScore:
    """Compare the extraction of ``body`` with ``gold``."""
    extraction = extract(body, gazetteer, topics, analysis)
    found = list(extraction.attributed)
    result = ArticleScore(name=name)
    c = result.counts
    real_gold = [g for g in gold if not g.get("fragment")]
    matched = _match(real_gold, found)
    for gi, g in enumerate(real_gold):
        kind = g.get("kind", "direct")
        has_speaker = g.get("speaker") is not None
        fi = matched.get(gi)
        claim = found[fi] if fi is not None else None
        if has_speaker:
            if kind == "direct":
                c.gold_direct += 1
            else:
                c.gold_indirect += 1
        if claim is None:
            if has_speaker:
                result.misses.append(f"missed {kind}: «{_short(g['text'])}» ({g['speaker']})")
            continue
        if not has_speaker:
            result.misses.append(
                f"attributed an anonymous {kind} claim to {claim.speaker.name}: «{_short(g['text'])}»"
            )
            continue
        right = _same_speaker(g["speaker"], claim, gazetteer)
        if kind == "direct":
            c.found_direct += 1
            c.right_speaker_direct += right
        else:
            c.found_indirect += 1
            c.right_speaker_indirect += right
        if not right:
            result.misses.append(
                f"wrong speaker: «{_short(g['text'])}» is {g['speaker']}, "
                f"extractor said {claim.speaker.name} ({claim.speaker.how})"
            )
        suggested = {s.topic: s.stance for s in claim.stances}
        for topic, stance in (g.get("stances") or {}).items():
            if scored_topics is not None and topic not in scored_topics:
                continue
            c.gold_stances += 1
            got = suggested.get(topic, "neutral")
            if got == stance:
                c.right_stances += 1
            else:
                result.misses.append(
                    f"stance on {topic}: «{_short(g['text'], 50)}» is {stance}, suggested {got}"
                )
    # Precision: every stored claim, against the gold claims that have a speaker.
    gold_of = {f: g for g, f in matched.items()}
    for fi, claim in enumerate(found):
        direct = claim.kind == "direct"
        c.predicted_direct += direct
        c.predicted_indirect += not direct
        gi = gold_of.get(fi)
        if gi is not None:
            if real_gold[gi].get("speaker") is not None:
                c.correct_direct += direct
                c.correct_indirect += not direct
            continue  # an anonymous claim given a speaker: reported above
        fragment = any(
            g.get("fragment") and _overlap(_words(g["text"]), _words(claim.text)) for g in gold
        )
        what = "a scare quote" if fragment else "not in the gold"
        result.misses.append(
            f"extra {claim.kind} claim ({what}): «{_short(claim.text)}» → {claim.speaker.name}"
        )
    return result


def load_gold_topics(directory: Path) -> list[TopicSpec] | None:
    """Evaluation topics from ``topics.json`` in a gold directory, if it has one."""
    path = directory / "topics.json"
    if not path.exists():
        return None
    items = json.loads(path.read_text(encoding="utf-8"))
    return [
        TopicSpec(
            key=t["slug"],
            keywords=tuple(t.get("keywords", ())),
            favor=tuple(t.get("stance_cues", {}).get("favor", ())),
            against=tuple(t.get("stance_cues", {}).get("against", ())),
        )
        for t in items
    ]


def _gold_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise GoldError(f"{directory}: is not a folder")
    files = sorted(p for p in directory.glob("*.json") if p.name != "topics.json")
    if not files:
        raise GoldError(f"{directory}: has no gold .json files")
    return files


def evaluate_dir(
    directory: Path, gazetteer: Gazetteer, topics: list[TopicSpec], use_nlp: bool = True
) -> tuple[Score, list[ArticleScore]]:
    """Score every gold file in ``directory``; returns the total and each article's score."""
    own_topics = load_gold_topics(directory)
    topics = own_topics if own_topics is not None else topics
    total = Score()
    articles = []
    for path in _gold_files(directory):
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GoldError(f"{path}: cannot be read as JSON ({exc})") from None
        article_path = path.parent / gold.get("article", path.with_suffix(".txt").name)
        try:
            body = parse_article(article_path.read_text(encoding="utf-8")).body
        except OSError as exc:
            raise GoldError(f"{path}: its article {article_path} cannot be read ({exc})") from None
        quotes = gold.get("quotes")
        if not isinstance(quotes, list) or not all(
            isinstance(q, dict) and "text" in q for q in quotes
        ):
            raise GoldError(f'{path}: needs a "quotes" list of objects with a "text"')
        scored = set(gold["topics"]) if "topics" in gold else None
        analysis = nlp.analyze(body) if use_nlp else None
        score = score_article(path.stem, body, quotes, gazetteer, topics, scored, analysis)
        total.counts.add(score.counts)
        articles.append(score)
    return total, articles
