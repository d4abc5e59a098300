"""What every admin page shares: version checks on forms, saves through the services, search by folded name."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from claims import selectors
from claims.models import (
    Alias,
    EditConflict,
    Speaker,
    Stance,
    StanceDismissal,
    Topic,
)
from claims.services import curation


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
