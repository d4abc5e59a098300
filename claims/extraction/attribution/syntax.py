"""Attribution from the dependency parse: the verb of saying words hang from, and its subject.

"« … », explique Nadia": the quotation's verb has "explique" as a parataxis child.
"Le ministre a souligné qu'il parlerait de « groupes de niveau »": the quotation climbs to
"souligné" through "parlerait". "…, a affirmé le dirigeant en précisant qu'il « … »": the
participle "précisant" takes the subject of the verb it depends on. Word-order rules
(``claims.extraction.attribution``) remain for what the parse misses.

Pure Python over ``nlp.Parse``: no spaCy here.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import pairwise

from claims.extraction.lexicon import (
    SAY_FORM_LEMMAS,
    SAY_LEMMAS,
    SAY_PRONOMINAL_LEMMAS,
    SAY_THAT_LEMMAS,
)
from claims.extraction.nlp import Parse
from claims.extraction.normalize import fold

__all__ = ["Phrase", "Syntax"]

# "faire savoir", "laisser entendre", "tenir à préciser": a light verb and the word that
# makes it a verb of saying.
_LIGHT = {"faire": ("savoir", "valoir", "remarquer", "observer", "part"), "laisser": ("entendre",)}
_SUBJECTS = ("nsubj", "nsubj:pass", "csubj")
# Verbs whose "il" is nobody: "il faut", "il semble", "il reste", "il s'agit".
_IMPERSONAL = frozenset(
    "falloir sembler paraitre paraître rester agir convenir arriver suffire etre être "
    "valoir manquer exister importer apparaitre apparaître avoir trouver averer avérer "
    "devenir passer".split()
)
# Dependents after an inverted verb of saying that can be its subject: the parser often
# takes the inverted subject for an object ("a affirmé le dirigeant").
_INVERTED = ("nsubj", "nsubj:pass", "obj", "appos", "nmod", "obl:arg", "iobj", "dep", "flat:name")
_NOMINAL = ("NOUN", "PROPN", "PRON", "X")
# Dependents that end a speaker's noun phrase: its relative clause, a clause, punctuation.
_NOT_IN_PHRASE = ("acl:relcl", "acl", "advcl", "ccomp", "parataxis", "punct", "cc", "conj", "mark")


_INCISE_OPENING = re.compile(
    r"[»”\"]\s*,?\s*(?:s['’]|se\s+)?(?:(?:a|avait|aurait|ont|avaient|est|était|sont)\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Phrase:
    """The speaker's noun phrase: its head token and its character span."""

    head: int
    start: int
    end: int
    inverted: bool  # after its verb ("a déclaré X"): a subject or a mistaken object


class Syntax:
    """A parsed article: tokens with their heads, children and sentences."""

    def __init__(self, parse: Parse, text: str, quotes: list[tuple[int, int]] = ()) -> None:
        self.p = parse
        self.text = text
        # Quotation spans (marks included): a speaker is never inside one.
        self.quotes = sorted(quotes)
        n = len(parse)
        self.children: list[list[int]] = [[] for _ in range(n)]
        for i, head in enumerate(parse.heads):
            if head != i:
                self.children[head].append(i)
        self.lemmas = [fold(lemma) for lemma in parse.lemmas]
        self.sentence_of = [0] * n
        bounds = [*parse.sentence_starts, n]
        for s, (a, b) in enumerate(pairwise(bounds)):
            for i in range(a, b):
                self.sentence_of[i] = s
        self._say_cache: dict[int, str | None] = {}

    # -- tokens ----------------------------------------------------------------------------

    def in_quote(self, pos: int) -> bool:
        return _within(pos, self.quotes)

    def tokens_in(self, start: int, end: int) -> range:
        """Tokens that start within ``[start, end)``."""
        return range(bisect_left(self.p.starts, start), bisect_left(self.p.starts, end))

    def token_at(self, pos: int) -> int | None:
        """The token covering character ``pos``, if any."""
        i = bisect_right(self.p.starts, pos) - 1
        if i >= 0 and pos < self.p.ends[i]:
            return i
        return None

    def feature(self, token: int, name: str) -> str:
        for item in self.p.feats[token].split("|"):
            key, _, value = item.partition("=")
            if key == name:
                return value
        return ""

    def subtree(self, token: int, skip: tuple[str, ...] = ()) -> tuple[int, int]:
        """First and last token of ``token``'s subtree, leaving out dependents in ``skip``."""
        low = high = token
        stack = [token]
        while stack:
            t = stack.pop()
            low, high = min(low, t), max(high, t)
            stack.extend(c for c in self.children[t] if self.p.deps[c] not in skip)
        return low, high

    # -- verbs of saying -------------------------------------------------------------------

    def say_lemma(self, token: int) -> str | None:
        """The verb of saying ``token`` is ("déclarer", "faire savoir"), or None."""
        if token in self._say_cache:
            return self._say_cache[token]
        found = None
        if token and self.lemmas[token - 1] == "se" and self.p.pos[token] in ("ADJ", "NOUN"):
            # After a reflexive clitic a word is a verb, whatever its tag: "s'impatiente X".
            found = SAY_FORM_LEMMAS.get(fold(self._surface(token)))
            found = found if found in SAY_PRONOMINAL_LEMMAS else None
        elif self.p.pos[token] in ("NOUN", "ADJ", "PROPN") and self._noun_tagged_say(token):
            found = SAY_FORM_LEMMAS[fold(self._surface(token))]
        elif self.p.pos[token] in ("VERB", "AUX", "ADJ"):
            lemma = self.lemmas[token]
            if self.p.pos[token] == "ADJ" and self.feature(token, "VerbForm") != "Part":
                lemma = ""
            if lemma in SAY_LEMMAS:
                found = lemma
            for light in _LIGHT.get(lemma, ()):
                if any(self.lemmas[c] == light for c in self.children[token]):
                    found = f"{lemma} {light}"
            if lemma == "tenir":  # "tient à préciser": the saying is the infinitive's
                for c in self.children[token]:
                    if self.lemmas[c] in SAY_LEMMAS and self.p.pos[c] == "VERB":
                        found = self.lemmas[c]
            if lemma == "mettre" and any(self.lemmas[c] == "garde" for c in self.children[token]):
                found = "mettre en garde"
            if (
                found in SAY_LEMMAS
                and found not in SAY_PRONOMINAL_LEMMAS
                and self._reflexive(token)
            ):
                found = None  # "les deux instances se trouvent en …": no saying
        self._say_cache[token] = found
        return found

    def _reflexive(self, token: int) -> bool:
        """Whether the verb ``token`` has "se" ("s'est trouvé", "se trouvent")."""
        return any(
            self.lemmas[c] == "se" and c < token and self.p.deps[c] != "nsubj"
            for c in self.children[token]
        )

    def introduces_that(self, token: int) -> bool:
        lemma = self.say_lemma(token)
        return lemma is not None and lemma in SAY_THAT_LEMMAS

    def governing_verb(
        self,
        start: int,
        end: int,
        window: tuple[int, int],
        quotes: list[tuple[int, int]],
    ) -> int | None:
        """The verb of saying the words in ``[start, end)`` depend on, within ``window``
        (their sentence, as the caller cuts it: the parser's sentences run over paragraphs).

        In order: an incise right after the words ("«…», a-t-il déclaré"); a verb their
        clause hangs from ("a souligné qu'il parlerait de «…»"); a verb before a colon
        ("X a déclaré : «…»"); a verb hanging from their clause ("«…», explique X").
        """
        inside = set(self.tokens_in(start, end))
        if not inside:
            return None
        low, high = window
        outside_quotes = [(a, b) for a, b in quotes if not (a <= start and end <= b)]

        def usable(t: int) -> bool:
            at = self.p.starts[t]
            return (
                t not in inside
                and low <= at < high
                and self.say_lemma(t) is not None
                and not _within(at, outside_quotes)
            )

        after = self._incise_after(end, high)
        if after is not None and usable(after):
            return after
        heads = self.p.heads
        tops = set()
        before = self._verb_before_colon(start, low)
        if before is not None and not usable(before):
            before = None
        for t in sorted(inside):
            h = heads[t]
            for _ in range(8):
                if h in inside or not low <= self.p.starts[h] < high:
                    break
                if usable(h):
                    # "Les soignants alertent, …, s'impatiente X : «…»": the verb before
                    # the colon, nearer the words than the one the parse hangs them on.
                    return before if before is not None and before > h else h
                tops.add(h)
                if heads[h] == h:
                    break
                h = heads[h]
        # "La Turquie ne cédera pas «…» des Etats-Unis, a affirmé X": the clause holding
        # the words has the verb of saying as its parenthetical, after them.
        for top in sorted(tops):
            late = [c for c in self.children[top] if usable(c) and self.p.starts[c] >= end]
            late = [c for c in late if self.p.deps[c] in ("parataxis", "advcl", "conj", "dep")]
            if late:
                return late[0]
        if before is not None:
            return before
        hanging = [c for t in inside for c in self.children[t] if usable(c)]
        hanging = [c for c in hanging if self.p.deps[c] != "xcomp"]
        if hanging:
            return min(hanging, key=lambda c: abs(self.p.starts[c] - end))
        return None

    _SKIP = ("PUNCT", "SPACE", "AUX", "ADV")

    def _incise_after(self, end: int, limit: int) -> int | None:
        """ "«…», a-t-il déclaré", "«…», explique X": the first word after the closing
        mark past punctuation, auxiliaries, adverbs and inverted pronouns."""
        t = bisect_left(self.p.starts, end)
        while t < len(self.p) and self.p.starts[t] < limit:
            word = self.lemmas[t]
            if self.p.pos[t] in self._SKIP or word in ("-t", "il", "elle", "-il", "-elle", "se"):
                # "se" of a pronominal verb: "«…», s'indigne X", "«…», s'est inquiétée X"
                t += 1
                continue
            if self.p.pos[t] in ("NOUN", "ADJ", "PROPN") and self._noun_tagged_say(t):
                return t
            return t if self.p.pos[t] in ("VERB", "ADJ") else None
        return None

    def _noun_tagged_say(self, t: int) -> bool:
        """ "«…», juge pour sa part X": right after the closing mark and its comma, with no
        determiner, a form of a verb of saying is that verb, though tagged a noun."""
        before = self.text[max(0, self.p.starts[t] - 4) : self.p.starts[t]]
        return bool(re.search(r"[»”\"]\s*,\s*$", before)) and (
            fold(self._surface(t)) in SAY_FORM_LEMMAS
        )

    def _verb_before_colon(self, start: int, limit: int) -> int | None:
        """ "X a déclaré : «…»": the last verb of saying before a colon that precedes the
        quotation, in its sentence."""
        i = start - 1
        while i >= limit and self.text[i] in ' \t\u00a0\u202f«“"':
            i -= 1
        if i < limit or self.text[i] != ":":
            return None
        t = bisect_left(self.p.starts, i) - 1
        while t >= 0 and self.p.starts[t] >= limit:
            if self.say_lemma(t) is not None:
                return t
            t -= 1
        return None

    # -- the speaker -----------------------------------------------------------------------

    def speaker_phrase(
        self, verb: int, words_before: bool = False, limit: tuple[int, int] | None = None
    ) -> Phrase | None:
        """Who speaks through ``verb``: its subject; inverted after it when the words come
        before the verb ("«…», a affirmé le dirigeant", which parsers often read as an
        object); for a participle, an infinitive or a coordinated verb, the subject of the
        verb it depends on ("X a demandé …, considérant que «…»").

        ``limit`` (characters) bounds the phrase: the parser's sentences run over paragraphs.
        """
        deps, pos, heads = self.p.deps, self.p.pos, self.p.heads
        for depth in range(4):
            kids = self.children[verb]
            # "Il a tenu à préciser": the parser may hang the subject on the auxiliary.
            hung = [
                g
                for a in kids
                if deps[a] in ("aux:tense", "aux:pass")
                and self.lemmas[a] in ("avoir", "etre", "être")
                and a < verb
                for g in self.children[a]
                if g < a  # "Il a tenu", not the clitic of "a-t-il tenu"
            ]
            subjects = [
                c
                for c in kids + hung
                if (deps[c] in _SUBJECTS or self._personal_expletive(c, verb, depth))
                and self.lemmas[c] != "-t"
                and pos[c] != "PUNCT"  # "le maire - qui … - a dit": a dash is no subject
                and not self._has_case(c)  # "devant Rachida Dati" is no subject
                and not _within(self.p.starts[c], self.quotes)
                and (limit is None or limit[0] <= self.p.starts[c] < limit[1])
            ]
            clitics = [c for c in subjects if self._surface(c).startswith("-")]
            if subjects:
                # "a-t-elle déclaré": the inverted clitic is the subject, whatever follows.
                subject = clitics[0] if clitics else subjects[-1]
                if self.lemmas[subject] == "qui" and deps[verb] == "acl:relcl":
                    subject = heads[verb]  # "X, qui a déclaré": the antecedent
                    if pos[subject] in ("VERB", "AUX"):
                        # "«…», ont indiqué des responsables, qui ont lancé …": the parse hung
                        # the relative clause on the verb; its antecedent is that verb's
                        # inverted subject.
                        verb = subject
                        continue
                return self._phrase(subject, inverted=subject > verb, limit=limit)
            if (words_before and depth == 0) or (depth and self._inverted_at(verb)):
                # "«…», a affirmé le dirigeant en précisant qu'il «…»": the verb the
                # participle hangs from is an inverted incise; its speaker follows it.
                after = [
                    c
                    for c in kids
                    if c > verb
                    and deps[c] in _INVERTED
                    and pos[c] in _NOMINAL
                    and not self._has_case(c)
                    and not _within(self.p.starts[c], self.quotes)
                ]
                if after:
                    return self._phrase(after[0], inverted=True, limit=limit)
                found = self._inverted_by_order(verb, limit)
                if found is not None:
                    return found
            if heads[verb] == verb or deps[verb] not in (
                "advcl",
                "xcomp",
                "conj",
                "acl",
                "ccomp",
                "parataxis",
                "obl",
            ):
                return None
            governor = heads[verb]
            if deps[verb] in ("ccomp", "parataxis", "obl") and not self.say_lemma(governor):
                return None
            if deps[verb] == "advcl" and deps[governor] == "acl:relcl":
                # "X a répondu à Y, qui avait jugé …, en affirmant que": the gerund belongs
                # to the main clause, not to the relative one the parser hung it on.
                noun = heads[governor]
                if pos[noun] in ("VERB", "AUX"):
                    governor = noun  # the relative clause hung on the main verb itself
                elif heads[noun] != noun:
                    governor = heads[noun]
            verb = governor
        return None

    def _personal_expletive(self, token: int, verb: int, depth: int) -> bool:
        """ "et il ne s'est pas privé de rappeler": the parser's expletive "il" on a
        personal verb the verb of saying depends on is its subject; not "il faut
        rappeler", "il semble que" (nor on the verb of saying itself: "il se dit que")."""
        reflexive = any(
            self.p.deps[c] in ("expl:comp", "expl:pv", "expl:pass") for c in self.children[verb]
        )
        if (
            not depth
            and reflexive
            and self.lemmas[verb] in ("dire", "raconter", "murmurer", "chuchoter")
        ):
            return False  # "il se dit que", "il se murmure que": impersonal
        return (
            self.p.deps[token] == "expl:subj"
            and self.lemmas[token] in ("il", "elle")
            and not self._surface(token).startswith("-")  # "a-t-il": the word-order cue's
            and self.lemmas[verb] not in _IMPERSONAL
        )

    def _inverted_at(self, verb: int) -> bool:
        """Whether ``verb`` opens an inverted incise: after a closing mark (and a comma), its
        auxiliary and a reflexive clitic at most between ("», a affirmé", "», s'indigne");
        after a comma alone it may be a coordinated verb ("X a déclaré …, a menacé …")."""
        return bool(
            _INCISE_OPENING.search(self.text, max(0, self.p.starts[verb] - 30), self.p.starts[verb])
        )

    def _surface(self, token: int) -> str:
        return self.text[self.p.starts[token] : self.p.ends[token]]

    _PLACES = frozenset(
        "a au aux aupres devant dans sur pendant lors depuis pour avec en chez sur apres avant".split()
    )

    def _inverted_by_order(self, verb: int, limit) -> Phrase | None:
        """After an inverted verb the parse found no subject: the first noun phrase after
        it that no preposition introduces, past "à l'AFP", "devant la presse" ("…, ont
        indiqué à l'AFP des responsables des JA", which the parser read as "l'AFP des")."""
        p = self.p
        high = limit[1] if limit else len(self.text)
        t = verb + 1
        while t < len(p) and p.starts[t] < high:
            word = self.lemmas[t]
            if p.pos[t] in ("AUX", "ADV", "PUNCT", "SPACE") and word not in (":",):
                t += 1
                continue
            if p.pos[t] == "ADP" and word in self._PLACES:
                # Past the prepositional phrase: "à l'AFP", "devant la presse réunie".
                t += 1
                while t < len(p) and (
                    p.pos[t] in ("DET", "NOUN", "PROPN", "ADJ", "NUM") or self._of_complement(t)
                ):
                    t += 1
                if t + 2 < len(p) and self._surface(t) == "(" and self._surface(t + 2) == ")":
                    t += 3  # "à l'Agence France-Presse (AFP)"
                continue
            if p.pos[t] == "DET" or word in ("de", "des", "du"):
                t += 1
                continue
            if p.pos[t] in ("NOUN", "PROPN") and not self.in_quote(p.starts[t]):
                # Its words follow the verb: the parse may hang the quotation on it.
                return self._phrase(t, inverted=True, limit=(p.starts[verb], high))
            return None
        return None

    def _of_complement(self, t: int) -> bool:
        """ "de"/"du" after a noun of a place phrase: its complement ("au micro de Radio
        Nord", "sur le plateau du journal"), not a subject ("à l'AFP des responsables")."""
        return (
            self._surface(t).lower() in ("de", "d'", "du")
            and t + 1 < len(self.p)
            and self.p.pos[t - 1] in ("NOUN", "PROPN")
            and self.p.pos[t + 1] in ("DET", "NOUN", "PROPN")
        )

    def _has_case(self, token: int) -> bool:
        """ "à l'AFP", "devant Rachida Dati": a preposition makes it no subject."""
        return any(self.p.deps[c] == "case" for c in self.children[token])

    def according_word(self, token: int) -> bool:
        """ "selon", "d'après" (not "après le match")."""
        lemma = self.lemmas[token]
        if lemma == "selon" or lemma == "d'apres":
            return True
        return lemma == "apres" and token > 0 and self.lemmas[token - 1] in ("d'", "de")

    def according_to(self, token: int) -> Phrase | None:
        """ "Selon X" / "d'après X" governing ``token``'s clause: X's phrase."""
        for c in self.children[token]:
            if self.p.pos[c] in _NOMINAL and any(
                self.according_word(k) and self.p.deps[k] in ("case", "fixed")
                for k in self.children[c]
            ):
                return self._phrase(c, inverted=False)
        return None

    def _quoted(self, token: int) -> bool:
        return self.p.pos[token] == "PUNCT"

    def _in_phrase(self, token: int) -> bool:
        """Whether a dependent belongs to a speaker's noun phrase: its complements of
        ("du syndicat", "de la Gironde") and appositions do, its circumstances do not
        ("dans un communiqué", "sur X", "lundi"), nor its clauses."""
        dep = self.p.deps[token]
        if dep in _NOT_IN_PHRASE or dep.startswith("obl"):
            return False
        if dep == "nmod":
            cases = [c for c in self.children[token] if self.p.deps[c] == "case"]
            return not cases or any(self.lemmas[c] in ("de", "a", "du", "des") for c in cases)
        return True

    def _phrase(self, head: int, inverted: bool, limit: tuple[int, int] | None = None) -> Phrase:
        lo_char, hi_char = limit or (0, len(self.text))
        low = high = head
        stack = [head]
        while stack:
            t = stack.pop()
            low, high = min(low, t), max(high, t)
            stack.extend(
                c
                for c in self.children[t]
                if self._in_phrase(c) and lo_char <= self.p.starts[c] < hi_char
            )
        # A name the parser cut short: "Fuat" + "Oktay" when "Oktay" hangs elsewhere.
        while (
            high + 1 < len(self.p)
            and self.p.pos[high + 1] == "PROPN"
            and self.p.starts[high + 1] < hi_char
            and self.text[self.p.ends[high] : self.p.starts[high + 1]] in (" ", "-")
        ):
            high += 1
        while low < high and self.p.pos[low] in ("ADP", "PUNCT", "CCONJ", "SPACE"):
            low += 1
        while high > low and self.p.pos[high] in ("PUNCT", "ADP", "CCONJ", "SPACE"):
            high -= 1
        # "la Fédération des pêcheurs (FDP)": the parse leaves the closing parenthesis out.
        span = self.text[self.p.starts[low] : self.p.ends[high]]
        if (
            span.count("(") > span.count(")")
            and high + 1 < len(self.p)
            and self.text[self.p.starts[high + 1] : self.p.ends[high + 1]] == ")"
        ):
            high += 1
        return Phrase(head, self.p.starts[low], self.p.ends[high], inverted)


def _within(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` is inside one of ``spans`` (sorted, not overlapping)."""
    i = bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]
