"""Each speaker's stored claim count, kept equal to its claims by the transaction that
writes them.

The speakers list shows and sorts by the count without counting a claim. Every write that
adds, removes or reassigns claims tallies what it did in a ``Counter`` (speaker id ->
change) and calls ``claim_counts_adjust`` once, last, in the transaction of the write (a
rollback takes the change back with the claims). Bulk loads that never read a count (the
import, the synthetic corpus) call ``claim_counts_recount`` instead; so may a person
repairing a database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from claims.models import Claim, Speaker

# What a speaker's save writes: everything but the count. A speaker read before a load
# and saved after it (a curator's form) would otherwise put back the count it read.
SPEAKER_SAVED_FIELDS = tuple(
    f.name for f in Speaker._meta.concrete_fields if not f.primary_key and f.name != "claim_count"
)


def speaker_write(speaker: Speaker) -> None:
    """Save ``speaker`` (version-guarded) without writing its claim count."""
    if speaker._state.adding or speaker.pk is None:
        speaker.save()
    else:
        speaker.save(update_fields=SPEAKER_SAVED_FIELDS)


def moved(old: int | None, new: int | None) -> Counter:
    """The change when one claim goes from speaker ``old`` to ``new`` (None: no speaker)."""
    return Counter() if old == new else Counter({old: -1, new: 1})


def claim_counts_adjust(changes: Mapping[int | None, int]) -> None:
    """Add each change to its speaker's stored count, in the caller's transaction.

    One ``UPDATE ... SET claim_count = claim_count + n`` per speaker: it reads the row as
    committed when it gets the lock, so concurrent writers add up instead of overwriting
    each other. Rows are locked in id order and by the last statement of every write, so
    two loads touching the same speakers wait for each other, never deadlock. The version
    does not move: a count is not an edit, and must not make a curator's save conflict.
    """
    rows = [
        (changes[pk], pk) for pk in sorted(p for p, n in changes.items() if p is not None and n)
    ]
    if not rows:
        return
    table = connection.ops.quote_name(Speaker._meta.db_table)
    with connection.cursor() as cursor:
        # One statement per speaker, in id order, sent as one batch: the ORM's update() per
        # row cost a loaded article more than its claims' inserts.
        cursor.executemany(
            f"UPDATE {table} SET claim_count = claim_count + %s WHERE id = %s",
            rows,
        )


def claim_counts_recount(
    *, speakers: QuerySet[Speaker] | None = None, using: str = DEFAULT_DB_ALIAS
) -> int:
    """Set the stored counts of ``speakers`` (all by default) from their claims, in one
    statement; returns how many were wrong. For bulk loads and repairs: unlike
    ``claim_counts_adjust`` it is not exact against claims written concurrently."""
    rows = Speaker.objects.using(using)
    if speakers is not None:
        rows = rows.filter(pk__in=speakers.values("pk"))
    counted = (
        Claim.objects.using(using)
        .filter(speaker=OuterRef("pk"))
        .order_by()
        .values("speaker")
        .annotate(n=Count("pk"))
        .values("n")
    )
    real = Coalesce(Subquery(counted, output_field=IntegerField()), 0)
    return rows.alias(real=real).exclude(claim_count=F("real")).update(claim_count=real)
