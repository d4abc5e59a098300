"""Speakers from the text around a quotation that has no cue of its own.

- A caption right after it: "«…» Guillaume, salarié de l'usine, à franceinfo".
- The quotation completes a sentence whose subject is outside it:
  "Depuis, Jean-Jacques « n'a pas de nouvelles »".
- It stands alone after a sentence about someone: "Guillaume a cru que l'usine s'en
  sortirait. « On nous a fait espérer… »" (the person the sentence before is about).

Each gives a lower confidence than a cue does: curators see them first.
"""

from __future__ import annotations

from claims.extraction.attribution.document import Document
from claims.extraction.attribution.speakers import SpeakerRef
from claims.extraction.attribution.syntax import Syntax

__all__ = ["caption_speaker", "predicate_speaker", "previous_subject"]

_SUBJECTS = ("nsubj", "nsubj:pass")


def _scaled(ref: SpeakerRef | None, confidence: float, how: str) -> SpeakerRef | None:
    if ref is None or not ref.name:
        return None
    return SpeakerRef(ref.key, ref.name, how, confidence, ref.role, ref.kind)


def caption_speaker(doc: Document, close: int) -> SpeakerRef | None:
    """ "«…» Guillaume, salarié de l'usine …": a person named right after the closing mark,
    on the same line, with no verb between."""
    text = doc.text
    i = close + 1
    while i < len(text) and text[i] in " \t\u00a0\u202f":
        i += 1
    if i >= len(text) or text[i] == "\n" or not text[i].isupper():
        return None
    m = doc._mention_at(i)
    if m is not None and m.kind == "person" and m.how != "role-alias":
        after = text[m.end : m.end + 2]
        if after[:1] in (",", "\n", "") or after.strip() == "":
            return _scaled(doc._ref_or_surname(m), 0.6, "caption")
    return None


def predicate_speaker(doc: Document, syntax: Syntax, start: int, end: int, resolve):
    """ "Jean-Jacques « n'a pas de nouvelles »": the quoted words' verb has its subject just
    before the quotation, outside it."""
    p = syntax.p
    inside = set(syntax.tokens_in(start, end))
    for t in sorted(inside):
        for c in syntax.children[t]:
            if c in inside or p.deps[c] not in _SUBJECTS or p.starts[c] >= start:
                continue
            if start - p.ends[c] > 40 or "\n" in doc.text[p.ends[c] : start]:
                continue
            phrase = syntax._phrase(c, inverted=False, limit=(max(0, start - 200), start))
            ref = resolve(phrase, start)
            if ref is not None and ref.name and ref.kind == "person":
                return _scaled(ref, 0.6, "predicate")
    return None


def previous_subject(
    doc: Document, syntax: Syntax, previous: tuple[int, int], pos: int, resolve
) -> SpeakerRef | None:
    """A quotation opening its sentence right after one (``previous``, its characters)
    whose main clause has a person for subject: that person ("Guillaume a cru que l'usine
    s'en sortirait. « On nous a fait espérer… »")."""
    low, high = previous
    if high <= low or syntax.in_quote(low):
        return None
    p = syntax.p
    tokens = [t for t in syntax.tokens_in(low, high) if not syntax.in_quote(p.starts[t])]
    inside = set(syntax.tokens_in(low, high))
    # The sentence's own root: the first verb whose head lies outside it.
    roots = [
        t
        for t in tokens
        if p.pos[t] in ("VERB", "AUX") and (p.heads[t] == t or p.heads[t] not in inside)
    ]
    for root in roots[:1]:
        for c in syntax.children[root]:
            if p.deps[c] not in _SUBJECTS or c not in inside or syntax.in_quote(p.starts[c]):
                continue
            phrase = syntax._phrase(c, inverted=False, limit=(low, high))
            ref = resolve(phrase, pos)
            if ref is not None and ref.name and ref.kind == "person":
                return _scaled(ref, 0.5, "previous-subject")
    return None
