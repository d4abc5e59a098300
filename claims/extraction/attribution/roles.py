"""Role descriptions: "le ministre turc de la Défense", "la porte-parole du Kremlin".

Parsed from the word tokens, attached to the people they describe, and matched against a
role a cue names (``Roles`` is part of ``Document``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.extraction.attribution.speakers import Mention, _tokens
from claims.extraction.lexicon import (
    ADJ_BEFORE_HEAD,
    ADVERBS,
    ANONYMOUS_HEADS,
    DEFINITE,
    DETERMINERS,
    FORMER,
    FUNCTION_WORDS,
    NATIONALITIES,
    ROLE_HEADS,
    ROLE_NOUN_FORMS,
    ROLE_STOP,
    SAY_FORMS,
)
from claims.extraction.names import first_name_gender, given_name_gender
from claims.extraction.normalize import fold


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


class Roles:
    """The role-description side of a Document."""

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
            m.roles.extend(self._roles_after(m))
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
                guess = first_name_gender(m.name) or (
                    given_name_gender(m.name) if " " not in m.name else ""
                )
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

    def _roles_after(self, m: Mention) -> list[str]:
        # "X, directeur de recherche dans un institut de politique étrangère", and
        # each office coordinated with it: "X, maire de la ville et président du département".
        if m.tok_end >= len(self.tokens):
            return []
        gap = self.text[m.end : self.tokens[m.tok_end][0]]
        if gap.strip() != ",":
            return []
        roles: list[str] = []
        t = m.tok_end
        one_of = self._one_of(t)
        if one_of is not None:
            return [one_of]
        while t < len(self.tokens):
            if self.tokens[t][2] in DETERMINERS:
                t += 1
            head = t  # "X, jeune astronome": the head after its adjectives
            while head < len(self.tokens) and self.tokens[head][2] in ADJ_BEFORE_HEAD:
                head += 1
            if head >= len(self.tokens) or self.tokens[head][2] not in ROLE_HEADS:
                break
            role = self.parse_role(t, head_at=t)
            if role is None:
                break
            roles.append(role.text)
            t = role.tok_end
            if t + 1 >= len(self.tokens) or self.tokens[t][2] != "et":
                break
            if self.text[role.end : self.tokens[t][0]].strip():
                break
            t += 1
        return roles

    def _one_of(self, t: int) -> str | None:
        """ "X, l'un de ses avocats": X is an "avocat" (its singular, for role matching)."""
        words = [w for _, _, w in self.tokens[t : t + 5]]
        if len(words) < 5 or words[:2] not in (["l", "un"], ["l", "une"]) or words[2] != "de":
            return None
        if words[3] not in ("ses", "leurs", "des", "nos", "vos", "mes"):
            return None
        noun = ROLE_NOUN_FORMS.get(words[4])
        return noun if noun is not None and words[4] != noun else None

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
            if lenient and not role.proper_modifiers and not _other_nationality(role, local, fixed):
                return True  # "la porte-parole du syndicat" for "la porte-parole de la CTF"
        return False

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
        # "le député du Cantal et président de la commission des finances, X": a
        # second role, coordinated, takes longer to reach the name.
        words = fold(self.text[role.end : role.end + 40]).split()
        second = words[:1] == ["et"] and any(w in ROLE_HEADS for w in words[1:3])
        comma = self.text.find(",", role.end, role.end + (150 if second else 60))
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

    def roles_of(self, m: Mention) -> list[str]:
        """Every role the article gives this person, wherever they are mentioned."""
        if self._roles_of is not self.mentions:
            roles: dict[str, list[str]] = {}
            for other in self.mentions:
                roles.setdefault(other.ident, []).extend(other.roles)
            self._roles, self._roles_of = roles, self.mentions
        return self._roles.get(m.ident, [])


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


_COUNTRIES = {fold(name): code for code, name in NATIONALITIES.values()}


def _other_nationality(role: _Role, local, fixed: str) -> bool:
    """ "le président américain" is not "le président français" (or "de l'Ukraine") named
    before."""
    wanted = {NATIONALITIES[w][0] for w in role.modifiers if w in NATIONALITIES}
    if not wanted:
        return False
    said = fold(" ".join([*local, fixed]))
    theirs = {NATIONALITIES[w][0] for w in said.replace("'", " ").split() if w in NATIONALITIES}
    words = f" {' '.join(said.replace(chr(39), ' ').split())} "
    theirs |= {code for name, code in _COUNTRIES.items() if f" {name} " in words}
    return bool(theirs) and not wanted & theirs
