"""The NLP backbone: spaCy's French pipeline, loaded once per process, lazily, offline.

The whole pipeline runs: the dependency parse says which verb of saying a quotation hangs
from and who its subject is; the entity recognizer finds people and organisations the
reference data lacks. API processes never import this module's spaCy: only the loader and
the evaluation call it. Results are plain tuples (``Analysis``, ``Parse``): picklable for
worker processes, and readable without spaCy.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from claims.extraction.text import clean

T = TypeVar("T")

MODEL = os.environ.get("CLAIMS_SPACY_MODEL", "fr_core_news_md")
_nlp = None


@dataclass(frozen=True)
class Parse:
    """One token per index: offsets, lemma, part of speech, dependency and features.

    ``heads[i] == i`` for a sentence root. ``feats`` keeps the morphology the attribution
    reads: gender, number, person, verb form ("Gender=Fem|Number=Sing|VerbForm=Part").
    """

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    lemmas: tuple[str, ...]
    pos: tuple[str, ...]
    deps: tuple[str, ...]
    heads: tuple[int, ...]
    feats: tuple[str, ...]
    sentence_starts: tuple[int, ...]  # token index of each sentence's first token

    def __len__(self) -> int:
        return len(self.starts)


@dataclass(frozen=True)
class Analysis:
    """What the NLP pipeline says about a text, as plain offsets (picklable, no spaCy)."""

    persons: tuple[tuple[int, int], ...] = ()
    others: tuple[tuple[int, int], ...] = ()  # places, organisations, misc: never a person
    orgs: tuple[tuple[int, int], ...] = ()  # organisations (also in ``others``)
    parse: Parse | None = None


_FEATS = ("Gender", "Number", "Person", "VerbForm", "PronType", "Reflex")


def prepare(body: str) -> str:
    """The text the pipeline reads: ``clean(body).text`` (its offsets are the ones the
    extraction works in), with typographic apostrophes as straight ones, one for one.

    The French models were trained on straight apostrophes: "l’Otan" parses far worse.
    """
    return clean(body).text.replace("’", "'").replace("ʼ", "'")


def get_nlp():
    """The French pipeline, loaded on first call."""
    global _nlp
    if _nlp is None:
        import spacy

        _nlp = spacy.load(MODEL)
    return _nlp


def _parse(doc) -> Parse:
    feats = []
    for token in doc:
        morph = token.morph.to_dict()
        feats.append("|".join(f"{k}={morph[k]}" for k in _FEATS if k in morph))
    return Parse(
        starts=tuple(t.idx for t in doc),
        ends=tuple(t.idx + len(t.text) for t in doc),
        lemmas=tuple(t.lemma_ for t in doc),
        pos=tuple(t.pos_ for t in doc),
        deps=tuple(t.dep_ for t in doc),
        heads=tuple(t.head.i for t in doc),
        feats=tuple(feats),
        sentence_starts=tuple(sent.start for sent in doc.sents),
    )


def _analysis(doc) -> Analysis:
    persons, others, orgs = [], [], []
    for ent in doc.ents:
        span = (ent.start_char, ent.end_char)
        (persons if ent.label_ == "PER" else others).append(span)
        if ent.label_ == "ORG":
            orgs.append(span)
    return Analysis(tuple(persons), tuple(others), tuple(orgs), _parse(doc))


def analyze(text: str) -> Analysis:
    """Entities and parse of one text."""
    return _analysis(get_nlp()(prepare(text)))


def analyze_many(
    texts: Iterable[str], *, batch_size: int = 16, workers: int = 1
) -> Iterator[Analysis]:
    """Entities and parses of many texts, batched (and on ``workers`` processes), in order."""
    nlp = get_nlp()
    prepared = (prepare(t) for t in texts)
    for doc in nlp.pipe(prepared, batch_size=batch_size, n_process=max(1, workers)):
        yield _analysis(doc)


def analyze_pairs(
    items: Iterable[tuple[str, T]], *, batch_size: int = 16, workers: int = 1
) -> Iterator[tuple[Analysis, T]]:
    """Like ``analyze_many`` for (text, context) pairs; the context rides along untouched."""
    nlp = get_nlp()
    prepared = ((prepare(text), context) for text, context in items)
    for doc, context in nlp.pipe(
        prepared, as_tuples=True, batch_size=batch_size, n_process=max(1, workers)
    ):
        yield _analysis(doc), context
