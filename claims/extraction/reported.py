"""Reported speech (``kind="indirect"``): the clause a speaker is said to have stated.

- "X a déclaré que <clause>" / "X estime que <clause>" / "…, ajoutant que <clause>"
- "<clause>, a expliqué X." (no quote marks in the sentence)
- "Selon X, <clause>." / "D'après X, <clause>."
- "X a dit ne pas <infinitive clause>"

These are the word-order rules, for text the parse does not cover; the parse's own are in
``claims.extraction.reported_parse``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from claims.extraction.attribution.document import Document
from claims.extraction.attribution.speakers import SpeakerRef
from claims.extraction.lexicon import (
    SAY_FORM_LEMMAS,
    SAY_FORMS,
    SAY_PRONOMINAL_LEMMAS,
)
from claims.extraction.quotes import MIN_QUOTE_WORDS, WORD

_QUOTE_MARKS = '«»“”"'
_TRAIL = " \t\n,;:.–—-"
_THAT = re.compile(r"\b(?:que\s|qu')")
_WORD_BEFORE = re.compile(r"([a-z]+(?:'[a-z]+)?)\s*$")
_INFINITIVE = re.compile(
    r"\b(?P<verb>[a-z]+)\s+(?P<inf>ne\s+(?:pas|plus|jamais)\s|n'|vouloir\s|pouvoir\s|devoir\s)"
)
_INVERTED = re.compile(
    r",\s*(?P<se>(?:s'|se\s+)(?:(?:est|etait)\s+)?)?(?P<aux>(?:a|avait|aurait|ont)\s+)?"
    r"(?:(?:encore|aussi|egalement|alors)\s+)?(?P<verb>[a-z]+)\s+"
)
# "…, précise-t-il", "…, a-t-elle ajouté"
_INVERTED_PRONOUN = re.compile(
    r",\s*(?:(?:a|avait|aurait)-t-(?P<p1>il|elle)\s+(?:(?:encore|aussi|egalement|alors)\s+)?"
    r"(?P<verb>[a-z]+)|(?P<verb2>[a-z]+)-t?-?(?P<p2>il|elle))\b"
)
_STRESSED = re.compile(r"(lui|elle)\b")
_STRESSED_SUBJECT = {"lui": "il", "elle": "elle"}
_ACCORDING = re.compile(r"(?:^|(?<=[\s,]))(?P<word>selon|d'apres|pour)\s+")
# Adverbs allowed between a verb of saying and "que": "a déclaré lundi que", "a assuré hier que".
_BETWEEN_OK = re.compile(
    r"^(?:\s+(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|"
    r"aujourd'hui|encore|aussi|egalement|ensuite|alors|notamment|"
    r"publiquement|recemment|toutefois|d'ailleurs|par ailleurs|"
    r"pour sa part|de son cote))*\s*$"
)


@dataclass(frozen=True)
class Reported:
    start: int
    end: int
    cue_start: int
    cue_end: int
    speaker: SpeakerRef | None


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n,;:":
        start += 1
    while end > start and text[end - 1] in _TRAIL:
        end -= 1
    return start, end


def _is_say(word: str) -> bool:
    return word in SAY_FORMS


# Where a reported clause stops: the main subject's next verb ("… et a exprimé son soutien").
# Not at "et que": "a déclaré que A et que B" says both, in one claim.
_CLAUSE_END = re.compile(
    r"\s+(?:et|mais|puis)\s+(?:a|avait|ont|est|s'est|n'a|n'avait|se|s')\s"
    # "X a déclaré que <clause>, a menacé …": the main subject's next verb, after a comma;
    # "…, et le premier lot devrait …": a new subject, coordinated after a comma.
    r"|,\s*(?:(?:a|avait|ont|avaient)\s+(?!priori\b)[a-z]+(?:e|es|i|is|it|u|us|t)\s"
    r"|et\s+(?:le|la|les|l'|un|une|ce|cet|cette|ces)\s*[a-z]+\s+(?!qu)[a-z]+)"
    r"|;|,\s*(?:tandis qu|alors qu|bien qu|mais\s+(?:a|avait|s'est|est)\s|tout en\s|avant de\s|"
    r"ajoutant\s|precisant\s|"
    r"soulignant\s|estimant\s|notant\s|affirmant\s|assurant\s|a-t-(?:il|elle)\s|"
    r"[a-z]+ant\s)"
    # "…, et rappelant qu'elle-même …": the main clause's next participle, coordinated.
    r"|,?\s+et\s+(?:en\s+)?(?!(?:pendant|cependant|durant|maintenant|suivant|devant)\b)"
    r"[a-z]{3,}ant\s"
)


def find_reported(doc: Document, sentences: list[tuple[int, int]]) -> list[Reported]:
    """Reported-speech claims: clauses outside quotation marks, one or more per sentence."""
    found: list[Reported] = []
    for s_start, s_end in sentences:
        sentence = doc.text[s_start:s_end]
        if len(sentence.split()) < 4:
            continue
        quoted = any(mark in sentence for mark in _QUOTE_MARKS)
        claims = _that_clauses(doc, s_start, s_end)
        if not claims and not quoted:
            claim = (
                _inverted(doc, s_start, s_end)
                or _inverted_pronoun(doc, s_start, s_end)
                or _according(doc, s_start, s_end)
                or _colon(doc, s_start, s_end)
            )
            claims = [claim] if claim else []
        elif not claims:
            # "<clause>, s'impatiente X, porte-parole du comité : « … »": the quotation
            # comes after the cue; the clause before it has no quotation marks.
            claim = _inverted(doc, s_start, s_end)
            if claim and not any(
                mark in doc.text[s_start : claim.cue_start] for mark in _QUOTE_MARKS
            ):
                claims = [claim]
            else:
                # "Le projet est « mort-né », a-t-il estimé.": quoted words in the clause
                # (a clause that is mostly the quotation stays the quotation's, below).
                claim = _inverted_pronoun(doc, s_start, s_end)
                claims = [claim] if claim else []
        for claim in claims:
            # Quoted words in a clause ("contre « les conséquences » de l'achat") leave it
            # reported speech; a clause that is mostly a quotation is the quotation's.
            if claim.end - claim.start >= 12 and not mostly_quoted(doc, claim.start, claim.end):
                found.append(claim)
    return found


def clause_end(doc: Document, start: int, s_end: int) -> int:
    m = _CLAUSE_END.search(doc.folded, start, s_end)
    end = m.start() if m else s_end
    return min(end, _quotation_after(doc, start, end))


def _quotation_after(doc: Document, start: int, end: int) -> int:
    """Where a quotation set off by a comma or a colon closes the sentence ("…, « <words>
    »."): the reported clause stops before it, the quotation is its own. ``end`` when none;
    a quoted aside the clause runs on after ("ce projet, « qui … », devait …") stays."""
    i = bisect_left(doc._quote_opens, start + 1)
    while i < len(doc.quote_spans) and doc.quote_spans[i][0] < end:
        a, b = doc.quote_spans[i]
        i += 1
        if _fragment(doc, a, b) or WORD.search(doc.text, b, end):
            continue
        before = doc.text[start:a].rstrip(' \u00a0\u202f«“"‘„')
        if before and before[-1] in ",;:":
            return start + len(before) - 1
    return end


def _verb_before(folded: str, s_start: int, at: int) -> tuple[int, int] | None:
    """The verb of saying that governs a "que" at ``at``, allowing a few adverbs between."""
    end = at
    for _ in range(4):
        m = _WORD_BEFORE.search(folded, s_start, end)
        if m is None:
            return None
        if _is_say(m.group(1)):
            between = folded[m.end(1) : at]
            return (m.start(1), m.end(1)) if _BETWEEN_OK.match(between) else None
        end = m.start(1)
    return None


def _that_clauses(doc: Document, s_start: int, s_end: int) -> list[Reported]:
    """ "X a déclaré que …", "…, ajoutant que …", "X a dit ne pas …" (several per sentence)."""
    found: list[Reported] = []
    covered = s_start
    for m in _THAT.finditer(doc.folded, s_start, s_end):
        if m.start() < covered or doc.in_quote(m.start()):
            continue  # a "que" inside a clause already taken, or inside a quotation
        verb = _verb_before(doc.folded, s_start, m.start())
        if verb is None:
            continue
        speaker = doc.speaker_of_verb(verb[0], s_start)
        if speaker is None:
            continue
        start, end = trim(doc.text, m.end(), clause_end(doc, m.end(), s_end))
        found.append(Reported(start, end, verb[0], m.end(), speaker))
        covered = end
    if found:
        return found
    for m in _INFINITIVE.finditer(doc.folded, s_start, s_end):
        if not _is_say(m.group("verb")) or m.group("verb").endswith("ant"):
            continue
        speaker = doc.speaker_of_verb(m.start("verb"), s_start)
        if speaker is None:
            continue
        start, end = trim(doc.text, m.start("inf"), clause_end(doc, m.start("inf"), s_end))
        return [Reported(start, end, m.start("verb"), m.end("verb"), speaker)]
    return []


def _inverted(doc: Document, s_start: int, s_end: int) -> Reported | None:
    # "<clause>, a expliqué le conseiller …, Jake Sullivan." — the cue closes the sentence.
    for m in _INVERTED.finditer(doc.folded, s_start, s_end):
        if not _is_say(m.group("verb")) or m.group("verb").endswith("ant"):
            continue
        if m.group("se") and SAY_FORM_LEMMAS.get(m.group("verb")) not in SAY_PRONOMINAL_LEMMAS:
            continue  # ", s'est rendu …": another verb
        if m.start() - s_start < 20:
            continue
        resolved = doc.resolve_np(m.end(), s_end)
        if resolved is None or resolved[0] is None:
            continue
        speaker, np_end = resolved
        if _says_that_within(doc, s_start, m.start()) and not _closes_sentence(doc, np_end, s_end):
            # "X a déclaré que …, a menacé Y de …": the main subject's next verb, its
            # object no speaker ("…, a rappelé Y, son porte-parole." is one).
            continue
        rest = doc.folded[np_end:s_end]
        if re.search(r"\b(?:que|qu')\b", rest[:40]):
            continue
        start, end = trim(doc.text, s_start, m.start())
        return Reported(start, end, m.start() + 1, np_end, speaker)
    return None


def _closes_sentence(doc: Document, at: int, s_end: int) -> bool:
    """Nothing but an apposition or the final stop after ``at``."""
    rest = doc.text[at:s_end].strip(" \u00a0.!?…\n")
    return not rest or rest.startswith(",")


def _says_that_within(doc: Document, start: int, end: int) -> bool:
    """A verb of saying with its "que" between ``start`` and ``end``."""
    return any(
        _verb_before(doc.folded, start, m.start()) is not None
        for m in _THAT.finditer(doc.folded, start, end)
        if not doc.in_quote(m.start())
    )


def _colon(doc: Document, s_start: int, s_end: int) -> Reported | None:
    """ "La maire a prévenu : la piscine restera fermée." — a verb of saying, a colon, and
    what was said, unquoted."""
    at = doc.text.find(":", s_start, s_end)
    if at == -1:
        return None
    verb = _verb_before(doc.folded, s_start, at)
    if verb is None:
        return None
    speaker = doc.speaker_of_verb(verb[0], s_start)
    if speaker is None:
        return None
    start, end = trim(doc.text, at + 1, clause_end(doc, at + 1, s_end))
    if len(doc.text[start:end].split()) < 4:
        return None
    return Reported(start, end, verb[0], at + 1, speaker)


def _inverted_pronoun(doc: Document, s_start: int, s_end: int) -> Reported | None:
    """ "<clause>, précise-t-il." / "<clause>, a-t-elle ajouté devant les élus.": the cue is
    an inverted pronoun, the person it stands for the speaker."""
    for m in _INVERTED_PRONOUN.finditer(doc.folded, s_start, s_end):
        verb = m.group("verb") or m.group("verb2")
        if not _is_say(verb) or m.start() - s_start < 20:
            continue
        pronoun = m.group("p1") or m.group("p2")
        speaker = doc.resolve_pronoun(pronoun, m.start())
        if speaker is None:
            continue
        start, end = trim(doc.text, s_start, m.start())
        return Reported(start, end, m.start() + 1, m.end(), speaker)
    return None


def _according(doc: Document, s_start: int, s_end: int) -> Reported | None:
    for m in _ACCORDING.finditer(doc.folded, s_start, s_end):
        stressed = _STRESSED.match(doc.folded, m.end())
        if stressed and m.group("word") != "pour":
            # "Selon lui, …", "D'après elle, …": the person the pronoun stands for.
            speaker = doc.resolve_pronoun(_STRESSED_SUBJECT[stressed.group(1)], m.start())
            comma = stressed.end()
            if speaker is not None and doc.text[comma : comma + 1] == ",":
                start, end = trim(doc.text, comma + 1, s_end)
                return Reported(start, end, m.start(), stressed.end(), speaker)
            continue
        resolved = doc.resolve_np(m.end(), s_end)
        if resolved is None or resolved[0] is None:
            continue
        speaker, np_end = resolved
        if m.group("word") == "pour" and (
            m.start() > s_start + 2 or speaker.how not in ("name", "alias", "new")
        ):
            continue  # "pour X," speaks for X only at the head of a sentence and with a name
        comma = doc.text.find(",", np_end, s_end)
        if comma == -1 or doc.text[np_end:comma].strip():
            if m.start() - s_start > 20:
                # "<clause>, selon X." — the clause before
                start, end = trim(doc.text, s_start, m.start())
                return Reported(start, end, m.start(), np_end, speaker)
            continue
        start, end = trim(doc.text, comma + 1, s_end)
        return Reported(start, end, m.start(), np_end, speaker)
    return None


def _fragment(doc: Document, a: int, b: int) -> bool:
    # A scare quote or a word someone used ("une décision « injuste »"): the statement
    # around it is still reported speech.
    return len(WORD.findall(doc.text, a, b)) < MIN_QUOTE_WORDS


def in_long_quote(doc: Document, pos: int) -> bool:
    """``pos`` is inside a quotation of more than a few words (a scare-quoted verb, « alerté »,
    is still the sentence's)."""
    i = bisect_left(doc._quote_opens, pos + 1) - 1
    if i < 0 or pos >= doc.quote_spans[i][1]:
        return False
    return not _fragment(doc, *doc.quote_spans[i])


def mostly_quoted(doc: Document, start: int, end: int) -> bool:
    """Most of the span is inside quotations of more than a few words: it is the
    quotation's, not reported speech."""
    spans = doc.quote_spans
    i = max(0, bisect_left(doc._quote_opens, start) - 1)
    quoted = 0
    while i < len(spans) and spans[i][0] < end:
        a, b = spans[i]
        if not _fragment(doc, a, b):
            quoted += max(0, min(end, b) - max(start, a))
        i += 1
    return quoted > 0.6 * (end - start)
