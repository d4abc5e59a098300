"""Curation: the edits curators make to claims, stances, speakers and sources. The admin and
the API call the same functions, and each marks its row so loads never undo the edit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from claims.choices import Method, ReviewStatus, StanceMethod
from claims.models import Alias, Claim, Source, Speaker, Stance, StanceDismissal, Topic
from claims.services.counts import claim_counts_adjust, moved, speaker_write
from claims.services.history import record_states_before
from claims.services.protection import stance_is_protected

_CLAIM_CURATOR_FIELDS = {"speaker", "text", "kind", "start", "end", "cue", "context", "status"}


@transaction.atomic
def claim_update(*, claim: Claim, **fields) -> bool:
    """A curator's edit through the API: applied, validated, and saved by ``claim_save``.

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
    claim_save(claim=claim, changed=changed)
    return True


@transaction.atomic
def claim_save(
    *, claim: Claim, changed: Iterable[str], created: bool = False, validated: bool = False
) -> Claim:
    """Save a claim as a curator left it (the API's edit, the admin's form), marked so that
    loads never undo it. A claim a curator writes is manual. ``validated``: a form has
    already run ``full_clean``."""
    claim.curator_edited_at = timezone.now()
    if created:
        claim.method = Method.MANUAL
    if created or "source" in changed:
        claim.published = claim.source.published  # the article's date, not the form's
    if not validated:
        claim.full_clean()
    was = None  # the stored speaker, locked: a form has already changed the instance's
    if not claim._state.adding:
        stored = Claim.objects.select_for_update().filter(pk=claim.pk)
        was = stored.values_list("speaker_id", flat=True).first()
    claim.save()  # version-guarded: had the speaker changed since it was read, this refuses
    claim_counts_adjust(moved(was, claim.speaker_id))
    return claim


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
def stance_set(
    *, claim: Claim, topic: Topic, stance: str, confidence: float = 1.0, user=None
) -> tuple[Stance, bool]:
    """A curator's stance on (claim, topic): created, or the one there replaced; manual,
    so loads never overwrite it. Returns the stance and whether it was created. ``user``
    is who the history names (the admin's session user is known without it). The same
    curator's stance set again writes nothing (no new version), as a claim's edit does.

    Two curators setting the same new pair at once: the second insert meets the first's
    row (the pair is unique), and replaces it as if it had been there all along.
    """
    try:
        # A savepoint: after a refused insert the transaction goes on.
        with transaction.atomic():
            return _stance_set(claim, topic, stance, confidence, user)
    except IntegrityError:
        if not Stance.objects.filter(claim=claim, topic=topic).exists():
            raise
    return _stance_set(claim, topic, stance, confidence, user)


def _stance_set(claim, topic, stance, confidence, user) -> tuple[Stance, bool]:
    obj = Stance.objects.select_for_update().filter(claim=claim, topic=topic).first()
    created = obj is None
    if created:
        obj = Stance(claim=claim, topic=topic)
    elif stance_is_protected(obj) and (obj.stance, obj.confidence) == (stance, confidence):
        return obj, False  # the curator's already: writing it again would change nothing
    obj.stance, obj.confidence = stance, confidence
    _recorded_as(obj, user)
    obj.full_clean(validate_unique=False, validate_constraints=False)
    return stance_save(stance=obj), created


def _signed_in(user) -> bool:
    return getattr(user, "pk", None) is not None  # not None, not AnonymousUser


def _recorded_as(obj, user) -> None:
    """The history of ``obj``'s next write names ``user``, said here rather than left to
    simple-history's middleware, which knows a user only inside a request. Without one,
    the middleware's (the admin's session user)."""
    if _signed_in(user):
        obj._history_user = user


_STANCE_CURATOR_FIELDS = {"stance", "confidence"}


@transaction.atomic
def stance_update(*, stance: Stance, changes: Mapping[str, object]) -> bool:
    """A curator's edit through the API, ``changes`` of ``stance`` and ``confidence`` by
    field name, saved by ``stance_save``.

    Returns whether anything was written. An automatic stance given its own values is
    confirmed: it becomes the curator's. A curator's stance given its stored values writes
    nothing (no new version), as a claim does.
    """
    unknown = set(changes) - _STANCE_CURATOR_FIELDS
    if unknown:
        raise ValueError(f"stance_update cannot set {sorted(unknown)}")
    changed = {name: value for name, value in changes.items() if getattr(stance, name) != value}
    if not changed and stance_is_protected(stance):
        return False
    for name, value in changed.items():
        setattr(stance, name, value)
    stance.full_clean(exclude=["claim", "topic"], validate_unique=False, validate_constraints=False)
    stance_save(stance=stance)
    return True


@transaction.atomic
def stance_save(*, stance: Stance) -> Stance:
    """A stance a curator set, changed or confirmed: manual from now on, out of the
    extractor's reach; a dismissal of the same pair is void (the curator says it is about
    the topic after all)."""
    stance.method = StanceMethod.MANUAL
    stance.contradicts_history = False  # the curator has looked at it
    stance.suggestion = False
    stance.model_version = ""
    stance.save()
    StanceDismissal.objects.filter(claim_id=stance.claim_id, topic_id=stance.topic_id).delete()
    return stance


@transaction.atomic
def stance_delete(*, stance: Stance, user=None) -> None:
    """A stance a curator removed, checked against the version the curator saw. The claim
    is not about the topic: the dismissal, naming ``user``, keeps loads and ``restance``
    from putting it back."""
    seen = stance.version
    stance.refresh_from_db()  # the row as stored goes into the history
    stance.version = seen
    _recorded_as(stance, user)
    stance.delete()
    StanceDismissal.objects.get_or_create(
        claim_id=stance.claim_id,
        topic_id=stance.topic_id,
        defaults={"dismissed_by": user.get_username() if _signed_in(user) else ""},
    )


def stance_dismissal_delete(*, dismissal: StanceDismissal) -> None:
    """A curator undoes a dismissal: the pair is the extractor's again, and the next load
    may give the claim a stance on that topic."""
    dismissal.delete()


def speaker_save(*, speaker: Speaker) -> Speaker:
    """A speaker a curator edited or made: its fields are the curator's from now on."""
    speaker.curator_edited_at = timezone.now()
    speaker.needs_review = False
    speaker_write(speaker)
    return speaker


def alias_save(*, alias: Alias) -> Alias:
    """A name a curator gave a speaker (``Alias.clean`` holds the folded-unique rule)."""
    alias.save()
    return alias


def alias_delete(*, alias: Alias) -> None:
    alias.delete()


@transaction.atomic
def source_save(*, source: Source) -> Source:
    """A curator's edit of a source's metadata: kept over what later loads read; the date
    goes to its claims."""
    source.curator_edited_at = timezone.now()
    source.save()
    source_dates_sync(source=source)
    return source


def topic_save(*, topic: Topic) -> Topic:
    topic.save()
    return topic


@transaction.atomic
def row_delete(*, obj) -> None:
    """A row a curator deletes in the admin; the foreign keys say what may go with it (a
    source or a speaker with claims is protected)."""
    obj.delete()  # a claim's is version-checked: its speaker is still the one read
    if isinstance(obj, Claim):
        claim_counts_adjust({obj.speaker_id: -1})


@transaction.atomic
def rows_delete(*, queryset: QuerySet, chunk_size: int = 500) -> None:
    """Rows a curator deletes together ("delete selected"). Claims are locked first and
    deleted by id, so their speakers' counts lose exactly the claims that went."""
    if queryset.model is not Claim:
        queryset.delete()  # sources and speakers with claims are protected
        return
    locked = Claim.objects.filter(pk__in=queryset.values("pk")).select_for_update()
    rows = list(locked.order_by("pk").values_list("pk", "speaker_id"))
    for start in range(0, len(rows), chunk_size):
        Claim.objects.filter(pk__in=[pk for pk, _ in rows[start : start + chunk_size]]).delete()
    gone = Counter(speaker for _, speaker in rows)
    claim_counts_adjust({speaker: -n for speaker, n in gone.items()})


def source_dates_sync(*, source: Source) -> int:
    """Copy a source's date onto its claims (all of them: the date is the article's).

    The claims' versions move too, so that a claim read before cannot save the old date back.
    """
    claims = Claim.objects.filter(source=source).exclude(published=source.published)
    if source.published is None:
        claims = Claim.objects.filter(source=source, published__isnull=False)
    return claims.update(published=source.published, version=F("version") + 1)
