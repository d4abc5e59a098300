"""The stance lexicon: the data files in ``claims/extraction/data/stance/``, folded.

Evaluative words (support, condemnation, demand, refusal, judgement) say the speaker is for
or against what they bear on; action words (maintain, abandon…) compose with them ("exiger
l'abandon du projet" is against the project); negations and privatives flip what they
govern; hedges make a judgement weaker; after a contrast ("mais") the real position comes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from claims.extraction.normalize import fold

DATA = Path(__file__).resolve().parent.parent / "data" / "stance"
_PRONOUNS = ("se ", "s'")


@dataclass(frozen=True)
class Entry:
    polarity: int  # +1 for, -1 against
    pos: str  # VERB, ADJ, NOUN, ADV, LOC
    kind: str  # support, condemnation, demand, refusal, evaluation, action


@dataclass(frozen=True)
class StanceLexicon:
    words: dict[str, Entry]  # folded lemma (pronoun dropped) -> entry
    phrases: dict[tuple[str, ...], Entry]  # folded multiword locutions
    negations: frozenset[str]
    with_ne: frozenset[str]  # negative only with "ne": "plus", "que"
    privatives: frozenset[tuple[str, ...]]  # "manque de": flips what it governs
    hedges: dict[str, str]
    contrast: frozenset[str]
    anaphora: frozenset[str]  # "ce choix": nouns that point back to the article's measure
    # A locution's first word -> the lengths of the locutions it begins: what is looked up.
    phrase_starts: dict[str, tuple[int, ...]] = field(default_factory=dict)


def _lines(name: str) -> list[list[str]]:
    path = DATA / name
    rows = []
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.lstrip("# ").lower().startswith("privative"):
                section = "privative"
            continue
        rows.append([section, *[f.strip() for f in line.split("\t")]])
    return rows


def _key(lemma: str) -> str:
    key = fold(lemma).replace("’", "'")
    for pronoun in _PRONOUNS:
        if key.startswith(pronoun):
            return key[len(pronoun) :]
    return key


def _sign(value: str) -> int:
    return 1 if value.strip() in ("+", "+1", "favor") else -1


@lru_cache(maxsize=1)
def stance_lexicon() -> StanceLexicon:
    words: dict[str, Entry] = {}
    phrases: dict[tuple[str, ...], Entry] = {}

    def put(lemma: str, entry: Entry) -> None:
        key = _key(lemma)
        parts = tuple(key.replace("'", "' ").replace("-", " ").split())
        if len(parts) == 1:
            words.setdefault(parts[0], entry)
        elif parts:
            phrases.setdefault(parts, entry)

    for _, lemma, polarity, pos, kind, *_rest in _lines("evaluative.tsv"):
        put(lemma, Entry(_sign(polarity), pos.upper(), kind))
    for _, lemma, polarity, pos, *_rest in _lines("actions.tsv"):
        put(lemma, Entry(_sign(polarity), pos.upper(), "action"))
    negations, with_ne, privatives = set(), set(), set()
    for section, form, *flags in _lines("negations.txt"):
        folded = fold(form).replace("'", "' ").split()
        if section == "privative":
            privatives.add(tuple(folded))
        elif len(folded) == 1:
            (with_ne if flags and flags[0] == "with_ne" else negations).add(folded[0].strip("'"))
    hedges = {fold(form): (kind[0] if kind else "modal") for _, form, *kind in _lines("hedges.txt")}
    contrast = frozenset(fold(row[1]) for row in _lines("contrast.txt"))
    anaphora = frozenset(fold(row[1]) for row in _lines("anaphora_nouns.txt"))
    starts: dict[str, set[int]] = {}
    for phrase in phrases:
        starts.setdefault(phrase[0], set()).add(len(phrase))
    return StanceLexicon(
        words=words,
        phrases=phrases,
        phrase_starts={word: tuple(sorted(n)) for word, n in starts.items()},
        negations=frozenset(negations),
        with_ne=frozenset(with_ne),
        privatives=frozenset(privatives),
        hedges=hedges,
        contrast=contrast,
        anaphora=anaphora,
    )
