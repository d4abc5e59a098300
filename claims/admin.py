"""The curators' workbench. Saves go through services so the loader never undoes them."""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from claims import selectors
from claims.choices import ReviewStatus
from claims.extraction import ArticleError, parse_article
from claims.extraction.text import paragraph_around
from claims.models import (
    Alias,
    Claim,
    EditConflict,
    Source,
    Speaker,
    Stance,
    StanceDismissal,
    Topic,
)
from claims.services import article_files, curation, loading


def conflict_message(obj: models.Model) -> str:
    """Who saved the row since the curator opened it, and when, from its history."""
    name = obj._meta.verbose_name
    last = type(obj).history.filter(id=obj.pk).select_related("history_user").first()
    by = ""
    if last is not None:
        # No user: the loader, an import or a script, never a signed-in curator.
        who = last.history_user.get_username() if last.history_user else "the loader or a script"
        when = timezone.localtime(last.history_date).strftime("%Y-%m-%d %H:%M:%S")
        by = f" by {who} at {when}"
    return (
        f"This {name} was changed{by} while you were editing it, so your changes were not "
        f"saved: they would have overwritten theirs. Open the {name} again (its history "
        "shows what changed) and redo your edit."
    )


class VersionedForm(forms.ModelForm):
    """Refuses a save made from a page older than the stored row: two curators, one claim.

    The page carries the row's version in a hidden field; the stored row's version is the
    form's initial value, read when the POST arrives.
    """

    # The main form is always saved; an inline row only when it differs from the stored one.
    check_unchanged = True

    def has_changed(self) -> bool:
        return any(name != "version" for name in self.changed_data)

    def clean(self):
        cleaned = super().clean()
        seen, stored = cleaned.get("version"), self.initial.get("version")
        stale = self.instance.pk is not None and seen is not None and seen != stored
        if stale and (self.check_unchanged or self.has_changed()):
            raise ValidationError(conflict_message(self.instance), code="edit_conflict")
        return cleaned


class VersionedInlineForm(VersionedForm):
    check_unchanged = False


class VersionedAdminMixin:
    """The version travels hidden in the page; a conflict that slips past the form check
    (two saves in the same instant) is caught by the model's conditional update."""

    form = VersionedForm

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["widget"] = forms.HiddenInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)


# Where each model's admin saves and deletes go (one service per kind of row). A delete is
# told who deletes: a stance's removal is a dismissal that names the curator.
_SAVES = {
    Stance: lambda stance: curation.stance_save(stance=stance),
    Alias: lambda alias: curation.alias_save(alias=alias),
    Topic: lambda topic: curation.topic_save(topic=topic),
}
_DELETES = {
    Stance: lambda stance, user: curation.stance_delete(stance=stance, user=user),
    Alias: lambda alias, user: curation.alias_delete(alias=alias),
    StanceDismissal: lambda dismissal, user: curation.stance_dismissal_delete(dismissal=dismissal),
}


class ServiceWritesMixin:
    """Saves and deletes go through ``claims.services.curation``, as the API's do."""

    @staticmethod
    def changes_nothing(form, change: bool) -> bool:
        """A save of a page with nothing edited: it is not a curator's edit, so it marks
        nothing (the mark would freeze the row against every later extraction)."""
        return change and not form.has_changed()

    def save_model(self, request, obj, form, change):
        if self.changes_nothing(form, change):
            return
        _SAVES[type(obj)](obj)

    def delete_model(self, request, obj):
        delete = _DELETES.get(type(obj))
        if delete is None:
            curation.row_delete(obj=obj)
        else:
            delete(obj, request.user)

    def delete_queryset(self, request, queryset):
        if queryset.model not in _DELETES:
            curation.rows_delete(queryset=queryset)
            return
        # "Delete selected": row by row through the model's service, so a stance removed
        # with others is dismissed as one removed alone; all of them or none.
        with transaction.atomic(using=router.db_for_write(queryset.model)):
            for obj in queryset:
                _DELETES[type(obj)](obj, request.user)

    def save_formset(self, request, form, formset, change):
        # Inline rows (a claim's stances, a speaker's aliases) go through the services too.
        for obj in formset.save(commit=False):
            _SAVES[type(obj)](obj)
        for obj in formset.deleted_objects:
            _DELETES[type(obj)](obj, request.user)
        formset.save_m2m()


class VersionedModelAdmin(ServiceWritesMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as exc:  # the whole save was rolled back
            self.message_user(request, conflict_message(exc.obj), messages.ERROR)
            return HttpResponseRedirect(request.path)


def _highlighted(
    text: str, spans: list[tuple[int, int, str]], focus: tuple[int, int] | None = None
):
    """The text with each (start, end, label) span in a <mark>; overlaps are skipped."""
    parts, pos = [], 0
    for start, end, label in sorted(spans):
        if start < pos:
            continue
        style = "background:#ffe08a" if (start, end) == focus else "background:#fff3c4"
        parts.append(escape(text[pos:start]))
        parts.append(
            format_html('<mark style="{}" title="{}">{}</mark>', style, label, text[start:end])
        )
        pos = end
    parts.append(escape(text[pos:]))
    return format_html(
        '<div style="white-space:pre-wrap;max-width:60em;line-height:1.5">{}</div>',
        mark_safe("".join(str(p) for p in parts)),
    )


class FoldedSpeakerSearchMixin:
    """Search also finds speakers by a name or alias word, ignoring case and accents.

    The stock search is a plain ``icontains``: "Erdoğan" would miss a speaker stored as "Erdogan".
    """

    speaker_lookup = "speaker"  # the path from the listed model to its speaker

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            speakers = selectors.speaker_matching_name(Speaker.objects.all(), search_term)
            results |= queryset.filter(**{f"{self.speaker_lookup}__in": speakers.values("pk")})
        return results, may_have_duplicates


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


class AliasInline(admin.TabularInline):
    model = Alias
    fields = ["name", "kind"]
    extra = 1


@admin.register(Speaker)
class SpeakerAdmin(FoldedSpeakerSearchMixin, VersionedModelAdmin):
    list_display = ["name", "kind", "role", "country", "claim_count", "needs_review", "origin"]
    list_filter = ["needs_review", "kind", "origin", "country"]
    search_fields = ["name", "slug", "aliases__name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]
    readonly_fields = ["origin", "curator_edited_at", "created_at", "updated_at"]
    fields = [
        "name",
        "slug",
        "kind",
        "gender",
        "role",
        "country",
        "wikidata_id",
        "needs_review",
        "origin",
        "curator_edited_at",
        "created_at",
        "updated_at",
        "version",
    ]
    inlines = [AliasInline]
    show_full_result_count = False
    speaker_lookup = "pk"

    # The stored count: a search joining aliases cannot multiply it.
    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, speaker: Speaker) -> int:
        return speaker.claim_count

    def save_model(self, request, obj, form, change):
        if self.changes_nothing(form, change):
            return
        curation.speaker_save(speaker=obj)


# A stance's fields, on its claim's page and on its own; what set it is read only (a
# curator's save makes it manual).
STANCE_FIELDS = [
    "topic",
    "stance",
    "confidence",
    "method",
    "model_version",
    "suggestion",
    "evidence",
    "contradicts_history",
    "version",
]
STANCE_READ_ONLY = ["method", "model_version", "suggestion", "evidence", "contradicts_history"]


class StanceInline(VersionedAdminMixin, admin.TabularInline):
    model = Stance
    form = VersionedInlineForm
    fields = STANCE_FIELDS
    readonly_fields = STANCE_READ_ONLY
    autocomplete_fields = ["topic"]
    extra = 0


class NeedsSpeakerFilter(admin.SimpleListFilter):
    """Quotations the extractor kept without a speaker: a curator names one."""

    title = "speaker"
    parameter_name = "needs_speaker"

    def lookups(self, request, model_admin):
        return [("yes", "Needs a speaker"), ("no", "Has a speaker")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(speaker__isnull=self.value() == "yes")
        return queryset


@admin.register(Claim)
class ClaimAdmin(FoldedSpeakerSearchMixin, VersionedModelAdmin):
    list_display = [
        "excerpt",
        "speaker",
        "source",
        "stance_summary",
        "status",
        "confidence",
        "kind",
    ]
    list_display_links = ["excerpt"]
    list_filter = [
        "status",
        NeedsSpeakerFilter,
        "kind",
        "method",
        ("speaker", admin.RelatedOnlyFieldListFilter),
        ("stances__topic", admin.RelatedOnlyFieldListFilter),
        "stances__stance",
        "stances__suggestion",
        "stances__contradicts_history",
        "source__outlet",
    ]
    list_select_related = ["speaker", "source"]
    search_fields = ["text", "speaker__name", "speaker__aliases__name", "cue"]
    autocomplete_fields = ["speaker", "source"]
    readonly_fields = [
        "in_source",
        "method",
        "extractor_version",
        "curator_edited_at",
        "created_at",
        "updated_at",
    ]
    fields = [
        "source",
        "speaker",
        "kind",
        "status",
        "text",
        "start",
        "end",
        "cue",
        "in_source",
        "context",
        "confidence",
        "method",
        "extractor_version",
        "curator_edited_at",
        "created_at",
        "updated_at",
        "version",
    ]
    inlines = [StanceInline]
    actions = ["confirm", "reject"]
    show_full_result_count = False
    list_per_page = 50

    def get_queryset(self, request):
        stances = Prefetch("stances", queryset=Stance.objects.select_related("topic"))
        return super().get_queryset(request).prefetch_related(stances)

    @admin.display(description="claim")
    def excerpt(self, claim: Claim) -> str:
        return Truncator(claim.text).chars(90)

    @admin.display(description="stances")
    def stance_summary(self, claim: Claim) -> str:
        return ", ".join(f"{s.topic.slug}: {s.stance}" for s in claim.stances.all()) or "—"

    @admin.display(description="in the source")
    def in_source(self, claim: Claim):
        if not claim.pk:
            return "—"
        text = claim.source.text
        para_start, para_end = paragraph_around(text, claim.start, claim.end)
        span = (claim.start - para_start, claim.end - para_start)
        who = claim.speaker.name if claim.speaker is not None else "no speaker yet"
        return _highlighted(text[para_start:para_end], [(*span, who)], focus=span)

    @admin.action(description="Confirm selected claims", permissions=["change"])
    def confirm(self, request, queryset):
        count = curation.claims_set_status(
            claims=queryset, status=ReviewStatus.CONFIRMED, user=request.user
        )
        self.message_user(request, f"{count} claim(s) confirmed.", messages.SUCCESS)

    @admin.action(
        description="Reject selected claims (kept, never re-created)", permissions=["change"]
    )
    def reject(self, request, queryset):
        count = curation.claims_set_status(
            claims=queryset, status=ReviewStatus.REJECTED, user=request.user
        )
        self.message_user(request, f"{count} claim(s) rejected.", messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        if self.changes_nothing(form, change):
            return
        curation.claim_save(
            claim=obj, changed=form.changed_data, created=not change, validated=True
        )


@admin.register(Topic)
class TopicAdmin(VersionedModelAdmin):
    list_display = ["name", "slug", "claim_count"]
    search_fields = ["name", "slug", "description"]
    fields = ["name", "slug", "description", "keywords", "stance_cues", "version"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]  # the claim_count annotation drops Meta.ordering

    def get_queryset(self, request):
        return selectors.with_claim_count(super().get_queryset(request))

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, topic: Topic) -> int:
        return topic.claim_count


@admin.register(Stance)
class StanceAdmin(VersionedModelAdmin):
    """Stances are edited on their claim's page; here they can be browsed, and their history read."""

    list_display = ["claim_excerpt", "topic", "stance", "confidence", "method", "suggestion"]
    list_filter = ["stance", "method", "suggestion", "contradicts_history", "topic"]
    list_select_related = ["claim", "topic"]
    search_fields = ["claim__text", "topic__name"]
    fields = ["claim", *STANCE_FIELDS]
    readonly_fields = ["claim", "topic", *STANCE_READ_ONLY]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False  # a stance belongs to a claim: add it there

    @admin.display(description="claim")
    def claim_excerpt(self, stance: Stance) -> str:
        return Truncator(stance.claim.text).chars(90)

    def save_model(self, request, obj, form, change):
        if self.changes_nothing(form, change):
            return
        curation.stance_save(stance=obj)


@admin.register(StanceDismissal)
class StanceDismissalAdmin(ServiceWritesMixin, admin.ModelAdmin):
    """Claims a curator said are not about a topic: loads give them no stance on it.
    Read only; deleting one undoes the dismissal, and the next load may stance the pair."""

    list_display = ["claim_excerpt", "topic", "dismissed_by", "created_at"]
    list_filter = [("topic", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["claim", "topic"]
    search_fields = ["claim__text", "topic__name", "dismissed_by"]
    fields = ["claim", "topic", "dismissed_by", "created_at"]
    readonly_fields = fields
    ordering = ["-created_at", "-pk"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False  # a dismissal is what removing a stance leaves

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="claim", ordering="claim__text")
    def claim_excerpt(self, dismissal: StanceDismissal) -> str:
        return Truncator(dismissal.claim.text).chars(90)


@admin.register(Alias)
class AliasAdmin(ServiceWritesMixin, SimpleHistoryAdmin):
    """Aliases are edited on their speaker's page; here they can be found, and their history read."""

    list_display = ["name", "kind", "speaker"]
    list_filter = ["kind"]
    list_select_related = ["speaker"]
    search_fields = ["name", "speaker__name"]
    autocomplete_fields = ["speaker"]
