"""The synthetic corpus: exact sizes, the offsets invariant, determinism (COPY on PostgreSQL)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import Claim, Source, Speaker, Stance, Topic

pytestmark = pytest.mark.django_db(transaction=True)


def generate(claims: int, seed: int) -> str:
    out = StringIO()
    call_command("generate_corpus", claims=claims, seed=seed, stdout=out)
    return out.getvalue()


def test_generate_corpus_sizes_and_invariant():
    out = generate(60, seed=3)
    assert out.startswith("Added 60 claims in 12 sources, 50 speakers, 50 topics, ")
    assert (Claim.objects.count(), Source.objects.count()) == (60, 12)
    assert (Speaker.objects.count(), Topic.objects.count()) == (50, 50)
    assert 60 <= Stance.objects.count() <= 120
    for claim in Claim.objects.select_related("source"):
        assert claim.source.text[claim.start : claim.end] == claim.text
        assert 150 <= len(claim.text) <= 400


def test_generate_corpus_is_deterministic_for_a_seed():
    generate(30, seed=5)
    first = list(Claim.objects.order_by("pk").values_list("text", "start", "end"))
    Stance.objects.all().delete()
    Claim.objects.all().delete()
    Source.objects.all().delete()
    generate(30, seed=5)
    second = list(Claim.objects.order_by("pk").values_list("text", "start", "end"))
    assert first == second
    generate(30, seed=6)
    third = list(Claim.objects.order_by("pk").values_list("text", flat=True))[30:]
    assert third != [text for text, _s, _e in first]


def test_generate_corpus_new_rows_get_fresh_ids_and_sequences_follow():
    generate(10, seed=1)
    generate(10, seed=1)
    assert Claim.objects.count() == 20
    source = Source.objects.create(key="after-corpus", text="x", content_hash="0" * 64)
    assert source.pk == Source.objects.order_by("-pk").values_list("pk", flat=True).first()


def test_generate_corpus_rejects_zero():
    with pytest.raises(CommandError):
        generate(0, seed=1)


def _schema_objects() -> tuple[set, set]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid::regclass::text LIKE 'claims_%'"
        )
        constraints = set(cursor.fetchall())
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'claims_%'")
        indexes = set(cursor.fetchall())
    return constraints, indexes


def test_generate_corpus_puts_back_every_index_and_constraint():
    from django.db import IntegrityError, connection

    if connection.vendor == "postgresql":
        # The COPY path drops secondary indexes and constraints and builds them again.
        before = _schema_objects()
        generate(20, seed=2)
        assert _schema_objects() == before
    else:
        generate(20, seed=2)
    # And they hold: a claim pointing at no source is refused.
    claim = Claim.objects.first()
    with pytest.raises(IntegrityError):
        Claim.objects.filter(pk=claim.pk).update(source_id=10**9)
