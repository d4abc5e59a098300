"""``manage.py restance [--topic SLUG]``: re-run the automatic stances of stored claims."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.services import stancing


class Command(BaseCommand):
    help = (
        "Re-run the automatic stances of every stored claim with the lexicon and the newest "
        "trained model (a topic a curator just added gets its stances this way). Manual "
        "stances and pairs a curator dismissed are left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--topic", metavar="SLUG", help="Only this topic's stances.")

    def handle(self, *args, topic: str | None, verbosity: int, **options) -> None:
        def progress(done: int, total: int) -> None:
            if verbosity >= 2 and (done % 50 == 0 or done == total):
                self.stderr.write(f"  {done}/{total} articles")

        try:
            result = stancing.restance(topic=topic, progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        how = result.model or "the lexicon (no trained model yet: run train_stance)"
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.sources} articles, {result.claims} claims: {result.changed} with "
                f"stances changed, by {how}."
            )
        )
        if result.not_found:
            self.stdout.write(
                f"{result.not_found} claims are no longer where the extractor finds them "
                "(curated or moved): their stances are as they were."
            )
