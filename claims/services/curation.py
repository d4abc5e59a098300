"""Curation: the edits curators make to claims, stances, speakers and sources. The admin and
the API call the same functions, and each marks its row so loads never undo the edit."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from claims.choices import Method, ReviewStatus
from claims.models import Claim, Source, Speaker, Stance, Topic, record_states_before

_CLAIM_CURATOR_FIELDS = {"speaker", "text", "kind", "start", "end", "cue", "context", "status"}


@transaction.atomic
def claim_update(*, claim: Claim, **fields) -> bool:
    """A curator's edit: applied, validated, and marked so loads never undo it.

    Returns whether anything changed. Values equal to the stored ones change nothing: no
    save, no new version, no curator mark (which would freeze the claim against every
    later extraction although nobody edited it).
    """
    unknown = set(fields) - _CLAIM_CURATOR_FIELDS
    if unknown:
        raise ValueError(f"claim_update cannot set {sorted(unknown)}")
    changed = {name: value for name, value in fields.items() if getattr(claim, name) != value}
    if not changed:
        return False
    for name, value in changed.items():
        setattr(claim, name, value)
    claim.curator_edited_at = timezone.now()
    claim.full_clean()
    claim.save()
    return True


def claims_set_status(
    *, claims: Iterable[Claim], status: str, user=None, chunk_size: int = 500
) -> int:
    """Confirm or reject claims in bulk (admin actions), versioned and in the history.

    A few queries per chunk of claims, whatever their number, each chunk in its own
    transaction: "select all" on a large list neither runs a query per claim nor locks
    every claim for the whole run.
    """
    if status not in ReviewStatus.values:
        raise ValueError(f"unknown status {status!r}")
    if isinstance(claims, QuerySet):
        ids = list(claims.order_by("pk").values_list("pk", flat=True).distinct())
    else:
        ids = sorted({c.pk for c in claims})
    for start in range(0, len(ids), chunk_size):
        with transaction.atomic():
            _claims_set_status_chunk(ids[start : start + chunk_size], status, user)
    return len(ids)


def _claims_set_status_chunk(ids: list[int], status: str, user) -> None:
    now = timezone.now()
    # Locked in id order: two bulk actions over the same claims wait, never deadlock.
    locked = Claim.objects.filter(pk__in=ids).select_for_update().order_by("pk")
    record_states_before(list(locked))
    Claim.objects.filter(pk__in=ids).update(
        status=status, curator_edited_at=now, updated_at=now, version=F("version") + 1
    )
    after = list(Claim.objects.filter(pk__in=ids).order_by("pk"))
    for claim in after:
        claim._history_user = user
    # No reason, as for a single save (bulk_history_create's default is "").
    Claim.history.bulk_history_create(
        after, update=True, default_date=now, default_change_reason=None
    )


@transaction.atomic
def claim_create_manual(
    *, source: Source, speaker: Speaker, start: int, end: int, kind: str = "direct", cue: str = ""
) -> Claim:
    """A claim a curator adds by hand: the text is taken from the source at the offsets."""
    claim = Claim(
        source=source,
        speaker=speaker,
        start=start,
        end=end,
        text=source.text[start:end],
        kind=kind,
        cue=cue,
        context=source.text[
            source.text.rfind("\n", 0, start) + 1 : (
                source.text.find("\n", end) + 1 or len(source.text) + 1
            )
            - 1
        ],
        method=Method.MANUAL,
        status=ReviewStatus.CONFIRMED,
        confidence=1.0,
        published=source.published,
        curator_edited_at=timezone.now(),
    )
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def stance_set(*, claim: Claim, topic: Topic, stance: str, confidence: float = 1.0) -> Stance:
    """A curator's stance: manual, so loads never overwrite it."""
    obj, _ = Stance.objects.update_or_create(
        claim=claim,
        topic=topic,
        defaults={
            "stance": stance,
            "confidence": confidence,
            "method": Method.MANUAL,
            "contradicts_history": False,
        },
    )
    obj.full_clean()
    return obj


def speaker_mark_edited(*, speaker: Speaker) -> Speaker:
    """Record that a curator edited this speaker (admin and API saves call it)."""
    speaker.curator_edited_at = timezone.now()
    speaker.needs_review = False
    return speaker


def source_mark_edited(*, source: Source) -> Source:
    """Record that a curator edited this source's metadata."""
    source.curator_edited_at = timezone.now()
    return source


def source_dates_sync(*, source: Source) -> int:
    """Copy a source's date onto its claims (all of them: the date is the article's).

    The claims' versions move too, so that a claim read before cannot save the old date back.
    """
    claims = Claim.objects.filter(source=source).exclude(published=source.published)
    if source.published is None:
        claims = Claim.objects.filter(source=source, published__isnull=False)
    return claims.update(published=source.published, version=F("version") + 1)


def claim_mark_edited(*, claim: Claim, created: bool = False) -> Claim:
    """Record that a curator edited (or, ``created``, wrote) this claim; admin saves call it."""
    claim.curator_edited_at = timezone.now()
    if claim.source_id is not None:
        claim.published = claim.source.published
    if created:
        claim.method = Method.MANUAL
    return claim


def stance_mark_manual(*, stance: Stance) -> Stance:
    """A stance a curator set or changed becomes manual, out of the extractor's reach."""
    stance.method = Method.MANUAL
    stance.contradicts_history = False  # the curator has looked at it
    return stance
