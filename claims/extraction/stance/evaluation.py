"""How stance learning does on gold sets: the dev half plays the curators' stances, the
test half the new articles. Cold start (the lexicon alone), a learning curve over growing
shares of the dev half's articles, leave-one-topic-out, and cross-validation on the dev
half, folds by article.

Every gold (quote, topic) pair of the test half counts: a quote not found or not linked to
the topic is a wrong answer, as it is for a reader of the database.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from claims.extraction.evaluate import ArticleScore, macro_f1
from claims.extraction.normalize import fold
from claims.extraction.stance.learning import (
    LINK_DOUBT_AT,
    UNRELATED,
    Example,
    Predictor,
    Priors,
    cross_validate,
    fit,
)

__all__ = ["StancePair", "learning_report", "off_topic_links", "stance_pairs"]

FRACTIONS = (0.0, 0.25, 0.5, 1.0)


@dataclass(frozen=True)
class StancePair:
    """A gold (quote, topic) pair with what the extraction gave it."""

    gold: str  # the gold stance
    example: Example  # as the system sees it: the claim's text, its lexicon suggestion
    linked: bool  # the extraction found the quote and linked it to the topic
    curated: Example  # as a curator would have stored it (gold text and speaker)


def stance_pairs(articles: Sequence[ArticleScore]) -> list[StancePair]:
    pairs = []
    for article in articles:
        for g, claim in article.pairs:
            for topic, stance in (g.get("stances") or {}).items():
                if article.topics is not None and topic not in article.topics:
                    continue
                suggestion = None
                if claim is not None:
                    suggestion = next((s for s in claim.stances if s.topic == topic), None)
                who = claim.speaker if claim is not None else None
                example = Example(
                    text=claim.text if claim is not None else g["text"],
                    topic=topic,
                    lexicon=suggestion,
                    group=article.name,
                    speaker=fold(who.name) if who is not None else "",
                    cue=claim.cue if claim is not None else "",
                    speaker_words=f"{who.name} {who.role or ''}" if who is not None else "",
                )
                curated = Example(
                    text=g["text"],
                    topic=topic,
                    lexicon=suggestion,
                    group=article.name,
                    speaker=fold(g.get("speaker") or ""),
                    label=stance,
                    cue=g.get("cue") or "",
                    speaker_words=g.get("speaker") or "",
                )
                pairs.append(StancePair(stance, example, suggestion is not None, curated))
    return pairs


def off_topic_links(articles: Sequence[ArticleScore]) -> list[Example]:
    """The extraction's links a curator would dismiss: a found gold quote linked to a topic
    its gold gives no stance on (labelled UNRELATED, as a dismissal is)."""
    out = []
    for article in articles:
        for g, claim in article.pairs:
            if claim is None:
                continue
            for suggestion in claim.stances:
                if suggestion.topic in (g.get("stances") or {}):
                    continue
                if article.topics is not None and suggestion.topic not in article.topics:
                    continue  # a topic the gold does not score here: no decision either way
                who = claim.speaker
                out.append(
                    Example(
                        text=claim.text,
                        topic=suggestion.topic,
                        lexicon=suggestion,
                        group=article.name,
                        speaker=fold(who.name) if who is not None else "",
                        label=UNRELATED,
                        cue=claim.cue,
                        speaker_words=f"{who.name} {who.role or ''}" if who is not None else "",
                    )
                )
    return out


def _link_report(
    dev: Sequence[StancePair],
    dev_off: Sequence[Example],
    test: Sequence[StancePair],
    test_off: Sequence[Example],
) -> dict | None:
    """Trained on the dev half's stances and dismissals: how many of the test half's
    off-topic links the model doubts, and how many of its linked gold pairs."""
    # As curators see them: the extraction's claims, with their decisions.
    train = [replace(p.example, label=p.gold) for p in dev if p.linked] + list(dev_off)
    parameters = fit(train) if len({e.label for e in train if e.label != UNRELATED}) > 1 else {}
    if "link" not in parameters:
        return None
    predictor = Predictor.from_parameters("eval", parameters)
    priors = Priors.of([e for e in train if e.label != UNRELATED])

    def doubted(examples: Sequence[Example]) -> int:
        return sum(predictor.predict(e, priors).off_topic >= LINK_DOUBT_AT for e in examples)

    linked = [p.example for p in test if p.linked]
    return {
        "dismissals_trained_on": len(dev_off),
        "off_topic_links": len(test_off),
        "off_topic_doubted": doubted(test_off),
        "gold_links": len(linked),
        "gold_doubted": doubted(linked),
    }


def _scores(pairs: Sequence[StancePair], answers: Sequence[tuple[str, bool]]) -> dict:
    """``answers``: per pair, (stance or "none", abstained)."""
    confusion: Counter = Counter()
    right = polar = polar_right = 0
    for pair, (got, abstain) in zip(pairs, answers, strict=True):
        confusion[f"{pair.gold}>{got}"] += 1
        right += got == pair.gold
        if got in ("favor", "against") and not abstain:
            polar += 1
            polar_right += got == pair.gold
    n = len(pairs)
    return {
        "pairs": n,
        "accuracy": round(right / n, 4) if n else None,
        "macro_f1": macro_f1(dict(confusion)),
        "polar_answers": polar,
        "polar_answer_precision": round(polar_right / polar, 4) if polar else None,
    }


def _lexicon_answers(pairs: Sequence[StancePair]) -> list[tuple[str, bool]]:
    return [
        (p.example.lexicon.stance, p.example.lexicon.abstain) if p.linked else ("none", False)
        for p in pairs
    ]


def _model_answers(
    pairs: Sequence[StancePair], predictor: Predictor, priors: Priors
) -> list[tuple[str, bool]]:
    answers = []
    for p in pairs:
        if not p.linked:
            answers.append(("none", False))
            continue
        s = predictor.predict(p.example, priors)
        answers.append((s.stance, s.abstain))
    return answers


def _trained(train: Sequence[Example]) -> tuple[Predictor, Priors] | None:
    if len({e.label for e in train}) < 2:
        return None
    return Predictor.from_parameters("eval", fit(train)), Priors.of(train)


def learning_report(
    dev: Sequence[StancePair],
    test: Sequence[StancePair],
    seed: int = 0,
    dev_off: Sequence[Example] = (),
    test_off: Sequence[Example] = (),
) -> dict:
    """The figures of evaluation/RESULTS.md's stance-learning section; ``dev_off`` and
    ``test_off``: each half's off-topic links (``off_topic_links``)."""
    curated = [p.curated for p in dev]
    groups = sorted({e.group for e in curated})
    random.Random(seed).shuffle(groups)  # curators take articles in no particular order
    curve = []
    for fraction in FRACTIONS:
        chosen = set(groups[: round(fraction * len(groups))])
        train = [e for e in curated if e.group in chosen]
        trained = _trained(train)
        answers = _lexicon_answers(test) if trained is None else _model_answers(test, *trained)
        curve.append({"fraction": fraction, "trained_on": len(train), **_scores(test, answers)})
    loto = {}
    for topic in sorted({p.example.topic for p in test}):
        held = [p for p in test if p.example.topic == topic]
        train = [e for e in curated if e.topic != topic]
        trained = _trained(train)
        answers = _lexicon_answers(held) if trained is None else _model_answers(held, *trained)
        loto[topic] = {
            "seen_in_dev": any(e.topic == topic for e in curated),
            **_scores(held, answers),
        }
    unseen = [p for p in test if p.example.topic in loto]
    loto_right = sum(
        round(v["accuracy"] * v["pairs"]) for v in loto.values() if v["accuracy"] is not None
    )
    return {
        "link_recall": round(sum(p.linked for p in test) / len(test), 4) if test else None,
        "cold_start": _scores(test, _lexicon_answers(test)),
        "curve": curve,
        "leave_one_topic_out": loto,
        "leave_one_topic_out_accuracy": round(loto_right / len(unseen), 4) if unseen else None,
        "dev_cross_validation": cross_validate(curated),
        "off_topic": _link_report(dev, dev_off, test, test_off),
    }
