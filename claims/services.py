"""Every write to the claims database goes through here (HackSoft style services).

The rule users rely on most lives in ``claim_is_protected`` / ``stance_is_protected``: a load
may refresh what the extractor made, never what a curator touched.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, models, transaction
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from claims import selectors
from claims.choices import (
    AliasKind,
    DatePrecision,
    Method,
    ReviewStatus,
    SpeakerKind,
    SpeakerOrigin,
)
from claims.extraction import (
    EXTRACTOR_VERSION,
    Analysis,
    ArticleError,
    ExtractedClaim,
    Extraction,
    KnownSpeaker,
    ParsedArticle,
    SpeakerRef,
    TopicSpec,
    extract,
    nlp,
    parse_article,
)
from claims.extraction.evaluate import load_gold_topics
from claims.extraction.normalize import fold, slugify
from claims.extraction.stance import apply_prior
from claims.models import (
    Alias,
    Claim,
    EditConflict,
    Source,
    Speaker,
    Stance,
    Topic,
    record_states_before,
)

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
# What the history says of the loader's changes (curators' carry their user). The rows an
# article creates are not recorded: their created_at and extractor_version say as much,
# and one more insert per row made the loader 5% slower. Their first change records the
# state before it (claims.models._history_baseline).
LOADER_REASON = "load_seeds"
MAX_FILE_BYTES = 10 * 1024 * 1024
# Attempts at one transaction that lost a race with another loader (see ``_retrying``).
WRITE_ATTEMPTS = 4

_T = TypeVar("_T")
_M = TypeVar("_M", bound=models.Model)


class SourceFileError(Exception):
    """A file that cannot be loaded; ``reason`` is for people."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


# --- reference data ----------------------------------------------------------------------


@dataclass
class ReferenceReport:
    speakers_created: int = 0
    aliases_created: int = 0
    topics_created: int = 0
    skipped_aliases: list[str] = field(default_factory=list)


def reference_speakers(*, directory: Path = FIXTURES_DIR) -> list[KnownSpeaker]:
    """The reference speakers of ``fixtures/speakers.json`` as the extractor knows them
    (for scoring on an empty database); nothing is written."""
    items = json.loads((directory / "speakers.json").read_text(encoding="utf-8"))
    return [
        KnownSpeaker(
            key=s["slug"],
            name=s["name"],
            kind=s["kind"],
            gender=s.get("gender", ""),
            role=s.get("role", ""),
            aliases=tuple((a["name"], a["kind"]) for a in s.get("aliases", [])),
        )
        for s in items
    ]


def reference_topics(*, directory: Path = FIXTURES_DIR) -> list[TopicSpec]:
    """The reference topics of ``fixtures/topics.json`` as the extractor takes them."""
    return load_gold_topics(directory / "topics.json") or []


def reference_install(*, directory: Path = FIXTURES_DIR) -> ReferenceReport:
    """Install the reference speakers and topics that are missing; never touch existing rows.

    Two loaders starting together both find them missing: the slower one's inserts fail
    on the unique slugs, and its rerun finds everything installed.
    """
    return _retrying(lambda: _reference_install(directory))


@transaction.atomic
def _reference_install(directory: Path) -> ReferenceReport:
    report = ReferenceReport()
    speakers = json.loads((directory / "speakers.json").read_text(encoding="utf-8"))
    topics = json.loads((directory / "topics.json").read_text(encoding="utf-8"))
    existing_speakers = {s.slug: s for s in Speaker.objects.all()}
    taken_aliases = set(Alias.objects.values_list("normalized", flat=True))
    for item in speakers:
        current = existing_speakers.get(item["slug"])
        if current is not None:
            # New reference aliases are added (nothing is overwritten), unless a curator
            # has taken charge of this speaker.
            if not speaker_is_protected(current):
                for alias in item.get("aliases", []):
                    if fold(alias["name"]) in taken_aliases:
                        continue
                    if alias_add(
                        speaker=current, name=alias["name"], kind=alias.get("kind", "name")
                    ):
                        report.aliases_created += 1
            continue
        speaker = Speaker(
            name=item["name"],
            slug=item["slug"],
            kind=item.get("kind", SpeakerKind.PERSON),
            gender=item.get("gender", ""),
            role=item.get("role", ""),
            country=item.get("country", ""),
            wikidata_id=item.get("wikidata_id", ""),
            origin=SpeakerOrigin.REFERENCE,
        )
        # Unique keys are the database's to check: another loader may commit the same row
        # between any check here and the insert (see reference_install).
        speaker.full_clean(validate_unique=False, validate_constraints=False)
        speaker.save()
        report.speakers_created += 1
        for alias in item.get("aliases", []):
            if alias_add(speaker=speaker, name=alias["name"], kind=alias.get("kind", "name")):
                report.aliases_created += 1
            else:
                report.skipped_aliases.append(alias["name"])
    existing_topics = set(Topic.objects.values_list("slug", flat=True))
    for item in topics:
        if item["slug"] in existing_topics:
            continue
        topic = Topic(
            slug=item["slug"],
            name=item["name"],
            description=item.get("description", ""),
            keywords=item.get("keywords", []),
            stance_cues=item.get("stance_cues", {}),
        )
        topic.full_clean(validate_unique=False, validate_constraints=False)
        topic.save()
        report.topics_created += 1
    return report


def _by_loader(obj: _M) -> _M:
    obj._change_reason = LOADER_REASON  # read by simple-history when it records the save
    return obj


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
            _by_loader(alias).save()
    except IntegrityError:  # another loader gave this name to someone a moment ago
        return None
    return alias


# --- the curator's rule -----------------------------------------------------------------


def claim_is_protected(claim: Claim) -> bool:
    """A claim a curator reviewed, wrote or edited, or gave a stance: no automatic run may
    change it (its stances should be prefetched: they are read here)."""
    return (
        claim.status != ReviewStatus.UNREVIEWED
        or claim.method == Method.MANUAL
        or claim.curator_edited_at is not None
        or any(stance_is_protected(stance) for stance in claim.stances.all())
    )


def stance_is_protected(stance: Stance) -> bool:
    """A stance a curator set: no automatic run may change it."""
    return stance.method == Method.MANUAL


def speaker_is_protected(speaker: Speaker) -> bool:
    """A speaker a curator edited or made: automatic runs leave its fields alone."""
    return speaker.curator_edited_at is not None or speaker.origin == SpeakerOrigin.MANUAL


# --- loading articles -------------------------------------------------------------------


@dataclass
class LoadResult:
    """What loading one file did (or, in a dry run, would do)."""

    path: str
    key: str = ""
    source: str = ""  # "created" | "updated" | "unchanged"
    claims_created: int = 0
    claims_updated: int = 0
    claims_unchanged: int = 0
    claims_removed: int = 0
    claims_kept_for_curator: int = 0
    speakers_created: list[str] = field(default_factory=list)
    unattributed: list[str] = field(default_factory=list)
    error: str = ""


_HTML_PAGE = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]",
    re.IGNORECASE | re.DOTALL,
)


def unreadable_reason(path: Path, exc: OSError) -> str:
    """Why ``path`` cannot be opened, in words for the person who gave it."""
    if isinstance(exc, FileNotFoundError):
        return "is a symbolic link to nothing" if path.is_symlink() else "does not exist"
    if isinstance(exc, PermissionError):
        return "cannot be read: permission denied"
    if exc.errno == errno.ELOOP:
        return "is a symbolic link that loops back on itself"
    return f"cannot be read: {exc.strerror or exc}"


def _too_big(path: Path, size: int) -> SourceFileError:
    return SourceFileError(
        path,
        f"is {size / 2**20:.1f} MB; articles over {MAX_FILE_BYTES / 2**20:.0f} MB are refused",
    )


def read_article_file(path: Path) -> str:
    """Read a text file as UTF-8 (with or without BOM) or BOM-marked UTF-16; explain failures.

    Line ends are kept: ``parse_article`` makes CRLF and CR into LF before offsets exist.
    """
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise SourceFileError(path, "is a directory, expected a .txt file")
        if not stat.S_ISREG(info.st_mode):
            # A device or a pipe may never end (/dev/zero): only plain files are read.
            raise SourceFileError(path, "is not a regular file (a device, pipe or socket)")
        if info.st_size > MAX_FILE_BYTES:
            raise _too_big(path, info.st_size)
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)  # bounded: it may have grown since stat()
            if len(data) > MAX_FILE_BYTES:
                raise _too_big(path, os.fstat(file.fileno()).st_size)
    except OSError as exc:
        raise SourceFileError(path, unreadable_reason(path, exc)) from None
    if not data:
        raise SourceFileError(path, "is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SourceFileError(
                path, f"has a UTF-16 mark but is not valid UTF-16 ({exc.reason})"
            ) from None
    elif b"\x00" in data:
        raise SourceFileError(path, "looks like a binary file (it contains NUL bytes), not text")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SourceFileError(
                path,
                f"is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "convert it to UTF-8 and load it again",
            ) from None
    if not text.strip():
        raise SourceFileError(path, "contains only whitespace")
    if "\x00" in text:  # UTF-16 of binary data; PostgreSQL refuses NUL in text anyway
        raise SourceFileError(path, "looks like a binary file (it contains NUL bytes), not text")
    if _HTML_PAGE.match(text):
        raise SourceFileError(
            path, "is an HTML page, not a plain-text article; save the article's text instead"
        )
    return text


def source_key_for(path: Path) -> str:
    """The stable key of a file: its name without ``.txt`` (slugified when it must be)."""
    stem = path.stem
    if stem and all(c.isascii() and (c.isalnum() or c in "-_") for c in stem):
        return stem
    return slugify(stem) or "source"


@dataclass(frozen=True)
class PreparedFile:
    """A readable article file, parsed, waiting for the NLP pipeline."""

    path: Path
    key: str
    parsed: ParsedArticle


def prepare_file(path: Path) -> PreparedFile:
    """Read and parse one file; ``SourceFileError`` says why it cannot be loaded."""
    key = source_key_for(path)
    longest = Source._meta.get_field("key").max_length
    if len(key) > longest:
        raise SourceFileError(
            path, f"its name makes a source key of {len(key)} characters (at most {longest})"
        )
    raw = read_article_file(path)
    try:
        parsed = parse_article(raw)
    except ArticleError as exc:
        raise SourceFileError(path, str(exc)) from None
    return PreparedFile(path=path, key=key, parsed=parsed)


def _lost_race(exc: Exception) -> bool:
    """A write that collided with another writer's; running it again will see their rows."""
    if isinstance(exc, EditConflict):
        return True  # a curator saved a claim while we were extracting; rerun will keep it
    if isinstance(exc, IntegrityError):
        return True  # a unique key another loader committed while we were writing
    if getattr(exc.__cause__, "sqlstate", None) in ("40001", "40P01"):
        return True  # PostgreSQL: serialization failure, deadlock
    return "database is locked" in str(exc)  # SQLite: the other writer outlasted the timeout


def _retrying(write: Callable[[], _T]) -> _T:
    """Run ``write`` (one transaction), again when it lost a race with another loader.

    Inside an outer transaction a failed write spoils it, so there is nothing to retry.
    """
    attempts = 1 if transaction.get_connection().in_atomic_block else WRITE_ATTEMPTS
    for attempt in range(1, attempts):
        try:
            return write()
        except (DatabaseError, EditConflict) as exc:
            if not _lost_race(exc):
                raise
            time.sleep(0.05 * attempt)  # let a deadlocked peer finish first
    return write()


def source_load_prepared(
    *,
    prepared: PreparedFile,
    context: selectors.ExtractionContext,
    analysis: Analysis | None = None,
    dry_run: bool = False,
    language: str = "fr",
) -> LoadResult:
    """Extract and store one article in its own transaction (rolled back in a dry run).

    The source, its claims and their stances are written all or nothing: a load killed
    midway leaves whole articles only, and the next load completes the rest.
    """
    extraction = extract(prepared.parsed.body, context.gazetteer, context.topics, analysis)
    extraction = _with_history(extraction, context.stance_history)

    def write() -> LoadResult:
        result = LoadResult(path=str(prepared.path), key=prepared.key)
        known = set(context.speakers_by_slug)
        try:
            with transaction.atomic():
                source, result.source = source_upsert(
                    key=result.key, parsed=prepared.parsed, language=language
                )
                claims_sync(source=source, extraction=extraction, result=result, context=context)
                if dry_run:
                    transaction.set_rollback(True)
        except BaseException:
            _forget_speakers(context, known)
            raise
        if dry_run:
            _forget_speakers(context, known)
        return result

    # No context refresh for new speakers: the extractor ignores unreviewed ones anyway.
    return _retrying(write)


@transaction.atomic
def source_add(
    *,
    key: str,
    text: str,
    title: str = "",
    outlet: str = "",
    url: str = "",
    published=None,
    language: str = "fr",
    use_nlp: bool = False,
) -> tuple[Source, LoadResult]:
    """An article a curator pastes in (the admin's "Add source"): stored and extracted the
    way ``load_seeds`` stores a file, then its metadata marked as the curator's.

    ``text`` is read as a file's content would be (date line, page furniture). Given
    metadata wins over what the text says. Raises ``SourceFileError`` for a text that is
    no article. Web processes pass ``use_nlp=False``: spaCy is not loaded in them.
    """
    try:
        parsed = parse_article(text)
    except ArticleError as exc:
        raise SourceFileError(key, str(exc)) from None
    overrides = {"title": title, "outlet": outlet}
    if published is not None:
        overrides |= {"published": published, "precision": DatePrecision.DAY}
    parsed = replace(parsed, **{k: v for k, v in overrides.items() if v})
    prepared = PreparedFile(path=Path(key), key=key, parsed=parsed)
    analysis = nlp.analyze(parsed.body) if use_nlp else None
    result = source_load_prepared(
        prepared=prepared,
        context=selectors.ExtractionContext(),
        analysis=analysis,
        language=language,
    )
    source = Source.objects.get(key=key)
    source.url = url
    source_mark_edited(source=source)
    source.full_clean()
    source.save()
    return source, result


def _forget_speakers(context: selectors.ExtractionContext, known: set[str]) -> None:
    # Rolled back: speakers made in that transaction no longer exist.
    for slug in set(context.speakers_by_slug) - known:
        del context.speakers_by_slug[slug]


def source_load_file(
    *,
    path: Path,
    context: selectors.ExtractionContext,
    dry_run: bool = False,
    language: str = "fr",
    use_nlp: bool = True,
) -> LoadResult:
    """Load one article file. Raises ``SourceFileError`` when it cannot be loaded."""
    prepared = prepare_file(path)
    analysis = nlp.analyze(prepared.parsed.body) if use_nlp else None
    return source_load_prepared(
        prepared=prepared, context=context, analysis=analysis, dry_run=dry_run, language=language
    )


@dataclass
class LoadTimings:
    """Where a load spends its time: in spaCy, or in everything else (read, extract, write)."""

    nlp_seconds: float = 0.0
    other_seconds: float = 0.0


def sources_load(
    *,
    paths: Iterable[Path],
    context: selectors.ExtractionContext,
    dry_run: bool = False,
    language: str = "fr",
    use_nlp: bool = True,
    workers: int = 1,
    batch_size: int = 16,
    timings: LoadTimings | None = None,
) -> Iterator[LoadResult | SourceFileError]:
    """Load many files, streaming them through spaCy in batches (on ``workers`` processes).

    Yields a ``LoadResult`` per loaded file and a ``SourceFileError`` per file that could
    not be loaded; each file is its own transaction, so one failure loses nothing else.
    """
    timings = timings if timings is not None else LoadTimings()
    failures: list[SourceFileError] = []
    keys: dict[str, Path] = {}

    def readable() -> Iterator[tuple[str, PreparedFile]]:
        for path in paths:
            started = time.perf_counter()
            try:
                prepared = prepare_file(path)
                first = keys.setdefault(prepared.key, path)
                if _other_file(first, path):
                    # Both would be stored as one source, the second replacing the first.
                    raise SourceFileError(
                        path, f"has the same source key {prepared.key!r} as {first}; rename one"
                    )
            except SourceFileError as exc:
                failures.append(exc)
                continue
            finally:
                timings.other_seconds += time.perf_counter() - started
            yield prepared.parsed.body, prepared

    if use_nlp:
        pipeline = nlp.analyze_pairs(readable(), batch_size=batch_size, workers=workers)
    else:
        pipeline = ((None, prepared) for _body, prepared in readable())
    while True:
        started = time.perf_counter()
        item = next(pipeline, None)
        timings.nlp_seconds += time.perf_counter() - started
        yield from failures
        failures.clear()
        if item is None:
            return
        analysis, prepared = item
        started = time.perf_counter()
        try:
            yield source_load_prepared(
                prepared=prepared,
                context=context,
                analysis=analysis,
                dry_run=dry_run,
                language=language,
            )
        except SourceFileError as exc:
            yield SourceFileError(prepared.path, exc.reason)
        except ValidationError as exc:
            yield SourceFileError(prepared.path, f"was refused: {'; '.join(exc.messages)}")
        except DatabaseError as exc:
            # Rolled back; the next file gets a fresh transaction.
            # One line: PostgreSQL adds a DETAIL line, which belongs in the log.
            first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            yield SourceFileError(prepared.path, f"could not be stored: {first_line}")
        finally:
            timings.other_seconds += time.perf_counter() - started


def _other_file(first: Path, path: Path) -> bool:
    try:
        return not first.samefile(path)
    except OSError:
        return first != path


def _content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source_upsert(*, key: str, parsed: ParsedArticle, language: str) -> tuple[Source, str]:
    """Create or refresh a source; a curator's edits to its metadata are kept."""
    values = {
        "title": parsed.title,
        "outlet": parsed.outlet,
        "published": parsed.published,
        "published_precision": parsed.precision,
        "language": language,
        "text": parsed.body,
        "content_hash": _content_hash(parsed.body),
    }
    source = Source.objects.select_for_update().filter(key=key).first()
    if source is None:
        source = Source(key=key, extractor_version=EXTRACTOR_VERSION, **values)
        # The key was just looked up and the database holds the constraints.
        source.full_clean(validate_unique=False, validate_constraints=False)
        source.skip_history_when_saving = True  # see LOADER_REASON
        source.save()
        del source.skip_history_when_saving
        return source, "created"
    if source.curator_edited_at is not None:
        values = {k: v for k, v in values.items() if k in ("text", "content_hash")}
    elif not parsed.outlet:
        values.pop("outlet")  # a file without an outlet line keeps the one a curator set
    changed = {k: v for k, v in values.items() if getattr(source, k) != v}
    if source.extractor_version != EXTRACTOR_VERSION:
        changed["extractor_version"] = EXTRACTOR_VERSION
    if "text" in changed:
        _relocate_protected_claims(source, parsed.body)
    if not changed:
        return source, "unchanged"
    for name, value in changed.items():
        setattr(source, name, value)
    if "published" in changed:
        source_dates_sync(source=source)
    source.full_clean()
    _by_loader(source).save()
    return source, "updated"


_MOVED_REASON = "load_seeds: moved to its words in the article's new text"


def _relocate_protected_claims(source: Source, new_text: str) -> None:
    """Move curated claims to their words in the new text, or refuse the new text.

    Each curated claim needs a copy of its words of its own: two confirmed claims of the
    same words need two copies. An automatic claim on a span a curated one moves to gives
    way (the extraction that follows would keep the curated claim there anyway).
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
            _loader_delete(claim)
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
            _by_loader(claim).save(update_fields=["start", "end", "updated_at"])
            continue
        for claim, start in ready:
            held.pop((claim.start, claim.end), None)
            claim.start, claim.end = start, start + len(claim.text)
            claim._change_reason = _MOVED_REASON
            claim.save(update_fields=["start", "end", "updated_at"])
            waiting.remove((claim, start))


def _loader_delete(claim: Claim) -> None:
    """Delete an automatic claim the extractor no longer finds, its stances first: each
    row's history then says the loader removed it (a cascade records no reason)."""
    for stance in claim.stances.all():
        _by_loader(stance).delete()
    _by_loader(claim).delete()


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
    context: selectors.ExtractionContext | None = None,
) -> None:
    """Make the source's automatic claims match ``extraction``; leave curated claims alone."""
    speakers = context.speakers_by_slug if context is not None else {}
    topics = (
        context.topics_by_slug if context is not None else {t.slug: t for t in Topic.objects.all()}
    )
    stances = Prefetch("stances", queryset=Stance.objects.select_related("topic"))
    existing = {
        (c.start, c.end): c
        for c in source.claims.select_related("speaker").prefetch_related(stances)
    }
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
            _apply_extracted(claim, found, speaker, extraction.version)
            claim.full_clean(
                exclude=_LOADER_SKIPS, validate_unique=False, validate_constraints=False
            )
            claim._change_reason = _MOVED_REASON
            claim.save()
            stances_sync(claim=claim, found=found, topics=topics)
            moved.add(claim.pk)
            result.claims_updated += 1
        elif claim is None:
            claim = Claim(source=source, start=found.start, end=found.end)
            _apply_extracted(claim, found, speaker, extraction.version)
            # Unique and check constraints are the database's to enforce (one query each
            # here); clean() still proves text == source.text[start:end].
            claim.full_clean(
                exclude=_LOADER_SKIPS, validate_unique=False, validate_constraints=False
            )
            created.append((claim, found))
            result.claims_created += 1
        elif _apply_extracted(claim, found, speaker, extraction.version):
            claim.full_clean(
                exclude=_LOADER_SKIPS, validate_unique=False, validate_constraints=False
            )
            _by_loader(claim).save()
            stances_sync(claim=claim, found=found, topics=topics)
            result.claims_updated += 1
        elif stances_sync(claim=claim, found=found, topics=topics):
            result.claims_updated += 1
        else:
            result.claims_unchanged += 1
    if created:
        # New claims and their stances in two inserts, not one per row.
        Claim.objects.bulk_create([claim for claim, _found in created])
        Stance.objects.bulk_create(
            [
                Stance(
                    claim=claim,
                    topic=topics[suggestion.topic],
                    method=Method.AUTO,
                    **_stance_values(suggestion),
                )
                for claim, found in created
                for suggestion in found.stances
                if suggestion.topic in topics
            ]
        )
    for span, claim in existing.items():
        if span not in seen and claim.pk not in moved and not claim_is_protected(claim):
            _loader_delete(claim)  # the extractor no longer finds it; nobody reviewed it
            result.claims_removed += 1


def _stance_values(suggestion) -> dict:
    return {
        "stance": suggestion.stance,
        "confidence": suggestion.confidence,
        "evidence": ", ".join(suggestion.evidence)[:300],
        "contradicts_history": suggestion.contradicts_history,
    }


def _with_history(
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


def _apply_extracted(
    claim: Claim, found: ExtractedClaim, speaker: Speaker | None, version: str
) -> bool:
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
    topics: dict[str, Topic] | None = None,
    new: bool = False,
) -> bool:
    """Refresh automatic stances from the extraction; manual ones are the curator's."""
    if topics is None:
        wanted = [s.topic for s in found.stances]
        topics = {t.slug: t for t in Topic.objects.filter(slug__in=wanted)}
    current = {} if new else {s.topic.slug: s for s in claim.stances.all()}
    changed = False
    for suggestion in found.stances:
        topic = topics.get(suggestion.topic)
        if topic is None:
            continue
        values = _stance_values(suggestion)
        stance = current.pop(topic.slug, None)
        if stance is None:
            _by_loader(Stance(claim=claim, topic=topic, method=Method.AUTO, **values)).save()
            changed = True
        elif not stance_is_protected(stance) and any(
            getattr(stance, k) != v for k, v in values.items()
        ):
            for k, v in values.items():
                setattr(stance, k, v)
            _by_loader(stance).save()
            changed = True
    for stance in current.values():
        if not stance_is_protected(stance):
            _by_loader(stance).delete()
            changed = True
    return changed


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
            _by_loader(speaker).save()
    except IntegrityError:  # another loader made it a moment ago
        return Speaker.objects.get(slug=slug)
    surname = ref.name.split()[-1]
    if len(ref.name.split()) > 1 and speaker.kind == SpeakerKind.PERSON and ref.how != ROLE_SPEAKER:
        alias_add(speaker=speaker, name=surname)
    if result is not None:
        result.speakers_created.append(speaker.name)
    return speaker


# The loader sets these foreign keys from rows it just read; validating them again would
# cost a query each for every claim (Django checks that the related row exists).
_LOADER_SKIPS = ["source", "speaker"]


# --- curation -----------------------------------------------------------------------------

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
