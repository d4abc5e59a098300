"""Find quotations: « », “ ”, " " and ‘ ’, with or without inner (no-break) spaces."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["QuoteSpan", "find_quotes"]

_PAIRS = {"«": "»", "“": "”", "‘": "’", "\u201e": "”"}
_INNER_TRIM = " \t\n\u00a0\u202f\u2009,;:"
WORD = re.compile(r"\w+(?:['’-]\w+)*")
# A quotation of up to three words is a scare quote ("groupes de niveau"), not a statement.
MIN_QUOTE_WORDS = 4


@dataclass(frozen=True)
class QuoteSpan:
    """A quotation: ``open``/``close`` are the marks, ``start``/``end`` the words inside."""

    open: int
    close: int  # index of the closing mark, or of the paragraph end when unclosed
    start: int
    end: int
    text: str
    closed: bool

    @property
    def words(self) -> int:
        return len(WORD.findall(self.text))


def _is_open_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    # Also right after a full stop: pages lose the space ("…S-400."Quelles que…").
    return (before.isspace() or before in "([—–-:.!?") and not after.isspace()


def _is_close_single(text: str, i: int) -> bool:
    # ’ is also the French apostrophe: it closes a quote only before a non-letter.
    after = text[i + 1] if i + 1 < len(text) else " "
    return not after.isalnum()


def _paragraph_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end == -1 else end


def find_quotes(text: str) -> list[QuoteSpan]:
    """Outermost quotations in ``text``, in order; nested marks stay inside the outer quote.

    A mark left open is closed at the end of its paragraph (``closed=False``), so one stray
    mark never swallows the rest of the article.

    >>> [q.text for q in find_quotes('Il a dit « Nous irons ». Puis : "Jamais, ‘non’."')]
    ['Nous irons', 'Jamais, ‘non’.']
    """
    spans: list[QuoteSpan] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        closer = _PAIRS.get(char)
        if char == '"' and _is_open_straight(text, i):
            closer = '"'
        if char == "‘" and i and text[i - 1].isalnum():
            closer = None
        if closer is None:
            i += 1
            continue
        close, closed = _find_close(text, i, char, closer)
        spans.append(_span(text, i, close, closed))
        i = close + 1
    return [s for s in spans if s.end > s.start]


def _next_paragraph_opens_with(text: str, limit: int, opener: str) -> int | None:
    """Where the next paragraph's opening mark is, if it opens with ``opener``."""
    j = limit
    while j < len(text) and text[j] in " \t\n\u00a0\u202f":
        j += 1
    if j < len(text) and text[j] == opener and "\n" in text[limit:j]:
        return j
    return None


def _find_close(text: str, open_at: int, opener: str, closer: str) -> tuple[int, bool]:
    limit = _paragraph_end(text, open_at)
    first_limit = limit
    depth = 0
    j = open_at + 1
    while True:
        close = _scan_close(text, open_at, j, limit, opener, closer, depth)
        if close is not None:
            return close
        # French quotes run over paragraphs: each new one opens with « and only the last closes.
        continued = _next_paragraph_opens_with(text, limit, opener) if opener == "«" else None
        if continued is None:
            return _trim_unclosed(text, open_at, first_limit), False
        j = continued + 1
        limit = _paragraph_end(text, j)


def _scan_close(text, open_at, j, limit, opener, closer, depth) -> tuple[int, bool] | None:
    start = j
    while j < limit:
        char = text[j]
        if closer == '"':
            if char == '"':
                return j, True
        elif char == opener and opener != closer:
            # A second « before any » at depth 0: the first was never closed.
            if opener == "«" and depth == 0 and "»" not in text[start:j]:
                return _trim_unclosed(text, open_at, j), False
            depth += 1
        elif char == closer and (closer != "’" or _is_close_single(text, j)):
            if depth == 0:
                return j, True
            depth -= 1
        j += 1
    return None


def _trim_unclosed(text: str, open_at: int, limit: int) -> int:
    # End an unclosed quote at its last sentence end before ``limit``.
    segment = text[open_at + 1 : limit]
    ends = [m.end() for m in re.finditer(r"[.!?…](?=\s|$)", segment)]
    return open_at + 1 + (ends[-1] if ends else len(segment.rstrip()))


def _span(text: str, open_at: int, close: int, closed: bool) -> QuoteSpan:
    start, end = open_at + 1, close
    while start < end and text[start] in _INNER_TRIM:
        start += 1
    while end > start and text[end - 1] in _INNER_TRIM:
        end -= 1
    return QuoteSpan(
        open=open_at, close=close, start=start, end=end, text=text[start:end], closed=closed
    )
