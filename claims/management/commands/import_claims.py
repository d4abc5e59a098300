"""``manage.py import_claims PATH``: fill an empty database from an export_claims file."""

from __future__ import annotations

import contextlib
import gzip
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from claims.db import lift_statement_timeout
from claims.services import article_files, importing, portability


class Command(BaseCommand):
    help = (
        "Read a document written by export_claims into a database that holds no claims data "
        "yet: every row with its id and timestamps, all or nothing "
        '(README.md, "Export and import").'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", help="The export file (.json, or gzip-compressed .gz); - for stdin."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=1000,
            help="Rows written to the database at a time (default 1000).",
        )

    def handle(self, *args, path: str, batch_size: int, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        name = "standard input" if path == "-" else path
        try:
            with _open_for_reading(path) as text:
                lift_statement_timeout()
                report = importing.claims_import(file=text, batch_size=batch_size)
        except OSError as exc:  # only opening: reading errors are PortabilityErrors
            reason = article_files.unreadable_reason(Path(path), exc)
            raise CommandError(f"{path}: {reason}", returncode=1) from None
        except portability.PortabilityError as exc:
            raise CommandError(f"{name}: nothing imported: {exc}", returncode=1) from None
        except DatabaseError as exc:
            raise CommandError(
                f"{name}: nothing imported, the database refused the import: "
                f"{portability.first_line(exc)}",
                returncode=1,
            ) from None
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {portability.counts_text(report.counts)} from {name} "
                    f"(exported at {report.exported_at})."
                )
            )


@contextlib.contextmanager
def _open_for_reading(path: str) -> Iterator[io.TextIOWrapper]:
    with contextlib.ExitStack() as stack:
        binary = sys.stdin.buffer if path == "-" else stack.enter_context(open(path, "rb"))
        # gzip is recognised by its first bytes, whatever the file is called.
        if binary.peek(2)[:2] == b"\x1f\x8b":
            binary = stack.enter_context(gzip.GzipFile(fileobj=binary))
        # utf-8-sig: a byte order mark that some editors add is skipped, not an error.
        text = io.TextIOWrapper(binary, encoding="utf-8-sig")
        try:
            yield text
        finally:
            text.detach()  # the files are the stack's to close (stdin is not closed)
