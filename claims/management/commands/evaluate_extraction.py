"""``manage.py evaluate_extraction GOLD_DIR ...``: score the extractor against gold sets."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from claims import selectors
from claims.extraction import Gazetteer
from claims.extraction.evaluate import Score, evaluate_set
from claims.extraction.gold import GoldError, check_real_news, load_gold_sets
from claims.extraction.results import METRICS, STANCE_METRICS, fmt, results_markdown
from claims.extraction.stance.evaluation import learning_report, off_topic_links, stance_pairs
from claims.services.reference import reference_speakers, reference_topics

_fmt = fmt


class Command(BaseCommand):
    help = (
        "Score claim extraction against gold sets (evaluation/README.md): quote recall and "
        "precision, attribution, reported speech, stances, precision by confidence band. "
        "Misses are listed, except for a real-news test half."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("gold_dirs", nargs="+", type=Path)
        parser.add_argument("--json", action="store_true", help="Print the scores as JSON.")
        parser.add_argument(
            "--no-nlp", action="store_true", help="Skip spaCy (names found from capitals only)."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check that the real-news texts are present with their sha256.",
        )
        parser.add_argument(
            "--results",
            type=Path,
            help="Also write the figures as Markdown to this file (evaluation/RESULTS.md).",
        )
        parser.add_argument(
            "--fail-under",
            action="append",
            default=[],
            metavar="METRIC=VALUE",
            help="Exit non-zero when a total falls below VALUE (0-1), e.g. quote_recall=0.95.",
        )

    def handle(self, *args, gold_dirs: list[Path], fail_under: list[str], **options):
        if options["check"]:
            self._check(gold_dirs)
            return
        as_json = options["json"]
        thresholds = self._thresholds(fail_under)
        # The database's speakers and topics; on an empty database, the reference data.
        try:
            speakers, topics = selectors.known_speakers(), selectors.topic_specs()
        except DatabaseError:
            # Scoring needs no database: a fresh checkout has not migrated yet.
            self.stderr.write("No migrated database: scoring with fixtures/ speakers and topics.")
            speakers, topics = [], []
        gazetteer = Gazetteer(speakers or reference_speakers())
        topics = topics or reference_topics()
        report, rows, failed = {}, [], []
        for directory in gold_dirs:
            try:
                gold_sets = load_gold_sets(directory)
            except GoldError as exc:
                raise CommandError(str(exc)) from None
            for gold_set in gold_sets:
                total, articles = evaluate_set(
                    gold_set, gazetteer, topics, use_nlp=not options["no_nlp"]
                )
                rows.append((gold_set, total, articles))
                report[gold_set.name] = {
                    "total": total.as_dict(),
                    "articles": {
                        a.name: {
                            **a.as_dict(),
                            **({"misses": a.misses} if gold_set.misses_readable else {}),
                        }
                        for a in articles
                    },
                }
                if not as_json:
                    self._print(gold_set, total, articles, options["verbosity"])
                for metric, minimum in thresholds.items():
                    value = getattr(total, metric)
                    if value is not None and value < minimum:
                        failed.append(f"{gold_set.name}: {metric} {value:.4f} < {minimum}")
        learning = self._learning(rows, as_json)
        if learning:
            report["stance_learning"] = learning
        if as_json:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        if options["results"]:
            options["results"].write_text(results_markdown(rows, learning), encoding="utf-8")
        if failed:
            raise CommandError("Below threshold: " + "; ".join(failed))

    def _learning(self, rows, as_json: bool) -> dict[str, dict]:
        """Stance learning for each real-news set: trained on its dev half, scored on its
        test half (only figures: the test half's misses stay unread)."""
        halves = {gold_set.name: articles for gold_set, _total, articles in rows}
        learning = {}
        for name, dev in halves.items():
            if not name.endswith(" (dev)"):
                continue
            base = name.removesuffix(" (dev)")
            test = halves.get(f"{base} (test)")
            if test is None:
                continue
            report = learning_report(
                stance_pairs(dev),
                stance_pairs(test),
                dev_off=off_topic_links(dev),
                test_off=off_topic_links(test),
            )
            learning[base] = report
            if not as_json:
                self.stdout.write(self.style.MIGRATE_HEADING(f"stance learning, {base}"))
                for point in report["curve"]:
                    self.stdout.write(
                        f"  trained on {point['fraction']:.0%} of dev ({point['trained_on']} "
                        f"pairs): accuracy {_fmt(point['accuracy'])} on the test half"
                    )
                self.stdout.write(
                    f"  leave one topic out: {_fmt(report['leave_one_topic_out_accuracy'])}; "
                    f"dev cross-validation {_fmt(report['dev_cross_validation']['accuracy'])}"
                )
        return learning

    def _check(self, gold_dirs: list[Path]) -> None:
        problems = []
        for directory in gold_dirs:
            if (directory / "split.json").exists():
                problems += check_real_news(directory)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} real-news text(s) missing or changed.")
        self.stdout.write("Every real-news text is present, with the sha256 its gold was made on.")

    def _thresholds(self, items: list[str]) -> dict[str, float]:
        known = {m for m, _ in METRICS}
        thresholds = {}
        for item in items:
            metric, _, value = item.partition("=")
            if metric not in known:
                raise CommandError(f"--fail-under {item!r}: metric must be one of {sorted(known)}")
            try:
                thresholds[metric] = float(value)
            except ValueError:
                raise CommandError(f"--fail-under {item!r}: {value!r} is not a number") from None
        return thresholds

    def _print(self, gold_set, total: Score, articles, verbosity: int) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"{gold_set.name} ({len(articles)} articles)"))
        labels = [label.split()[0][:10] + " " + label.split()[-1][:6] for _, label in METRICS]
        self.stdout.write(f"{'article':24} " + " ".join(f"{label:>17}" for label in labels))
        for article in articles:
            values = " ".join(f"{_fmt(getattr(article, m)):>17}" for m, _ in METRICS)
            self.stdout.write(f"{article.name[:24]:24} {values}")
        values = " ".join(f"{_fmt(getattr(total, m)):>17}" for m, _ in METRICS)
        self.stdout.write(self.style.SUCCESS(f"{'TOTAL':24} {values}"))
        c = total.counts
        self.stdout.write(
            f"direct: {c.found_direct}/{c.gold_direct} found, {c.correct_direct}/"
            f"{c.predicted_direct} found claims right, {c.right_speaker_direct} right speaker; "
            f"reported: {c.found_indirect}/{c.gold_indirect} found, {c.right_speaker_indirect} "
            f"right speaker; stances: {c.right_stances}/{c.gold_stances} right"
        )
        bands = ", ".join(
            f"{band}: {_fmt(rate)} of {n}" for band, (n, rate) in total.band_precision().items()
        )
        self.stdout.write(f"precision by confidence band (quote and speaker right): {bands}")
        if c.gold_stances:
            stance = ", ".join(
                f"{label} {_fmt(getattr(total, m)) if m != 'stance_macro_f1' else getattr(total, m)}"
                for m, label in STANCE_METRICS
            )
            self.stdout.write(f"stances (lexicon): {stance}")
        if not gold_set.misses_readable:
            self.stdout.write("(test half: misses are not shown; improve on the dev half)")
        elif verbosity >= 1:
            for article in articles:
                for miss in article.misses:
                    self.stdout.write(f"  {article.name}: {miss}")
