"""Stances learned from curators: training a model on their stances, and re-running the
automatic stances of stored claims (``train_stance``, ``restance``).

Curators' stances are the training data: every manual stance (set, changed or confirmed in
the admin or the API) on a claim not rejected. The features are those the loader computes,
so each source is parsed again here: the lexicon's aimed suggestion needs the parse.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch, Q

from claims import selectors
from claims.choices import ReviewStatus, StanceMethod
from claims.extraction import extract, nlp
from claims.extraction.stance import TopicLink, suggest_stance
from claims.extraction.stance.learning import UNRELATED, Example, cross_validate, fit
from claims.models import Claim, Source, Stance, StanceDismissal, StanceModel
from claims.services.sync import stances_sync, with_history, with_model
from claims.services.writes import retrying

# Fewer curated stances than this teach nothing a cross-validation could show.
MIN_EXAMPLES = 10


class TrainingError(Exception):
    """Not enough curated stances to learn from."""


@dataclass
class TrainingReport:
    model: StanceModel | None
    examples: int
    cross_validation: dict
    seconds: float
    labels: dict[str, int] = field(default_factory=dict)
    dismissals: int = 0  # removed automatic stances: the link model's off-topic examples
    link_model: bool = False  # a link model was fitted on them


def _claims_by_source(claims: Iterable[Claim]) -> dict[int, list[Claim]]:
    out: dict[int, list[Claim]] = {}
    for claim in claims:
        out.setdefault(claim.source_id, []).append(claim)
    return out


def _lexicon_suggestions(source: Source, claims: list[Claim], inputs) -> dict:
    """(claim id, topic slug) -> the lexicon's suggestion, as the loader would compute it
    (parsed); a claim no longer where the extractor finds it is read without the parse."""
    analysis = nlp.analyze(source.text)
    extraction = extract(source.text, inputs.gazetteer, inputs.topics, analysis)
    found = {(c.start, c.end): c for c in extraction.claims}
    specs = {t.key: t for t in inputs.topics}
    out = {}
    for claim in claims:
        match = found.get((claim.start, claim.end))
        stored = [s.topic.slug for s in claim.stances.all()]
        stored += [d.topic.slug for d in getattr(claim, "dismissed", ())]
        for slug in stored if match is None else ():
            spec = specs.get(slug)
            if spec is not None:
                link = TopicLink(spec.key, 0.1, 0, 0, article=True)
                out[(claim.pk, spec.key)] = suggest_stance(claim.text, spec, link)
        for suggestion in match.stances if match is not None else ():
            out[(claim.pk, suggestion.topic)] = suggestion
    return out


def training_examples(*, progress: Callable[[int, int], None] | None = None) -> list[Example]:
    """Every curated stance as a labelled example, grouped by article; every dismissal as
    an UNRELATED one (the claim is not about the topic: the link model learns from it)."""
    manual = Stance.objects.filter(method=StanceMethod.MANUAL).select_related("topic")
    dismissals = StanceDismissal.objects.select_related("topic")
    claims = (
        Claim.objects.filter(
            Q(stances__method=StanceMethod.MANUAL) | Q(stance_dismissals__isnull=False)
        )
        .exclude(status=ReviewStatus.REJECTED)
        .select_related("speaker", "source")
        .prefetch_related(Prefetch("stances", queryset=manual, to_attr="manual"))
        .prefetch_related(Prefetch("stance_dismissals", queryset=dismissals, to_attr="dismissed"))
        .prefetch_related(Prefetch("stances", queryset=Stance.objects.select_related("topic")))
        .distinct()
        .order_by("source_id", "start")
    )
    inputs = selectors.extraction_inputs()
    by_source = _claims_by_source(claims)
    examples = []
    for i, (_source_id, group) in enumerate(sorted(by_source.items()), start=1):
        suggestions = _lexicon_suggestions(group[0].source, group, inputs)
        for claim in group:
            speaker = claim.speaker
            labels = [(s.topic.slug, s.stance) for s in claim.manual]
            labels += [(d.topic.slug, UNRELATED) for d in claim.dismissed]
            for topic, label in labels:
                examples.append(
                    Example(
                        text=claim.text,
                        topic=topic,
                        lexicon=suggestions.get((claim.pk, topic)),
                        group=str(claim.source_id),
                        speaker=speaker.slug if speaker is not None else "",
                        country=speaker.country if speaker is not None else "",
                        label=label,
                        cue=claim.cue,
                        speaker_words=f"{speaker.name} {speaker.role}" if speaker else "",
                    )
                )
        if progress is not None:
            progress(i, len(by_source))
    return examples


def stance_model_train(*, dry_run: bool = False, progress=None) -> TrainingReport:
    """Fit a model on every curated stance and store it as the newest version."""
    started = time.perf_counter()
    examples = training_examples(progress=progress)
    labels: dict[str, int] = {}
    for e in examples:
        if e.label != UNRELATED:
            labels[e.label] = labels.get(e.label, 0) + 1
    stances = sum(labels.values())
    dismissals = len(examples) - stances
    if stances < MIN_EXAMPLES or len(labels) < 2:
        raise TrainingError(
            f"{stances} curated stance(s) ({labels or 'none'}): training needs at least "
            f"{MIN_EXAMPLES}, of at least two kinds. Set stances in the admin or with "
            "POST /api/stances/ first."
        )
    report = cross_validate(examples)
    parameters = fit(examples)
    model = None
    if not dry_run:
        model = stance_model_save(parameters=parameters, examples=stances, report=report)
    seconds = time.perf_counter() - started
    link = "link" in parameters
    return TrainingReport(model, stances, report, seconds, labels, dismissals, link)


def stance_model_save(*, parameters: dict, examples: int, report: dict) -> StanceModel:
    """Store a fitted model as the newest version; two trainings at once both land, one
    version after the other."""
    for attempt in range(5):
        try:
            with transaction.atomic():
                newest = StanceModel.objects.aggregate(v=Max("version"))["v"] or 0
                model = StanceModel(
                    version=newest + 1,
                    examples=examples,
                    cv_accuracy=report.get("accuracy"),
                    report=report,
                    parameters=parameters,
                )
                model.save()
                return model
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


@dataclass
class RestanceResult:
    sources: int = 0
    claims: int = 0
    changed: int = 0
    not_found: int = 0  # stored claims the extractor no longer finds where they are
    model: str = ""


def restance(
    *, topic: str | None = None, progress: Callable[[int, int], None] | None = None
) -> RestanceResult:
    """Re-run the automatic stances of every stored claim (of ``topic`` only, if given)
    with the lexicon and the newest model. Manual stances and dismissed pairs stay."""
    inputs = selectors.extraction_inputs()
    topics = inputs.topics
    if topic is not None and not any(t.key == topic for t in topics):
        raise ValueError(f"no topic with slug {topic!r}")
    # Every topic goes into the extraction, as in a load (the others decide what a claim is
    # about); only the chosen one's stances are written.
    only = {topic} if topic is not None else {t.key for t in topics}
    result = RestanceResult(
        model=inputs.stance_predictor.version if inputs.stance_predictor else ""
    )
    source_ids = list(
        Source.objects.filter(claims__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for i, source_id in enumerate(source_ids, start=1):
        retrying(lambda source_id=source_id: _restance_source(source_id, inputs, result, only))
        if progress is not None:
            progress(i, len(source_ids))
    return result


def _restance_source(source_id: int, inputs, result: RestanceResult, only: set[str]) -> None:
    source = Source.objects.get(pk=source_id)
    analysis = nlp.analyze(source.text)  # outside the transaction: it takes a while
    extraction = extract(source.text, inputs.gazetteer, inputs.topics, analysis)
    extraction = with_model(extraction, inputs.stance_predictor, inputs.stance_priors)
    extraction = with_history(extraction, inputs.stance_history)
    found = {(c.start, c.end): c for c in extraction.claims}
    with transaction.atomic():
        stances = Prefetch("stances", queryset=Stance.objects.select_related("topic"))
        claims = list(
            source.claims.exclude(status=ReviewStatus.REJECTED)
            .prefetch_related(stances)
            .order_by("start")
        )
        dismissed = set(
            StanceDismissal.objects.filter(claim__source=source).values_list("claim_id", "topic_id")
        )
        counts = RestanceResult(sources=1)
        for claim in claims:
            match = found.get((claim.start, claim.end))
            if match is None or match.fragment:
                counts.not_found += match is None
                continue
            counts.claims += 1
            if stances_sync(
                claim=claim,
                found=match,
                topics=inputs.topics_by_slug,
                dismissed=dismissed,
                only=only,
            ):
                counts.changed += 1
    # Counted once the source's writes stand (a retried source is not counted twice).
    result.sources += counts.sources
    result.claims += counts.claims
    result.changed += counts.changed
    result.not_found += counts.not_found
