"""Text normalisation shared by extraction and storage: folding for matching, slugs.

No Django here: this package is pure Python.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_SPACES = re.compile(r"\s+")


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


def fold_preserving_offsets(text: str) -> str:
    """Fold ``text`` one character for one, so ``result[i]`` stands for ``text[i]``.

    >>> fold_preserving_offsets("Çavuşoğlu a dit")
    'cavusoglu a dit'
    """
    return "".join(fold_char(c) for c in text)


def slugify(value: str) -> str:
    """ASCII slug: ``slugify("Sergueï Lavrov") == "serguei-lavrov"``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(value)).strip("-")
