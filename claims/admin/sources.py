"""Articles: adding one from a file or pasted text, its claims listed on its page."""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import Truncator

from claims import selectors
from claims.admin.base import (
    VersionedModelAdmin,
    _highlighted,
)
from claims.extraction import ArticleError, parse_article
from claims.models import (
    Claim,
    Source,
)
from claims.services import article_files, curation, loading


class ClaimInline(admin.TabularInline):
    model = Claim
    fields = ["excerpt", "speaker", "kind", "status", "confidence"]
    readonly_fields = ["excerpt", "speaker", "kind", "status", "confidence"]
    extra = 0
    show_change_link = True
    can_delete = False
    ordering = ["start"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker")

    @admin.display(description="claim")
    def excerpt(self, claim: Claim) -> str:
        return Truncator(claim.text).chars(120)


class SourceAddForm(forms.ModelForm):
    """A new article, pasted in: its text is required and extracted as a file's would be."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 20, "cols": 100}),
        max_length=article_files.MAX_FILE_BYTES,
        strip=False,
        help_text="The article as it would be in a .txt file: an optional first line "
        '" date 2021-06-14", then the text. Claims are extracted when you save (without '
        "spaCy's entity recognizer: run load_seeds on the file for that).",
    )

    class Meta:
        model = Source
        fields = ["key", "title", "outlet", "url", "language", "published", "text"]
        # Django 6 assumes https for scheme-less URLs; say so now (as SourceAdmin does).
        field_classes = {"url": partial(forms.URLField, assume_scheme="https")}
        help_texts = {
            "title": "Leave empty to take the text's first line.",
            "published": "Leave empty to take the text's date line, if any.",
        }

    def clean_text(self):
        text = self.cleaned_data["text"]
        try:
            parse_article(text)
        except ArticleError as exc:
            raise ValidationError(f"This is not an article: {exc}.") from None
        return text


@admin.register(Source)
class SourceAdmin(VersionedModelAdmin):
    list_display = ["key", "title_excerpt", "outlet", "published", "language", "claim_count"]
    list_filter = ["outlet", "language", "published_precision"]
    search_fields = ["key", "title", "outlet"]
    date_hierarchy = "published"
    ordering = ["key"]  # the claim_count annotation drops Meta.ordering
    readonly_fields = [
        "key",
        "body",
        "content_hash",
        "extractor_version",
        "created_at",
        "updated_at",
    ]
    fields = [
        "key",
        "title",
        "outlet",
        "url",
        "language",
        "published",
        "published_precision",
        "body",
        "content_hash",
        "extractor_version",
        "created_at",
        "updated_at",
        "version",
    ]
    inlines = [ClaimInline]
    show_full_result_count = False
    # Django 6 assumes https for scheme-less URLs; say so now (and silence the deprecation).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return selectors.with_claim_count(super().get_queryset(request))

    # "Add source": a form that requires the text and extracts it through the loading
    # service. It stored a row with no key and no text before (a 500 the second time).
    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = SourceAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return SourceAddForm._meta.fields if obj is None else super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        return [] if obj is None else super().get_inlines(request, obj)

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, source: Source) -> int:
        return source.claim_count

    @admin.display(description="title", ordering="title")
    def title_excerpt(self, source: Source) -> str:
        return Truncator(source.title).chars(80)

    @admin.display(description="text, claims highlighted")
    def body(self, source: Source):
        spans = [
            (c.start, c.end, f"{c.speaker.name} ({c.get_status_display()})")
            for c in source.claims.select_related("speaker")
        ]
        return _highlighted(source.text, spans)

    def save_model(self, request, obj, form, change):
        if not change:
            self._add(request, obj, form.cleaned_data)
            return
        if self.changes_nothing(form, change):
            return
        curation.source_save(source=obj)

    def _add(self, request, obj: Source, data: dict) -> None:
        source, result = loading.source_add(
            key=data["key"],
            text=data["text"],
            title=data["title"],
            outlet=data["outlet"],
            url=data["url"],
            published=data["published"],
            language=data["language"],
        )
        # The admin goes on with the form's object: make it the stored source.
        obj.pk, obj._state.adding, obj._state.db = source.pk, False, source._state.db
        obj.__dict__.update(
            {f.attname: getattr(source, f.attname) for f in Source._meta.concrete_fields}
        )
        unattributed = len(result.unattributed)
        self.message_user(
            request,
            f"{result.claims_created} claim(s) extracted"
            + (f"; {unattributed} quotation(s) with no speaker found" if unattributed else "")
            + (
                f"; new speakers to review: {', '.join(result.speakers_created)}"
                if result.speakers_created
                else ""
            )
            + ".",
            messages.INFO,
        )
