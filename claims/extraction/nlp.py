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


# Texts are read in pieces of at most this many characters, cut at paragraph ends (else
# sentence ends, else spaces): spaCy refuses texts over a million characters, and its memory
# grows with the text. A 2 MB article is some twenty pieces.
CHUNK = 100_000
# The parser reads this many characters of an article at most (some 50,000 words, ten
# seconds here): a news article is a few thousand. Past it, the word-order rules alone
# find the speakers, so a 2 MB paste loads in seconds instead of minutes.
PARSE_LIMIT = 100_000


def chunks(text: str, size: int = CHUNK) -> list[tuple[int, str]]:
    """``text`` as (offset, piece) pairs of at most ``size`` characters, in order.

    >>> [offset for offset, _ in chunks("a\\nb\\nc", size=2)]
    [0, 2, 4]
    """
    pieces, start = [], 0
    while len(text) - start > size:
        end = start + size
        cut = text.rfind("\n", start + size // 2, end)
        if cut == -1:
            cut = text.rfind(". ", start + size // 2, end)
            cut = cut + 1 if cut != -1 else text.rfind(" ", start + size // 2, end)
        if cut <= start:
            cut = end
        pieces.append(
            (start, text[start : cut + 1] if text[cut : cut + 1] == "\n" else text[start:cut])
        )
        start = start + len(pieces[-1][1])
    pieces.append((start, text[start:]))
    return pieces


_STRINGS: dict[int, str] = {}  # spaCy's string hashes are stable: read each one once
_MORPHS: dict[int, str] = {}  # a morphology's hash -> the features of _FEATS in it


def _string(strings, key: int) -> str:
    value = _STRINGS.get(key)
    if value is None:
        value = _STRINGS[key] = strings[key]
    return value


def _feats(strings, key: int) -> str:
    value = _MORPHS.get(key)
    if value is None:
        morph = dict(f.split("=", 1) for f in _string(strings, key).split("|") if "=" in f)
        value = _MORPHS[key] = "|".join(f"{k}={morph[k]}" for k in _FEATS if k in morph)
    return value


def _parse(doc, offset: int = 0, first: int = 0) -> Parse:
    # One array read instead of a Python attribute per token and field: 84,000 tokens
    # took 2 s through Token attributes.
    from spacy.attrs import DEP, HEAD, IDX, LEMMA, LENGTH, MORPH, POS

    if not len(doc):
        return Parse((), (), (), (), (), (), (), ())
    rows = doc.to_array([IDX, LENGTH, HEAD, LEMMA, POS, DEP, MORPH]).tolist()
    strings = doc.vocab.strings
    heads = []
    for i, row in enumerate(rows):
        relative = row[2] if row[2] < 1 << 63 else row[2] - (1 << 64)  # uint64 wraps
        heads.append(i + relative + first)
    return Parse(
        starts=tuple(r[0] + offset for r in rows),
        ends=tuple(r[0] + r[1] + offset for r in rows),
        lemmas=tuple(_string(strings, r[3]) for r in rows),
        pos=tuple(_string(strings, r[4]) for r in rows),
        deps=tuple(_string(strings, r[5]) for r in rows),
        heads=tuple(heads),
        feats=tuple(_feats(strings, r[6]) for r in rows),
        sentence_starts=tuple(sent.start + first for sent in doc.sents),
    )


def _analysis(docs: list[tuple[int, object]]) -> Analysis:
    """One Analysis from the docs of a text's pieces, offsets made the text's."""
    persons, others, orgs = [], [], []
    parses: list[Parse] = []
    first = 0
    for offset, doc in docs:
        for ent in doc.ents:
            span = (ent.start_char + offset, ent.end_char + offset)
            (persons if ent.label_ == "PER" else others).append(span)
            if ent.label_ == "ORG":
                orgs.append(span)
        parses.append(_parse(doc, offset, first))
        first += len(doc)
    if len(parses) == 1:
        parse = parses[0]
    else:
        parse = Parse(
            *(
                tuple(x for part in parses for x in getattr(part, f))
                for f in Parse.__dataclass_fields__
            )
        )
    return Analysis(tuple(persons), tuple(others), tuple(orgs), parse)


def analyze(text: str) -> Analysis:
    """Entities and parse of one text."""
    nlp = get_nlp()
    pieces = chunks(prepare(text)[:PARSE_LIMIT])
    return _analysis([(offset, nlp(piece)) for offset, piece in pieces])


def analyze_many(
    texts: Iterable[str], *, batch_size: int = 16, workers: int = 1
) -> Iterator[Analysis]:
    """Entities and parses of many texts, batched (and on ``workers`` processes), in order."""
    for analysis, _ in analyze_pairs(
        ((t, None) for t in texts), batch_size=batch_size, workers=workers
    ):
        yield analysis


def analyze_pairs(
    items: Iterable[tuple[str, T]], *, batch_size: int = 16, workers: int = 1
) -> Iterator[tuple[Analysis, T]]:
    """Like ``analyze_many`` for (text, context) pairs; the context rides along untouched.

    A long text goes through the pipe as several pieces, put back together here."""
    nlp = get_nlp()

    def pieces():
        for text, context in items:
            parts = chunks(prepare(text)[:PARSE_LIMIT])
            for index, (offset, piece) in enumerate(parts):
                yield piece, (context, offset, index == len(parts) - 1)

    docs: list[tuple[int, object]] = []
    for doc, (context, offset, last) in nlp.pipe(
        pieces(), as_tuples=True, batch_size=batch_size, n_process=max(1, workers)
    ):
        docs.append((offset, doc))
        if last:
            yield _analysis(docs), context
            docs = []
