"""Syncing one source from an extraction: automatic claims and stances made to match it,
curated ones left alone, and curated claims moved with their words when the text changes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from django.db.models import Prefetch

from claims.choices import Method
from claims.extraction import ExtractedClaim, Extraction
from claims.extraction.stance import apply_prior
from claims.extraction.stance.learning import Example, Predictor, Priors
from claims.models import Claim, Source, Speaker, Stance, StanceDismissal, Topic
from claims.services.article_files import SourceFileError
from claims.services.counts import moved as speaker_moved
from claims.services.protection import claim_is_protected, stance_is_protected
from claims.services.speakers import speaker_for_ref, speaker_slug
from claims.services.writes import by_loader

if TYPE_CHECKING:
    from claims.services.loading import LoadContext, LoadResult

# The loader sets these foreign keys from rows it just read; validating them again would
# cost a query each for every claim (Django checks that the related row exists).
_LOADER_SKIPS = ["source", "speaker"]


_MOVED_REASON = "load_seeds: moved to its words in the article's new text"


def relocate_protected_claims(source: Source, new_text: str, claim_counts: Counter) -> None:
    """Move curated claims to their words in the new text, or refuse the new text.

    Each curated claim needs a copy of its words of its own: two confirmed claims of the
    same words need two copies. An automatic claim on a span a curated one moves to gives
    way (the extraction that follows would keep the curated claim there anyway). The claims
    removed are tallied in ``claim_counts``.
    """
    claims = list(source.claims.prefetch_related("stances").order_by("start", "end"))
    protected = [c for c in claims if claim_is_protected(c)]
    staying = [c for c in protected if new_text[c.start : c.end] == c.text]
    taken = {(c.start, c.end) for c in staying}
    moves: list[tuple[Claim, int]] = []
    for claim in protected:
        if claim in staying:
            continue
        copies = list(_find_all(new_text, claim.text))
        free = [i for i in copies if (i, i + len(claim.text)) not in taken]
        if not free:
            words = f"curated claim #{claim.pk} (“{claim.text[:60]}”)"
            if copies:
                others = sorted(c.pk for c in protected if c is not claim and c.text == claim.text)
                reason = (
                    f"its text changed and keeps {len(copies)} copy of the words of {words}, "
                    f"held by curated claim(s) {', '.join(f'#{pk}' for pk in others)}; "
                    "the stored article was kept"
                )
            else:
                reason = (
                    f"its text changed and no longer contains {words}; the stored article was kept"
                )
            raise SourceFileError(source.key, reason)
        start = min(free, key=lambda i: abs(i - claim.start))
        taken.add((start, start + len(claim.text)))
        moves.append((claim, start))
    targets = {(start, start + len(claim.text)) for claim, start in moves}
    for claim in claims:
        if (claim.start, claim.end) in targets and not claim_is_protected(claim):
            _loader_delete(claim, claim_counts)
    _move_claims(moves, parking=len(new_text))


def _move_claims(moves: list[tuple[Claim, int]], *, parking: int) -> None:
    """Save each claim at its new start, in an order where no two ever hold one span.

    A claim whose new span another moving claim still holds waits for it; in a cycle, one
    claim first steps to a span past the end of the text (inside the transaction only).
    """
    waiting = list(moves)
    held = {(claim.start, claim.end): claim for claim, _ in waiting}
    while waiting:
        ready = [m for m in waiting if (m[1], m[1] + len(m[0].text)) not in held]
        if not ready:
            claim, _ = waiting[0]
            del held[(claim.start, claim.end)]
            claim.start, claim.end = parking, parking + 1
            parking += 1
            by_loader(claim).save(update_fields=["start", "end", "updated_at"])
            continue
        for claim, start in ready:
            held.pop((claim.start, claim.end), None)
            claim.start, claim.end = start, start + len(claim.text)
            claim._change_reason = _MOVED_REASON
            claim.save(update_fields=["start", "end", "updated_at"])
            waiting.remove((claim, start))


def _loader_delete(claim: Claim, claim_counts: Counter) -> None:
    """Delete an automatic claim the extractor no longer finds, its stances first: each
    row's history then says the loader removed it (a cascade records no reason)."""
    for stance in claim.stances.all():
        by_loader(stance).delete()
    by_loader(claim).delete()  # version-checked: its speaker is still the one read
    claim_counts[claim.speaker_id] -= 1


def _find_all(text: str, needle: str) -> Iterable[int]:
    start = text.find(needle)
    while start != -1:
        yield start
        start = text.find(needle, start + 1)


def claims_sync(
    *,
    source: Source,
    extraction: Extraction,
    result: LoadResult,
    context: LoadContext,
    claim_counts: Counter,
) -> None:
    """Make the source's automatic claims match ``extraction``; leave curated claims alone.

    What each speaker gains or loses is tallied in ``claim_counts``, for the caller to apply
    once with the rest of its transaction's.
    """
    speakers = context.speakers_by_slug
    topics = context.topics_by_slug
    stances = Prefetch("stances", queryset=Stance.objects.select_related("topic"))
    existing = {
        (c.start, c.end): c
        for c in source.claims.select_related("speaker").prefetch_related(stances)
    }
    # (claim, topic) pairs a curator said are unrelated: never stanced again.
    dismissed = set(
        StanceDismissal.objects.filter(claim__source=source).values_list("claim_id", "topic_id")
    )
    protected_spans = [(s, e) for (s, e), c in existing.items() if claim_is_protected(c)]
    found_spans = {(f.start, f.end) for f in extraction.claims}
    # Automatic claims no longer found where they were, by their words: when the text
    # shifts, each moves to its words' new place, keeping its id, stances and history.
    movable: dict[str, list[Claim]] = {}
    for span, claim in sorted(existing.items()):
        if span not in found_spans and not claim_is_protected(claim):
            movable.setdefault(claim.text, []).append(claim)
    moved: set[int] = set()
    seen: set[tuple[int, int]] = set()
    created: list[tuple[Claim, ExtractedClaim]] = []
    for found in extraction.claims:
        if found.fragment:
            continue
        if found.speaker is None:
            # Kept, with no speaker: a curator finds it among the claims needing one.
            result.unattributed.append(found.text)
        span = (found.start, found.end)
        if span in seen:
            continue
        seen.add(span)
        claim = existing.get(span)
        if claim is not None and claim_is_protected(claim):
            result.claims_kept_for_curator += 1
            continue
        if claim is None and any(s < found.end and found.start < e for s, e in protected_spans):
            result.claims_kept_for_curator += 1  # a curator's claim covers these words already
            continue
        speaker = None
        if found.speaker is not None:
            slug = speaker_slug(found.speaker, source.key)
            speaker = speakers.get(slug)
            if speaker is None:
                speaker = speaker_for_ref(ref=found.speaker, result=result, source_key=source.key)
                speakers[speaker.slug] = speaker
        if claim is None and movable.get(found.text):
            claim = movable[found.text].pop(0)
            claim.start, claim.end = found.start, found.end
            _apply_extracted(claim, found, speaker, extraction.version, claim_counts)
            claim.full_clean(
                exclude=_LOADER_SKIPS, validate_unique=False, validate_constraints=False
            )
            claim._change_reason = _MOVED_REASON
            claim.save()
            stances_sync(claim=claim, found=found, topics=topics, dismissed=dismissed)
            moved.add(claim.pk)
            result.claims_updated += 1
        elif claim is None:
            claim = Claim(source=source, start=found.start, end=found.end)
            # Counted as moved from no speaker to its own.
            _apply_extracted(claim, found, speaker, extraction.version, claim_counts)
            # Unique and check constraints are the database's to enforce (one query each
            # here); clean() still proves text == source.text[start:end].
            claim.full_clean(
                exclude=_LOADER_SKIPS, validate_unique=False, validate_constraints=False
            )
            created.append((claim, found))
            result.claims_created += 1
        elif _apply_extracted(claim, found, speaker, extraction.version, claim_counts):
            claim.full_clean(
                exclude=_LOADER_SKIPS, validate_unique=False, validate_constraints=False
            )
            by_loader(claim).save()
            stances_sync(claim=claim, found=found, topics=topics, dismissed=dismissed)
            result.claims_updated += 1
        elif stances_sync(claim=claim, found=found, topics=topics, dismissed=dismissed):
            result.claims_updated += 1
        else:
            result.claims_unchanged += 1
    if created:
        # New claims and their stances in two inserts, not one per row.
        Claim.objects.bulk_create([claim for claim, _found in created])
        Stance.objects.bulk_create(
            [
                Stance(claim=claim, topic=topics[suggestion.topic], **_stance_values(suggestion))
                for claim, found in created
                for suggestion in found.stances
                if suggestion.topic in topics
            ]
        )
    for span, claim in existing.items():
        if span not in seen and claim.pk not in moved and not claim_is_protected(claim):
            # The extractor no longer finds it; nobody reviewed it.
            _loader_delete(claim, claim_counts)
            result.claims_removed += 1


def _stance_values(suggestion) -> dict:
    return {
        "method": suggestion.method,
        "model_version": suggestion.model_version,
        "suggestion": suggestion.abstain,
        "stance": suggestion.stance,
        "confidence": suggestion.confidence,
        "evidence": ", ".join(suggestion.evidence)[:300],
        "contradicts_history": suggestion.contradicts_history,
    }


def with_history(
    extraction: Extraction, history: dict[tuple[str, str], dict[str, int]]
) -> Extraction:
    """Weigh each suggested stance against its speaker's reviewed stances on the topic."""
    if not history:
        return extraction
    claims = []
    for claim in extraction.claims:
        if claim.speaker and claim.speaker.key and claim.stances:
            stances = tuple(
                apply_prior(s, history.get((claim.speaker.key, s.topic), {})) for s in claim.stances
            )
            claim = replace(claim, stances=stances)
        claims.append(claim)
    return replace(extraction, claims=tuple(claims))


def with_model(extraction: Extraction, predictor: Predictor | None, priors: Priors) -> Extraction:
    """The trained model's stance for every pair the lexicon linked (the lexicon's words
    stay as evidence). Without a model, the lexicon's suggestions stand."""
    if predictor is None:
        return extraction
    claims = []
    for claim in extraction.claims:
        if claim.stances:
            who = claim.speaker
            key = who.key if who is not None and who.key else ""
            words = f"{who.name} {who.role or ''}" if who is not None else ""
            country = priors.countries.get(key, "")
            stances = tuple(
                predictor.predict(
                    Example(
                        claim.text,
                        s.topic,
                        s,
                        speaker=key,
                        country=country,
                        cue=claim.cue,
                        speaker_words=words,
                    ),
                    priors,
                )
                for s in claim.stances
            )
            claim = replace(claim, stances=stances)
        claims.append(claim)
    return replace(extraction, claims=tuple(claims))


def _apply_extracted(
    claim: Claim,
    found: ExtractedClaim,
    speaker: Speaker | None,
    version: str,
    claim_counts: Counter,
) -> bool:
    """Set an existing claim to what was found; returns whether anything changed (the
    caller then saves it). A change of speaker is tallied in ``claim_counts``."""
    claim_counts.update(speaker_moved(claim.speaker_id, speaker.pk if speaker else None))
    values = {
        "published": claim.source.published,
        "speaker_id": speaker.pk if speaker is not None else None,
        "text": found.text,
        "kind": found.kind,
        "cue": found.cue[:300],
        "context": found.context,
        "confidence": found.confidence,
        "method": Method.AUTO,
        "extractor_version": version,
    }
    changed = False
    for name, value in values.items():
        if getattr(claim, name) != value:
            setattr(claim, name, value)
            changed = True
    return changed


def stances_sync(
    *,
    claim: Claim,
    found: ExtractedClaim,
    topics: dict[str, Topic],
    dismissed: set[tuple[int, int]] = frozenset(),
    only: set[str] | None = None,
) -> bool:
    """Refresh automatic stances from the extraction (of the ``only`` topics, if given);
    manual ones are the curator's, and a pair the curator dismissed stays without one."""
    current = {s.topic.slug: s for s in claim.stances.all() if only is None or s.topic.slug in only}
    changed = False
    for suggestion in found.stances:
        topic = topics.get(suggestion.topic)
        if topic is None or (claim.pk, topic.pk) in dismissed:
            continue
        if only is not None and suggestion.topic not in only:
            continue
        values = _stance_values(suggestion)
        stance = current.pop(topic.slug, None)
        if stance is None:
            by_loader(Stance(claim=claim, topic=topic, **values)).save()
            changed = True
        elif not stance_is_protected(stance) and any(
            getattr(stance, k) != v for k, v in values.items()
        ):
            for k, v in values.items():
                setattr(stance, k, v)
            by_loader(stance).save()
            changed = True
    for stance in current.values():
        if not stance_is_protected(stance):
            by_loader(stance).delete()
            changed = True
    return changed
