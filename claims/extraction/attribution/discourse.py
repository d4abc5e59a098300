"""Speakers from the text around a quotation that has no cue of its own.

- A caption right after it: "«…» Guillaume, salarié de l'usine, à franceinfo".
- The quotation completes a sentence whose subject is outside it:
  "Depuis, Jean-Jacques « n'a pas de nouvelles »".
- It stands alone after a sentence about someone: "Guillaume a cru que l'usine s'en
  sortirait. « On nous a fait espérer… »" (the person the sentence before is about).

Each gives a lower confidence than a cue does: curators see them first.
"""

from __future__ import annotations

import re

from claims.extraction.attribution.document import Document
from claims.extraction.attribution.speakers import SpeakerRef
from claims.extraction.attribution.syntax import Syntax
from claims.extraction.lexicon import DETERMINERS, NOT_NAME_WORDS, ROLE_NOUN_FORMS, SAY_FORMS
from claims.extraction.normalize import fold

__all__ = [
    "caption_speaker",
    "colon_line_speaker",
    "heading_speaker",
    "predicate_speaker",
    "previous_subject",
    "qa_answers",
    "scaled",
]

_SUBJECTS = ("nsubj", "nsubj:pass")


def scaled(ref: SpeakerRef | None, confidence: float, how: str) -> SpeakerRef | None:
    """``ref`` as found another way (``how``), with its own confidence."""
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
            return scaled(doc._ref_or_surname(m), 0.6, "caption")
    # A first name alone, then what the person is: "«…» Julien, habitant de la rue".
    name = _CAPTION_NAME.match(text, i)
    if name and fold(name.group(1)) not in NOT_NAME_WORDS:
        described = fold(name.group(2)).split()
        if described and (described[0] in ROLE_NOUN_FORMS or described[0] in DETERMINERS):
            return SpeakerRef(None, name.group(1), "caption", 0.5)
    return None


def _has_say_verb(line: str) -> bool:
    return any(w in SAY_FORMS for w in fold(line).replace("'", " ").split())


def colon_line_speaker(doc: Document, open_: int) -> SpeakerRef | None:
    """ "Déclaration de X après la réunion :" on the line above a quotation that opens its
    line: the person that line names."""
    text = doc.text
    line_start = text.rfind("\n", 0, open_) + 1
    if line_start == 0 or text[line_start:open_].strip():
        return None
    above_end = line_start - 1
    while above_end > 0 and text[above_end - 1] in " \t\n\u00a0":
        above_end -= 1
    above_start = text.rfind("\n", 0, above_end) + 1
    line = text[above_start:above_end]
    if not line.endswith(":") or len(line) > 200 or doc.in_quote(above_start):
        return None
    if _has_say_verb(line):
        return None  # "Interrogé par X, Y a déclaré :": a cue, for the cue's rules
    for m in doc.mentions_after(above_start - 1, reach=above_end - above_start + 1):
        if m.kind == "person" and m.how != "role-alias" and m.end <= above_end:
            return scaled(doc._ref_or_surname(m), 0.6, "heading")
    return None


_HEADING_ENDS = (".", "!", "?", "…", ";", ",", "»", "”", '"')


def _heading_line(doc: Document, start: int, end: int) -> bool:
    """A line that is a heading: short, a paragraph of its own, no sentence."""
    line = doc.text[start:end].strip()
    return (
        0 < len(line) <= 120
        and not line.endswith(_HEADING_ENDS)
        and not doc.in_quote(start)
        and doc.text[max(0, start - 2) : start] in ("\n\n", "")
    )


def heading_speaker(doc: Document, open_: int, speakers: list[tuple[int, SpeakerRef]]):
    """A quotation with no cue in a section of reactions: the person its heading line
    opens with, in the form "Marc Petit (prix du jury) : un habitué", when no quotation
    since the heading was someone else's (``speakers``: (start, speaker) of the earlier
    quotations, in order). The article's first line is its title, no section heading; a
    heading that names nobody, or has a verb of saying, gives no one."""
    text = doc.text
    floor = max(0, open_ - 3000)
    pos = text.rfind("\n\n", floor, open_)
    while pos > floor:
        start = max(floor, text.rfind("\n", floor, pos) + 1)
        if text[start:pos].strip() and _heading_line(doc, start, pos):
            line = text[start:pos]
            if start == 0 or _has_say_verb(line):
                return None
            first = doc._mention_at(start + len(line) - len(line.lstrip()))
            if first is None or first.how == "role-alias" or not doc._opens_heading(first):
                return None
            ref = doc._ref_or_surname(first)
            if ref is None or not ref.name:
                return None
            mine = (ref.key, ref.name)
            for at, who in reversed(speakers):
                if at <= start:
                    break
                if at < open_ and (who.key or who.name) not in mine:
                    return None
            return scaled(ref, 0.5, "heading")
        pos = text.rfind("\n\n", floor, start)
    return None


_CAPTION_NAME = re.compile(
    r"([A-ZÀ-Þ][a-zà-ÿ]+(?:-[A-ZÀ-Þ][a-zà-ÿ]+)?)\*?,[ \u00a0]+([^\n,]{2,40})"
)


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
                return scaled(ref, 0.6, "predicate")
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
                return scaled(ref, 0.5, "previous-subject")
    if not roots:
        # "Paul Garnier, maire de Lunel, a lui aussi réagi.": the parser made the name the
        # root and the verb its modifier; word order gives the verb's subject.
        finite = [t for t in tokens if p.pos[t] == "AUX" or syntax.feature(t, "VerbForm") == "Fin"]
        if finite:
            ref = doc.speaker_of_verb(p.starts[finite[0]], low)
            if ref is not None and ref.name and ref.kind == "person":
                return scaled(ref, 0.5, "previous-subject")
    return None


# "Jean-Louis Fousseret : …", "J.-L.F. : …": who answers, in an interview's questions and
# answers. Initials stand for the person whose name they abbreviate.
_MARKER = re.compile(
    r"(?:^|(?<=[.!?»”\"…]\s)|(?<=\n))"
    r"(?P<who>(?:[A-ZÀ-Þ]\.(?:-?[A-ZÀ-Þ]\.)+)|(?:[A-ZÀ-Þ][\w'’-]+(?:\s[A-ZÀ-Þ][\w'’-]+){0,3}))"
    r"[ \u00a0\u202f]?:[ \u00a0\u202f]"
)


_SENTENCE_ENDS = (".", "!", "?", "…", "»", "”", '"', ":")


def _initials(name: str) -> str:
    return "".join(part[0] for part in re.split(r"[\s-]+", name) if part).upper()


def interview_answers(doc: Document) -> list[tuple[int, int, int, int, SpeakerRef]]:
    """The answers of a question-and-answer interview, unquoted: (start, end, marker start,
    marker end, speaker) for each. Only where the article has several such markers and at
    least one names a person of the article; a question (ending with "?") is nobody's claim.
    """
    markers = list(_MARKER.finditer(doc.text))
    if len(markers) < 3:
        return []
    people = [m for m in doc.mentions if m.kind == "person" and len(m.name.split()) >= 2]
    by_initials = {_initials(m.name): m for m in people}
    answers = []
    for marker, following in zip(markers, [*markers[1:], None], strict=True):
        who = marker.group("who")
        mention = doc._mention_at(marker.start("who"))
        if mention is not None and mention.kind != "person":
            continue
        if mention is None:
            letters = who.replace(".", "").replace("-", "").upper()
            mention = by_initials.get(letters) if "." in who else None
        if mention is None:
            continue
        start = marker.end()
        end = following.start() if following is not None else len(doc.text)
        segment = doc.text[start:end].rstrip()
        if not segment or segment.endswith("?") or len(segment.split()) < 4:
            continue
        first_line = segment.split("\n", 1)[0].rstrip()
        if "\n" in segment and not first_line.endswith(_SENTENCE_ENDS):
            continue  # "X : les réactions à sa condamnation" over a paragraph: a heading
        ref = doc._ref_or_surname(mention)
        if ref is not None:
            speaker = SpeakerRef(ref.key, ref.name, "interview", 0.6, ref.role, ref.kind)
            answers.append((start, start + len(segment), marker.start(), marker.end(), speaker))
    return answers


# "Q : …" / "R : …" (also "Question :", "Réponse :"), each at the start of a line.
_QA = re.compile(r"(?m)^[ \t]*(?P<tag>Q|R|Question|Réponse)[ \u00a0\u202f]?[:.-][ \u00a0\u202f]*")


def qa_answers(doc: Document) -> list[tuple[int, int, int, int]]:
    """The answers of an interview laid out as "Q : …" / "R : …": (start, end, marker
    start, marker end) of each, when there are at least two answers and one question."""
    markers = list(_QA.finditer(doc.text))
    tags = [m.group("tag")[0] for m in markers]
    if tags.count("R") < 2 or tags.count("Q") < 1:
        return []
    answers = []
    for marker, following in zip(markers, [*markers[1:], None], strict=True):
        if marker.group("tag")[0] != "R":
            continue
        end = following.start() if following is not None else len(doc.text)
        paragraph_end = doc.text.find("\n\n", marker.end(), end)
        end = paragraph_end if paragraph_end != -1 else end
        if doc.text[marker.end() : end].strip():
            answers.append((marker.end(), end, marker.start(), marker.end()))
    return answers
