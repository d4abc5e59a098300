"""From words to a speaker: a full name, an alias, a surname of someone named, a role
("le ministre") to the person the article gives it, a pronoun to the last compatible
person, an institution. ``Resolution`` is part of ``Document``; the word-order cue rules
(``cues``) and the parse-based ones (``phrases``) call it.
"""

from __future__ import annotations

import re

from claims.extraction.attribution.roles import _best_role, _Role
from claims.extraction.attribution.speakers import Mention, SpeakerRef, _key
from claims.extraction.lexicon import (
    ANONYMOUS_HEADS,
    AUX,
    DEFINITE,
    DETERMINERS,
    NOT_NAME_WORDS,
    PLURAL_PRONOUNS,
    SAY_FORMS,
    SUBJECT_PRONOUNS,
)
from claims.extraction.normalize import fold

# An incise between dashes ending right before a verb: " - qui a été adjoint - ".
# Or a relative clause between commas: ", qui doit être incarcéré après sa condamnation, ".
_DASHED_INCISE = re.compile(
    r"\s[-–—]\s[^-–—.;!?«»\n]{3,240}\s[-–—]\s*$|,\s(?=qui\s)[^.;!?«»\n,]{3,240},\s*$"
)


_AFTER_PREP = [[w] for w in ("de", "d'", "du", "avec", "a", "aux", "pour", "par", "chez")]


class Resolution:
    """The speaker-resolving side of a Document."""

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
        if self._in_heading(pos):
            # A title's "l'avocat de la victime raconte" names who the article then quotes
            # as "X, l'un de ses avocats": the same office, less precise.
            found = {
                m.ident: m
                for m in self.mentions_after(pos)
                if m.kind == "person" and self._mention_has_role(m, role, lenient=True)
            }
            if len(found) == 1:  # two lawyers below: the title's is not known
                return self.ref_for_mention(next(iter(found.values())), "role", 0.55)
        return None

    def _in_heading(self, pos: int) -> bool:
        """Whether ``pos`` is on a title line: a short line that ends no sentence."""
        start = self.text.rfind("\n", max(0, pos - 150), pos) + 1
        end = self.text.find("\n", pos, pos + 150)
        if (start == 0 and pos >= 150) or (end == -1 and len(self.text) - pos >= 150):
            return False  # a line longer than a title
        line = self.text[start : end if end != -1 else len(self.text)].rstrip()
        return not line.endswith((".", "!", "?", "…", ";"))

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
                # A new paragraph that names someone else is about them: the subject of
                # an earlier one no longer is what "il" takes up.
                last = candidates[-1]
                if last.start > m.end and self._new_paragraph_about(m, last, gender):
                    return self.ref_for_mention(last, "pronoun", 0.55)
                return self.ref_for_mention(m, "pronoun", 0.75)
        if candidates:
            return self.ref_for_mention(candidates[-1], "pronoun", 0.6)
        return None

    def _new_paragraph_about(self, old: Mention, new: Mention, gender: str) -> bool:
        """A paragraph break between the two, and no "il"/"elle" of that gender taking up
        ``old`` in the new paragraph before ``new`` is named ("Il a parlé avec X")."""
        # A window, not the whole stretch: a pronoun per quote in a 2 MB paragraph.
        between = self.text[max(old.end, new.start - 3000) : new.start]
        cut = between.rfind("\n")
        if cut == -1:
            return False
        pronoun = "il" if gender == "m" else "elle"
        if re.search(rf"\b{pronoun}\b", fold(between[cut:])) is not None:
            return False
        # Unless the new paragraph names the old person too ("X, ex aequo avec Y").
        since = max(old.end, new.start - 3000) + cut
        return not any(
            m.ident == old.ident
            and since <= m.start < new.start
            # named for itself, not in a phrase about someone else ("aux côtés de X")
            and fold(self.text[max(0, m.start - 12) : m.start]).split()[-1:] not in _AFTER_PREP
            for m in self.mentions_before(new.start, reach=new.start - since + 1)
        )

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
            start, end = self.tokens[tok][0], self.tokens[tok][1]
            known = self.resolve_surname(self.text[start:end], pos)
            if known is None and self._person_entity(start, end):
                # "dénonce Didier, salarié depuis dix ans": a first name alone, which the
                # recognizer calls a person.
                known = SpeakerRef(None, self.text[start:end], "new", 0.55)
            return known, end
        return None

    def _person_entity(self, start: int, end: int) -> bool:
        persons = self.analysis.persons if self.analysis is not None else ()
        return any(a <= start and end <= b for a, b in persons)

    def _ref_or_surname(self, mention: Mention) -> SpeakerRef | None:
        if mention.how == "surname":
            return self.ref_for_mention(mention, "surname", 0.85)
        if mention.key is None and len(mention.name.split()) == 1:
            found = self.resolve_surname(mention.name, mention.start)
            if found is None and mention.how == "new" and mention.name.replace("-", "").isalpha():
                # Named by one word only, all through the article ("Moreau", "Nadia").
                return self.ref_for_mention(mention, "name", 0.8)
            return found
        how = "name" if mention.how == "name" else "alias"
        return self.ref_for_mention(mention, how, 0.95 if how == "name" else 0.9)

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
        dash = _DASHED_INCISE.search(
            self.text, max(floor, toks[aux_tok][0] - 250), toks[aux_tok][0]
        )
        if dash is not None:
            # "le maire - qui a été adjoint six ans - a souligné": past the incise.
            inside = self.token_at(dash.start() + 1)
            if inside is not None and inside < aux_tok:
                return self.subject_before(inside, floor)
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
        comma = self.text.rfind(",", 0, toks[aux_tok][0])
        if comma != -1 and not self.text[comma + 1 : toks[aux_tok][0]].strip():
            # "X, ardent défenseur des services publics, veut …": the verb's subject is the
            # person the apposition describes, not a name inside it.
            head = self._apposition_head(comma, floor)
            if head is not None:
                return self._ref_or_surname(head)
        for m in reversed(self.mentions):
            if m.tok_end <= aux_tok and m.start >= floor and not self.in_quote(m.start):
                between = self.text[m.end : toks[aux_tok][0]]
                if len(between) > 120 or any(c in between for c in ".;!?«»"):
                    break
                if between.lstrip().startswith(","):
                    # "X, défenseur des services publics, veut mutualiser": the name closes
                    # an apposition.
                    m = self._apposition_head(m.end + between.index(","), floor) or m
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
                    # Nobody holds it: the person it refers back to, else a new speaker
                    # named by it, as when the parse finds the subject.
                    from claims.extraction.attribution.phrases import role_speaker

                    return self.resolve_role(role, toks[d][0]) or role_speaker(
                        self, toks[d][0], role.end, toks[d][0]
                    )
                org = self.resolve_org(d, toks[d][0])
                if org is not None and org[0] is not None:
                    return org[0]
        return None

    def _apposition_head(self, comma: int, floor: int) -> Mention | None:
        """The person an apposition closing at ``comma`` describes: named before a comma
        opening it ("X, président de la fédération Y,"), in the same sentence."""
        for m in reversed(self.mentions_before(comma, reach=150)):
            if m.start < floor:
                break
            gap = self.text[m.end : comma]
            if any(c in gap for c in ".;!?«»\n"):
                return None
            if m.kind == "person" and m.how != "role-alias" and gap.lstrip().startswith(","):
                return m
        return None
