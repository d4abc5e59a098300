"""FilterSets for the API: explicit filters, by id and by slug for relations (NetBox style)."""

from __future__ import annotations

import django_filters as filters
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef, Q, QuerySet

from claims import selectors
from claims.api.filters import (
    FilterSet,
    ModelMultipleChoiceFilter,
    RelatedMultipleChoiceFilter,
    StrictBooleanFilter,
    TiebrokenOrderingFilter,
)
from claims.choices import ClaimKind, ReviewStatus, SpeakerKind, StanceMethod, StanceValue
from claims.models import Claim, Source, Speaker, Stance, Topic
from claims.orderings import CLAIM_ORDERINGS

MAX_Q_LENGTH = 200


def speakers_by_slug(field_name: str) -> RelatedMultipleChoiceFilter:
    """``?speaker=``: speakers by slug, repeatable or comma-separated, each one existing
    (else a 400 naming it), matched on the relation ``field_name``."""
    return RelatedMultipleChoiceFilter(
        field_name=field_name,
        to_field_name="slug",
        queryset=Speaker.objects.all(),
        distinct=False,  # a foreign key cannot repeat rows; DISTINCT would sort them all
        help_text="Speaker slug; repeat for several: ?speaker=a&speaker=b",
    )


class ClaimFilterSet(FilterSet):
    speaker = speakers_by_slug("speaker")
    speaker_id = ModelMultipleChoiceFilter(
        field_name="speaker",
        queryset=Speaker.objects.all(),
        distinct=False,
        help_text="Speaker id; repeatable.",
    )
    speaker_name = filters.CharFilter(
        method="filter_speaker_name",
        max_length=200,
        help_text="Part of the speaker's name or of an alias, ignoring case and accents.",
    )
    source = RelatedMultipleChoiceFilter(
        field_name="source",
        to_field_name="key",
        queryset=Source.objects.only("pk", "key"),
        distinct=False,
        help_text="Source key; repeatable.",
    )
    source_id = ModelMultipleChoiceFilter(
        field_name="source",
        queryset=Source.objects.only("pk"),
        distinct=False,
        help_text="Source id; repeatable.",
    )
    topic = ModelMultipleChoiceFilter(
        to_field_name="slug",
        queryset=Topic.objects.all(),
        method="filter_noop",
        help_text="Topic slug; repeatable. With stance: the stance on that topic.",
    )
    topic_id = ModelMultipleChoiceFilter(
        queryset=Topic.objects.all(),
        method="filter_noop",
        help_text="Topic id; repeatable. With stance: the stance on that topic.",
    )
    stance = filters.MultipleChoiceFilter(
        choices=StanceValue.choices,
        method="filter_noop",
        help_text="favor, against or neutral; repeatable.",
    )
    status = filters.MultipleChoiceFilter(choices=ReviewStatus.choices, distinct=False)
    kind = filters.ChoiceFilter(choices=ClaimKind.choices)
    published_after = filters.DateFilter(
        field_name="published", lookup_expr="gte", help_text="ISO date, inclusive."
    )
    published_before = filters.DateFilter(
        field_name="published", lookup_expr="lte", help_text="ISO date, inclusive."
    )
    min_confidence = filters.NumberFilter(
        field_name="confidence",
        lookup_expr="gte",
        min_value=0,
        max_value=1,
        help_text="Claims at least this confident, 0 to 1.",
    )
    needs_speaker = StrictBooleanFilter(
        field_name="speaker",
        lookup_expr="isnull",
        help_text="Claims with no speaker yet (true): quotations the extractor found but could "
        "not attribute, for a curator to name; or only attributed ones (false).",
    )
    contradicts_history = StrictBooleanFilter(
        method="filter_contradicts_history",
        help_text="Claims with (true) or without (false) a stance that contradicts the "
        "speaker's reviewed stances on its topic.",
    )
    q = filters.CharFilter(
        method="filter_q",
        max_length=MAX_Q_LENGTH,
        help_text="Full text over the claim text (French stemming on PostgreSQL).",
    )
    # One key, validated here (a bad value is a 400); the cursor paginator sorts on it. Not an
    # OrderingFilter: that takes "a,b", and the paginator would silently drop the second key.
    ordering = filters.ChoiceFilter(
        choices=[(key, key) for key in CLAIM_ORDERINGS if key is not None],
        method="filter_noop",
        help_text="Sort key: published, confidence, created, id, start; - for descending. "
        "Default: id (oldest first; -id for newest first). One key at a time.",
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_noop(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Applied elsewhere: topic and stance together in filter_queryset, ordering by the
        # cursor paginator.
        return queryset

    def filter_contradicts_history(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        flagged = Stance.objects.filter(claim=OuterRef("pk"), contradicts_history=True)
        return queryset.filter(Exists(flagged)) if value else queryset.exclude(Exists(flagged))

    def filter_speaker_name(self, queryset, name, value):
        return selectors.claims_by_speaker_name(queryset, value) if value.strip() else queryset

    def filter_q(self, queryset, name, value):
        return selectors.matching_text(queryset, "text", value) if value.strip() else queryset

    # Read by the cursor paginator, not applied here.
    unapplied = frozenset({"ordering"})

    def bound(self) -> dict:
        """As FilterSet.bound(), blank text left out too (filter_q and filter_speaker_name
        read it as no filter), and ``topic`` and ``topic_id`` merged into the topics both
        name (as speaker and speaker_id are both applied)."""
        values = {
            name: value
            for name, value in super().bound().items()
            if not (isinstance(value, str) and not value.strip())
        }
        named = [set(values.pop(key)) for key in ("topic", "topic_id") if key in values]
        if named:
            values["topic"] = sorted(set.intersection(*named))
        return values

    def apply(self, queryset: QuerySet, values: dict) -> QuerySet:
        together = {name: values[name] for name in ("topic", "stance") if name in values}
        others = {name: value for name, value in values.items() if name not in together}
        queryset = super().apply(queryset, others)
        topics, stances = together.get("topic"), together.get("stance")
        if topics is not None or stances:
            # One Exists: "stance=against&topic=x" means against on x, not against anything.
            match = Stance.objects.filter(claim=OuterRef("pk"))
            if topics is not None:
                match = match.filter(topic__in=topics)
            if stances:
                match = match.filter(stance__in=stances)
            queryset = queryset.filter(Exists(match))
        return queryset


class StanceFilterSet(FilterSet):
    claim = ModelMultipleChoiceFilter(
        field_name="claim",
        queryset=Claim.objects.only("pk"),
        distinct=False,
        help_text="Claim id; repeatable.",
    )
    topic = RelatedMultipleChoiceFilter(
        field_name="topic",
        to_field_name="slug",
        queryset=Topic.objects.all(),
        distinct=False,
        help_text="Topic slug; repeatable.",
    )
    topic_id = ModelMultipleChoiceFilter(
        field_name="topic",
        queryset=Topic.objects.all(),
        distinct=False,
        help_text="Topic id; repeatable.",
    )
    # The claim's speaker, as ?speaker= on the claims list.
    speaker = speakers_by_slug("claim__speaker")
    stance = filters.MultipleChoiceFilter(
        choices=StanceValue.choices,
        distinct=False,
        help_text="favor, against or neutral; repeatable.",
    )
    method = filters.MultipleChoiceFilter(
        choices=StanceMethod.choices,
        distinct=False,
        help_text="What set the stance: auto (lexicon rules), model (a trained model), manual "
        "(a curator); repeatable.",
    )
    suggestion = StrictBooleanFilter(
        help_text="Stances below the confidence threshold, suggestions for a curator to review "
        "(true); or only those above it and curators' (false)."
    )
    contradicts_history = StrictBooleanFilter(
        help_text="Stances suggested against the speaker's reviewed stances on the topic (true), "
        "or the others (false)."
    )

    class Meta:
        model = Stance
        fields: list[str] = []


class SpeakerFilterSet(FilterSet):
    q = filters.CharFilter(
        method="filter_q",
        max_length=200,
        help_text="Part of the name or of an alias, ignoring case and accents.",
    )
    country = filters.CharFilter(
        validators=[RegexValidator(r"^[A-Za-z]{2}$", "Use a two-letter ISO 3166-1 code.")],
        method="filter_country",
        help_text="ISO 3166-1 alpha-2 code, e.g. TR.",
    )
    kind = filters.ChoiceFilter(choices=SpeakerKind.choices)
    needs_review = StrictBooleanFilter()
    # claim_count is stored, and indexed with these tiebreaks (models.Speaker).
    ordering = TiebrokenOrderingFilter(
        fields=(("name", "name"), ("claim_count", "claim_count"), ("created_at", "created")),
        tiebreak=("name", "id"),
    )

    class Meta:
        model = Speaker
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return selectors.speaker_matching_name(queryset, value) if value.strip() else queryset

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.upper())


class SourceFilterSet(FilterSet):
    outlet = filters.CharFilter(field_name="outlet", lookup_expr="iexact", max_length=200)
    language = filters.CharFilter(max_length=8)
    published_after = filters.DateFilter(field_name="published", lookup_expr="gte")
    published_before = filters.DateFilter(field_name="published", lookup_expr="lte")
    q = filters.CharFilter(method="filter_q", max_length=MAX_Q_LENGTH, help_text="Title or text.")
    ordering = filters.OrderingFilter(
        fields=(("key", "key"), ("published", "published"), ("claim_count", "claim_count"))
    )

    class Meta:
        model = Source
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return selectors.sources_matching(queryset, value) if value.strip() else queryset


class TopicFilterSet(FilterSet):
    q = filters.CharFilter(method="filter_q", max_length=200, help_text="Part of the name.")

    class Meta:
        model = Topic
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))
