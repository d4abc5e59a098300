"""Reported speech from the dependency parse: the clause a verb of saying governs, the
clause an inverted "a indiqué X" closes, "selon X", clefts, noun phrases said.

The word-order rules and the shapes they share are in ``claims.extraction.reported``.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from claims.extraction.attribution.document import Document
from claims.extraction.lexicon import (
    ANONYMOUS_HEADS,
    ORG_HEADS,
    RELAY_NOUNS,
    ROLE_NOUN_FORMS,
    SAY_FORMS,
    SAY_INFINITIVE_LEMMAS,
    SAY_NOMINAL_LEMMAS,
    TIME_NOUNS,
)
from claims.extraction.normalize import fold
from claims.extraction.reported import (
    Reported,
    clause_end,
    in_long_quote,
    mostly_quoted,
    trim,
)

__all__ = ["find_reported_parsed"]

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
            if syntax.in_quote(p.starts[v]) and in_long_quote(doc, p.starts[v]):
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


def _past_closing_mark(doc, start: int, end: int) -> int:
    """A span that stops inside a quotation it opened ("une « procédure étrange"): the
    parse hangs the closing mark on the verb; the span takes it back."""
    i = bisect_right(doc._quote_opens, end) - 1
    if i >= 0:
        a, b = doc.quote_spans[i]
        if start <= a < end <= b and not doc.text[end:b].strip(' \u00a0\u202f»”"’'):
            while b < len(doc.text) and doc.text[b] in '»”"’':
                b += 1  # the span ends with the mark, as it began with one
            return b
    return end


def _make(doc, start, end, cue_start, cue_end, speaker) -> Reported | None:
    # The parse often hangs "… et a exprimé son soutien" on the reported clause: the
    # word-order rule of where a clause ends still applies.
    if start < end:
        end = clause_end(doc, start, end)
    start, end = trim(doc.text, start, end)
    end = _past_closing_mark(doc, start, end)
    that = re.match(r"(?:que|qu')\s*", doc.folded[start:end])
    if that:
        start = start + that.end()  # the parse left "que" in the clause
    if end - start < _MIN_CLAUSE or mostly_quoted(doc, start, end):
        return None
    return Reported(start, end, cue_start, cue_end, speaker)


def _only_circumstances(syntax, v: int, that: int) -> bool:
    """Between the verb and its "que", nothing or a circumstance: "a annoncé mercredi
    soir que", "a déclaré à la presse que" (the parser then reads "que" as a pronoun)."""
    between = range(v + 1, that)
    if len(between) > 6:
        return False
    # No object between: "a expliqué la réforme que le gouvernement présentera" is a
    # relative clause on the object, not what was said.
    return all(
        syntax.p.pos[t] in ("ADV", "NOUN", "PROPN", "DET", "ADP", "NUM", "ADJ")
        and syntax.p.deps[t] != "obj"
        for t in between
    )


def _from_verb(doc, syntax, v, window, resolve) -> list[Reported]:
    p = syntax.p
    out = []
    verb_start, verb_end = p.starts[v], p.ends[v]
    for c in syntax.children[v]:
        if p.deps[c] not in _CLAUSE_DEPS or p.pos[c] not in ("VERB", "AUX", "ADJ", "NOUN"):
            continue
        marks = [m for m in syntax.children[c] if p.deps[m] == "mark"]
        that = [m for m in marks if syntax.lemmas[m] in ("que", "qu'")]
        if not that and p.deps[c] == "ccomp" and p.starts[c] > verb_start:
            # "a assuré que, côté européen, des dispositions …": the parser hangs "que" on
            # the clause's first phrase, not on its verb.
            that = [
                m
                for m in _subtree_set(syntax, c)
                if p.deps[m] in ("mark", "obj")
                and syntax.lemmas[m] in ("que", "qu'")
                and p.starts[m] < p.starts[c]
                and _only_circumstances(syntax, v, m)
            ][:1]
        after = p.starts[c] > verb_start
        if after and that and syntax.introduces_that(v):
            # "X a déclaré que <clause>"
            skip = set(that)
            start, end = _clause_span(syntax, c, window, skip)
            start = max(start, p.ends[that[0]])
            end = _past_condition(syntax, v, c, marks, end, window)
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
            # "<clause>, a indiqué X." — a clause with a tensed verb, the cue right after its
            # comma: not "Interrogée sur les délais, l'élue a précisé".
            start, end = _clause_span(syntax, c, window, set())
            if end > verb_start or len(doc.text[start:end].split()) < 4:
                continue
            if not _finite(syntax, c) or not _after_comma(doc, syntax, v):
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
            out += _claim_on(doc, syntax, v, c, window, resolve, minimum_words=3)
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
                minimum_words=3,
            )
    # "la fermeture annoncée": a participle describing a noun says nothing itself.
    if (
        syntax.say_lemma(v) in SAY_NOMINAL_LEMMAS
        and p.deps[v] != "acl"
        and _subject_before(syntax, v)
        # "«…», annonce la gendarmerie présente": an incise, what follows is who speaks
        and not re.search(r"[»”\"]\s*,\s*$", doc.text[max(0, verb_start - 8) : verb_start])
    ):
        for c in syntax.children[v]:
            # "X a dénoncé une « négation » de la présomption d'innocence": what was said,
            # as a noun phrase of some length ("a annoncé la nouvelle" says nothing), and
            # not a person (after an inverted verb the parse takes the subject for one).
            if (
                p.deps[c] == "obj"
                and p.pos[c] == "NOUN"
                and p.starts[c] > verb_start
                and syntax.lemmas[c] not in TIME_NOUNS
                and not _names_someone(syntax, c)
            ):
                out += _claim_on(doc, syntax, v, c, window, resolve, minimum_words=2)
            elif (
                p.deps[c].startswith("obl")
                and p.pos[c] == "NOUN"
                and p.starts[c] > verb_start
                and syntax.lemmas[c] not in TIME_NOUNS  # "dès le lendemain" (folded "des")
                and (
                    _introduced_by(syntax, c, ("de", "sur", "contre", "du", "des"))
                    # "a plaidé pour une paix durable", "s'est prononcé pour le report"
                    or (
                        syntax.say_lemma(v) in _FOR_LEMMAS
                        and _introduced_by(syntax, c, ("pour", "en faveur de"))
                    )
                )
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


# Verbs whose "pour" complement is what they argue for.
_FOR_LEMMAS = frozenset({"plaider", "militer", "prononcer", "se prononcer", "appeler"})


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
        if p.deps[k] == "acl:relcl" and syntax.introduces_that(k) and _says_that(syntax, k)
    }
    start, end = _clause_span(syntax, c, window, skip)
    if first is not None:
        start = min(start, _clause_span(syntax, first, window, skip)[0])
    for k in syntax.children[v]:
        # "se disent prêts à la grève si la direction …": the condition is part of it.
        if (
            p.deps[k] in ("advcl", "ccomp")
            and p.starts[k] > end
            and _marked(syntax, k, ("si", "s'"))
        ):
            end = max(end, _clause_span(syntax, k, window, set())[1])
    if minimum_words and len(doc.text[start:end].split()) < minimum_words:
        return []
    phrase = syntax.speaker_phrase(v, words_before=False, limit=window)
    speaker = resolve(phrase, p.starts[v]) if phrase else None
    claim = _make(doc, start, end, p.starts[v], p.ends[v], speaker)
    return [claim] if claim else []


_CONDITIONS = ("si", "s'", "quand", "lorsque", "lorsqu'")


def _past_condition(syntax, v, c, marks, end: int, window) -> int:
    """ "rappellent que si la confiance s'est érodée, la demande existe": a "que" clause
    that opens with its condition goes on to the main clause, which the parser may hang
    on the verb of saying beside it."""
    p = syntax.p
    if not any(syntax.lemmas[m] in _CONDITIONS for m in marks):
        return end
    for k in syntax.children[v]:
        if (
            p.starts[k] > end
            and p.deps[k] in ("ccomp", "conj", "parataxis")
            and p.pos[k] in ("VERB", "AUX")
            and not any(p.deps[m] == "mark" for m in syntax.children[k])
        ):
            return max(end, _clause_span(syntax, k, window, set())[1])
    return end


def _marked(syntax, token: int, words: tuple[str, ...]) -> bool:
    return any(
        syntax.p.deps[m] == "mark" and syntax.lemmas[m] in words for m in syntax.children[token]
    )


def _says_that(syntax, v) -> bool:
    """Whether "que" follows ``v`` ("qui a assuré que …", "qui a indiqué hier que …")."""
    p = syntax.p
    t = v + 1
    while t < len(p) and p.pos[t] in ("ADV", "NOUN", "PROPN", "ADP", "DET") and t - v < 4:
        t += 1
    return t < len(p) and syntax.lemmas[t] in ("que", "qu'") and p.deps[t] == "mark"


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
