"""API serializers: explicit fields; nested data comes from the selectors' joins."""

from __future__ import annotations

from collections.abc import Mapping

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from claims import selectors
from claims.api.representations import UrlTemplate
from claims.choices import ClaimKind, DatePrecision, ReviewStatus, StanceValue
from claims.models import Claim, Source, Speaker, Stance, Topic
from claims.shapes import CLAIM_SHAPE, SOURCE_REF, SPEAKER_REF, STANCE_SHAPE, keys


class IdentityField(serializers.HyperlinkedIdentityField):
    """The detail URL, reversed once per request instead of once per row (a list of 50
    speakers spent a sixth of its time in reverse())."""

    def get_url(self, obj, view_name, request, format):
        if format or request is None or obj.pk in (None, ""):
            return super().get_url(obj, view_name, request, format)
        # The field belongs to this request's serializer: the cache lives as long as it.
        templates = self.__dict__.setdefault("_templates", {})
        template = templates.get(view_name)
        if template is None:
            template = templates[view_name] = UrlTemplate(request, view_name, self.lookup_url_kwarg)
        return template(getattr(obj, self.lookup_field))


class SpeakerRefSerializer(serializers.ModelSerializer):
    url = IdentityField(view_name="speaker-detail", lookup_field="slug")

    class Meta:
        model = Speaker
        fields = keys(SPEAKER_REF)


class SourceRefSerializer(serializers.ModelSerializer):
    url = IdentityField(view_name="source-detail", lookup_field="key")
    article_url = serializers.URLField(
        source="url",
        allow_blank=True,
        help_text="Where the article was published; empty if unknown.",
    )

    class Meta:
        model = Source
        fields = keys(SOURCE_REF)


class StanceSerializer(serializers.ModelSerializer):
    """A stance as a claim shows it."""

    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Stance
        fields = keys(STANCE_SHAPE)


class StanceResourceSerializer(StanceSerializer):
    """A stance on its own (/api/stances/): as a claim shows it, with what it belongs to,
    what set it, and its version for If-Match."""

    url = IdentityField(view_name="stance-detail")

    class Meta(StanceSerializer.Meta):
        fields = [
            "id",
            "url",
            "claim",
            *StanceSerializer.Meta.fields,
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class ClaimSerializer(serializers.ModelSerializer):
    url = IdentityField(view_name="claim-detail")
    speaker = SpeakerRefSerializer(
        read_only=True,
        allow_null=True,
        help_text="null: nobody could be named; the claim needs a speaker.",
    )
    source = SourceRefSerializer(read_only=True)
    stances = StanceSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = keys(CLAIM_SHAPE)
        read_only_fields = fields


class StrictFieldsSerializer(serializers.Serializer):
    """A body field this serializer does not take is a 400, not silently ignored: a PATCH of
    {"stauts": "confirmed"} answered 200 having changed nothing. The schema says so too
    (``additionalProperties: false``, claims/api/schema.py)."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                message = f"Not a field that can be set here. Fields: {', '.join(self.fields)}."
                raise serializers.ValidationError({name: [message] for name in unknown})
            if not data and not any(field.required for field in self.fields.values()):
                # {} answered 200 and froze the claim against every later extraction. (A
                # body with required fields names each one missing instead.)
                raise serializers.ValidationError(
                    {
                        api_settings.NON_FIELD_ERRORS_KEY: [
                            "The body changes nothing: give at least one of "
                            f"{', '.join(self.fields)}."
                        ]
                    }
                )
        return super().to_internal_value(data)


class ClaimUpdateSerializer(StrictFieldsSerializer):
    """What a curator may change through the API."""

    status = serializers.ChoiceField(choices=ReviewStatus.choices, required=False)
    speaker = serializers.SlugRelatedField(
        slug_field="slug", queryset=Speaker.objects.all(), required=False
    )
    kind = serializers.ChoiceField(choices=ClaimKind.choices, required=False)
    cue = serializers.CharField(max_length=300, required=False, allow_blank=True)


# A body is JSON: a field the schema says is an integer or a number is refused as a string
# ("3", "0.5") or a boolean, as the schema refuses it, rather than converted.


class ClaimIdField(serializers.PrimaryKeyRelatedField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class TopicSlugField(serializers.SlugRelatedField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if "\x00" in data:  # PostgreSQL refuses it in a query: a 500 otherwise
            raise serializers.ValidationError("Null characters are not allowed.")
        return super().to_internal_value(data)


class ConfidenceField(serializers.FloatField):
    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=1, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class StanceCreateSerializer(StrictFieldsSerializer):
    """A curator's stance on a claim and a topic: made, or the one there replaced."""

    claim = ClaimIdField(queryset=Claim.objects.only("pk"), help_text="Claim id.")
    topic = TopicSlugField(slug_field="slug", queryset=Topic.objects.all(), help_text="Topic slug.")
    stance = serializers.ChoiceField(choices=StanceValue.choices)
    confidence = ConfidenceField(required=False, help_text="0 to 1; 1 if not given.")


class StanceUpdateSerializer(StrictFieldsSerializer):
    """What a curator may change in a stance through the API."""

    stance = serializers.ChoiceField(choices=StanceValue.choices, required=False)
    confidence = ConfidenceField(required=False, help_text="0 to 1.")


class SpeakerSerializer(serializers.ModelSerializer):
    url = IdentityField(view_name="speaker-detail", lookup_field="slug")
    aliases = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    claim_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Speaker
        fields = [
            "slug",
            "url",
            "name",
            "kind",
            "role",
            "country",
            "wikidata_id",
            "aliases",
            "claim_count",
            "needs_review",
            "origin",
        ]
        read_only_fields = fields


class SourceSerializer(serializers.ModelSerializer):
    url = IdentityField(view_name="source-detail", lookup_field="key")
    article_url = serializers.URLField(
        source="url",
        allow_blank=True,
        help_text="Where the article was published; empty if unknown.",
    )
    # Declared: read_only_fields would drop the model field's blank, and an undated article
    # has no precision ("").
    published_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, allow_blank=True, read_only=True
    )
    claim_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Source
        fields = [
            "key",
            "url",
            "title",
            "outlet",
            "article_url",
            "language",
            "published",
            "published_precision",
            "content_hash",
            "claim_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SourceDetailSerializer(SourceSerializer):
    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "text"]
        read_only_fields = fields


class TopicSerializer(serializers.ModelSerializer):
    url = IdentityField(view_name="topic-detail", lookup_field="slug")
    claim_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Topic
        fields = ["slug", "url", "name", "description", "keywords", "claim_count"]
        read_only_fields = fields


class SpeakerStanceCountSerializer(serializers.Serializer):
    speaker = serializers.CharField(help_text="Speaker slug.")
    name = serializers.CharField()
    favor = serializers.IntegerField()
    against = serializers.IntegerField()
    neutral = serializers.IntegerField()


class TopicDetailSerializer(TopicSerializer):
    stance_counts = serializers.SerializerMethodField()

    class Meta(TopicSerializer.Meta):
        fields = [*TopicSerializer.Meta.fields, "stance_counts"]
        read_only_fields = fields

    @extend_schema_field(SpeakerStanceCountSerializer(many=True))
    def get_stance_counts(self, topic: Topic) -> list[dict]:
        # Detail only (one topic): one grouped query, not a query per row.
        return SpeakerStanceCountSerializer(selectors.topic_stance_counts(topic), many=True).data
