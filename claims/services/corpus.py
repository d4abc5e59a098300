"""A realistic synthetic corpus for scale tests: French-like claims, Zipf-skewed speakers.

Deterministic for a seed. On PostgreSQL rows go in with COPY (psycopg 3); elsewhere with
bulk inserts. Every claim satisfies ``source.text[start:end] == text``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from claims.extraction.normalize import fold, slugify
from claims.models import Alias, Claim, Source, Speaker, Stance, Topic
from claims.services.counts import claim_counts_recount

_FIRST = (
    "Claire Jean Marie Pierre Sophie Luc Anne Marc Julie Paul Léa Hugo Inès Louis Camille Thomas "
    "Nadia Karim Hélène Yannick Chloé Antoine Manon Rafael Elena Olivier Sandrine Mathieu Aïcha "
    "Bruno Laura Denis Emma Victor Agathe Malik Sarah Julien Noémie Franck"
).split()
_LAST = (
    "Dumont Leroy Martin Bernard Dubois Moreau Laurent Simon Michel Lefebvre Garcia Roux Fournier "
    "Girard Bonnet Mercier Lambert Fontaine Rousseau Vincent Muller Faure Andre Chevalier Robin "
    "Masson Sanchez Nicolas Perrin Morin Mathieu Clement Gauthier Dumas Henry Perrot Colin Renaud"
).split()
_ROLES = (
    "ministre de l'Économie",
    "porte-parole du gouvernement",
    "maire de Lyon",
    "sénatrice",
    "députée",
    "secrétaire général du syndicat",
    "présidente de région",
    "économiste",
    "directeur de l'hôpital",
    "préfet",
    "chercheuse au CNRS",
    "président du club",
)
_SUBJECTS = (
    "la réforme",
    "ce projet",
    "le gouvernement",
    "notre pays",
    "cette décision",
    "le budget",
    "la transition énergétique",
    "le système de santé",
    "l'accord commercial",
    "la loi",
    "les agriculteurs",
    "les salariés",
    "l'Europe",
    "la région",
    "le service public",
)
_VERBS = (
    "doit garantir",
    "ne peut pas ignorer",
    "va renforcer",
    "menace",
    "protège",
    "fragilise",
    "permettra de financer",
    "n'a jamais soutenu",
    "doit absolument préserver",
    "remet en cause",
    "améliorera",
    "coûtera cher à",
)
_OBJECTS = (
    "l'avenir de nos enfants",
    "le pouvoir d'achat des ménages",
    "la souveraineté énergétique",
    "les emplois industriels",
    "la confiance des citoyens",
    "nos hôpitaux publics",
    "la compétitivité des entreprises",
    "le climat",
    "les territoires ruraux",
    "la sécurité de tous",
    "les finances publiques",
    "le dialogue social",
)
_TAILS = (
    "Nous ne reculerons pas sur ce point.",
    "C'est une question de justice.",
    "Il faut le dire clairement.",
    "Les chiffres le montrent.",
    "Personne ne peut le nier.",
    "Nous irons jusqu'au bout.",
    "Le débat est ouvert.",
    "Ce n'est pas une opinion.",
)
_CUES = ("a déclaré", "a affirmé", "a estimé", "a ajouté", "a insisté", "a souligné")
_STANCES = ("favor", "against", "neutral")
_OUTLETS = ("Le Quotidien", "L'Écho", "La Gazette", "Le Courrier", "Ouest Presse", "Info Plus")


@dataclass
class CorpusReport:
    sources: int
    claims: int
    speakers: int
    topics: int
    stances: int
    seconds: float


def _claim_text(rng: random.Random) -> str:
    # 150-400 characters of plausible French political speech.
    parts = []
    while True:
        sentence = (
            f"{rng.choice(_SUBJECTS).capitalize()} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}."
        )
        parts.append(sentence)
        if rng.random() < 0.5:
            parts.append(rng.choice(_TAILS))
        text = " ".join(parts)
        if len(text) >= 150:
            return text[:400].rsplit(" ", 1)[0].rstrip(",") if len(text) > 400 else text


def _zipf_cumulative(n: int, s: float = 1.1) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank**s) for rank in range(1, n + 1)))


def _next_ids() -> dict[str, int]:
    def top(model) -> int:
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        return (last or 0) + 1

    return {m.__name__: top(m) for m in (Source, Claim, Speaker, Topic, Stance, Alias)}


def generate(*, claims: int, seed: int = 1, claims_per_source: int = 5) -> CorpusReport:
    """Add ``claims`` synthetic claims (with sources, speakers, topics, stances)."""
    started = timezone.now()
    rng = random.Random(seed)
    ids = _next_ids()
    n_sources = max(1, claims // claims_per_source)
    n_speakers = max(50, min(20_000, claims // 50))
    n_topics = 50
    now = timezone.now()
    tag = f"s{seed}-{ids['Speaker']}"  # keeps keys and slugs unique across runs

    speakers = []
    used_names: set[str] = set()
    for i in range(n_speakers):
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        if name in used_names:
            name = f"{name} {i}"
        used_names.add(name)
        speakers.append((ids["Speaker"] + i, name, f"{slugify(name)}-{tag}", rng.choice(_ROLES)))
    topics = [
        (ids["Topic"] + i, f"Sujet {tag} n°{i + 1}", f"sujet-{tag}-{i + 1}")
        for i in range(n_topics)
    ]
    weights = _zipf_cumulative(n_speakers)
    start_day = dt.date(2016, 1, 1)

    def source_rows() -> Iterator[tuple]:
        claim_id = ids["Claim"]
        stance_id = ids["Stance"]
        remaining = claims
        for s in range(n_sources):
            count = min(remaining, claims_per_source if s < n_sources - 1 else remaining)
            remaining -= count
            chosen = rng.choices(speakers, cum_weights=weights, k=count)
            paragraphs, claim_rows, stance_rows, offset = [], [], [], 0
            intro = f"Article {s + 1} du corpus synthétique."
            paragraphs.append(intro)
            offset = len(intro) + 2
            for speaker in chosen:
                text = _claim_text(rng)
                cue = f"{rng.choice(_CUES)} {speaker[1]}"
                paragraph = f"« {text} », {cue}."
                start = offset + 2
                claim_rows.append(
                    (
                        claim_id,
                        speaker[0],
                        text,
                        start,
                        start + len(text),
                        cue,
                        paragraph,
                        round(rng.uniform(0.5, 1.0), 3),
                    )
                )
                for topic in rng.sample(topics, rng.randint(1, 2)):
                    stance_rows.append(
                        (
                            stance_id,
                            claim_id,
                            topic[0],
                            rng.choice(_STANCES),
                            round(rng.uniform(0.4, 0.95), 2),
                        )
                    )
                    stance_id += 1
                claim_id += 1
                paragraphs.append(paragraph)
                offset += len(paragraph) + 2
            body = "\n\n".join(paragraphs)
            published = start_day + dt.timedelta(days=rng.randrange(3650))
            yield (
                (
                    ids["Source"] + s,
                    f"corpus-{tag}-{s:07d}",
                    f"Article {s + 1}",
                    rng.choice(_OUTLETS),
                    published,
                    body,
                    hashlib.sha256(body.encode()).hexdigest(),
                ),
                claim_rows,
                stance_rows,
            )

    with transaction.atomic():
        _write_speakers_topics(speakers, topics, now)
        total_claims, total_stances = _write_sources(source_rows(), now)
        # Once, after the COPY (and the index rebuilds): the claims went in with no count
        # kept, and only the new speakers have any.
        claim_counts_recount(speakers=Speaker.objects.filter(pk__gte=ids["Speaker"]))
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Marks the new pages all-visible, so counts by speaker or topic are index-only
        # scans from the start instead of after autovacuum gets round to it.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM claims_source, claims_claim, claims_stance")
            # The recount rewrote every new speaker, after their statistics were taken.
            cursor.execute("VACUUM ANALYZE claims_speaker")
    seconds = (timezone.now() - started).total_seconds()
    return CorpusReport(n_sources, total_claims, n_speakers, n_topics, total_stances, seconds)


def _write_speakers_topics(speakers, topics, now) -> None:
    Speaker.objects.bulk_create(
        [
            Speaker(
                pk=pk,
                name=name,
                name_normalized=fold(name),
                slug=slug,
                role=role,
                kind="person",
                origin="manual",
                created_at=now,
                updated_at=now,
            )
            for pk, name, slug, role in speakers
        ],
        batch_size=2000,
    )
    Topic.objects.bulk_create(
        [
            Topic(
                pk=pk,
                name=name,
                slug=slug,
                keywords=[],
                stance_cues={},
                created_at=now,
                updated_at=now,
            )
            for pk, name, slug in topics
        ]
    )


def _write_sources(rows: Iterator[tuple], now) -> tuple[int, int]:
    if connection.vendor == "postgresql":
        return _copy_sources(rows, now)
    claims = stances = 0
    for chunk in _chunks(rows, 500):
        Source.objects.bulk_create(
            [
                Source(
                    pk=r[0],
                    key=r[1],
                    title=r[2],
                    outlet=r[3],
                    published=r[4],
                    published_precision="day",
                    text=r[5],
                    content_hash=r[6],
                    language="fr",
                    extractor_version="synthetic",
                    created_at=now,
                    updated_at=now,
                )
                for r, _c, _s in chunk
            ]
        )
        claim_objs = [
            Claim(
                pk=c[0],
                source_id=r[0],
                speaker_id=c[1],
                published=r[4],
                text=c[2],
                start=c[3],
                end=c[4],
                cue=c[5],
                context=c[6],
                confidence=c[7],
                kind="direct",
                method="auto",
                status="unreviewed",
                extractor_version="synthetic",
                created_at=now,
                updated_at=now,
            )
            for r, cs, _s in chunk
            for c in cs
        ]
        Claim.objects.bulk_create(claim_objs, batch_size=2000)
        stance_objs = [
            Stance(
                pk=st[0],
                claim_id=st[1],
                topic_id=st[2],
                stance=st[3],
                confidence=st[4],
                method="auto",
                created_at=now,
                updated_at=now,
            )
            for _r, _c, ss in chunk
            for st in ss
        ]
        Stance.objects.bulk_create(stance_objs, batch_size=2000)
        claims += len(claim_objs)
        stances += len(stance_objs)
    return claims, stances


def _copy_sources(rows: Iterator[tuple], now) -> tuple[int, int]:
    """COPY the three tables in one pass over the generated rows (psycopg 3)."""
    claims = stances = 0
    source_sql = (
        "COPY claims_source (id, key, title, outlet, url, language, published, "
        "published_precision, text, content_hash, extractor_version, created_at, updated_at) "
        "FROM STDIN"
    )
    claim_sql = (
        'COPY claims_claim (id, source_id, speaker_id, text, kind, start, "end", cue, context, '
        "confidence, method, status, extractor_version, published, created_at, updated_at) "
        "FROM STDIN"
    )
    stance_sql = (
        "COPY claims_stance (id, claim_id, topic_id, stance, confidence, method, "
        "model_version, suggestion, evidence, contradicts_history, created_at, updated_at) "
        "FROM STDIN"
    )
    buffered_claims: list[tuple] = []
    buffered_stances: list[tuple] = []
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        # Secondary indexes are rebuilt in one pass after the load, which is much cheaper
        # than updating them row by row during it. Indexes behind constraints stay.
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename IN ('claims_source', 'claims_claim', 'claims_stance')
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """
        )
        secondary = cursor.fetchall()
        # Foreign keys and unique constraints likewise: re-adding a foreign key checks all
        # rows in one join, where a kept one queues a trigger for every row.
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE conrelid::regclass::text IN ('claims_source', 'claims_claim', 'claims_stance')
              AND contype IN ('f', 'u')
            """
        )
        constraints = cursor.fetchall()
        for table, name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in secondary:
            cursor.execute(f'DROP INDEX "{name}"')
        # More memory makes the index builds after the load sort in memory.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        with raw.copy(source_sql) as copy:
            for source, claim_rows, stance_rows in rows:
                copy.write_row(
                    (
                        source[0],
                        source[1],
                        source[2],
                        source[3],
                        "",
                        "fr",
                        source[4],
                        "day",
                        source[5],
                        source[6],
                        "synthetic",
                        now,
                        now,
                    )
                )
                buffered_claims.extend((source[0], source[4], *c) for c in claim_rows)
                buffered_stances.extend(stance_rows)
        with raw.copy(claim_sql) as copy:
            for (
                source_id,
                published,
                cid,
                speaker,
                text,
                start,
                end,
                cue,
                context,
                confidence,
            ) in buffered_claims:
                copy.write_row(
                    (
                        cid,
                        source_id,
                        speaker,
                        text,
                        "direct",
                        start,
                        end,
                        cue,
                        context,
                        confidence,
                        "auto",
                        "unreviewed",
                        "synthetic",
                        published,
                        now,
                        now,
                    )
                )
        claims = len(buffered_claims)
        buffered_claims.clear()
        with raw.copy(stance_sql) as copy:
            for sid, claim_id, topic_id, stance, confidence in buffered_stances:
                copy.write_row(
                    (
                        sid,
                        claim_id,
                        topic_id,
                        stance,
                        confidence,
                        "auto",
                        "",
                        False,
                        "",
                        False,
                        now,
                        now,
                    )
                )
        stances = len(buffered_stances)
        for _name, definition in secondary:
            cursor.execute(definition)
        for table, name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        # Fresh statistics: plans made from an empty table's take seconds at a million rows.
        cursor.execute("ANALYZE claims_source, claims_claim, claims_stance, claims_speaker")
        for table in (
            "claims_source",
            "claims_claim",
            "claims_stance",
            "claims_speaker",
            "claims_topic",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
    return claims, stances


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
