"""``manage.py generate_corpus --claims N [--seed S]``: a synthetic corpus for scale tests."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.db import lift_statement_timeout
from claims.services import corpus


class Command(BaseCommand):
    help = (
        "Add a deterministic synthetic corpus: French-like claims of 150-400 characters, about "
        "5 per source, thousands of Zipf-skewed speakers, 50 topics, 1-2 stances per claim, "
        "dates over ten years. Uses COPY on PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claims", type=int, required=True, help="How many claims to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")

    def handle(self, *args, claims: int, seed: int, **options) -> None:
        if claims < 1:
            raise CommandError("--claims must be at least 1")
        lift_statement_timeout()
        report = corpus.generate(claims=claims, seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {report.claims} claims in {report.sources} sources, {report.speakers} "
                f"speakers, {report.topics} topics, {report.stances} stances "
                f"in {report.seconds:.1f} s."
            )
        )
