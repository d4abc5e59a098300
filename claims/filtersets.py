"""FilterSets for the API: explicit filters, by id and by slug for relations (NetBox style)."""

from __future__ import annotations

import copy

import django_filters as filters
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.core.validators import RegexValidator
from django.db import connection, connections
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict

from claims import selectors
from claims.api.pagination import ClaimCursorPagination
from claims.choices import ClaimKind, ReviewStatus, SpeakerKind, StanceValue
from claims.models import Claim, Source, Speaker, Stance, Topic

MAX_Q_LENGTH = 200


class StrictBooleanField(forms.Field):
    """true/false (or 1/0, yes/no); anything else is an error, not an ignored filter."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        raise forms.ValidationError("Use true or false.")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


# The stored, GIN-indexed vector of claims (migration 0003), accent-blind French.
SEARCH_CONFIG = "claims_french"


def _source_search(queryset: QuerySet, value: str) -> QuerySet:
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


def _full_text(queryset: QuerySet, field: str, value: str) -> QuerySet:
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


class _ModelMultipleChoiceField(filters.ModelMultipleChoiceFilter.field_class):
    """Django's field, with the objects' primary keys for a value, not a queryset of them.

    No value gives ``[]``, not ``queryset.none()``: the filter's ``if not value`` would
    compile that empty query on every request (about half a millisecond each). The values
    are checked in one query of (name, key) pairs, with Django's messages; Django builds a
    queryset per value to check its type, then loads the objects, which the filters only
    use for their keys (a fifth of a filtered claims page's time).
    """

    def clean(self, value):
        if not value and not self.required:
            return []
        return super().clean(value)

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        try:
            value = frozenset(value)
        except TypeError:
            raise forms.ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from None
        field = (
            self.queryset.model._meta.pk
            if key == "pk"
            else self.queryset.model._meta.get_field(key)
        )
        for pk in value:
            self.validate_no_null_characters(pk)
            try:
                field.get_prep_value(pk)
            except (ValueError, TypeError):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                ) from None
        found = {str(name): pk for name, pk in _keys(self.queryset, field, value)}
        for name in value:
            if str(name) not in found:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": name},
                )
        return sorted(set(found.values()))


def _keys(queryset: QuerySet, field, values: frozenset) -> list[tuple]:
    """(value, primary key) of the rows of ``queryset``'s table whose ``field`` is one of
    ``values``. On PostgreSQL one prepared statement: the ORM compiled a new query for
    each number of values, a tenth of a filtered page's time."""
    prepared = [field.get_prep_value(value) for value in values]
    if field.get_internal_type() in ("AutoField", "BigAutoField", "BigIntegerField"):
        # A number beyond the column's range matches nothing (and overflows SQLite's driver).
        prepared = [number for number in prepared if -(2**63) <= number < 2**63]
    using = queryset.db
    connection = connections[using]
    if connection.vendor != "postgresql" or queryset.query.where:
        rows = queryset.filter(**{f"{field.name}__in": prepared}).values_list(field.name, "pk")
        return list(rows)
    quote = connection.ops.quote_name
    meta = queryset.model._meta
    column, pk = quote(field.column), quote(meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column}, {pk} FROM {quote(meta.db_table)} WHERE {column} = ANY(%s)",
            [prepared],
        )
        return cursor.fetchall()


class _ValuesInput(forms.TextInput):
    """Every value of a repeated parameter, shown as a text box in the browsable API: a
    select listed every speaker and every source (15 MB of HTML at 1M claims)."""

    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if not isinstance(values, list):
            return values
        # The box shows several values as "a, b": read them back the same way. Slugs, keys
        # and ids hold no commas.
        return [part.strip() for v in values for part in (v.split(",") if "," in v else [v])]

    def format_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value) or None
        return super().format_value(value)


class ModelMultipleChoiceFilter(filters.ModelMultipleChoiceFilter):
    field_class = _ModelMultipleChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _ValuesInput)
        super().__init__(*args, **kwargs)


class RelatedMultipleChoiceFilter(ModelMultipleChoiceFilter):
    """Objects named by ``to_field_name`` (a slug, a key), matched on the relation ``field_name``.

    The stock filter compares ``field_name`` with the named value, so it needs
    ``field_name="speaker__slug"``; drf-spectacular then looks for ``speaker__slug__slug``,
    fails, and the schema gets a warning. Matching on the object keeps both happy.
    """

    def get_filter_predicate(self, v):
        return {self.field_name: v}


class FilterSet(filters.FilterSet):
    """django-filter's FilterSet without rebuilding itself on every request.

    Stock, each request deep-copies every declared filter and builds a new form class with
    new form fields: about a third of a claims page's Python time (BENCHMARKS.md). The
    filters keep no per-request state but their parent and model, so a shallow copy will
    do, and the form class is the same for every request (the form itself still copies its
    fields, per instance).
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(f) for name, f in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:
                filter_.method = filter_.method  # binds a new FilterMethod to this copy

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            # Each form deep-copies its fields; cleaning a query string changes none of
            # them, so every form may share them (a tenth of a filtered page's time).
            form_class.base_fields = _SharedFields(form_class.base_fields)
            cls._form_class = form_class
        return form_class


class _SharedFields(dict):
    def __deepcopy__(self, memo):
        return dict(self)


class ClaimFilterSet(FilterSet):
    speaker = RelatedMultipleChoiceFilter(
        field_name="speaker",
        to_field_name="slug",
        queryset=Speaker.objects.all(),
        distinct=False,  # a foreign key cannot repeat rows; DISTINCT would sort them all
        help_text="Speaker slug; repeat for several: ?speaker=a&speaker=b",
    )
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
    topic = ModelMultipleChoiceFilter(
        to_field_name="slug",
        queryset=Topic.objects.all(),
        method="filter_noop",
        help_text="Topic slug; repeatable. With stance: the stance on that topic.",
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
        choices=[(key, key) for key in ClaimCursorPagination.orderings if key is not None],
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
        return _full_text(queryset, "text", value) if value.strip() else queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        topics = self.form.cleaned_data.get("topic")
        stances = self.form.cleaned_data.get("stance")
        if topics or stances:
            # One Exists: "stance=against&topic=x" means against on x, not against anything.
            match = Stance.objects.filter(claim=OuterRef("pk"))
            if topics:
                match = match.filter(topic__in=topics)
            if stances:
                match = match.filter(stance__in=stances)
            queryset = queryset.filter(Exists(match))
        return queryset


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
    ordering = filters.OrderingFilter(
        fields=(("name", "name"), ("claim_count", "claim_count"), ("created_at", "created"))
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
        return _source_search(queryset, value) if value.strip() else queryset


class TopicFilterSet(FilterSet):
    q = filters.CharFilter(method="filter_q", max_length=200, help_text="Part of the name.")

    class Meta:
        model = Topic
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))
