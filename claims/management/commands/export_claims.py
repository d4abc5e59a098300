"""``manage.py export_claims PATH``: the whole claims database as one JSON document."""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from claims.db import lift_statement_timeout
from claims.services import portability


class _Unended:
    """The command's stdout without the newline Django's wrapper adds to every write."""

    def __init__(self, wrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")


class Command(BaseCommand):
    help = (
        "Write sources, speakers, aliases, topics, claims and stances, with their ids and "
        "timestamps, to one JSON document that import_claims reads back into an empty "
        'database (README.md, "Export and import").'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "output",
            help="The file to write (a name ending in .gz is gzip-compressed); - for stdout.",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=2000,
            help="Rows read from the database at a time (default 2000).",
        )

    def handle(self, *args, output: str, chunk_size: int, **options) -> None:
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1")
        lift_statement_timeout()
        try:
            if output == "-":
                report = portability.claims_export(out=_Unended(self.stdout), chunk_size=chunk_size)
            else:
                report = self._to_file(Path(output), chunk_size)
        except portability.PortabilityError as exc:
            raise CommandError(f"Nothing exported: {exc}", returncode=1) from None
        except DatabaseError as exc:
            raise CommandError(
                f"Nothing exported: the database failed: {portability.first_line(exc)}",
                returncode=1,
            ) from None
        if options["verbosity"] >= 1:
            where = "standard output" if output == "-" else output
            message = f"Exported {portability.counts_text(report.counts)} to {where}."
            if output == "-":
                # Standard output holds the document.
                self.stderr.write(message, style_func=lambda text: text)
            else:
                self.stdout.write(self.style.SUCCESS(message))

    def _to_file(self, path: Path, chunk_size: int) -> portability.ExportReport:
        # Written beside the target and renamed at the end: a failed export never leaves a
        # half-written file under the name of a good one.
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        try:
            with _open_for_writing(partial, compress=path.suffix == ".gz") as file:
                report = portability.claims_export(out=file, chunk_size=chunk_size)
            partial.replace(path)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            reason = (
                f"the folder {path.parent} does not exist"
                if isinstance(exc, FileNotFoundError) and not path.parent.is_dir()
                else exc.strerror or str(exc)
            )
            raise CommandError(f"{path}: cannot be written: {reason}", returncode=1) from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return report


def _open_for_writing(path: Path, *, compress: bool) -> TextIO:
    if compress:
        return gzip.open(path, "wt", encoding="utf-8")
    return path.open("w", encoding="utf-8")
