"""The NLP backbone: spaCy's French pipeline, loaded once per process, lazily, offline.

Only the components attribution uses run (the tokenizer, tok2vec and the entity
recognizer); the parser, tagger and lemmatizer cost time and change nothing here. API
processes never import this module's spaCy: only the loader and the evaluation call it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

MODEL = os.environ.get("CLAIMS_SPACY_MODEL", "fr_core_news_md")
_KEEP = ("tok2vec", "ner")
_nlp = None


@dataclass(frozen=True)
class Analysis:
    """What the NLP pipeline says about a text, as plain offsets (picklable, no spaCy)."""

    persons: tuple[tuple[int, int], ...] = ()
    others: tuple[tuple[int, int], ...] = ()  # places, organisations, misc: never a person
    orgs: tuple[tuple[int, int], ...] = ()  # organisations (also in ``others``)


def prepare(text: str) -> str:
    """Typographic apostrophes as straight ones, one for one (offsets unchanged).

    The French models were trained on straight apostrophes: "l’Otan" parses far worse.
    """
    return text.replace("’", "'").replace("ʼ", "'")


def get_nlp():
    """The French pipeline with only the components we use, loaded on first call."""
    global _nlp
    if _nlp is None:
        import spacy

        nlp = spacy.load(MODEL)
        nlp.select_pipes(enable=[name for name in nlp.pipe_names if name in _KEEP])
        _nlp = nlp
    return _nlp


def _analysis(doc) -> Analysis:
    persons, others, orgs = [], [], []
    for ent in doc.ents:
        span = (ent.start_char, ent.end_char)
        (persons if ent.label_ == "PER" else others).append(span)
        if ent.label_ == "ORG":
            orgs.append(span)
    return Analysis(tuple(persons), tuple(others), tuple(orgs))


def analyze(text: str) -> Analysis:
    """Entities of one text."""
    return _analysis(get_nlp()(prepare(text)))


def analyze_many(
    texts: Iterable[str], *, batch_size: int = 16, workers: int = 1
) -> Iterator[Analysis]:
    """Entities of many texts, batched (and on ``workers`` processes), in order."""
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
