"""Where an article names people and organisations: names and aliases from the reference
data, new names (capitals, the entity recognizer), surnames of people named in full,
institutions ("la préfecture de la Vienne"), and which of them are subjects (salient).
``Mentions`` is part of ``Document``.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from claims.extraction.attribution.speakers import Mention, SpeakerRef
from claims.extraction.lexicon import (
    ADJ_BEFORE_HEAD,
    AUX,
    DETERMINERS,
    FUNCTION_WORDS,
    NOT_NAME_WORDS,
    ORG_HEADS,
    ROLE_NOUN_FORMS,
    ROLE_STOP,
    SAY_FORMS,
    TIME_NOUNS,
)
from claims.extraction.names import first_name_gender, given_name_gender
from claims.extraction.nlp import Analysis
from claims.extraction.normalize import fold

# Capitalised particles inside a French name: "Marine Le Pen", "Yves Le Drian".
_PARTICLES = frozenset({"Le", "La", "Du", "Des", "De"})
_COLON_QUOTE = re.compile(r"[ \t\u00a0\u202f]*:[ \t\u00a0\u202f]*[«“\"]")
_HEADING_COLON = re.compile(r"[ \t\u00a0\u202f]*(?:\([^()\n]{1,60}\)[ \t\u00a0\u202f]*)?:")


# Political camps, which are also quantities ("la majorité des habitants").
CAMPS = frozenset({"majorite", "opposition", "gauche", "droite"})
# Words for someone close, before a first name alone ("sa petite-fille Éloïse").
_KIN = frozenset(
    "fils fille petit-fils petite-fille petit-fille epoux epouse mari femme compagnon compagne "
    "frere soeur pere mere oncle tante cousin cousine neveu niece voisin voisine ami amie".split()
)
_TITLE = re.compile(r"(?:Dr|Docteur|Pr|Professeur|Me|Maître|Mgr|M\.|Mme|Mlle)\.?\s+")


class Mentions:
    """The mention-finding side of a Document."""

    def _is_cap(self, tok: int) -> bool:
        return self.text[self.tokens[tok][0]].isupper()

    def _find_mentions(self) -> list[Mention]:
        mentions: list[Mention] = []
        self.kin_names = set()  # where a first name after a kin word starts
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
            if n >= 3:
                i, n = self._name_inside(i, n)
            if n >= 2:
                words = self.text[toks[i][0] : toks[i + n - 1][1]]
                mentions.append(
                    Mention(toks[i][0], toks[i + n - 1][1], None, words, "new", i, i + n)
                )
                i += n
                continue
            if n == 1 and self._first_name_after_kin(i):
                word = self.text[toks[i][0] : toks[i][1]]
                self.kin_names.add(toks[i][0])
                mentions.append(
                    Mention(
                        toks[i][0],
                        toks[i][1],
                        None,
                        word,
                        "new",
                        i,
                        i + 1,
                        gender=given_name_gender(word),
                    )
                )
            i += 1
        return mentions

    def _first_name_after_kin(self, i: int) -> bool:
        """ "sa petite-fille Éloïse", "son voisin Marc": a first name alone after a word
        for a person is that person."""
        if i == 0 or self.text[self.tokens[i - 1][1] : self.tokens[i][0]] != " ":
            return False
        before = self.tokens[i - 1][2]
        word = self.text[self.tokens[i][0] : self.tokens[i][1]]
        name = self.tokens[i][2]
        return (
            (before in _KIN or (before in ROLE_NOUN_FORMS and before not in ADJ_BEFORE_HEAD))
            and name not in NOT_NAME_WORDS
            # "l'ancien Maire", "le Général": an office, however a first name it may be
            and name not in ROLE_NOUN_FORMS
            and name not in ORG_HEADS
            and bool(given_name_gender(word))
        )

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
                if m.key
                or m.start in self.kin_names
                or ((m.start, m.end) not in others and person_there(m))
            ),
            key=lambda m: m.start,
        )
        kept_starts = [m.start for m in kept]
        lone = self._lone_names(analysis)
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
            if all(self.tokens[i][2] in NOT_NAME_WORDS for i in toks):
                continue
            # One word: a name the article repeats as a subject, or a first name the
            # recognizer calls a person ("le jardin de Gérard", "sa nièce Hélène").
            if len(toks) < 2 and not (
                toks
                and (
                    self.tokens[toks[0]][2] in lone
                    or (
                        given_name_gender(words)
                        and not self._starts_sentence(start)
                        # "la société Martin", "le groupe Michel": a body's name
                        and not (toks[0] > 0 and self.tokens[toks[0] - 1][2] in ORG_HEADS)
                    )
                )
            ):
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

    def _starts_sentence(self, start: int) -> bool:
        # A capital there says nothing: "Bonne foi ou…" opens a headline.
        before = self.text[max(0, start - 3) : start].rstrip(" \u00a0")
        return not before or before[-1] in '.!?\n:«“"' or before[-1].isdigit()

    def _lone_names(self, analysis: Analysis) -> set[str]:
        """One-word names the recognizer calls a person at least twice outside quotations
        ("a admis Moreau … Moreau a ajouté"): a person the article names by surname only, whom
        a later "il" can stand for, when at least once it is a clause's subject. Once alone,
        a capitalised word is too often a place or a brand ("l'usine X")."""
        counts: dict[str, int] = {}
        subjects: set[str] = set()
        parse = analysis.parse
        for start, end in analysis.persons:
            start, end = self._trim_entity(start, end)
            words = self.text[start:end]
            if (
                end > start
                and words.replace("-", "").isalpha()
                and words[0].isupper()
                and not words.isupper()
                and not self.in_quote(start)
            ):
                word = fold(words)
                counts[word] = counts.get(word, 0) + 1
                if parse is not None:
                    i = bisect_left(parse.starts, start)
                    if i < len(parse) and parse.deps[i] in ("nsubj", "nsubj:pass"):
                        subjects.add(word)
        return {
            w for w, n in counts.items() if n >= 2 and w in subjects and w not in NOT_NAME_WORDS
        }

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
        added = self._full_names_again(taken)
        for i, (start, end, word) in enumerate(self.tokens):
            full = surnames.get(word)
            if full is None or i in taken or not self.text[start].isupper() or start < full.start:
                continue
            added.append(
                Mention(start, end, None, full.name, "surname", i, i + 1, gender=full.gender)
            )
        self.mentions = sorted(self.mentions + added, key=lambda m: m.start)

    def _full_names_again(self, taken: set[int]) -> list[Mention]:
        """A new person named in full once is that person wherever the same words come
        back, where capitals and the recognizer missed them ("le promoteur de la Ligue X
        Y", read as one title). Adds to ``taken`` the tokens it covers."""
        full: dict[tuple[str, ...], Mention] = {}
        for m in self.mentions:
            if m.key is None and m.kind == "person" and m.how == "new":
                words = tuple(t for _, _, t in self.tokens[m.tok_start : m.tok_end])
                if len(words) >= 2:
                    full.setdefault(words, m)
        toks = self.tokens
        for m in self.mentions:
            # "Ligue Atlantique Paul Garnier": a capitalised title run into the name.
            words = tuple(t for _, _, t in toks[m.tok_start : m.tok_end])
            for other, named in full.items():
                if len(other) < len(words) and m.kind == "person" and words[-len(other) :] == other:
                    m.tok_start = m.tok_end - len(other)
                    m.start, m.name, m.roles = toks[m.tok_start][0], named.name, []
                    break
        added = []
        for words, m in full.items():
            n = len(words)
            for i in range(len(toks) - n + 1):
                if toks[i][2] != words[0] or any(j in taken for j in range(i, i + n)):
                    continue
                if tuple(t for _, _, t in toks[i : i + n]) != words:
                    continue
                if not self.text[toks[i][0]].isupper():
                    continue
                start, end = toks[i][0], toks[i + n - 1][1]
                added.append(Mention(start, end, None, m.name, "new", i, i + n, gender=m.gender))
                taken |= set(range(i, i + n))
        return added

    def _trim_entity(self, start: int, end: int) -> tuple[int, int]:
        # Entities sometimes take a leading article or a trailing punctuation mark.
        text = self.text
        while end > start and not text[end - 1].isalnum():
            end -= 1
        for article in ("le ", "la ", "l'", "l’", "Le ", "La ", "L'", "L’"):
            if text.startswith(article, start):
                start += len(article)
        # A title is no part of the name: "le Dr Roux" is Roux.
        title = _TITLE.match(text, start, end)
        if title is not None and title.end() < end:
            start = title.end()
        return start, end

    def _new_name_length(self, i: int) -> int:
        """How many tokens from ``i`` look like a person's name not in the gazetteer."""
        n = 0
        while i + n < len(self.tokens) and n < 4:
            start, end, tok = self.tokens[i + n]
            word = self.text[start:end]
            if n and word in _PARTICLES and self._particle_of_name(i + n):
                n += 1  # "Stéphane Le Rudulier", "Jean-Yves Le Drian"
                continue
            if not word[0].isupper() or tok in NOT_NAME_WORDS or len(tok) < 2 or tok.isdigit():
                break
            if word.isupper() and len(word) > 1:
                break  # acronyms: OTAN, SSB
            gap = self.text[self.tokens[i + n - 1][1] : start]
            if n and any(c in gap for c in ',.;:!?«»\n()"“”'):
                break
            n += 1
        return n

    def _name_inside(self, i: int, n: int) -> tuple[int, int]:
        """Where a person's name starts inside a run of capitals that opens with other
        words: "du Parti Radical Sophie Marchal", "le Comité Olympique Paul Girard".

        Only when the run's first word is no first name and a later one is, followed by
        another capitalised word; else the run as it is."""
        word = self.text[self.tokens[i][0] : self.tokens[i][1]]
        if given_name_gender(word):
            return i, n
        for j in range(i + 1, i + n - 1):
            start, end, _ = self.tokens[j]
            if given_name_gender(self.text[start:end]):
                return j, self._new_name_length(j)
        return i, n

    def _particle_of_name(self, j: int) -> bool:
        """Whether the capitalised particle at token ``j`` joins two parts of one name:
        right after a name word, right before a capitalised word that can be a name."""
        toks = self.tokens
        if j + 1 >= len(toks):
            return False
        gap_before = self.text[toks[j - 1][1] : toks[j][0]]
        gap_after = self.text[toks[j][1] : toks[j + 1][0]]
        nxt = self.text[toks[j + 1][0] : toks[j + 1][1]]
        return (
            gap_before == " "
            and gap_after == " "
            and nxt[0].isupper()
            and not nxt.isupper()
            and toks[j + 1][2] not in NOT_NAME_WORDS
        )

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
            # "X : « … »" (a heading, a reaction, an interview): X speaks.
            m.salient = (
                self._inverted_speaker(m)
                or bool(_COLON_QUOTE.match(self.text, m.end))
                or self._opens_heading(m)
            )

    def _opens_heading(self, m: Mention) -> bool:
        """ "Marc Petit (prix du jury) : un habitué", a line of its own: the section below
        is about that person."""
        if m.kind != "person" or not _HEADING_COLON.match(self.text, m.end):
            return False
        line_start = self.text.rfind("\n", max(0, m.start - 120), m.start) + 1
        line_end = self.text.find("\n", m.end, m.end + 120)
        return (
            (line_start > 0 or m.start < 120)
            and not self.text[line_start : m.start].strip()
            and line_end != -1
            and line_end - line_start <= 120
        )

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

    def _find_organizations(self) -> None:
        """Institutions the reference data lacks: "la préfecture de la Vienne", "(UNS)"."""
        toks = self.tokens
        covered = [False] * len(toks)  # tokens inside a mention already
        for m in self.mentions:
            for j in range(m.tok_start, min(m.tok_end, len(toks))):
                covered[j] = True
        found: list[Mention] = []
        named_after: set[int] = set()
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
                if self.text[toks[i + 1][0]].isupper() and i + 2 < end_tok:
                    # "la Fondation Jeanne Morel", "l'Institut Paul Girard": a body named
                    # after someone, who is not there.
                    named_after.add(i + 2)
                acronym = re.match(r"\s*\(([A-ZÉ]{2,8})\)", self.text[m.end :])
                if acronym:
                    acronyms[acronym.group(1)] = m
        for i, (start, end, _word) in enumerate(toks):
            org = acronyms.get(self.text[start:end]) if acronyms else None
            if org is not None and not covered[i]:
                found.append(
                    Mention(start, end, None, org.name, "new", i, i + 1, kind="organization")
                )
        kept = [
            m
            for m in self.mentions
            if m.key is not None or m.kind != "person" or m.tok_start not in named_after
        ]
        self.mentions = sorted(kept + found, key=lambda m: m.start)

    def _tagged_verb(self, pos: int) -> bool:
        """Whether the parse, when there is one, reads the word at ``pos`` as a verb."""
        parse = self.analysis.parse if self.analysis is not None else None
        if parse is None:
            return False
        i = bisect_left(parse.starts, pos)
        return i < len(parse) and parse.starts[i] == pos and parse.pos[i] in ("VERB", "AUX")

    def parse_org(self, head_tok: int) -> tuple[int, tuple[str, ...], str] | None:
        """An institution's name from its head noun: (end token, modifiers, "Préfecture de …")."""
        toks = self.tokens
        if toks[head_tok][2] not in ORG_HEADS:
            return None
        following = toks[head_tok + 1][2] if head_tok + 1 < len(toks) else ""
        if toks[head_tok][2] in CAMPS and following in ("de", "des", "d", "du"):
            return None  # "la majorité des habitants": how many, not a body
        modifiers: list[str] = []
        end_tok = head_tok + 1
        while end_tok < len(toks) and end_tok - head_tok <= 8:
            gap = self.text[toks[end_tok - 1][1] : toks[end_tok][0]]
            if any(c in gap for c in ',.;:!?«»\n()"“”–—'):
                break
            word = toks[end_tok][2]
            if (word in ROLE_STOP and word not in ("en",)) or word in SAY_FORMS or word in AUX:
                break
            if word in TIME_NOUNS:
                break  # "à la mairie mardi": a day is no part of the name
            if self._tagged_verb(toks[end_tok][0]):
                break  # "la relation que le club entretient avec…": the name stops at the verb
            if end_tok > head_tok + 1 and self._is_cap(end_tok):
                named = self._mention_at(toks[end_tok][0])
                if named is not None and named.kind == "person" and named.key is None:
                    break  # "la Ligue Atlantique Paul Garnier": its founder, after it
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
