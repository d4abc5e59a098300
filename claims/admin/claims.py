"""Claims: the review queue, with their stances inline."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Prefetch
from django.utils.text import Truncator

from claims.admin.base import (
    FoldedSpeakerSearchMixin,
    VersionedModelAdmin,
    _highlighted,
)
from claims.admin.stances import StanceInline
from claims.choices import ReviewStatus
from claims.extraction.text import paragraph_around
from claims.models import (
    Claim,
    Stance,
)
from claims.services import curation


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
