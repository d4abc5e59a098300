"""Speakers the loader meets: found by the slug an attribution names, created for review
when unknown, given their other names as aliases."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.choices import AliasKind, SpeakerKind, SpeakerOrigin
from claims.extraction import SpeakerRef
from claims.extraction.normalize import fold, slugify
from claims.models import Alias, Speaker
from claims.services.writes import by_loader

if TYPE_CHECKING:
    from claims.services.loading import LoadResult


def alias_add(*, speaker: Speaker, name: str, kind: str = AliasKind.NAME) -> Alias | None:
    """Give ``speaker`` another name; ``None`` when it is taken (once folded) or invalid."""
    normalized = fold(name)
    if not normalized or normalized == fold(speaker.name):
        return None
    alias = Alias(speaker=speaker, name=name.strip(), kind=kind)
    try:
        alias.full_clean()  # Alias.clean() holds the rule: unique once folded
    except ValidationError:
        return None
    try:
        with transaction.atomic():  # a savepoint: losing a race must not spoil the caller's
            by_loader(alias).save()
    except IntegrityError:  # another loader gave this name to someone a moment ago
        return None
    return alias


# --- the curator's rule -----------------------------------------------------------------


# How the extractor names a speaker known only by a role ("procureur de Lyon").
ROLE_SPEAKER = "role-new"


def speaker_slug(ref: SpeakerRef, source_key: str = "") -> str:
    """The slug of the speaker ``ref`` names. A speaker known only by a role is one per
    article: "habitant" in two articles is two people."""
    if ref.key:
        return ref.key
    if ref.how == ROLE_SPEAKER and source_key:
        return f"{slugify(ref.name)[:150]}--{source_key}"[:200]
    return slugify(ref.name)


def speaker_for_ref(
    *, ref: SpeakerRef, result: LoadResult | None = None, source_key: str = ""
) -> Speaker:
    """The stored speaker for an attribution; a person we did not know is created for
    review, as is a speaker known only by a role (named by it, one per article)."""
    if ref.key:
        return Speaker.objects.get(slug=ref.key)
    slug = speaker_slug(ref, source_key)
    speaker = Speaker.objects.filter(slug=slug).first()
    if speaker is not None:
        return speaker
    try:
        with transaction.atomic():
            speaker = Speaker(
                name=ref.name,
                slug=slug,
                kind=ref.kind if ref.kind in SpeakerKind.values else SpeakerKind.PERSON,
                role=ref.role[:300],
                origin=SpeakerOrigin.EXTRACTED,
                needs_review=True,
            )
            # The unique slug is the database's to check, so that losing a race to another
            # loader is always an IntegrityError, never a ValidationError.
            speaker.full_clean(validate_unique=False, validate_constraints=False)
            by_loader(speaker).save()
    except IntegrityError:  # another loader made it a moment ago
        return Speaker.objects.get(slug=slug)
    surname = ref.name.split()[-1]
    if len(ref.name.split()) > 1 and speaker.kind == SpeakerKind.PERSON and ref.how != ROLE_SPEAKER:
        alias_add(speaker=speaker, name=surname)
    if result is not None:
        result.speakers_created.append(speaker.name)
    return speaker
