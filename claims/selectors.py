"""Every read of the claims database: querysets with their joins already chosen."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.db import connection, connections
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from claims.choices import AliasKind, Method, ReviewStatus, SpeakerOrigin, StanceValue
from claims.extraction import Gazetteer, KnownSpeaker, TopicSpec
from claims.extraction.normalize import fold
from claims.extraction.stance.learning import Predictor, Priors
from claims.models import Alias, Claim, Source, Speaker, Stance, StanceModel, Topic
from claims.shapes import CLAIM_SHAPE, STANCE_SHAPE, row_columns

logger = logging.getLogger(__name__)


class SubqueryCount(Subquery):
    """``(SELECT COUNT(*) ...)`` per outer row.

    Unlike ``Count()`` over a join, it is computed only for the rows a page returns, from
    the foreign key's index, instead of grouping every claim before the LIMIT.
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def _count(queryset: QuerySet) -> SubqueryCount:
    return SubqueryCount(queryset.order_by().values("pk"))


def with_claim_count(queryset: QuerySet) -> QuerySet:
    """Sources or topics annotated with ``claim_count``. A speaker has it stored
    (``Speaker.claim_count``, kept by ``claims.services.counts``)."""
    if queryset.model is Source:
        count = _count(Claim.objects.filter(source=OuterRef("pk")))
    else:  # a topic counts the claims with a stance on it: one stance per (claim, topic)
        count = _count(Stance.objects.filter(topic=OuterRef("pk")))
    return queryset.annotate(claim_count=count)


# What ClaimRepresentation reads: the claim, its speaker's and its source's columns.
CLAIM_ROW_FIELDS = row_columns(CLAIM_SHAPE)


def claim_list() -> QuerySet[Claim]:
    """Claims with speaker, source and stances (with topics) fetched in two queries."""
    return (
        Claim.objects.select_related("speaker", "source")
        # The shown columns, plus what the cursor and the relations need.
        .only(*CLAIM_ROW_FIELDS, "published", "speaker", "source")
        .prefetch_related(
            Prefetch(
                "stances",
                queryset=Stance.objects.select_related("topic")
                .only(
                    "claim_id",
                    "stance",
                    "confidence",
                    "method",
                    "evidence",
                    "contradicts_history",
                    "topic__slug",
                )
                .order_by("topic__slug"),
            )
        )
        .order_by("source__key", "start")
    )


def claim_rows(queryset: QuerySet[Claim]) -> QuerySet:
    """The claims of a (filtered) ``claim_list()`` as dicts of exactly the columns shown."""
    return queryset.values(*CLAIM_ROW_FIELDS)


def stances_by_claim(claim_ids: list[int], using: str | None = None) -> dict[int, list[dict]]:
    """The stances of these claims, as shown in the API, in one query (on ``using``, or
    where the router sends reads)."""
    names = [m.key for m in STANCE_SHAPE]
    rows = (
        Stance.objects.using(using)
        .filter(claim_id__in=claim_ids)
        .order_by("claim_id", "topic__slug")
        .values_list("claim_id", *(m.lookup for m in STANCE_SHAPE))
    )
    stances: dict[int, list[dict]] = {}
    for claim_id, *values in rows:
        stances.setdefault(claim_id, []).append(dict(zip(names, values, strict=True)))
    return stances


def stance_list() -> QuerySet[Stance]:
    """Stances with their topic's slug, in id order (the topic's long fields left behind)."""
    return (
        Stance.objects.select_related("topic")
        .defer("topic__description", "topic__keywords", "topic__stance_cues")
        .order_by("id")
    )


def speaker_list() -> QuerySet[Speaker]:
    """Speakers with their (stored) claim count and aliases."""
    return Speaker.objects.prefetch_related(
        Prefetch("aliases", queryset=Alias.objects.order_by("name"))
    ).order_by("name")


def speaker_matching_name(queryset: QuerySet[Speaker], name: str) -> QuerySet[Speaker]:
    """Speakers whose name, or a name alias, has a word starting with ``name``.

    Case and accents are ignored: "erdogan", "ERDOĞAN" and "Erdo" all find Erdoğan. Role
    aliases are left out: "Poutine" must not find "le porte-parole de Vladimir Poutine".
    """
    folded = fold(name)
    words = Q(normalized__startswith=folded) | Q(normalized__contains=" " + folded)
    alias = Alias.objects.filter(words, speaker=OuterRef("pk"), kind=AliasKind.NAME)
    own = Q(name_normalized__startswith=folded) | Q(name_normalized__contains=" " + folded)
    return queryset.filter(own | Exists(alias))


def claims_by_speaker_name(queryset: QuerySet[Claim], name: str) -> QuerySet[Claim]:
    """Claims whose speaker's name or alias contains ``name`` (case- and accent-blind)."""
    speakers = speaker_matching_name(Speaker.objects.all(), name).values("pk")
    return queryset.filter(speaker__in=speakers)


def source_list() -> QuerySet[Source]:
    """Sources with their claim count; the body is deferred for lists."""
    return with_claim_count(Source.objects.defer("text").order_by("key"))


def source_detail() -> QuerySet[Source]:
    """A source with its text and claim count."""
    return with_claim_count(Source.objects.order_by("key"))


def topic_list() -> QuerySet[Topic]:
    """Topics with the number of claims that take a stance on them."""
    return with_claim_count(Topic.objects.order_by("name"))


def topic_stance_counts(topic: Topic) -> list[dict]:
    """Per speaker: how many of their claims are for, against or neutral on ``topic``
    (claims still needing a speaker are nobody's yet)."""
    rows = (
        Stance.objects.filter(topic=topic, claim__speaker__isnull=False)
        .values("claim__speaker__slug", "claim__speaker__name")
        .annotate(
            favor=Count("pk", filter=Q(stance=StanceValue.FAVOR)),
            against=Count("pk", filter=Q(stance=StanceValue.AGAINST)),
            neutral=Count("pk", filter=Q(stance=StanceValue.NEUTRAL)),
        )
        .order_by("claim__speaker__name")
    )
    return [
        {
            "speaker": row["claim__speaker__slug"],
            "name": row["claim__speaker__name"],
            "favor": row["favor"],
            "against": row["against"],
            "neutral": row["neutral"],
        }
        for row in rows
    ]


def known_speakers() -> list[KnownSpeaker]:
    """Speakers the extractor may rely on, with their aliases.

    Speakers the extractor itself created and no curator has reviewed are left out, so
    what a load finds depends on the article and reviewed data only: loading twice gives
    the same claims, in any file order. They are still matched by name when stored.
    """
    trusted = Speaker.objects.exclude(origin=SpeakerOrigin.EXTRACTED, needs_review=True)
    aliases: dict[int, list[tuple[str, str]]] = {}
    rows = Alias.objects.filter(speaker__in=trusted).values_list("speaker_id", "name", "kind")
    for speaker_id, name, kind in rows:
        aliases.setdefault(speaker_id, []).append((name, kind))
    return [
        KnownSpeaker(
            key=s.slug,
            name=s.name,
            kind=s.kind,
            gender=s.gender,
            role=s.role,
            aliases=tuple(aliases.get(s.pk, ())),
        )
        for s in trusted.order_by("pk")
    ]


def topic_specs() -> list[TopicSpec]:
    """All topics with keywords and stance cues, in the form the extractor takes."""
    return [
        TopicSpec(
            key=t.slug,
            keywords=tuple(t.keywords or ()),
            name=t.name,
            favor=tuple((t.stance_cues or {}).get("favor", ())),
            against=tuple((t.stance_cues or {}).get("against", ())),
        )
        for t in Topic.objects.order_by("slug")
    ]


@dataclass(frozen=True)
class ExtractionInputs:
    """What the extractor knows from the database, read once per load."""

    gazetteer: Gazetteer
    topics: list[TopicSpec]
    # The loader looks these up for every claim: one query each instead.
    speakers_by_slug: dict[str, Speaker]
    topics_by_slug: dict[str, Topic]
    stance_history: dict[tuple[str, str], dict[str, int]]
    # The newest trained stance model, if any, and the records it weighs.
    stance_predictor: Predictor | None = None
    stance_priors: Priors | None = None


def extraction_inputs() -> ExtractionInputs:
    speakers = {s.slug: s for s in Speaker.objects.all()}
    history = stance_history()
    predictor = stance_predictor()
    # The model's record of a speaker is what it was trained on: curators' stances only,
    # not automatic ones on confirmed claims (its own past output).
    curated = stance_history(curated_only=True) if predictor is not None else {}
    return ExtractionInputs(
        gazetteer=Gazetteer(known_speakers()),
        topics=topic_specs(),
        speakers_by_slug=speakers,
        topics_by_slug={t.slug: t for t in Topic.objects.all()},
        stance_history=history,
        stance_predictor=predictor,
        stance_priors=stance_priors(curated, speakers) if predictor is not None else None,
    )


def stance_predictor() -> Predictor | None:
    """The newest usable model ``train_stance`` stored, ready to predict; None before any.
    A stored model that cannot be read is passed over with a warning, never a failed load."""
    for model in StanceModel.objects.order_by("-version"):
        try:
            return Predictor.from_parameters(model.label, model.parameters)
        except ValueError as exc:
            logger.warning("%s: skipped (%s)", model.label, exc)
    return None


def stance_priors(
    history: dict[tuple[str, str], dict[str, int]], speakers: dict[str, Speaker]
) -> Priors:
    """The reviewed stances per (speaker, topic) and per (speaker's country, topic)."""
    priors = Priors(countries={slug: s.country for slug, s in speakers.items() if s.country})
    for (slug, topic), counts in history.items():
        if slug is None:
            continue
        polar = Counter({k: v for k, v in counts.items() if k in ("favor", "against")})
        if not polar:
            continue
        priors.speaker[(slug, topic)] = polar
        speaker = speakers.get(slug)
        if speaker is not None and speaker.country:
            key = (speaker.country, topic)
            priors.country[key] = priors.country.get(key, Counter()) + polar
    return priors


def stance_history(*, curated_only: bool = False) -> dict[tuple[str, str], dict[str, int]]:
    """Reviewed stances per (speaker, topic): on confirmed claims, or set by a curator
    (``curated_only``: set by a curator).

    Read once per load: curated data is small, and a load never changes it.
    """
    reviewed = Q(method=Method.MANUAL)
    if not curated_only:
        reviewed |= Q(claim__status=ReviewStatus.CONFIRMED)
    rows = (
        Stance.objects.filter(reviewed)
        .exclude(claim__status=ReviewStatus.REJECTED)
        .values_list("claim__speaker__slug", "topic__slug", "stance")
        .annotate(n=Count("pk"))
    )
    history: dict[tuple[str, str], dict[str, int]] = {}
    for speaker, topic, stance, n in rows:
        history.setdefault((speaker, topic), {})[stance] = n
    return history


# The stored, GIN-indexed vector of claims (migration 0003), accent-blind French.
SEARCH_CONFIG = "claims_french"


def sources_matching(queryset: QuerySet, value: str) -> QuerySet:
    """Sources whose title or text has the words, from their index (migration 0009).

    Without the index every request computed a vector for every article's text: at 40,000
    sources one request took seconds, and a few clients stalled the API.
    PostgreSQL: French stemming, accent-blind, web search syntax. SQLite: FTS5, each word
    as a word prefix, accent-blind.
    """
    if queryset.db and connections[queryset.db].vendor == "postgresql":
        query = SearchQuery(value, config=SEARCH_CONFIG, search_type="websearch")
        stored = RawSQL('"claims_source"."search_vector"', [], output_field=SearchVectorField())
        return queryset.annotate(_search=stored).filter(_search=query)
    words = ['"{}"*'.format(word.replace('"', '""')) for word in value.split()]
    matching = RawSQL(
        "SELECT rowid FROM claims_source_fts WHERE claims_source_fts MATCH %s", [" ".join(words)]
    )
    return queryset.filter(pk__in=matching)


def matching_text(queryset: QuerySet, field: str, value: str) -> QuerySet:
    """French full-text search on PostgreSQL; every word as a substring elsewhere."""
    if connection.vendor == "postgresql":
        query = SearchQuery(value, config=SEARCH_CONFIG, search_type="websearch")
        if queryset.model is Claim and field == "text":
            stored = RawSQL('"claims_claim"."search_vector"', [], output_field=SearchVectorField())
            return queryset.annotate(_search=stored).filter(_search=query)
        vector = SearchVector(field, config=SEARCH_CONFIG)
        return queryset.annotate(_search=vector).filter(_search=query)
    for word in value.split():
        queryset = queryset.filter(**{f"{field}__icontains": word})
    return queryset
