import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, router, transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from claims.choices import (
    AliasKind,
    ClaimKind,
    DatePrecision,
    Gender,
    Method,
    ReviewStatus,
    SpeakerKind,
    SpeakerOrigin,
    StanceMethod,
    StanceValue,
)
from claims.extraction.normalize import fold

_unit_interval = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class EditConflict(Exception):
    """Someone saved this row after the version the writer read: saving would lose their work."""

    def __init__(self, obj: models.Model, seen: int) -> None:
        self.obj, self.seen = obj, seen
        super().__init__(
            f"{obj._meta.verbose_name} #{obj.pk} was changed by someone else "
            f"(you edited version {seen})"
        )


class Versioned(models.Model):
    """Optimistic concurrency: every save of an existing row checks and bumps ``version``.

    The writer's ``version`` is the one it read (the admin form sends it back hidden; the
    API takes it from If-Match). If the stored row has moved on, the save raises
    EditConflict instead of overwriting the other person's change.
    """

    # db_default: rows COPYed in bulk (generate_corpus) start at 1 too.
    version = models.PositiveIntegerField(
        default=1, db_default=1, help_text="Raised by one on every save."
    )

    # Read by services.history: these rows get a baseline record before their first change.
    _versioned = True

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self._state.adding or self.pk is None:
            super().save(*args, **kwargs)
            return
        model, seen = type(self), self.version
        using = kwargs.get("using") or router.db_for_write(model, instance=self)
        with transaction.atomic(using=using):
            # One conditional UPDATE: atomic on both databases, whoever comes second sees 0.
            rows = model._base_manager.using(using).filter(pk=self.pk, version=seen)
            if not rows.update(version=seen + 1):
                raise EditConflict(self, seen)
            self.version = seen + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        # The loader deletes what it read as unreviewed; a curator may have confirmed it since.
        model, seen = type(self), self.version
        using = kwargs.get("using") or router.db_for_write(model, instance=self)
        with transaction.atomic(using=using):
            rows = model._base_manager.using(using).select_for_update()
            if not rows.filter(pk=self.pk, version=seen).exists():
                raise EditConflict(self, seen)
            return super().delete(*args, **kwargs)


class Source(Versioned):
    """One article: the text that claims point into, and where it came from."""

    key = models.SlugField(
        max_length=200, unique=True, help_text="Stable identifier, e.g. a file name."
    )
    title = models.CharField(max_length=500, blank=True)
    outlet = models.CharField(max_length=200, blank=True, db_index=True)
    url = models.URLField(max_length=1000, blank=True)
    language = models.CharField(max_length=8, default="fr", help_text="ISO 639-1 code.")
    published = models.DateField(null=True, blank=True, db_index=True)
    published_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        blank=True,
        help_text="How much of the published date is known; the rest is filled with 01.",
    )
    text = models.TextField(help_text="The article body; claim offsets refer to it.")
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the text, hex.")
    extractor_version = models.CharField(max_length=32, blank=True)
    curator_edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The text is the file's; its hash shows in the history when it changes.
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published__isnull=True, published_precision="")
                | Q(published__isnull=False) & ~Q(published_precision=""),
                name="source_published_precision_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.key


# Undated claims sort as the oldest: a keyset cursor cannot hold a null.
PUBLISHED_SORT = Coalesce("published", Value(dt.date(1, 1, 1)))


class Speaker(Versioned):
    """A person, or an institution, to whom claims are attributed."""

    name = models.CharField(max_length=200)
    name_normalized = models.CharField(max_length=200, editable=False, db_index=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=12, choices=SpeakerKind.choices, default=SpeakerKind.PERSON)
    gender = models.CharField(max_length=1, choices=Gender.choices, blank=True)
    role = models.CharField(max_length=300, blank=True)
    country = models.CharField(
        max_length=2,
        blank=True,
        help_text="ISO 3166-1 alpha-2, e.g. TR.",
        validators=[RegexValidator(r"^[A-Z]{2}$", "Use a two-letter upper-case country code.")],
    )
    wikidata_id = models.CharField(
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q39259.")],
    )
    origin = models.CharField(
        max_length=10, choices=SpeakerOrigin.choices, default=SpeakerOrigin.MANUAL
    )
    needs_review = models.BooleanField(
        default=False, help_text="Created by the extractor; a curator should check it."
    )
    curator_edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Kept by claims.services.counts in the transaction of every claim write, so the
    # speakers list neither counts nor sorts claims. db_default: rows COPYed in start at 0.
    claim_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The count is not an edit: no history row for it, none showing it changed.
    history = HistoricalRecords(excluded_fields=["claim_count"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="speaker_wikidata_id_unique",
            ),
        ]
        # The speakers list pages by name, or by claim count with name and id breaking ties
        # (claims.api.filtersets): one index per direction of the count.
        indexes = [
            models.Index(fields=["name", "id"], name="speaker_name_id"),
            models.Index(fields=["claim_count", "name", "id"], name="speaker_claim_count"),
            models.Index(fields=["-claim_count", "name", "id"], name="speaker_claim_count_desc"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Kept beside the name so name searches ignore case and accents in the database.
        self.name_normalized = fold(self.name)


class Alias(models.Model):
    """Another way articles name a speaker: a surname, a spelling, a role description."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200, unique=True, editable=False)
    kind = models.CharField(max_length=4, choices=AliasKind.choices, default=AliasKind.NAME)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Case- and accent-blind uniqueness: "Erdoğan" and "erdogan" are the same alias.
        self.normalized = fold(self.name)
        if not self.normalized:
            raise ValidationError({"name": "An alias cannot be empty."})
        clash = Alias.objects.filter(normalized=self.normalized).exclude(pk=self.pk)
        clash = clash.select_related("speaker").first()
        if clash is not None:
            raise ValidationError(
                {"name": f"“{clash.name}” is already an alias of {clash.speaker.name}."}
            )


class Topic(Versioned):
    """A subject that claims take a stance on."""

    slug = models.SlugField(max_length=200, unique=True)
    name = models.CharField(max_length=300, unique=True)
    description = models.TextField(blank=True)
    keywords = models.JSONField(default=list, blank=True, help_text="Words that signal the topic.")
    stance_cues = models.JSONField(
        default=dict,
        blank=True,
        help_text='Words suggesting a stance on this topic: {"favor": [...], "against": [...]}.',
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Claim(Versioned):
    """A statement a speaker made, as it stands in one source, with its exact offsets."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claims")
    # Empty: a quotation whose speaker the extractor could not name, kept for a curator.
    speaker = models.ForeignKey(
        Speaker,
        on_delete=models.PROTECT,
        related_name="claims",
        null=True,
        blank=True,
        help_text="Empty when nobody could be named: the claim needs a speaker.",
    )
    text = models.TextField(help_text="Verbatim: equal to source.text[start:end].")
    kind = models.CharField(max_length=8, choices=ClaimKind.choices, default=ClaimKind.DIRECT)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    cue = models.CharField(max_length=300, blank=True, help_text="The attribution words.")
    context = models.TextField(blank=True, help_text="The paragraph the claim stands in.")
    confidence = models.FloatField(default=1.0, validators=_unit_interval)
    method = models.CharField(max_length=6, choices=Method.choices, default=Method.AUTO)
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.UNREVIEWED, db_index=True
    )
    extractor_version = models.CharField(max_length=32, blank=True)
    published = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The source's date, kept here so date filters need no join.",
    )
    curator_edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["source__key", "start"]
        constraints = [
            models.UniqueConstraint(fields=["source", "start", "end"], name="claim_unique_span"),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="claim_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="claim_confidence_range"
            ),
        ]
        # Each chosen from EXPLAIN ANALYZE at 1M claims (BENCHMARKS.md).
        indexes = [
            models.Index(fields=["speaker", "status"]),
            models.Index(fields=["published", "id"]),
            # ?ordering=published: the cursor sorts on the coalesced date (see PUBLISHED_SORT).
            models.Index(PUBLISHED_SORT, "id", name="claim_published_sort_id"),
            models.Index(fields=["confidence", "id"], name="claim_confidence_id"),
            models.Index(fields=["created_at", "id"], name="claim_created_id"),
            models.Index(fields=["start", "id"], name="claim_start_id"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        # The promise users rely on: the claim text is exactly what the source says there.
        if self.source_id is None or self.start is None or self.end is None:
            return
        if self.end <= self.start:
            raise ValidationError({"end": "The end offset must be after the start offset."})
        if self.end > len(self.source.text):
            raise ValidationError({"end": "The end offset is past the end of the source text."})
        if self.source.text[self.start : self.end] != self.text:
            raise ValidationError(
                {"text": "The text must equal the source text between the start and end offsets."}
            )


class Stance(Versioned):
    """A claim's position on a topic."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="stances")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="stances")
    stance = models.CharField(max_length=7, choices=StanceValue.choices)
    confidence = models.FloatField(default=1.0, validators=_unit_interval)
    method = models.CharField(max_length=6, choices=StanceMethod.choices, default=StanceMethod.AUTO)
    model_version = models.CharField(
        max_length=40,
        blank=True,
        help_text="What set an automatic stance: the lexicon's version or the trained model's.",
    )
    suggestion = models.BooleanField(
        default=False,
        help_text="Below the confidence threshold: a suggestion for a curator, not an answer.",
    )
    evidence = models.CharField(
        max_length=300, blank=True, help_text="The cue words that suggested this stance."
    )
    contradicts_history = models.BooleanField(
        default=False,
        help_text="Suggested against the speaker's reviewed stances on this topic: "
        "a change of position, or an extraction error.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["topic__name"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "topic"], name="stance_unique_claim_topic"),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="stance_confidence_range",
            ),
        ]
        # "claims against topic X": the EXISTS probes (topic, stance) and needs the claim id.
        indexes = [
            models.Index(fields=["topic", "stance", "claim"]),
            # ?contradicts_history=true: the few flagged stances, not a scan of all of them.
            models.Index(
                fields=["claim"], condition=Q(contradicts_history=True), name="stance_contradicts"
            ),
            models.Index(fields=["claim"], condition=Q(suggestion=True), name="stance_suggestion"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()} on {self.topic}"


class StanceDismissal(models.Model):
    """A curator removed an automatic stance: the claim is not about that topic. Loads and
    ``restance`` never put it back, and training reads it as a "no link" example."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="stance_dismissals")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="stance_dismissals")
    # A name, not a foreign key: an export carries it, and deleting a user keeps it.
    dismissed_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim", "topic"], name="dismissal_unique_claim_topic")
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} not about {self.topic}"


class StanceModel(models.Model):
    """A stance classifier fitted on curators' stances by ``train_stance``: its parameters
    as plain JSON (no pickle: loading a model never runs code), and how well it did."""

    version = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    examples = models.PositiveIntegerField(help_text="Curated stances it was fitted on.")
    cv_accuracy = models.FloatField(
        null=True, blank=True, help_text="Cross-validated accuracy, folds by article."
    )
    report = models.JSONField(default=dict, blank=True)
    parameters = models.JSONField()

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"stance model v{self.version}"

    @property
    def label(self) -> str:
        return f"model-{self.version}"
