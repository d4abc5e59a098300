"""Topics, stances and dismissed stances."""

from __future__ import annotations

from django.contrib import admin
from django.utils.text import Truncator

from claims import selectors
from claims.admin.base import (
    ServiceWritesMixin,
    VersionedAdminMixin,
    VersionedInlineForm,
    VersionedModelAdmin,
)
from claims.models import (
    Stance,
    StanceDismissal,
    Topic,
)
from claims.services import curation

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
