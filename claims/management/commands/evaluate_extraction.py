"""``manage.py evaluate_extraction GOLD_DIR ...``: score the extractor against gold files."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims import selectors
from claims.extraction import Gazetteer, KnownSpeaker
from claims.extraction.evaluate import GoldError, Score, evaluate_dir

METRICS = [
    ("quote_precision", "quote precision"),
    ("quote_recall", "quote recall"),
    ("attribution_accuracy", "attribution accuracy"),
    ("indirect_recall", "indirect recall"),
    ("indirect_precision", "indirect precision"),
    ("indirect_attribution_accuracy", "indirect attribution"),
    ("stance_accuracy", "stance accuracy"),
]


def _fmt(value: float | None) -> str:
    return "   n/a" if value is None else f"{100 * value:5.1f}%"


class Command(BaseCommand):
    help = (
        "Score claim extraction against gold files (evaluation/README.md): quote precision and "
        "recall, attribution accuracy, indirect-speech recall, stance accuracy; misses listed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("gold_dirs", nargs="+", type=Path)
        parser.add_argument("--json", action="store_true", help="Print the scores as JSON.")
        parser.add_argument(
            "--no-nlp",
            action="store_true",
            help="Skip spaCy's entity recognizer (names found from capitals only).",
        )
        parser.add_argument(
            "--fail-under",
            action="append",
            default=[],
            metavar="METRIC=VALUE",
            help="Exit non-zero when a total falls below VALUE (0-1), e.g. quote_recall=0.95.",
        )

    def handle(self, *args, gold_dirs: list[Path], fail_under: list[str], **options):
        as_json = options["json"]
        thresholds = self._thresholds(fail_under)
        gazetteer = Gazetteer(self._speakers())
        topics = selectors.topic_specs()
        report = {}
        failed = []
        for directory in gold_dirs:
            try:
                total, articles = evaluate_dir(
                    directory, gazetteer, topics, use_nlp=not options["no_nlp"]
                )
            except GoldError as exc:
                raise CommandError(str(exc)) from None
            report[str(directory)] = {
                "total": total.as_dict(),
                "articles": {a.name: {**a.as_dict(), "misses": a.misses} for a in articles},
            }
            if not as_json:
                self._print(directory, total, articles, options["verbosity"])
            for metric, minimum in thresholds.items():
                value = getattr(total, metric)
                if value is not None and value < minimum:
                    failed.append(f"{directory}: {metric} {value:.4f} < {minimum}")
        if as_json:
            self.stdout.write(_json_dumps(report))
        if failed:
            raise CommandError("Below threshold: " + "; ".join(failed))

    def _speakers(self) -> list[KnownSpeaker]:
        # The database's speakers; on an empty database, the reference data (nothing written).
        speakers = selectors.known_speakers()
        if speakers:
            return speakers
        items = json.loads(
            (Path(settings.BASE_DIR) / "fixtures" / "speakers.json").read_text("utf-8")
        )
        return [
            KnownSpeaker(
                key=s["slug"],
                name=s["name"],
                kind=s["kind"],
                gender=s.get("gender", ""),
                role=s.get("role", ""),
                aliases=tuple((a["name"], a["kind"]) for a in s["aliases"]),
            )
            for s in items
        ]

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

    def _print(self, directory: Path, total: Score, articles, verbosity: int) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"{directory} ({len(articles)} articles)"))
        header = f"{'article':32} " + " ".join(f"{label[:12]:>12}" for _, label in METRICS)
        self.stdout.write(header)
        for article in articles:
            values = " ".join(f"{_fmt(getattr(article, m)):>12}" for m, _ in METRICS)
            self.stdout.write(f"{article.name[:32]:32} {values}")
        values = " ".join(f"{_fmt(getattr(total, m)):>12}" for m, _ in METRICS)
        self.stdout.write(self.style.SUCCESS(f"{'TOTAL':32} {values}"))
        c = total.counts
        self.stdout.write(
            f"direct: {c.found_direct}/{c.gold_direct} found, {c.correct_direct}/{c.predicted_direct} "
            f"stored correct, {c.right_speaker_direct} right speaker; indirect: {c.found_indirect}/"
            f"{c.gold_indirect} found; stances: {c.right_stances}/{c.gold_stances} right"
        )
        if verbosity >= 1:
            for article in articles:
                for miss in article.misses:
                    self.stdout.write(f"  {article.name}: {miss}")


def _json_dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
