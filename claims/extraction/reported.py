"""Reported speech (``kind="indirect"``): the clause a speaker is said to have stated.

- "X a déclaré que <clause>" / "X estime que <clause>" / "…, ajoutant que <clause>"
- "<clause>, a expliqué X." (no quote marks in the sentence)
- "Selon X, <clause>." / "D'après X, <clause>."
- "X a dit ne pas <infinitive clause>"
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from claims.extraction.attribution.document import Document
from claims.extraction.attribution.speakers import SpeakerRef
from claims.extraction.lexicon import (
    ANONYMOUS_HEADS,
    ORG_HEADS,
    RELAY_NOUNS,
    ROLE_NOUN_FORMS,
    SAY_FORMS,
    SAY_INFINITIVE_LEMMAS,
    SAY_NOMINAL_LEMMAS,
)
from claims.extraction.normalize import fold

_QUOTE_MARKS = '«»“”"'
_TRAIL = " \t\n,;:.–—-"
_THAT = re.compile(r"\b(?:que\s|qu')")
_WORD_BEFORE = re.compile(r"([a-z]+(?:'[a-z]+)?)\s*$")
_INFINITIVE = re.compile(
    r"\b(?P<verb>[a-z]+)\s+(?P<inf>ne\s+(?:pas|plus|jamais)\s|n'|vouloir\s|pouvoir\s|devoir\s)"
)
_INVERTED = re.compile(
    r",\s*(?P<aux>(?:a|avait|aurait|ont)\s+)?(?:(?:encore|aussi|egalement|alors)\s+)?"
    r"(?P<verb>[a-z]+)\s+"
)
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


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
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
            claim = _inverted(doc, s_start, s_end) or _according(doc, s_start, s_end)
            claims = [claim] if claim else []
        for claim in claims:
            # Quoted words in a clause ("contre « les conséquences » de l'achat") leave it
            # reported speech; a clause that is mostly a quotation is the quotation's.
            if claim.end - claim.start >= 12 and not _mostly_quoted(doc, claim.start, claim.end):
                found.append(claim)
    return found


def _clause_end(doc: Document, start: int, s_end: int) -> int:
    m = _CLAUSE_END.search(doc.folded, start, s_end)
    return m.start() if m else s_end


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
        start, end = _trim(doc.text, m.end(), _clause_end(doc, m.end(), s_end))
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
        start, end = _trim(doc.text, m.start("inf"), _clause_end(doc, m.start("inf"), s_end))
        return [Reported(start, end, m.start("verb"), m.end("verb"), speaker)]
    return []


def _inverted(doc: Document, s_start: int, s_end: int) -> Reported | None:
    # "<clause>, a expliqué le conseiller …, Jake Sullivan." — the cue closes the sentence.
    for m in _INVERTED.finditer(doc.folded, s_start, s_end):
        if not _is_say(m.group("verb")) or m.group("verb").endswith("ant"):
            continue
        if m.start() - s_start < 20:
            continue
        resolved = doc.resolve_np(m.end(), s_end)
        if resolved is None or resolved[0] is None:
            continue
        speaker, np_end = resolved
        rest = doc.folded[np_end:s_end]
        if re.search(r"\b(?:que|qu')\b", rest[:40]):
            continue
        start, end = _trim(doc.text, s_start, m.start())
        return Reported(start, end, m.start() + 1, np_end, speaker)
    return None


def _according(doc: Document, s_start: int, s_end: int) -> Reported | None:
    for m in _ACCORDING.finditer(doc.folded, s_start, s_end):
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
                start, end = _trim(doc.text, s_start, m.start())
                return Reported(start, end, m.start(), np_end, speaker)
            continue
        start, end = _trim(doc.text, comma + 1, s_end)
        return Reported(start, end, m.start(), np_end, speaker)
    return None


# --- from the parse ------------------------------------------------------------------------

_MIN_CLAUSE = 12  # characters: shorter is no statement ("qu'il viendrait")
_CLAUSE_DEPS = ("ccomp", "advcl", "parataxis", "xcomp", "conj")


def find_reported_parsed(
    doc: Document, syntax, windows: list[tuple[int, int]], resolve
) -> list[Reported]:
    """Reported speech from the parse, within each sentence window:

    - "X a déclaré que <clause>", "X estime que …", "…, ajoutant que …" (the clause is the
      verb's complement introduced by "que");
    - "<clause>, a indiqué X." (the verb of saying is a parenthetical after the clause);
    - "Selon X, <clause>." / "<clause>, d'après X."

    ``resolve(phrase, pos)`` turns a speaker's phrase into a speaker. A clause that is mostly
    a quotation is left to the quotation.
    """
    found: list[Reported] = []
    p = syntax.p
    for low, high in windows:
        tokens = syntax.tokens_in(low, high)
        for v in tokens:
            if syntax.in_quote(p.starts[v]):
                continue
            if syntax.say_lemma(v) is not None:
                found += _from_verb(doc, syntax, v, (low, high), resolve)
            according = _according_phrase(syntax, v)
            if according is not None:
                found += _from_according(doc, syntax, v, according, (low, high), resolve)
    found += _clefts(doc, syntax, windows, resolve)
    return _dedupe(doc, found)


# "C'est ce qu'a déclaré X", "c'est ce qu'affirme X", "c'est ce que disent les …".
_CLEFT = re.compile(
    r"\s*c'est ce qu(?:e |')(?:(?:a|ont|avait|avaient)\s+)?(?P<verb>[a-z]+)\s+", re.I
)


def _clefts(doc, syntax, windows, resolve) -> list[Reported]:
    """ "<sentence>. C'est ce qu'a déclaré le ministre X.": the sentence before is X's."""
    out = []
    for (low, high), (prev_low, prev_high) in zip(windows[1:], windows, strict=False):
        match = _CLEFT.match(doc.folded, low, high)
        if match is None or match.group("verb") not in SAY_FORMS:
            continue
        verb = syntax.token_at(match.start("verb"))
        phrase = syntax.speaker_phrase(verb, words_before=True, limit=(low, high)) if verb else None
        if phrase is None:
            continue
        claim = _make(doc, prev_low, prev_high, low, phrase.end, resolve(phrase, low))
        if claim:
            out.append(claim)
    return out


def _clause_span(syntax, token: int, window: tuple[int, int], skip: set[int]) -> tuple[int, int]:
    """The characters of ``token``'s subtree within ``window``, leaving out ``skip``'s."""
    p = syntax.p
    members = []
    stack = [token]
    while stack:
        t = stack.pop()
        if t in skip or not window[0] <= p.starts[t] < window[1]:
            continue
        members.append(t)
        stack.extend(syntax.children[t])
    if not members:
        return 0, 0
    return p.starts[min(members)], p.ends[max(members)]


def _subtree_set(syntax, token: int) -> set[int]:
    out, stack = set(), [token]
    while stack:
        t = stack.pop()
        out.add(t)
        stack.extend(syntax.children[t])
    return out


def _mostly_quoted(doc: Document, start: int, end: int) -> bool:
    spans = doc.quote_spans
    i = max(0, bisect_left(doc._quote_opens, start) - 1)
    quoted = 0
    while i < len(spans) and spans[i][0] < end:
        a, b = spans[i]
        quoted += max(0, min(end, b) - max(start, a))
        i += 1
    return quoted > 0.6 * (end - start)


def _make(doc, start, end, cue_start, cue_end, speaker) -> Reported | None:
    # The parse often hangs "… et a exprimé son soutien" on the reported clause: the
    # word-order rule of where a clause ends still applies.
    if start < end:
        end = _clause_end(doc, start, end)
    start, end = _trim(doc.text, start, end)
    that = re.match(r"(?:que|qu')\s*", doc.folded[start:end])
    if that:
        start = start + that.end()  # the parse left "que" in the clause
    if end - start < _MIN_CLAUSE or _mostly_quoted(doc, start, end):
        return None
    return Reported(start, end, cue_start, cue_end, speaker)


def _from_verb(doc, syntax, v, window, resolve) -> list[Reported]:
    p = syntax.p
    out = []
    verb_start, verb_end = p.starts[v], p.ends[v]
    for c in syntax.children[v]:
        if p.deps[c] not in _CLAUSE_DEPS or p.pos[c] not in ("VERB", "AUX", "ADJ", "NOUN"):
            continue
        marks = [m for m in syntax.children[c] if p.deps[m] == "mark"]
        that = [m for m in marks if syntax.lemmas[m] in ("que", "qu'")]
        after = p.starts[c] > verb_start
        if after and that and syntax.introduces_that(v):
            # "X a déclaré que <clause>"
            skip = set(that)
            start, end = _clause_span(syntax, c, window, skip)
            start = max(start, p.ends[that[0]])
            phrase = syntax.speaker_phrase(v, words_before=False, limit=window)
            speaker = resolve(phrase, verb_start) if phrase else None
            claim = _make(doc, start, end, verb_start, p.ends[that[0]], speaker)
            if claim:
                out.append(claim)
        elif (
            not after
            and not marks
            and p.deps[c] in ("ccomp", "parataxis", "advcl")
            and p.pos[c] in ("VERB", "AUX")
        ):
            # "<clause>, a indiqué X."
            start, end = _clause_span(syntax, c, window, set())
            if end > verb_start or len(doc.text[start:end].split()) < 4:
                continue
            phrase = syntax.speaker_phrase(v, words_before=True, limit=window)
            if phrase is None:
                continue
            speaker = resolve(phrase, verb_start)
            claim = _make(doc, start, end, verb_start, max(verb_end, phrase.end), speaker)
            if claim:
                out.append(claim)
        elif (
            after
            and p.deps[c] == "xcomp"
            and p.pos[c] == "ADJ"
            and syntax.children[c]
            and _subject_before(syntax, v)
        ):
            # "se dit déterminé à faire valoir ses droits": what the speaker says they are.
            out += _claim_on(doc, syntax, v, c, window, resolve)
        elif (
            after
            and p.deps[c] == "xcomp"
            and p.pos[c] == "VERB"
            and not that
            and syntax.introduces_that(v)
            and _subject_before(syntax, v)
            and _stated_infinitive(syntax, v, c)
        ):
            # "X a dit ne pas …", "réaffirme vouloir chercher …", "menace de …"; with the
            # object it bears on: "accuse le maire de cacher …", "appelle l'État à agir".
            objects = [
                k
                for k in syntax.children[v]
                if p.deps[k] == "obj"
                and verb_start < p.starts[k] < p.starts[c]
                and p.pos[k] in ("NOUN", "PROPN")
            ]
            out += _claim_on(
                doc,
                syntax,
                v,
                c,
                window,
                resolve,
                skip=set(marks),
                first=objects[0] if objects and marks else None,
            )
    if syntax.say_lemma(v) in SAY_NOMINAL_LEMMAS and _subject_before(syntax, v):
        for c in syntax.children[v]:
            # "X a dénoncé une « négation » de la présomption d'innocence": what was said,
            # as a noun phrase of some length ("a annoncé la nouvelle" says nothing), and
            # not a person (after an inverted verb the parse takes the subject for one).
            if (
                p.deps[c] == "obj"
                and p.pos[c] == "NOUN"
                and p.starts[c] > verb_start
                and not _names_someone(syntax, c)
            ):
                out += _claim_on(doc, syntax, v, c, window, resolve, minimum_words=2)
            elif (
                p.deps[c].startswith("obl")
                and p.pos[c] == "NOUN"
                and p.starts[c] > verb_start
                and _introduced_by(syntax, c, ("de", "sur", "contre", "du", "des"))
                and any(p.deps[k] == "det" for k in syntax.children[c])  # not "de manière"
                and not _names_someone(syntax, c)
            ):
                # "s'est réjoui de la gifle …", "a alerté le gouvernement sur les
                # déséquilibres …", "a mis en garde contre des attitudes …"
                out += _claim_on(
                    doc, syntax, v, c, window, resolve, minimum_words=2, skip_case=True
                )
    head = p.heads[v]
    if (
        head != v
        and (p.deps[v] in ("parataxis", "advcl", "dep") or _inverted_conjunct(doc, syntax, v))
        and p.starts[head] < verb_start
        and syntax.say_lemma(head) is None
        and not syntax.in_quote(p.starts[head])
        and p.pos[head] in ("VERB", "AUX")
    ):
        # "<clause>, a indiqué X." with the clause as the head: all of it but the verb's part
        # (and the sentence's last stop, which the parse hangs on the head).
        skip = _subtree_set(syntax, v) | {
            t for t in syntax.tokens_in(verb_start, window[1]) if p.pos[t] == "PUNCT"
        }
        start, end = _clause_span(syntax, head, window, skip)
        if (
            end <= verb_start
            and len(doc.text[start:end].split()) >= 4
            and not any(
                syntax.lemmas[m] in ("que", "qu'")
                for m in syntax.children[head]
                if p.deps[m] == "mark"
            )
        ):
            phrase = syntax.speaker_phrase(v, words_before=True, limit=window)
            if phrase is not None and (
                phrase.start < p.starts[min([v, *syntax.children[v]])] or not _finite(syntax, v)
            ):
                # A subject before the verb ("X a dit …, a rappelé …", "…: X a proposé"),
                # or a participle or an infinitive of the clause ("…, estimant que").
                phrase = None
            if (
                phrase is not None
                and _can_speak(syntax, phrase.head)
                and _after_comma(doc, syntax, v)
            ):
                speaker = resolve(phrase, verb_start)
                # A relay ("…, a indiqué l'AFP") passes on words that are nobody's here.
                claim = _make(doc, start, end, verb_start, max(verb_end, phrase.end), speaker)
                if claim and speaker is not None:
                    out.append(claim)
    return out


def _after_comma(doc, syntax, v) -> bool:
    """ "<clause>, a indiqué X": the verb group (its auxiliary, "-t-il") follows a comma;
    not "…, dont la commission espère une signature"."""
    p = syntax.p
    first = min([v, *(c for c in syntax.children[v] if p.deps[c].startswith("aux"))])
    return doc.text[: p.starts[first]].rstrip().endswith(",")


def _finite(syntax, v) -> bool:
    """ "a indiqué", "précise", "avait affirmé": a tensed verb, or a participle with its
    auxiliary; not "estimant", "pour demander", "évoquée par"."""
    if syntax.feature(v, "VerbForm") == "Fin":
        return True
    return syntax.feature(v, "VerbForm") == "Part" and any(
        syntax.p.deps[c] == "aux:tense" for c in syntax.children[v]
    )


def _inverted_conjunct(doc, syntax, v) -> bool:
    """ "<clause with « quoted » words>, a affirmé le maire.": the parse, misled by the
    marks, makes the verb of saying a conjunct of the clause. It is one only after a comma,
    with someone named or described right after it (not "…, a rappelé les engagements")."""
    p = syntax.p
    if p.deps[v] != "conj" or any(p.deps[c].startswith("nsubj") for c in syntax.children[v]):
        return False
    if not _after_comma(doc, syntax, v):
        return False
    after = [c for c in syntax.children[v] if c > v and p.deps[c] in ("obj", "nsubj")]
    if not after:
        return False
    noun = after[0]
    return p.pos[noun] == "PROPN" or (
        fold(syntax._surface(noun)) in ROLE_NOUN_FORMS or syntax.lemmas[noun] in ROLE_NOUN_FORMS
    )


def _subject_before(syntax, v) -> bool:
    """Whether ``v`` (or the verb it depends on, for a participle) has its subject before
    it: after an inverted verb ("…, a annoncé le ministre") what follows is the speaker."""
    for _ in range(3):
        subjects = [c for c in syntax.children[v] if syntax.p.deps[c] in ("nsubj", "nsubj:pass")]
        if subjects:
            return any(c < v and not syntax._surface(c).startswith("-") for c in subjects)
        if syntax.p.deps[v] not in ("advcl", "xcomp", "conj") or syntax.p.heads[v] == v:
            return False
        v = syntax.p.heads[v]
    return False


def _stated_infinitive(syntax, v, c) -> bool:
    """An infinitive that states something: after a verb that takes one ("menacer de",
    "s'engager à"), or negated or compound ("a dit ne pas …", "affirme avoir écrit …").
    After a verb of wanting or asking ("souhaite rester anonyme") it states nothing."""
    p = syntax.p
    marks = {syntax.lemmas[m] for m in syntax.children[c] if p.deps[m] == "mark"}
    if marks & {"de", "d'", "a"} or syntax.say_lemma(v) in SAY_INFINITIVE_LEMMAS:
        return True
    kids = syntax.children[c]
    negated = any(syntax.lemmas[k] in ("ne", "n'") for k in kids)
    compound = any(p.deps[k].startswith("aux") for k in kids)
    return negated or compound


def _names_someone(syntax, token: int) -> bool:
    noun = fold(syntax._surface(token))
    lemma = syntax.lemmas[token]
    if noun in ROLE_NOUN_FORMS or lemma in ROLE_NOUN_FORMS or noun in RELAY_NOUNS:
        return True
    return any(
        syntax.p.pos[c] == "PROPN" and syntax.p.deps[c] in ("appos", "flat:name")
        for c in syntax.children[token]
    )


def _can_speak(syntax, token: int) -> bool:
    """A name, a pronoun, a person, a group or an institution: what can say something
    ("…, prévoit des sanctions" is no "<clause>, a indiqué X")."""
    if syntax.p.pos[token] in ("PROPN", "PRON") or _names_someone(syntax, token):
        return True
    noun, lemma = fold(syntax._surface(token)), syntax.lemmas[token]
    return bool({noun, lemma} & (ORG_HEADS | ANONYMOUS_HEADS))


def _introduced_by(syntax, token: int, words: tuple[str, ...]) -> bool:
    cases = [k for k in syntax.children[token] if syntax.p.deps[k] == "case"]
    return bool(cases) and syntax.lemmas[cases[0]] in words


def _claim_on(
    doc, syntax, v, c, window, resolve, skip=(), minimum_words=0, skip_case=False, first=None
) -> list[Reported]:
    """The claim made of ``c``'s subtree (from ``first``'s, when given), said by ``v``'s
    speaker. A relative clause that says something itself is its own claim: "dénonce les
    propos de X, qui a assuré que …"."""
    p = syntax.p
    skip = set(skip)
    if skip_case:
        skip |= {k for k in syntax.children[c] if p.deps[k] == "case"}
    skip |= {
        k
        for t in _subtree_set(syntax, c)
        for k in syntax.children[t]
        if p.deps[k] == "acl:relcl" and syntax.introduces_that(k)
    }
    start, end = _clause_span(syntax, c, window, skip)
    if first is not None:
        start = min(start, _clause_span(syntax, first, window, skip)[0])
    if minimum_words and len(doc.text[start:end].split()) < minimum_words:
        return []
    phrase = syntax.speaker_phrase(v, words_before=False, limit=window)
    speaker = resolve(phrase, p.starts[v]) if phrase else None
    claim = _make(doc, start, end, p.starts[v], p.ends[v], speaker)
    return [claim] if claim else []


def _according_phrase(syntax, token: int):
    """ "selon"/"d'après" on ``token``: the phrase it introduces, if ``token`` is nominal."""
    p = syntax.p
    if p.pos[token] not in ("NOUN", "PROPN", "PRON"):
        return None
    for c in syntax.children[token]:
        # The parser does not always call "Selon" (capitalised) a case marker.
        if c < token and syntax.according_word(c):
            return syntax._phrase(token, inverted=False)
    return None


def _from_according(doc, syntax, token, phrase, window, resolve) -> list[Reported]:
    p = syntax.p
    head = p.heads[token]
    if head == token or p.pos[head] not in ("VERB", "AUX", "ADJ", "NOUN"):
        return []
    selon = _subtree_set(syntax, token)
    start, end = _clause_span(syntax, head, window, selon)
    low, high = p.starts[min(selon)], p.ends[max(selon)]
    if high <= p.starts[head]:
        start = max(start, high)  # "Toutefois, selon X, <clause>": what follows X
    elif low >= p.starts[head]:
        end = min(end, low)  # "<clause>, selon X."
    speaker = resolve(phrase, p.starts[token])
    claim = _make(doc, start, end, phrase.start, phrase.end, speaker)
    return [claim] if claim else []


def _dedupe(doc: Document, found: list[Reported]) -> list[Reported]:
    """One claim per stretch of text: the longest of overlapping ones."""
    kept: list[Reported] = []
    for claim in sorted(found, key=lambda c: (-(c.end - c.start), c.start)):
        if any(c.start < claim.end and claim.start < c.end for c in kept):
            continue
        kept.append(claim)
    return sorted(kept, key=lambda c: c.start)
