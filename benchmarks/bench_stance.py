"""Stance learning cost: fitting the classifier, predicting one claim's stance, memory.

    python benchmarks/bench_stance.py [--runs 5] [--scale 10] [--out BENCHMARKS.md]

The examples are the gold stances of the committed composed articles (evaluation/articles),
extracted with the parser as ``train_stance`` does; ``--scale`` copies them as that many
articles apiece, to time a curated set of a size a team reaches in weeks. Timed in this
process, medians of ``--runs``; memory is the peak of Python allocations while fitting
(tracemalloc) and the size of the stored JSON parameters.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.bench_loader import replace_section  # noqa: E402

HEADING = "## Stance learning"


def examples():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from claims.extraction import Gazetteer
    from claims.extraction.evaluate import evaluate_dir
    from claims.extraction.stance.evaluation import off_topic_links, stance_pairs
    from claims.services.reference import reference_speakers, reference_topics

    started = time.perf_counter()
    _total, articles = evaluate_dir(
        ROOT / "evaluation" / "articles", Gazetteer(reference_speakers()), reference_topics()
    )
    parse_seconds = time.perf_counter() - started
    pairs = stance_pairs(articles)
    # The links a curator would remove: the dismissals the link model learns from.
    dismissed = off_topic_links(articles)
    curated = [p.curated for p in pairs] + dismissed
    return curated, [p.example for p in pairs], len(articles), parse_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    from claims.extraction.stance.learning import UNRELATED, Predictor, Priors, cross_validate, fit

    curated, seen, n_articles, parse_seconds = examples()
    big = [
        replace(e, group=f"{e.group}#{copy}", speaker=f"{e.speaker}#{copy % 3}")
        for copy in range(args.scale)
        for e in curated
    ]
    fit(curated)  # imports scikit-learn and warms it up: not part of any timing
    rows = []
    dismissals = sum(e.label == UNRELATED for e in curated)
    for name, train in (
        (f"{len(curated) - dismissals} curated stances, {dismissals} dismissals", curated),
        (f"{len(big)} ({args.scale} copies)", big),
    ):
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            parameters = fit(train)
            times.append(time.perf_counter() - started)
        tracemalloc.start()
        parameters = fit(train)
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size = len(json.dumps(parameters))
        started = time.perf_counter()
        cross_validate(train)
        cv_seconds = time.perf_counter() - started
        predictor = Predictor.from_parameters("bench", parameters)
        priors = Priors.of(train)
        per = []
        for _ in range(args.runs):
            started = time.perf_counter()
            for e in seen:
                predictor.predict(e, priors)
            per.append((time.perf_counter() - started) / len(seen))
        rows.append(
            (
                name,
                statistics.median(times),
                cv_seconds,
                statistics.median(per) * 1e6,
                peak / 2**20,
                size / 2**10,
                f"{len(parameters['weights'])} + {len(parameters.get('link', {}).get('weights', {}))}",
            )
        )
    lines = [
        HEADING,
        "",
        f"`make bench` (`benchmarks/bench_stance.py --runs {args.runs} --scale {args.scale}`), "
        f"{time.strftime('%Y-%m-%d')}, one process on this 2-core machine, medians of "
        f"{args.runs} runs. Examples: the gold stances of the {n_articles} composed articles "
        f"(evaluation/articles) and, as dismissals, the links they give to a topic their gold "
        "gives no stance on; extracted with the parser "
        f"({parse_seconds:.1f} s for the "
        f"{n_articles} articles, loading spaCy included: `train_stance` parses each curated "
        "article once), then copied as "
        f"{args.scale} times as many articles. Prediction: one (claim, topic) pair, features "
        "and the dot products (stance and link models), in pure Python from the stored JSON.",
        "",
        "| training set | fit (s) | cross-validation, 5 folds (s) | predict one pair (µs) "
        "| fit peak memory (MiB) | stored parameters (KiB) | weights (stance + link) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, fit_s, cv_s, predict_us, peak, size, weights in rows:
        lines.append(
            f"| {name} | {fit_s:.2f} | {cv_s:.2f} | {predict_us:.0f} | {peak:.1f} | "
            f"{size:.0f} | {weights} |"
        )
    report = "\n".join(lines) + "\n"
    print(report)
    if args.out:
        replace_section(args.out, HEADING, report)


if __name__ == "__main__":
    main()
