"""evaluation/RESULTS.md and the printed summaries: the figures of ``evaluate`` and of
``stance.evaluation`` as Markdown. Pure formatting."""

from __future__ import annotations

import datetime as dt

METRICS = [
    ("quote_recall", "quote recall"),
    ("quote_precision", "quote precision"),
    ("attribution_accuracy", "attribution of found"),
    ("end_to_end_attribution", "end-to-end attribution"),
    ("indirect_recall", "reported recall"),
    ("indirect_precision", "reported precision"),
    ("indirect_attribution_accuracy", "reported speaker right"),
    ("stance_accuracy", "stance accuracy"),
]
STANCE_METRICS = [
    ("stance_link_recall", "link recall"),
    ("stance_accuracy", "stance accuracy"),
    ("stance_macro_f1", "macro-F1"),
    ("polar_answer_precision", "polar answers right"),
    ("polar_suggestion_precision", "polar suggestions right"),
]


def fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _f1(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def stance_lines(rows) -> list[str]:
    lines = [
        "## Stances, cold start (the lexicon alone, no trained model)",
        "",
        "Over every gold (quote, topic) pair of each set: a quote not found or not linked to "
        "the topic counts as wrong. Polar answers: favor/against above the confidence "
        "threshold; polar suggestions: every favor/against row.",
        "",
        "| set | pairs | " + " | ".join(label for _, label in STANCE_METRICS) + " |",
        "|---|---:|" + "---:|" * len(STANCE_METRICS),
    ]
    for gold_set, total, _articles in rows:
        if not total.counts.gold_stances:
            continue
        values = " | ".join(
            _f1(getattr(total, m)) if m == "stance_macro_f1" else fmt(getattr(total, m))
            for m, _ in STANCE_METRICS
        )
        lines.append(f"| {gold_set.name} | {total.counts.gold_stances} | {values} |")
    return lines


def learning_lines(name: str, report: dict) -> list[str]:
    cold = report["cold_start"]
    lines = [
        "",
        f"## Stances learned from curators ({name})",
        "",
        "The dev half's gold stances play the curators' (their articles taken in a random "
        "order); the model is scored on the test half. Pairs the extraction did not link count "
        f"as wrong (link recall {fmt(report['link_recall'])}).",
        "",
        "| trained on | dev pairs | accuracy | macro-F1 | polar answers right (of) |",
        "|---|---:|---:|---:|---:|",
    ]
    for point in report["curve"]:
        label = (
            "cold start (lexicon)" if point["fraction"] == 0 else f"{point['fraction']:.0%} of dev"
        )
        lines.append(
            f"| {label} | {point['trained_on']} | {fmt(point['accuracy'])} | "
            f"{_f1(point['macro_f1'])} | {fmt(point['polar_answer_precision'])} "
            f"({point['polar_answers']}) |"
        )
    best = report["curve"][-1]
    gain = (
        None
        if best["accuracy"] is None or cold["accuracy"] is None
        else best["accuracy"] - cold["accuracy"]
    )
    lines += [
        "",
        f"Gain over the cold start after the whole dev half: "
        f"{'n/a' if gain is None else f'{100 * gain:+.1f} points'}.",
        "",
        "Leave one topic out (trained on the dev half without the topic, scored on the "
        "topic's test pairs):",
        "",
        "| topic | in dev | pairs | accuracy | macro-F1 |",
        "|---|---|---:|---:|---:|",
    ]
    for topic, v in report["leave_one_topic_out"].items():
        lines.append(
            f"| {topic} | {'yes' if v['seen_in_dev'] else 'no'} | {v['pairs']} | "
            f"{fmt(v['accuracy'])} | {_f1(v['macro_f1'])} |"
        )
    cv = report["dev_cross_validation"]
    lines += [
        "",
        f"Over all held-out topics: {fmt(report['leave_one_topic_out_accuracy'])}. "
        f"Cross-validation on the dev half's gold (folds by article, as `train_stance` "
        f"reports): {fmt(cv['accuracy'])} over {cv['folds']} folds.",
    ]
    off = report.get("off_topic")
    if off:
        lines += [
            "",
            "Dismissals as training data: the dev half's off-topic links (a found quote linked "
            "to a topic its gold gives no stance on, what a curator would remove) teach the "
            f"link model; {off['dismissals_trained_on']} of them. On the test half it doubts "
            f"{off['off_topic_doubted']} of {off['off_topic_links']} off-topic links and "
            f"{off['gold_doubted']} of {off['gold_links']} linked gold pairs (doubted pairs "
            "stay, as suggestions for review).",
        ]
    return lines


def results_markdown(rows, learning: dict[str, dict] | None = None) -> str:
    lines = [
        "# Extraction scores",
        "",
        f"Made by `make evaluate` on {dt.date.today().isoformat()}. Rates over all gold "
        "quotations of each set (fragments excluded); a quotation whose speaker is unknown "
        "counts as right when it is kept with no speaker. Real-news texts are third-party and "
        "not committed: `make evaluate` rebuilds nothing, it checks them by sha256 "
        "(`evaluation/realnews/ANNOTATION.md`).",
        "",
        "| set | articles | " + " | ".join(label for _, label in METRICS) + " |",
        "|---|---:|" + "---:|" * len(METRICS),
    ]
    for gold_set, total, articles in rows:
        values = " | ".join(fmt(getattr(total, m)) for m, _ in METRICS)
        lines.append(f"| {gold_set.name} | {len(articles)} | {values} |")
    lines += ["", "Counts and precision by confidence band (quote and speaker right):", ""]
    for gold_set, total, _articles in rows:
        c = total.counts
        bands = ", ".join(
            f"{band} {fmt(rate)} of {n}" for band, (n, rate) in total.band_precision().items()
        )
        lines.append(
            f"- **{gold_set.name}**: direct {c.found_direct}/{c.gold_direct} found, "
            f"{c.right_speaker_direct} with the right speaker, {c.predicted_direct - c.correct_direct} "
            f"extra; reported {c.found_indirect}/{c.gold_indirect} found, "
            f"{c.right_speaker_indirect} right speaker, {c.predicted_indirect - c.correct_indirect} "
            f"extra; stances {c.right_stances}/{c.gold_stances}. Bands: {bands}."
        )
    lines += ["", "Per article:", ""]
    for gold_set, _total, articles in rows:
        lines += [
            f"### {gold_set.name}",
            "",
            "| article | " + " | ".join(label for _, label in METRICS[:7]) + " |",
            "|---|" + "---:|" * 7,
        ]
        for a in articles:
            lines.append(
                f"| {a.name} | " + " | ".join(fmt(getattr(a, m)) for m, _ in METRICS[:7]) + " |"
            )
        lines.append("")
    lines += ["", *stance_lines(rows)]
    for name, report in (learning or {}).items():
        lines += learning_lines(name, report)
    lines.append("")
    return "\n".join(lines)
