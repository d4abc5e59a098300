"""Text normalisation shared by extraction and storage: folding for matching, slugs.

No Django here: this package is pure Python.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def fold(value: str) -> str:
    """Lowercase, strip accents and collapse spaces, for case/accent-blind matching.

    >>> fold("  Recep Tayyip ERDOĞAN ")
    'recep tayyip erdogan'
    >>> fold("le chef de l’État")
    "le chef de l'etat"
    """
    value = value.translate(_APOSTROPHES)
    return _SPACES.sub(" ", anyascii(value)).strip().lower()


def fold_char(char: str) -> str:
    """Fold one character to exactly one character, so offsets survive folding.

    >>> fold_char("Ğ"), fold_char("œ"), fold_char("’")
    ('g', 'o', "'")
    """
    if char in "’‘ʼ`´":
        return "'"
    decomposed = unicodedata.normalize("NFKD", char)
    base = decomposed[0] if decomposed else char
    if base.isascii():
        return base.lower()
    ascii_form = anyascii(char)
    return ascii_form[0].lower() if ascii_form else char.lower()


class _FoldTable(dict):
    """str.translate table that folds each character once, then remembers it."""

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()
# The same, keeping "à" apart from the verb "a" (attribution needs the difference).
_FOLD_KEEP_A_GRAVE = _FoldTable({ord("à"): "à", ord("À"): "à"})


def fold_preserving_offsets(text: str) -> str:
    """Fold ``text`` one character for one, so ``result[i]`` stands for ``text[i]``.

    >>> fold_preserving_offsets("Çavuşoğlu a dit")
    'cavusoglu a dit'
    """
    return text.translate(_FOLD_TABLE)


def fold_keeping_a_grave(text: str) -> str:
    """Like ``fold_preserving_offsets`` but "à" stays "à": folded to "a" it reads as "has".

    >>> fold_keeping_a_grave("Il a parlé à Ankara")
    'il a parle à ankara'
    """
    return text.translate(_FOLD_KEEP_A_GRAVE)


def slugify(value: str) -> str:
    """ASCII slug: ``slugify("Sergueï Lavrov") == "serguei-lavrov"``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(value)).strip("-")
