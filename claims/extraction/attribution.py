"""Who said it: find the cue around a quotation and resolve the speaker it names.

Resolution order: a full name; an alias from the reference data; a surname of a person named
earlier in the article; a role description ("le ministre", "le porte-parole du Kremlin"),
resolved to the person the article gives that role, else to the speaker whose alias it is;
a pronoun in an inverted cue ("a-t-il ajouté") to the most recent compatible person.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import pairwise

from claims.extraction.lexicon import (
    ADJ_BEFORE_HEAD,
    ADVERBS,
    ANONYMOUS_HEADS,
    AUX,
    DEFINITE,
    DETERMINERS,
    FORMER,
    FUNCTION_WORDS,
    NOT_NAME_WORDS,
    ORG_HEADS,
    PLURAL_PRONOUNS,
    ROLE_HEADS,
    ROLE_STOP,
    SAY_FORMS,
    SUBJECT_PRONOUNS,
)
from claims.extraction.names import first_name_gender
from claims.extraction.nlp import Analysis
from claims.extraction.normalize import fold, fold_keeping_a_grave

__all__ = ["Cue", "Document", "Gazetteer", "KnownSpeaker", "SpeakerRef", "find_cue"]

_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# How far back (characters) a name, role or pronoun's antecedent is looked for.
REACH = 20_000


@dataclass(frozen=True)
class KnownSpeaker:
    """A speaker from the database, as the extractor needs it."""

    key: str
    name: str
    kind: str = "person"
    gender: str = ""
    role: str = ""
    aliases: tuple[tuple[str, str], ...] = ()  # (alias, "name" | "role")


@dataclass(frozen=True)
class SpeakerRef:
    """The speaker of a claim: a known ``key``, or ``key=None`` for a new person."""

    key: str | None
    name: str
    how: str
    confidence: float
    role: str = ""
    kind: str = "person"  # or "organization"


def _tokens(folded: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(folded)]


def _key(value: str) -> str:
    return " ".join(t for _, _, t in _tokens(fold_keeping_a_grave(" ".join(value.split()))))


class Gazetteer:
    """Known speakers indexed by the folded token sequences of their names and aliases."""

    def __init__(self, speakers: list[KnownSpeaker]) -> None:
        self.speakers = {s.key: s for s in speakers}
        # token key -> (speaker key, "canonical" | "name" | "role")
        self.entries: dict[str, tuple[str, str]] = {}
        for speaker in speakers:
            self.entries.setdefault(_key(speaker.name), (speaker.key, "canonical"))
            for alias, kind in speaker.aliases:
                self.entries.setdefault(_key(alias), (speaker.key, kind))
        # first token -> the token counts of entries starting with it, longest first
        lengths: dict[str, set[int]] = {}
        for key in self.entries:
            words = key.split(" ")
            lengths.setdefault(words[0], set()).add(len(words))
        self.lengths = {first: sorted(ns, reverse=True) for first, ns in lengths.items()}


@dataclass
class Mention:
    """A place where the article names a speaker (known, or a new person)."""

    start: int
    end: int
    key: str | None  # known speaker key
    name: str  # canonical name, or the words for a new person
    how: str  # "name", "alias", "role-alias", "new"
    tok_start: int
    tok_end: int
    roles: list[str] = field(default_factory=list)
    kind: str = "person"
    gender: str = ""
    salient: bool = False  # a subject, or the speaker of a verb of saying

    @property
    def ident(self) -> str:
        return self.key or "new:" + fold(self.name)  # fold() is cached


@dataclass(frozen=True)
class Cue:
    """Attribution words and the speaker they name."""

    start: int
    end: int
    speaker: SpeakerRef | None


@dataclass(frozen=True)
class _Role:
    head: str
    modifiers: tuple[str, ...]
    former: bool
    definite: bool
    text: str
    end: int  # character offset after the role phrase
    tok_end: int
    proper_modifiers: bool = False  # "du Kremlin", "de la Défense": they must match
    gender: str = ""


class Document:
    """An article body prepared for attribution: tokens, mentions of people, quote spans."""

    def __init__(
        self,
        text: str,
        gazetteer: Gazetteer,
        quote_spans: list[tuple[int, int]],
        analysis: Analysis | None = None,
    ):
        self.text = text
        self.folded = fold_keeping_a_grave(text)
        self.gaz = gazetteer
        self.tokens = _tokens(self.folded)
        self._token_starts = [t[0] for t in self.tokens]
        self._starts: dict[int, Mention] = {}
        self._starts_of: list[Mention] | None = None
        self._outside: tuple[list[Mention], list[int]] | None = None
        self._outside_of: list[Mention] | None = None
        self._roles: dict[str, list[str]] = {}
        self._roles_of: list[Mention] | None = None
        self.quote_spans = sorted(quote_spans)
        self._quote_opens = [a for a, _ in self.quote_spans]
        self.analysis = analysis
        self.mentions = self._find_mentions()
        if analysis is not None:
            self._merge_entities(analysis)
            self._share_gender()
        self._add_surnames()
        self._find_organizations()
        self._attach_roles()
        self._mark_salient()

    # -- mentions -------------------------------------------------------------------------

    def _is_cap(self, tok: int) -> bool:
        return self.text[self.tokens[tok][0]].isupper()

    def in_quote(self, pos: int) -> bool:
        # Outermost quotations never overlap: the last one opened before ``pos`` decides.
        i = bisect_left(self._quote_opens, pos + 1) - 1
        return i >= 0 and pos < self.quote_spans[i][1]

    def _find_mentions(self) -> list[Mention]:
        mentions: list[Mention] = []
        toks, i = self.tokens, 0
        while i < len(toks):
            found = None
            for n in self.gaz.lengths.get(toks[i][2], ()):
                if n > len(toks) - i:
                    continue
                # Only join tokens that are adjacent in the text ("Jake Sullivan", not "Jake. Sullivan").
                gap = self.text[toks[i][1] : toks[i + n - 1][0]]
                if any(c in gap for c in '.;:!?«»\n"“”'):
                    continue
                entry = self.gaz.entries.get(" ".join(t for _, _, t in toks[i : i + n]))
                if entry is None:
                    continue
                key, kind = entry
                if kind == "role":
                    how = "role-alias"
                elif n == 1 and not self._is_cap(i):
                    continue  # a lower-case "stein" is a word, not the surname
                else:
                    how = "name" if kind == "canonical" else "alias"
                found = (n, key, how)
                break
            if found:
                n, key, how = found
                spk = self.gaz.speakers[key]
                mentions.append(
                    Mention(
                        toks[i][0],
                        toks[i + n - 1][1],
                        key,
                        spk.name,
                        how,
                        i,
                        i + n,
                        kind=spk.kind,
                        gender=spk.gender,
                    )
                )
                i += n
                continue
            n = self._new_name_length(i) if self.text[toks[i][0]].isupper() else 0
            if n >= 3 and i > 0 and toks[i - 1][2] in DETERMINERS:
                i, n = i + 1, n - 1  # "la Danoise Mette Kjærgaard": a noun, then the name
            if n >= 2:
                words = self.text[toks[i][0] : toks[i + n - 1][1]]
                mentions.append(
                    Mention(toks[i][0], toks[i + n - 1][1], None, words, "new", i, i + n)
                )
                i += n
                continue
            i += 1
        return mentions

    def _merge_entities(self, analysis: Analysis) -> None:
        """Let the entity recognizer correct the capitalisation heuristic for new names.

        Known speakers always stand. A PER entity extends or adds a new person
        ("Hélène de Villiers", where capitals alone stop at "Hélène"). A new name from
        capitals alone is kept only if the recognizer sees a person there too, or if it
        starts with a known first name: capitalised words are often titles, places or
        programmes ("Final Four", "Groupes de besoin").
        """
        others = set(analysis.others)
        persons = sorted(analysis.persons)
        person_starts = [a for a, _ in persons]

        def overlapping(items: list, starts: list[int], start: int, end: int) -> list:
            # Sorted by start and none longer than a line: look back a little only.
            i = bisect_left(starts, end) - 1
            found = []
            while i >= 0 and starts[i] > start - 300:
                item = items[i]
                item_start, item_end = (item.start, item.end) if isinstance(item, Mention) else item
                if item_start < end and start < item_end:
                    found.append(item)
                i -= 1
            return found

        def person_there(m: Mention) -> bool:
            return bool(overlapping(persons, person_starts, m.start, m.end)) or bool(
                first_name_gender(m.name)
            )

        kept = sorted(
            (
                m
                for m in self.mentions
                if m.key or ((m.start, m.end) not in others and person_there(m))
            ),
            key=lambda m: m.start,
        )
        kept_starts = [m.start for m in kept]
        for start, end in analysis.persons:
            start, end = self._trim_entity(start, end)
            if end <= start:
                continue
            near = overlapping(kept, kept_starts, start, end)
            if any(m.key for m in near):
                continue
            words = self.text[start:end]
            if not words[0].isupper() or any(c.isdigit() for c in words) or "\n" in words:
                continue
            toks = []
            i = bisect_left(self._token_starts, start)
            while i < len(self.tokens) and self.tokens[i][1] <= end:
                toks.append(i)
                i += 1
            if len(toks) >= 3 and toks[0] > 0 and self.tokens[toks[0] - 1][2] in DETERMINERS:
                toks = toks[1:]  # "le Belge Pieter Vandamme"
                start = self.tokens[toks[0]][0]
                words = self.text[start:end]
            if len(toks) < 2 or all(self.tokens[i][2] in NOT_NAME_WORDS for i in toks):
                continue
            if near and max(m.end - m.start for m in near) >= end - start:
                continue
            for m in near:
                at = kept.index(m)
                del kept[at], kept_starts[at]
            new = Mention(start, end, None, words, "new", toks[0], toks[-1] + 1)
            at = bisect_left(kept_starts, start)
            kept.insert(at, new)
            kept_starts.insert(at, start)
        self.mentions = sorted(kept, key=lambda m: m.start)

    def _add_surnames(self) -> None:
        """A new person named in full ("Aleksander Ceferin") is also "Ceferin" alone later:
        those mentions count for pronouns and for the people a phrase names."""
        surnames: dict[str, Mention] = {}
        for m in self.mentions:
            words = m.name.split()
            if m.key is None and m.kind == "person" and len(words) >= 2:
                surnames.setdefault(fold(words[-1]), m)
        if not surnames:
            return
        taken = {j for m in self.mentions for j in range(m.tok_start, m.tok_end)}
        added = []
        for i, (start, end, word) in enumerate(self.tokens):
            full = surnames.get(word)
            if full is None or i in taken or not self.text[start].isupper() or start < full.start:
                continue
            added.append(
                Mention(start, end, None, full.name, "surname", i, i + 1, gender=full.gender)
            )
        self.mentions = sorted(self.mentions + added, key=lambda m: m.start)

    def _trim_entity(self, start: int, end: int) -> tuple[int, int]:
        # Entities sometimes take a leading article or a trailing punctuation mark.
        text = self.text
        while end > start and not text[end - 1].isalnum():
            end -= 1
        for article in ("le ", "la ", "l'", "l’", "Le ", "La ", "L'", "L’"):
            if text.startswith(article, start):
                start += len(article)
        return start, end

    def _new_name_length(self, i: int) -> int:
        """How many tokens from ``i`` look like a person's name not in the gazetteer."""
        n = 0
        while i + n < len(self.tokens) and n < 4:
            start, end, tok = self.tokens[i + n]
            word = self.text[start:end]
            if not word[0].isupper() or tok in NOT_NAME_WORDS or len(tok) < 2 or tok.isdigit():
                break
            if word.isupper() and len(word) > 1:
                break  # acronyms: OTAN, SSB
            if n and any(c in self.text[self.tokens[i + n - 1][1] : start] for c in ",.;:!?«»\n()"):
                break
            n += 1
        return n

    def _attach_roles(self) -> None:
        for m in self.mentions:
            before = self._role_before(m)
            if before:
                m.roles.append(before)
                article = fold(before).split()[0]
                if not m.gender and article in ("la", "sa", "cette", "une"):
                    m.gender = "f"
                elif not m.gender and article in ("le", "son", "ce", "cet", "un"):
                    m.gender = "m"
            after = self._role_after(m)
            if after:
                m.roles.append(after)
        self._share_gender()

    def _share_gender(self) -> None:
        # What one mention tells of a person ("la ministre, Claire Dumont") holds for all;
        # failing that, the first name says it ("Solène" is a woman).
        genders: dict[str, str] = {}
        for m in self.mentions:
            if m.gender:
                genders.setdefault(m.ident, m.gender)
        for m in self.mentions:
            if m.kind == "person" and m.ident not in genders:
                guess = first_name_gender(m.name)
                if guess:
                    genders[m.ident] = guess
        for m in self.mentions:
            if not m.gender:
                m.gender = genders.get(m.ident, "")

    def _role_before(self, m: Mention) -> str:
        # "le ministre turc de la Défense, Hulusi Akar" / "l'ancien président Donald Trump"
        lo = max(0, m.tok_start - 10)
        for d in range(m.tok_start - 1, lo - 1, -1):
            if self.tokens[d][2] in DEFINITE or self.tokens[d][2] in DETERMINERS:
                role = self.parse_role(d)
                if role and role.tok_end == m.tok_start:
                    return self.text[self.tokens[d][0] : self.tokens[m.tok_start - 1][1]]
            gap = (
                self.text[self.tokens[d][1] : self.tokens[d + 1][0]]
                if d + 1 < len(self.tokens)
                else ""
            )
            if any(c in gap for c in ".;:!?«»\n") and d != m.tok_start - 1:
                break
        return ""

    def _role_after(self, m: Mention) -> str:
        # "Aaron Stein, directeur de recherche au Foreign Policy Research Institute"
        if m.tok_end >= len(self.tokens):
            return ""
        gap = self.text[m.end : self.tokens[m.tok_end][0]]
        if gap.strip() != ",":
            return ""
        t = m.tok_end
        if self.tokens[t][2] in DETERMINERS:
            t += 1
        if t < len(self.tokens) and self.tokens[t][2] in ROLE_HEADS:
            role = self.parse_role(t, head_at=t)
            if role:
                return role.text
        return ""

    def _mark_salient(self) -> None:
        """Subjects and speakers are what a later "il"/"elle" refers to, not names in passing."""
        verbish = (
            AUX | SAY_FORMS | {"est", "etait", "sera", "sont", "n", "ne", "se", "s", "y", "lui"}
        )
        toks = self.tokens
        for m in self.mentions:
            t = m.tok_end
            # Skip an apposition: "Hulusi Akar, ministre de la Défense, a déclaré".
            if t < len(toks) and self.text[m.end : toks[t][0]].strip() == ",":
                for j in range(t, min(t + 12, len(toks))):
                    if (
                        self.text[
                            toks[j][1] : toks[j + 1][0] if j + 1 < len(toks) else toks[j][1]
                        ].strip()
                        == ","
                    ):
                        t = j + 1
                        break
            if t < len(toks) and toks[t][2] in verbish:
                m.salient = True
                continue
            m.salient = self._inverted_speaker(m)

    def _inverted_speaker(self, m: Mention) -> bool:
        """Is ``m`` the speaker right after a verb of saying ("a déclaré [le ministre,] X")?"""
        toks = self.tokens
        for j in range(m.tok_start - 1, max(-1, m.tok_start - 12), -1):
            gap = self.text[toks[j][1] : toks[j + 1][0]]
            if any(c in gap for c in ".;!?«»\n"):
                return False
            if toks[j][2] not in SAY_FORMS:
                continue
            if j > 0 and toks[j - 1][2] in ("ete", "etre"):
                return False  # passive: "prévenu par X" names no speaker
            if j + 1 == m.tok_start:
                return True
            role = self.parse_role(j + 1)
            return role is not None and self._apposition(role) is m
        return False

    # -- organisations --------------------------------------------------------------------

    def _find_organizations(self) -> None:
        """Institutions the reference data lacks: "la préfecture de la Vienne", "(UNS)"."""
        toks = self.tokens
        covered = [False] * len(toks)  # tokens inside a mention already
        for m in self.mentions:
            for j in range(m.tok_start, min(m.tok_end, len(toks))):
                covered[j] = True
        found: list[Mention] = []
        acronyms: dict[str, Mention] = {}
        for i, (_start, _end, word) in enumerate(toks):
            if covered[i]:
                continue
            if word in DETERMINERS and i + 1 < len(toks) and toks[i + 1][2] in ORG_HEADS:
                org = self.parse_org(i + 1)
                if org is None or not org[1]:
                    continue
                end_tok, _modifiers, name = org
                m = Mention(
                    toks[i + 1][0],
                    toks[end_tok - 1][1],
                    None,
                    name,
                    "new",
                    i + 1,
                    end_tok,
                    kind="organization",
                )
                found.append(m)
                for j in range(i + 1, end_tok):
                    covered[j] = True
                acronym = re.match(r"\s*\(([A-ZÉ]{2,8})\)", self.text[m.end :])
                if acronym:
                    acronyms[acronym.group(1)] = m
        for i, (start, end, _word) in enumerate(toks):
            org = acronyms.get(self.text[start:end]) if acronyms else None
            if org is not None and not covered[i]:
                found.append(
                    Mention(start, end, None, org.name, "new", i, i + 1, kind="organization")
                )
        self.mentions = sorted(self.mentions + found, key=lambda m: m.start)

    def parse_org(self, head_tok: int) -> tuple[int, tuple[str, ...], str] | None:
        """An institution's name from its head noun: (end token, modifiers, "Préfecture de …")."""
        toks = self.tokens
        if toks[head_tok][2] not in ORG_HEADS:
            return None
        modifiers: list[str] = []
        end_tok = head_tok + 1
        while end_tok < len(toks) and end_tok - head_tok <= 8:
            gap = self.text[toks[end_tok - 1][1] : toks[end_tok][0]]
            if any(c in gap for c in ',.;:!?«»\n()"“”–—'):
                break
            word = toks[end_tok][2]
            if (word in ROLE_STOP and word not in ("en",)) or word in SAY_FORMS or word in AUX:
                break
            if word not in FUNCTION_WORDS:
                modifiers.append(word)
            end_tok += 1
        while end_tok - 1 > head_tok and toks[end_tok - 1][2] in FUNCTION_WORDS:
            end_tok -= 1
        name = self.text[toks[head_tok][0] : toks[end_tok - 1][1]]
        return end_tok, tuple(modifiers), name[:1].upper() + name[1:]

    def _entity_org_at(self, tok: int) -> tuple[SpeakerRef, int] | None:
        """An organisation the entity recognizer names at token ``tok`` ("Générations Terre").

        Used only where a speaker is expected: as general mentions these spans are too noisy
        ("Sécurité nationale" would cut a role description short).
        """
        if self.analysis is None:
            return None
        start = self.tokens[tok][0]
        if self.tokens[tok][2] in DETERMINERS and tok + 1 < len(self.tokens):
            start = self.tokens[tok + 1][0]
        for a, b in self.analysis.orgs:
            a, b = self._trim_entity(a, b)
            words = self.text[a:b]
            if a == start and words[:1].isupper() and "\n" not in words and not words.isupper():
                return SpeakerRef(None, words, "new", 0.7, kind="organization"), b
        return None

    def resolve_org(self, det_tok: int, pos: int) -> tuple[SpeakerRef | None, int] | None:
        """ "la préfecture de la Vienne" (named) or "le ministère" (the last one named)."""
        if det_tok + 1 >= len(self.tokens) or self.tokens[det_tok][2] not in DETERMINERS:
            return None
        org = self.parse_org(det_tok + 1)
        if org is None:
            return None
        end_tok, modifiers, name = org
        end = self.tokens[end_tok - 1][1]
        if modifiers:
            return SpeakerRef(None, name, "new", 0.8, kind="organization"), end
        head = self.tokens[det_tok + 1][2]
        for m in reversed(self.mentions_before(pos)):
            if m.kind == "organization" and fold(m.name).split()[0] == head:
                return self.ref_for_mention(m, "alias", 0.8), end
        return None, end

    # -- role phrases ---------------------------------------------------------------------

    def parse_role(self, tok: int, head_at: int | None = None) -> _Role | None:
        """Parse "le ministre turc des Affaires étrangères" starting at token ``tok``."""
        toks = self.tokens
        t = tok
        definite = False
        if head_at is None:
            if toks[t][2] not in DETERMINERS:
                return None
            definite = toks[t][2] in DEFINITE
            t += 1
        former = False
        while t < len(toks) and toks[t][2] in ADJ_BEFORE_HEAD and toks[t][2] not in ROLE_HEADS:
            former = former or toks[t][2] in FORMER
            t += 1
        if t >= len(toks):
            return None
        head = toks[t][2]
        if head in ("premier", "premiere") and t + 1 < len(toks) and toks[t + 1][2] == "ministre":
            head, t = "premier ministre", t + 1
        if head not in ROLE_HEADS and head != "premier ministre" and head not in ANONYMOUS_HEADS:
            return None
        modifiers: list[str] = []
        end_tok = t + 1
        while end_tok < len(toks) and end_tok - t <= 8:
            gap = self.text[toks[end_tok - 1][1] : toks[end_tok][0]]
            if any(c in gap for c in ',.;:!?«»\n()"“”–—'):
                break
            word = toks[end_tok][2]
            if (word in ROLE_STOP and word not in ("a",)) or word in SAY_FORMS:
                break
            if word == "a" and not (
                end_tok + 1 < len(toks) and toks[end_tok + 1][2] in ("la", "l")
            ):
                break  # "à la Sécurité nationale" continues a role; "a déclaré" does not
            named = self._mention_at(toks[end_tok][0]) if self._is_cap(end_tok) else None
            if named is not None and named.kind == "person":
                break  # the name the role is in apposition to
            if word not in FUNCTION_WORDS:
                modifiers.append(word)
            end_tok += 1
        start = toks[tok][0]
        end = toks[end_tok - 1][1]
        proper = any(self._is_cap(i) for i in range(t + 1, end_tok))
        determiner = toks[tok][2] if head_at is None else ""
        gender = (
            "f"
            if determiner in ("la", "sa", "cette", "une")
            else "m"
            if determiner in ("le", "son", "ce", "cet", "un")
            else ""
        )
        return _Role(
            head,
            tuple(modifiers),
            former,
            definite,
            self.text[start:end],
            end,
            end_tok,
            proper,
            gender,
        )

    # -- lookups --------------------------------------------------------------------------

    def _mention_at(self, pos: int) -> Mention | None:
        if self._starts_of is not self.mentions:
            self._starts = {}
            for m in self.mentions:
                self._starts.setdefault(m.start, m)
            self._start_list = [m.start for m in self.mentions]
            self._starts_of = self.mentions
        return self._starts.get(pos)

    def token_at(self, pos: int) -> int | None:
        """The first token starting at or after ``pos``."""
        i = bisect_left(self._token_starts, pos)
        return i if i < len(self.tokens) else None

    def mentions_before(self, pos: int, reach: int = REACH) -> list[Mention]:
        """Mentions outside quotations that end by ``pos`` and after ``pos - reach``, in
        order: a slice, not a scan (a long article asks this for every quote, and what is
        said of someone tens of thousands of characters back does not decide who speaks).
        """
        if self._outside_of is not self.mentions:
            outside = sorted(
                (m for m in self.mentions if not self.in_quote(m.start)), key=lambda m: m.end
            )
            self._outside = (outside, [m.end for m in outside])
            self._outside_of = self.mentions
        outside, ends = self._outside
        return outside[bisect_left(ends, pos - reach) : bisect_left(ends, pos + 1)]

    def mentions_after(self, pos: int, reach: int = 5000) -> list[Mention]:
        """Mentions that start after ``pos`` and before ``pos + reach``, in order."""
        if self._starts_of is not self.mentions:
            self._mention_at(pos)  # builds the index by start
        starts = self._start_list
        return self.mentions[bisect_left(starts, pos + 1) : bisect_left(starts, pos + reach)]

    def roles_of(self, m: Mention) -> list[str]:
        """Every role the article gives this person, wherever they are mentioned."""
        if self._roles_of is not self.mentions:
            roles: dict[str, list[str]] = {}
            for other in self.mentions:
                roles.setdefault(other.ident, []).extend(other.roles)
            self._roles, self._roles_of = roles, self.mentions
        return self._roles.get(m.ident, [])

    # -- resolution -----------------------------------------------------------------------

    def ref_for_mention(self, m: Mention, how: str, confidence: float) -> SpeakerRef | None:
        if m.key:
            return SpeakerRef(m.key, m.name, how, confidence, role=_best_role(m))
        # Someone the reference data lacks: "new" when named in full here, else how we got there.
        how = "new" if how in ("name", "alias") else how
        return SpeakerRef(
            None, m.name, how, round(confidence * 0.9, 3), role=_best_role(m), kind=m.kind
        )

    def resolve_surname(self, word: str, pos: int) -> SpeakerRef | None:
        """A surname: the person named in full before ``pos``, else later (a headline)."""
        target = fold(word)

        def matches(m: Mention) -> bool:
            return (
                m.kind == "person"
                and len(m.name.split()) > 1
                and fold(m.name).split()[-1] == target
            )

        for m in reversed(self.mentions_before(pos)):
            if matches(m):
                return self.ref_for_mention(m, "surname", 0.85)
        for m in self.mentions_after(pos):
            if not self.in_quote(m.start) and matches(m):
                return self.ref_for_mention(m, "surname", 0.75)
        return None

    def resolve_role(self, role: _Role, pos: int) -> SpeakerRef | None:
        """The person this article gives ``role``, most recently mentioned before ``pos``."""
        if not role.definite or role.head in ANONYMOUS_HEADS:
            return None
        alias = self.gaz.entries.get(_key(role.text))
        # The latest mention of each person: the others say the same of them.
        seen: set[str] = set()
        before = []
        for m in reversed(self.mentions_before(pos, reach=5000)):
            if m.kind == "person" and m.ident not in seen:
                seen.add(m.ident)
                before.append(m)
        before.reverse()
        best = next((m for m in reversed(before) if self._mention_has_role(m, role)), None)
        if best is not None:
            return self.ref_for_mention(best, "role", 0.8)
        if not (alias and alias[1] == "role"):
            loose = next(
                (m for m in reversed(before) if self._mention_has_role(m, role, lenient=True)), None
            )
            if loose is not None:
                return self.ref_for_mention(loose, "role", 0.7)
        if alias and alias[1] == "role":
            spk = self.gaz.speakers[alias[0]]
            return SpeakerRef(spk.key, spk.name, "role-alias", 0.75, role=spk.role)
        # Named only after the cue, in the same article ("…, a déclaré le ministre. Hulusi Akar…").
        for m in self.mentions_after(pos):
            if m.kind == "person" and self._mention_has_role(m, role):
                return self.ref_for_mention(m, "role", 0.6)
        return None

    def _mention_has_role(self, m: Mention, role: _Role, lenient: bool = False) -> bool:
        if role.gender and m.gender and role.gender != m.gender:
            return False
        local = self.roles_of(m)
        fixed = self.gaz.speakers[m.key].role if m.key else ""
        for text, is_local in [*((r, True) for r in local), (fixed, False)]:
            if not text:
                continue
            words = [t for _, _, t in _tokens(fold(text))]
            if is_local and any(w in FORMER for w in words) and not role.former:
                continue
            if (
                not is_local
                and ("ancien" in words or re.search(r"\(\d{4}", text))
                and not role.former
            ):
                continue
            heads = {w for w in words if w in ROLE_HEADS}
            if "premier" in words and "ministre" in words:
                heads.add("premier ministre")
            if role.head not in heads and _fem(role.head) not in heads:
                continue
            if all(any(_stem_match(mod, w) for w in words) for mod in role.modifiers):
                return True
            if lenient and not role.proper_modifiers:
                return True  # "la porte-parole du syndicat" for "la porte-parole de la CTF"
        return False

    def resolve_pronoun(self, pronoun: str, pos: int) -> SpeakerRef | None:
        """The person "il"/"elle" stands for: the last compatible subject or speaker,
        else the last compatible person named."""
        gender = SUBJECT_PRONOUNS.get(pronoun)
        if gender is None:
            return None
        candidates = [
            m
            for m in self.mentions_before(pos)
            if m.kind == "person" and (not m.gender or m.gender == gender)
        ]
        for m in reversed(candidates):
            if m.salient:
                return self.ref_for_mention(m, "pronoun", 0.75)
        if candidates:
            return self.ref_for_mention(candidates[-1], "pronoun", 0.6)
        return None

    def resolve_np(self, pos: int, limit: int) -> tuple[SpeakerRef | None, int] | None:
        """Resolve the noun phrase that starts at ``pos`` (after an inverted verb or "selon")."""
        tok = self.token_at(pos)
        if tok is None or self.tokens[tok][0] >= limit:
            return None
        if self.text[pos : self.tokens[tok][0]].strip():
            return None
        mention = self._mention_at(self.tokens[tok][0])
        if mention is not None and mention.how != "role-alias":
            return self._ref_or_surname(mention), mention.end
        role = self.parse_role(tok)
        if role is not None:
            apposed = self._apposition(role)
            if apposed is not None:
                return self._ref_or_surname(apposed), apposed.end
            if mention is not None and mention.end >= role.end:
                return self.ref_for_mention(mention, "role-alias", 0.8), mention.end
            return self.resolve_role(role, pos), role.end
        org = self.resolve_org(tok, pos) or self._entity_org_at(tok)
        if org is not None:
            return org
        if self.tokens[tok][2] in DETERMINERS:
            # "l'UNS"; "la Danoise Mette Kjærgaard" (a capitalised noun, then the name)
            for k in (1, 2):
                if tok + k >= len(self.tokens) or (k == 2 and not self._is_cap(tok + 1)):
                    break
                named = self._mention_at(self.tokens[tok + k][0])
                if named is not None and named.how != "role-alias":
                    return self._ref_or_surname(named), named.end
        word = self.tokens[tok][2]
        if self._is_cap(tok) and word not in NOT_NAME_WORDS:
            return self.resolve_surname(
                self.text[self.tokens[tok][0] : self.tokens[tok][1]], pos
            ), self.tokens[tok][1]
        return None

    def _ref_or_surname(self, mention: Mention) -> SpeakerRef | None:
        if mention.how == "surname":
            return self.ref_for_mention(mention, "surname", 0.85)
        if mention.key is None and len(mention.name.split()) == 1:
            return self.resolve_surname(mention.name, mention.start)
        how = "name" if mention.how == "name" else "alias"
        return self.ref_for_mention(mention, how, 0.95 if how == "name" else 0.9)

    def _apposition(self, role: _Role) -> Mention | None:
        """The name a role is in apposition to: "le porte-parole du Kremlin, Dmitri Peskov",
        also past a tail the role parse stopped at: "la représentante au Commerce, M. Collins"."""
        if role.tok_end >= len(self.tokens):
            return None
        nxt = self.tokens[role.tok_end]
        gap = self.text[role.end : nxt[0]]
        if gap.strip() == "" or gap.strip() == ",":
            mention = self._mention_at(nxt[0])
            if mention is not None and mention.how != "role-alias" and mention.kind == "person":
                return mention
        if gap.strip():
            return None
        comma = self.text.find(",", role.end, role.end + 60)
        if comma == -1 or any(c in self.text[role.end : comma] for c in '.;:!?«»\n"“”'):
            return None
        after = self.token_at(comma)
        mention = self._mention_at(self.tokens[after][0]) if after is not None else None
        if (
            mention is not None
            and mention.kind == "person"
            and mention.how != "role-alias"
            and not self.text[comma + 1 : mention.start].strip()
        ):
            return mention
        return None

    def speaker_of_verb(self, verb_start: int, floor: int) -> SpeakerRef | None:
        """Who speaks through the verb of saying at ``verb_start``: its clause's subject.

        "X a déclaré", "X estime"; a participle ("…, arguant que") takes the speaker of
        the sentence's main verb, whether its subject stands before it or after it.
        """
        tok = self.token_at(verb_start)
        if tok is None:
            return None
        toks = self.tokens
        if toks[tok][2].endswith("ant"):
            for j in range(tok - 1, -1, -1):
                if toks[j][0] < floor:
                    break
                if toks[j][2] in AUX:
                    subject = self.subject_before(j, floor)
                    if subject is None and j + 1 < tok and toks[j + 1][2] in SAY_FORMS:
                        resolved = self.resolve_np(toks[j + 1][1], toks[tok][0])
                        subject = resolved[0] if resolved else None
                    return subject
            return None
        aux = tok - 1
        while aux >= 0 and toks[aux][0] >= floor and toks[aux][2] not in AUX and tok - aux <= 3:
            aux -= 1
        if aux >= 0 and toks[aux][0] >= floor and toks[aux][2] in AUX:
            return self.subject_before(aux, floor)
        return self.subject_before(tok, floor)  # present tense: "X estime que"

    def subject_before(self, aux_tok: int, floor: int) -> SpeakerRef | None:
        """The subject of the verb whose auxiliary is token ``aux_tok`` ("Erdogan a déclaré")."""
        toks = self.tokens
        prev = aux_tok - 1
        if prev < 0 or toks[prev][0] < floor:
            return None
        word = toks[prev][2]
        if word in SUBJECT_PRONOUNS:
            return self.resolve_pronoun(word, toks[prev][0])
        if word in PLURAL_PRONOUNS:
            return None
        if word in ("et", "puis", "mais"):
            # "Erdogan a rencontré Poutine et a dit" -> the subject of the first verb.
            for j in range(prev - 1, max(-1, prev - 15), -1):
                if toks[j][2] in AUX and toks[j][0] >= floor:
                    return self.subject_before(j, floor)
            return None
        for m in reversed(self.mentions):
            if m.tok_end <= aux_tok and m.start >= floor and not self.in_quote(m.start):
                between = self.text[m.end : toks[aux_tok][0]]
                if len(between) > 120 or any(c in between for c in ".;!?«»"):
                    break
                if m.how == "role-alias":
                    return self.ref_for_mention(m, "role-alias", 0.8)
                return self._ref_or_surname(m)
        # "Le ministre a déclaré" with no name: a role description as subject.
        for d in range(prev, max(-1, prev - 10), -1):
            if toks[d][0] < floor:
                break
            if toks[d][2] in DEFINITE:
                role = self.parse_role(d)
                if role and role.tok_end == aux_tok:
                    return self.resolve_role(role, toks[d][0])
                org = self.resolve_org(d, toks[d][0])
                if org is not None and org[0] is not None:
                    return org[0]
        return None


def _best_role(m: Mention) -> str:
    return m.roles[0] if m.roles else ""


def _fem(head: str) -> str:
    return head[:-1] if head.endswith("e") and head + "" != head[:-1] else head + "e"


def _stem_match(a: str, b: str) -> bool:
    """Same word up to its ending: turc/turque/turquie, russe/russie, américain/Amérique."""
    if a == b:
        return True
    n = min(len(a), len(b))
    need = min(4, n - 1) if n > 3 else n
    return need >= 3 and a[:need] == b[:need]


# --- cues ------------------------------------------------------------------------------

_SAY = r"(?P<verb>[a-z]+(?:-[a-z]+)*)"
_ADV = r"(?:(?:" + "|".join(re.escape(a) for a in sorted(ADVERBS)) + r")\s+)*"
# ", a-t-il déclaré" / ", déclare-t-elle" / ", dit-il"
_INV_PRONOUN = re.compile(
    r"\b(?:(?:a|avait|aurait|ont|avaient)-(?:t-)?(?P<p1>il|elle|ils|elles|on)\s+"
    + _ADV
    + _SAY
    + r"|"
    + r"(?P<verb2>[a-z]+)-(?:t-)?(?P<p2>il|elle|ils|elles|on))\b"
)
# ", a déclaré Erdogan" / ", explique le ministre"
_INV_NP = re.compile(
    r"(?:^|(?<=[\s,.;:–—-]))(?P<aux>(?:a|avait|aurait)\s+)?" + _ADV + _SAY + r"(?=[\s:,])\s*"
)
_SELON = re.compile(r"\b(?:selon|d'apres|pour)\s+")
_COLON_END = re.compile(r"\s*:\s*$")
_LAST_WORD = re.compile(r"[^\W\d_][\w'’-]*(?=\s*$)")
_AUX_RE = re.compile(r"\b(?:a|avait|ont|aurait)\s+(?=[a-z])")
_STRESSED = re.compile(r"(lui|elle)\b")
_STRESSED_TO_SUBJECT = {"lui": "il", "elle": "elle"}


def _is_say(verb: str | None) -> bool:
    return bool(verb) and verb in SAY_FORMS


def find_cue(
    doc: Document,
    quote_open: int,
    quote_close: int,
    sent_start: int,
    sent_end: int,
    next_sent_end: int,
) -> Cue | None:
    """The attribution cue of the quotation between ``quote_open`` and ``quote_close``."""
    folded = doc.folded
    after = quote_close + 1
    # 1. After the quote, in the same sentence: inverted pronoun, inverted name, subject-verb.
    for match in _scan(folded, after, sent_end):
        cue = _cue_from_match(doc, match, after, sent_end)
        if cue is not None:
            return cue
    # 2. Before the quote, in the same sentence.
    cue = _cue_before(doc, sent_start, quote_open)
    if cue is not None:
        return cue
    # 3. The next sentence opens with "Cavusoglu a déclaré" (no "que": not reported speech).
    if next_sent_end > sent_end:
        nxt = sent_end
        while nxt < next_sent_end and not folded[nxt].isalnum():
            nxt += 1
        for match in _scan(folded, nxt, next_sent_end):
            if match.start() - nxt > 60:
                break
            cue = _cue_from_match(doc, match, nxt, next_sent_end, subject_only=True)
            if cue is not None and cue.speaker is not None:
                return Cue(cue.start, cue.end, _scaled(cue.speaker, 0.85))
    return None


def _scaled(ref: SpeakerRef, factor: float) -> SpeakerRef:
    return SpeakerRef(ref.key, ref.name, ref.how, round(ref.confidence * factor, 3), ref.role)


def _scan(folded: str, start: int, end: int):
    """Verb-of-saying matches between ``start`` and ``end``, in order."""
    found = []
    for rx in (_INV_PRONOUN, _INV_NP):
        for m in rx.finditer(folded, start, end):
            verb = m.groupdict().get("verb") or m.groupdict().get("verb2")
            if _is_say(verb):
                found.append(m)
    found.sort(key=lambda m: m.start())
    return found


def _cue_from_match(
    doc: Document, m: re.Match, floor: int, limit: int, subject_only: bool = False
) -> Cue | None:
    groups = m.groupdict()
    pronoun = groups.get("p1") or groups.get("p2")
    if pronoun and not subject_only:
        if pronoun not in SUBJECT_PRONOUNS:
            return Cue(m.start(), m.end(), None)
        return Cue(m.start(), m.end(), doc.resolve_pronoun(pronoun, m.start()))
    if pronoun:
        return None
    verb_end = m.end("verb")
    rest = doc.folded[verb_end:limit].lstrip()
    if subject_only and rest.startswith(("que ", "qu'", "de ")):
        return None  # "X a déclaré qu'…" opens reported speech, it does not cite the quote
    aux = groups.get("aux")
    if aux:
        aux_tok = doc.token_at(m.start("aux"))
        if aux_tok is not None:
            subject = doc.subject_before(aux_tok, floor)
            if subject is not None:
                return Cue(_cue_start(doc, subject, m.start(), floor), verb_end, subject)
    if rest.startswith(("que ", "qu'", ":")) or subject_only:
        if subject_only:
            return None
        # "Marie Caron estime que la réforme « … »" / "X affirme : « … »" / "…, arguant que « … »"
        subject = doc.speaker_of_verb(m.start("verb"), floor)
        if subject is None:
            return None
        return Cue(_cue_start(doc, subject, m.start(), floor), verb_end, subject)
    resolved = doc.resolve_np(m.end(), limit)
    if resolved is None:
        return None
    ref, np_end = resolved
    return Cue(m.start(), np_end, ref)


def _cue_start(doc: Document, ref: SpeakerRef, verb_start: int, floor: int) -> int:
    # Start the cue at the subject's mention, for a readable "Erdogan a confirmé".
    for mention in reversed(doc.mentions):
        if floor <= mention.start < verb_start and (mention.key or mention.name) in (
            ref.key,
            ref.name,
        ):
            return mention.start
    return verb_start


def _cue_before(doc: Document, sent_start: int, quote_open: int) -> Cue | None:
    folded = doc.folded
    window = folded[sent_start:quote_open]
    # "Erdogan : « … »" (headline or interview form)
    colon = _COLON_END.search(window)
    if colon:
        words = _LAST_WORD.search(doc.text, sent_start, sent_start + colon.start())
        if words and words.start() == sent_start and words.group()[:1].isupper():
            ref = doc.resolve_surname(words.group(), words.start())
            if ref is not None:
                return Cue(words.start(), sent_start + colon.end(), ref)
        for mention in reversed(doc.mentions):
            if sent_start <= mention.start and mention.end <= sent_start + colon.start():
                if not window[mention.end - sent_start : colon.start()].strip():
                    ref = (
                        doc._ref_or_surname(mention)
                        if mention.how != "role-alias"
                        else doc.ref_for_mention(mention, "role-alias", 0.8)
                    )
                    return Cue(mention.start, sent_start + colon.end(), ref)
                break
    # The last verb of saying before the quote: "Erdogan a confirmé :", "arguant que".
    matches = list(_scan(folded, sent_start, quote_open))
    for match in reversed(matches):
        cue = _cue_from_match(doc, match, sent_start, quote_open)
        if cue is not None and cue.speaker is not None:
            return cue
    # "Le rapporteur a balayé l'argument : « … »": a colon gives the subject the floor.
    if colon and not _AUX_RE.search(folded, sent_start, sent_start + colon.start()):
        # "Oliver Grant, consultant, tempère : « … »" (a verb in the present tense)
        verb_tok = doc.token_at(sent_start + colon.start() - 1)
        last = verb_tok - 1 if verb_tok is not None else None
        while last is not None and last >= 0 and doc.tokens[last][1] > sent_start + colon.start():
            last -= 1
        if last is not None and last >= 0 and doc.tokens[last][0] >= sent_start:
            subject = doc.subject_before(last, sent_start)
            if subject is not None:
                return Cue(
                    _cue_start(doc, subject, doc.tokens[last][0], sent_start),
                    sent_start + colon.end(),
                    _scaled(subject, 0.85),
                )
    if colon:
        for aux in _AUX_RE.finditer(folded, sent_start, sent_start + colon.start()):
            aux_tok = doc.token_at(aux.start())
            subject = doc.subject_before(aux_tok, sent_start) if aux_tok is not None else None
            if subject is not None:
                return Cue(
                    _cue_start(doc, subject, aux.start(), sent_start),
                    sent_start + colon.end(),
                    _scaled(subject, 0.9),
                )
    # "Selon le président, Ankara « … »" / "Selon lui, « … »"
    for match in reversed(list(_SELON.finditer(folded, sent_start, quote_open))):
        pronoun = _STRESSED.match(folded, match.end())
        if pronoun:
            ref = doc.resolve_pronoun(_STRESSED_TO_SUBJECT[pronoun.group(1)], match.start())
            if ref is not None:
                return Cue(match.start(), pronoun.end(), ref)
            continue
        resolved = doc.resolve_np(match.end(), quote_open)
        if resolved and resolved[0] is not None:
            return Cue(match.start(), resolved[1], resolved[0])
    return None


_DASHES = re.compile(r"\s[–—]\s")
_COMMA_INCISE = re.compile(r",\s+(?=[a-z])")


def find_incise(doc: Document, start: int, end: int) -> Cue | None:
    """An attribution inside the quote marks: «Nous irons – a martelé le ministre – au bout».

    Between two dashes, or between two commas when it is an inverted cue ("poursuit-il").
    """
    text = doc.text
    dashes = [m for m in _DASHES.finditer(text, start, end)]
    spans = [(a.end(), b.start()) for a, b in pairwise(dashes)]
    commas = [m.end() for m in _COMMA_INCISE.finditer(text, start, end)]
    for a in commas:
        b = text.find(",", a, end)
        if b != -1:
            spans.append((a, b))
    for a, b in spans:
        if b - a > 90 or b <= a:
            continue
        for match in _scan(doc.folded, a, b):
            if match.start() != a:
                break  # the cue must open the incise: "– a martelé …", not "… mais a dit …"
            cue = _cue_from_match(doc, match, a, b)
            if cue is not None and cue.speaker is not None:
                return Cue(a, b, cue.speaker)
    return None
