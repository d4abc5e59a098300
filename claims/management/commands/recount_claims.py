"""``manage.py recount_claims``: repair the speakers' stored claim counts."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from claims.services.counts import claim_counts_recount


class Command(BaseCommand):
    help = (
        "Count every speaker's claims again and correct the stored counts that differ. Every "
        "write keeps them exact; this is a repair for a database written around the services."
    )

    def handle(self, *args, **options) -> None:
        corrected = claim_counts_recount()
        self.stdout.write(self.style.SUCCESS(f"{corrected} speaker count(s) corrected."))
