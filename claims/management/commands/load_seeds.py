"""``manage.py load_seeds [PATH ...]``: load articles, extract claims; safe to run again."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.db import lift_statement_timeout
from claims.services import article_files, loading, reference


class Command(BaseCommand):
    help = (
        "Load plain-text articles (.txt files, or folders of them; default: seeds/), extract "
        "their claims, speakers and stances. Re-running changes nothing that a curator touched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths", nargs="*", type=Path, help="Files or folders (default: seeds/)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument(
            "--language", default="fr", help="ISO 639-1 language of the articles (default: fr)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Processes for the NLP pipeline (default 1; the machine has "
            f"{os.cpu_count()} cores).",
        )
        parser.add_argument(
            "--batch-size", type=int, default=16, help="Articles per NLP batch (default 16)."
        )
        parser.add_argument(
            "--no-nlp",
            action="store_true",
            help="Skip spaCy's entity recognizer: faster, finds fewer new people.",
        )

    def handle(self, *args, paths: list[Path], dry_run: bool, language: str, **options) -> None:
        verbosity = options["verbosity"]
        if len(language) != 2 or not language.isalpha() or not language.islower():
            raise CommandError(
                f"--language {language!r}: give a two-letter ISO 639-1 code, e.g. fr"
            )
        if options["workers"] < 1 or options["batch_size"] < 1:
            raise CommandError("--workers and --batch-size must be at least 1")
        paths = paths or [Path(settings.BASE_DIR) / "seeds"]
        files, failures, skipped = self._collect(paths)
        if skipped and verbosity >= 1:
            self.stdout.write(
                f"{len(skipped)} file(s) in the folders skipped: not .txt"
                + ("" if verbosity >= 2 else " (-v 2 lists them)")
            )
            if verbosity >= 2:
                for path in skipped:
                    self.stdout.write(f"    skipped, not .txt: {path}")

        lift_statement_timeout()
        installed = reference.reference_install()
        if verbosity >= 2 and (installed.speakers_created or installed.topics_created):
            self.stdout.write(
                f"Reference data: {installed.speakers_created} speakers, "
                f"{installed.aliases_created} aliases, {installed.topics_created} topics installed."
            )
        context = loading.LoadContext()
        results: list[loading.LoadResult] = []
        timings = loading.LoadTimings()
        for outcome in loading.sources_load(
            paths=files,
            context=context,
            dry_run=dry_run,
            language=language,
            use_nlp=not options["no_nlp"],
            workers=options["workers"],
            batch_size=options["batch_size"],
            timings=timings,
        ):
            if isinstance(outcome, article_files.SourceFileError):
                failures.append((outcome.path, outcome.reason))
                self.stderr.write(self.style.ERROR(f"{outcome.path}: {outcome.reason}"))
                continue
            results.append(outcome)
            if verbosity >= 2:
                self._report_file(outcome)
        if verbosity >= 2:
            self.stdout.write(
                f"Time: {timings.nlp_seconds:.2f} s in spaCy, "
                f"{timings.other_seconds:.2f} s reading, extracting and writing."
            )
        self._summary(results, failures, dry_run)
        if failures:
            raise CommandError(
                f"{len(failures)} file(s) could not be loaded; see above.", returncode=1
            )

    def _collect(self, paths: list[Path]) -> tuple[list[Path], list[tuple[str, str]], list[Path]]:
        """The files to load, the paths that cannot be, and the folders' other files."""
        files: list[Path] = []
        failures: list[tuple[str, str]] = []
        skipped: list[Path] = []

        def fail(path: Path, reason: str) -> None:
            failures.append((str(path), reason))
            self.stderr.write(self.style.ERROR(f"{path}: {reason}"))

        for path in paths:
            try:
                if not path.is_dir():
                    path.stat()  # a missing file or a link loop is reported before loading
                    files.append(path)
                    continue
                # Files in the folder that cannot be read are reported by the loader. The
                # suffix in any case: A.TXT was skipped without a word.
                entries = sorted(p for p in path.iterdir() if not p.is_dir())
                found = [p for p in entries if p.suffix.lower() == ".txt"]
                skipped.extend(p for p in entries if p.suffix.lower() != ".txt")
                if not found:
                    fail(path, "is a folder with no .txt files")
                files.extend(found)
            except OSError as exc:
                fail(path, article_files.unreadable_reason(path, exc))
        return files, failures, skipped

    def _report_file(self, r: loading.LoadResult) -> None:
        line = (
            f"{r.path}: source {r.source}; claims +{r.claims_created} ~{r.claims_updated} "
            f"={r.claims_unchanged} -{r.claims_removed}"
        )
        if r.claims_kept_for_curator:
            line += f", {r.claims_kept_for_curator} kept as the curator left them"
        if r.speakers_created:
            line += f"; new speakers to review: {', '.join(r.speakers_created)}"
        self.stdout.write(line)
        for text in r.unattributed:
            self.stdout.write(f"    no speaker found for: «{text[:70]}»")

    def _summary(self, results, failures, dry_run: bool) -> None:
        def count(state: str) -> int:
            return sum(r.source == state for r in results)

        speakers = sum(len(r.speakers_created) for r in results)
        prefix = "Dry run, nothing written. Would have: " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{len(results) + len(failures)} files read, {len(failures)} failed. "
                f"Sources: {count('created')} created, {count('updated')} updated, "
                f"{count('unchanged')} unchanged. "
                f"Claims: {sum(r.claims_created for r in results)} created, "
                f"{sum(r.claims_updated for r in results)} updated, "
                f"{sum(r.claims_unchanged for r in results)} unchanged, "
                f"{sum(r.claims_removed for r in results)} removed, "
                f"{sum(r.claims_kept_for_curator for r in results)} kept for curators. "
                f"Speakers: {speakers} created."
            )
        )
