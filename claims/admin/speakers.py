"""Speakers and their aliases."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from claims.admin.base import (
    FoldedSpeakerSearchMixin,
    ServiceWritesMixin,
    VersionedModelAdmin,
)
from claims.models import (
    Alias,
    Speaker,
)
from claims.services import curation


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


@admin.register(Alias)
class AliasAdmin(ServiceWritesMixin, SimpleHistoryAdmin):
    """Aliases are edited on their speaker's page; here they can be found, and their history read."""

    list_display = ["name", "kind", "speaker"]
    list_filter = ["kind"]
    list_select_related = ["speaker"]
    search_fields = ["name", "speaker__name"]
    autocomplete_fields = ["speaker"]
