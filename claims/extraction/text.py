"""The text extraction reads: Unicode composed (NFC), invisible format characters removed,
with every offset mapped back to the stored text exactly.

An article in decomposed accents (NFD) yielded one claim where its composed form yielded
four, and a zero-width space inside a name ("Jake Sul\\u200blivan") made a bogus speaker.
Extraction works on ``CleanText.text``; what it finds is cut from the stored text with
``raw_span``, so ``stored[start:end] == claim.text`` still holds.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["CONTEXT_CHARS", "CleanText", "clean", "paragraph_around"]


@dataclass(frozen=True)
class CleanText:
    """``text`` for reading; ``starts[i]``/``ends[i]``: where its character ``i`` was.

    Both are None when ``text`` is ``raw`` (most articles): no map to build or hold.
    """

    raw: str
    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The stored-text offsets of ``text[start:end]``.

        >>> c = clean("Cafe\\u0301 noir")
        >>> c.text, c.raw_span(0, 4), c.raw[slice(*c.raw_span(0, 4))] == "Cafe\\u0301"
        ('Café noir', (0, 5), True)
        """
        if self.starts is None or self.ends is None:
            return start, max(start, end)  # as the map would: an empty span stays empty
        if start >= end:
            at = self.starts[start] if start < len(self.starts) else len(self.raw)
            return at, at
        return self.starts[start], self.ends[end - 1]


def _invisible(char: str) -> bool:
    # Format characters: zero-width spaces and joiners, bidi marks and isolates, the BOM,
    # soft hyphens. They change nothing a reader sees.
    return unicodedata.category(char) == "Cf"


@functools.cache
def _format_chars() -> re.Pattern[str]:
    # Built once per process (about 0.1 s), from this Python's Unicode tables.
    chars = "".join(chr(c) for c in range(0x110000) if _invisible(chr(c)))
    return re.compile(f"[{re.escape(chars)}]")


def clean(raw: str) -> CleanText:
    """Compose ``raw`` (NFC) and drop its format characters, keeping an offset map.

    >>> clean("Jake Sul\\u200blivan").text
    'Jake Sullivan'
    """
    # Scanning in C first: most articles are composed already and hold no format character.
    if raw.isascii() or (unicodedata.is_normalized("NFC", raw) and not _format_chars().search(raw)):
        return CleanText(raw, raw)
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(raw)
    while i < n:
        if _invisible(raw[i]):
            i += 1
            continue
        # A base character and the combining marks after it compose together.
        j = i + 1
        while j < n and unicodedata.combining(raw[j]):
            j += 1
        for char in unicodedata.normalize("NFC", raw[i:j]):
            chars.append(char)
            starts.append(i)
            ends.append(j)
        i = j
    return CleanText(raw, "".join(chars), tuple(starts), tuple(ends))


# A claim's context: its paragraph, cut to this many characters on each side of it, so that
# a paragraph of megabytes does not go into every claim it holds (nor onto an admin page).
CONTEXT_CHARS = 400


def paragraph_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the paragraph around ``text[start:end]`` starts and ends, at most
    ``CONTEXT_CHARS`` on each side (cut at a space), surrounding blanks left out.

    >>> t = "Intro.\nIl a dit « oui » hier.\nFin."
    >>> a, b = paragraph_around(t, t.index("oui"), t.index("oui") + 3); t[a:b]
    'Il a dit « oui » hier.'
    """
    para_start = text.rfind("\n", max(0, start - CONTEXT_CHARS), start) + 1
    if para_start == 0 and start > CONTEXT_CHARS:
        para_start = text.find(" ", start - CONTEXT_CHARS, start) + 1 or start - CONTEXT_CHARS
    para_end = text.find("\n", end, end + CONTEXT_CHARS)
    if para_end == -1:
        para_end = min(len(text), end + CONTEXT_CHARS)
        if para_end < len(text):
            space = text.rfind(" ", end, para_end)
            para_end = space if space > 0 else para_end
    while para_start < start and text[para_start].isspace():
        para_start += 1
    while para_end > end and text[para_end - 1].isspace():
        para_end -= 1
    return para_start, para_end
