"""Loading articles: files (or a pasted text) through the NLP pipeline and the extractor into
sources, one transaction per article."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from claims import selectors
from claims.choices import DatePrecision
from claims.extraction import (
    EXTRACTOR_VERSION,
    Analysis,
    ArticleError,
    ParsedArticle,
    extract,
    nlp,
    parse_article,
)
from claims.models import Source
from claims.services.article_files import PreparedFile, SourceFileError, prepare_file
from claims.services.counts import claim_counts_adjust
from claims.services.curation import source_dates_sync, source_save
from claims.services.sync import (
    claims_sync,
    relocate_protected_claims,
    with_history,
    with_model,
)
from claims.services.writes import by_loader, retrying


class LoadContext:
    """A load's working state: what it read from the database, and the speakers it has
    created since (so that each is created once)."""

    def __init__(self) -> None:
        inputs = selectors.extraction_inputs()
        self.gazetteer = inputs.gazetteer
        self.topics = inputs.topics
        self.topics_by_slug = inputs.topics_by_slug
        self.stance_history = inputs.stance_history
        self.stance_predictor = inputs.stance_predictor
        self.stance_priors = inputs.stance_priors
        self.speakers_by_slug = dict(inputs.speakers_by_slug)


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


def source_load_prepared(
    *,
    prepared: PreparedFile,
    context: LoadContext,
    analysis: Analysis | None = None,
    dry_run: bool = False,
    language: str = "fr",
) -> LoadResult:
    """Extract and store one article in its own transaction (rolled back in a dry run).

    The source, its claims and their stances are written all or nothing: a load killed
    midway leaves whole articles only, and the next load completes the rest.
    """
    extraction = extract(prepared.parsed.body, context.gazetteer, context.topics, analysis)
    extraction = with_model(extraction, context.stance_predictor, context.stance_priors)
    extraction = with_history(extraction, context.stance_history)

    def write() -> LoadResult:
        result = LoadResult(path=str(prepared.path), key=prepared.key)
        known = set(context.speakers_by_slug)
        claim_counts: Counter = Counter()  # per attempt: a retry starts from nothing
        try:
            with transaction.atomic():
                source, result.source = source_upsert(
                    key=result.key,
                    parsed=prepared.parsed,
                    language=language,
                    claim_counts=claim_counts,
                )
                claims_sync(
                    source=source,
                    extraction=extraction,
                    result=result,
                    context=context,
                    claim_counts=claim_counts,
                )
                # Last in the transaction: the speakers' rows stay locked the least time.
                claim_counts_adjust(claim_counts)
                if dry_run:
                    transaction.set_rollback(True)
        except BaseException:
            _forget_speakers(context, known)
            raise
        if dry_run:
            _forget_speakers(context, known)
        return result

    # No context refresh for new speakers: the extractor ignores unreviewed ones anyway.
    return retrying(write)


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
        context=LoadContext(),
        analysis=analysis,
        language=language,
    )
    source = Source.objects.get(key=key)
    source.url = url
    source.full_clean()
    source_save(source=source)
    return source, result


def _forget_speakers(context: LoadContext, known: set[str]) -> None:
    # Rolled back: speakers made in that transaction no longer exist.
    for slug in set(context.speakers_by_slug) - known:
        del context.speakers_by_slug[slug]


class LoadTimings:
    """Where a load spends its time: in spaCy, or in everything else (read, extract, write)."""

    nlp_seconds: float = 0.0
    other_seconds: float = 0.0


def sources_load(
    *,
    paths: Iterable[Path],
    context: LoadContext,
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


def source_upsert(
    *, key: str, parsed: ParsedArticle, language: str, claim_counts: Counter
) -> tuple[Source, str]:
    """Create or refresh a source; a curator's edits to its metadata are kept. Claims a
    new text removes are tallied in ``claim_counts``."""
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
        relocate_protected_claims(source, parsed.body, claim_counts)
    if not changed:
        return source, "unchanged"
    for name, value in changed.items():
        setattr(source, name, value)
    if "published" in changed:
        source_dates_sync(source=source)
    source.full_clean()
    by_loader(source).save()
    return source, "updated"
