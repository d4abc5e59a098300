"""From a speaker's noun phrase to a speaker: a name, a role, an organisation, a pronoun.

- A name (full, or a surname of someone named in the article) is that person.
- A role ("le procureur", "la dirigeante du syndicat") is the person the article gives that
  role; when nobody has it, a new speaker named by the role and its complement
  ("procureur de Lyon"), for a curator to review.
- An organisation ("le ministère de l'Intérieur", an ORG entity) speaks as itself.
- "il" / "elle": the most salient compatible person before.
- A relay ("l'agence", "le quotidien") passes on someone else's words: ``RELAY``.
"""

from __future__ import annotations

import re

from claims.extraction.attribution.document import Document
from claims.extraction.attribution.mentions import CAMPS
from claims.extraction.attribution.roles import _Role
from claims.extraction.attribution.speakers import SpeakerRef
from claims.extraction.attribution.syntax import Phrase, Syntax
from claims.extraction.lexicon import (
    ANONYMOUS_HEADS,
    DEFINITE,
    DETERMINERS,
    NATIONALITIES,
    ORG_NOUN_FORMS,
    RELAY_NAMES,
    RELAY_NOUNS,
    ROLE_NOUN_FORMS,
)
from claims.extraction.normalize import fold

__all__ = ["ANONYMOUS", "RELAY", "mark_subjects", "resolve_phrase", "role_speaker"]

# The phrase names a relay, not a speaker; or someone who stays anonymous ("une source").
RELAY = SpeakerRef(None, "", "relay", 0.0)
ANONYMOUS = SpeakerRef(None, "", "anonymous", 0.0)
_PRONOUNS = {"il": "il", "-il": "il", "elle": "elle", "-elle": "elle", "lui": "il"}
_PLURAL = {"ils", "-ils", "elles", "-elles", "on", "-on", "nous", "vous", "je", "j'", "tu"}
_TRAILING = ' \t\n,;:.–—-()«»"“”'
_GROUP_PRONOUNS = {"ils", "-ils", "elles", "-elles"}
# Characters back to the subject a pronoun takes up: "il"/"elle" with no person to stand
# for goes on naming the institution a paragraph was about, past a quotation; "ils" is
# more often a passing group.
_ANTECEDENT_REACH = {False: 1200, True: 600}


_ONE_OF = re.compile(
    r"(?:[lL]['’])?(?P<one>[uU]ne?)\s+(?:des|d['’]entre\s+(?:les|eux|elles))\s+"
    r"(?!plus\b|moins\b|mieux\b|rares\b|seuls?\b)(?P<group>[^\W\d]{3,})"
)


def _subject_antecedent(doc: Document, syntax: Syntax, pronoun: int, plural: bool):
    """ "Les pêcheurs sont en colère. Ils se disent prêts …": the last subject before the
    pronoun of its number and gender, outside quotations: a group, a role, an institution
    ("les pêcheurs", "la direction"; for "il"/"elle", no person was there to take it up)."""
    p = syntax.p
    gender = syntax.feature(pronoun, "Gender")
    floor = p.starts[pronoun] - _ANTECEDENT_REACH[plural]
    t = pronoun - 1
    while t >= 0 and p.starts[t] >= floor:
        if (
            p.deps[t] in ("nsubj", "nsubj:pass")
            and p.pos[t] in ("NOUN", "PROPN")
            and not syntax.in_quote(p.starts[t])
        ):
            number = syntax.feature(t, "Number")
            theirs = syntax.feature(t, "Gender")
            if (number == "Plur") == plural and not (gender and theirs and gender != theirs):
                phrase = syntax._phrase(t, inverted=False)
                found = resolve_phrase(doc, syntax, phrase, p.starts[t])
                if found is RELAY or found is ANONYMOUS or found is None:
                    return None
                return SpeakerRef(
                    found.key,
                    found.name,
                    "pronoun",
                    round(found.confidence * 0.8, 3),
                    found.role,
                    kind=found.kind,
                )
        t -= 1
    return None


def _clip(doc: Document, start: int, end: int) -> tuple[int, int]:
    text = doc.text
    # A speaker is named without the acronym after it: "la Ligue des droits (LDH)", or
    # "(LDH" where the parse left the closing parenthesis out.
    opened = text.rfind("(", start, end)
    if (
        opened > start
        and ")" not in text[start:opened]
        and text[opened:end].rstrip(")").count(")") == 0
    ):
        end = opened
    while start < end and text[start] in _TRAILING:
        start += 1
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return start, end


def _without_determiner(words: str) -> str:
    first, _, rest = words.partition(" ")
    if fold(first) in DETERMINERS and rest:
        return rest
    for elided in ("l'", "l’", "L'", "L’"):
        if words.startswith(elided):
            return words[len(elided) :]
    return words


def _role_name(doc: Document, start: int, end: int) -> str:
    """ "la dirigeante du premier syndicat enseignant" -> "dirigeante du premier syndicat
    enseignant": the words a new speaker is named by."""
    words = " ".join(doc.text[start:end].split())
    words = re.split(r",|\s(?:qui|que|dont|lors|après|avant)\s", words, maxsplit=1)[0]
    return _without_determiner(words).strip(_TRAILING)[:200]


def _mentions_in(doc: Document, start: int, end: int):
    return [m for m in doc.mentions_before(end, reach=end - start) if start <= m.start]


def resolve_phrase(doc: Document, syntax: Syntax, phrase: Phrase, pos: int) -> SpeakerRef | None:
    """The speaker ``phrase`` names (``pos``: where the cue is, for what comes before)."""
    start, end = _clip(doc, phrase.start, phrase.end)
    if end <= start:
        return None
    head = phrase.head
    head_word = fold(syntax.p.lemmas[head] if syntax.p.pos[head] != "PROPN" else "")
    surface = fold(doc.text[syntax.p.starts[head] : syntax.p.ends[head]])
    one_of = _ONE_OF.match(doc.text, start, end)
    if one_of is not None and _apposed_name(doc, end) is None:
        # "raconte l'un des locataires": one of a group, named by it.
        name = f"{one_of.group('one').lower()} des {one_of.group('group')}"
        return SpeakerRef(None, name, "role-new", 0.5, role=name, kind="person")
    if syntax.p.pos[head] == "PRON":
        if surface in _PRONOUNS:
            found = doc.resolve_pronoun(_PRONOUNS[surface], pos)
            return found or _subject_antecedent(doc, syntax, head, plural=False)
        if surface in _GROUP_PRONOUNS:
            return _subject_antecedent(doc, syntax, head, plural=True)
        if surface in _PLURAL:
            return None
    # A name the phrase starts inside: the parser cut "Stéphane | Le Rudulier" in two.
    mentions = [
        m for m in doc.mentions_before(end, reach=120) if m.start < start < m.end
    ] + _mentions_in(doc, start, end)
    people = [m for m in mentions if m.kind == "person" and m.how != "role-alias"]
    apposed = _apposed_name(doc, end)
    if apposed is not None and not people:
        # "a déclaré l'un des prévenus, un homme de 41 ans originaire de Lyon, Paul Martin"
        people = [apposed]
    if not people and not phrase.inverted:
        # "L'idole des « Verts » Jean Morel assure": the parse stopped the
        # subject at the quotation marks; the name right before the verb is its head's.
        people = [
            m
            for m in doc.mentions_before(pos, reach=max(0, pos - end) + 1)
            if m.start >= end
            and m.kind == "person"
            and m.how != "role-alias"
            and fold(doc.text[m.end : pos]).strip() in ("", "a", "avait", "aurait")
        ]
    if people:
        # A name in the phrase wins over the role around it ("le dirigeant, X").
        return doc._ref_or_surname(max(people, key=lambda m: (m.end - m.start, -m.start)))
    for m in mentions:
        if m.how == "role-alias":
            return doc.ref_for_mention(m, "role-alias", 0.8)
    noun = fold(doc.text[syntax.p.starts[head] : syntax.p.ends[head]])
    words = set(fold(doc.text[start:end]).replace("(", " ").replace(")", " ").split())
    if noun in RELAY_NOUNS or head_word in RELAY_NOUNS or words & RELAY_NAMES:
        return RELAY
    # "des responsables du syndicat X", "des responsables des Jeunes Éleveurs": a named
    # body makes them someone (the parser does not always call its words proper nouns).
    named = any(
        syntax.p.pos[t] == "PROPN" or (t > head and syntax._surface(t)[:1].isupper())
        for t in syntax.tokens_in(start, end)
    )
    if (noun in ANONYMOUS_HEADS or head_word in ANONYMOUS_HEADS) and not named:
        return ANONYMOUS  # "une source", "des experts"; not "des responsables des JA"
    role = ROLE_NOUN_FORMS.get(noun) or ROLE_NOUN_FORMS.get(head_word)
    if role is not None:
        if syntax.feature(head, "Number") == "Plur":
            # "les pêcheurs", "des responsables du syndicat": a group, never one person.
            name = _role_name(doc, start, end)
            return SpeakerRef(None, name, "role-new", 0.55, role=name) if name else None
        return role_speaker(doc, start, end, pos)
    organisations = [m for m in mentions if m.kind == "organization"] or [
        # "l'intersyndicale Nestlé en France qui appelle": the parse hung the relative
        # clause on the last word of the organisation's name.
        m
        for m in doc.mentions_before(end, reach=200)
        if m.kind == "organization" and m.start < start and end <= m.end
    ]
    if organisations:
        return doc.ref_for_mention(organisations[0], "name", 0.8)
    tok = doc.token_at(syntax.p.starts[head])
    org = doc.parse_org(tok) if tok is not None else None
    quantity = org is None and (noun in CAMPS or head_word in CAMPS)  # "la majorité des …"
    if (noun in ORG_NOUN_FORMS or head_word in ORG_NOUN_FORMS) and not quantity:
        name = _without_determiner(" ".join(doc.text[start:end].split()))
        if org is not None and len(org[2]) < len(name):
            name = org[2]  # "la gendarmerie présente sur les lieux": the body's own name
        return SpeakerRef(None, name[:1].upper() + name[1:200], "new", 0.75, kind="organization")
    word = doc.text[syntax.p.starts[head] : syntax.p.ends[head]]
    if syntax.p.pos[head] == "NOUN" and word[:1].isupper():
        # A heading's "Dupin dénonce …", the tagger reading the surname as a noun.
        known = doc.resolve_surname(word, pos)
        if known is not None:
            return known
    if syntax.p.pos[head] == "PROPN":
        known = doc.resolve_surname(word, pos)
        if known is not None:
            return known
        # The recognizer's person around the head, when the parse cut the name short.
        for a, b in doc.analysis.persons if doc.analysis else ():
            if a <= syntax.p.starts[head] < b and b - a < 60:
                start, end = min(start, a), max(end, b)
        name = " ".join(doc.text[start:end].split())
        name = _without_determiner(name)
        entity = _entity_kind(doc, start, end)
        if word[:1].isupper() and name[:1].isupper() and len(name) <= 60 and not name.isupper():
            kind = "organization" if entity == "org" else "person"
            return SpeakerRef(None, name, "new", 0.7 if entity else 0.6, kind=kind)
        if entity == "org" and name.isalpha() and 2 <= len(name) <= 8:
            # "la FNSEA dénonce": an acronym the recognizer calls an organisation.
            return SpeakerRef(None, name, "new", 0.65, kind="organization")
    if (
        phrase.inverted
        and syntax.p.pos[head] == "NOUN"
        # The parse often takes the inverted subject for an object: an incise ending
        # its clause (", déplore l'horticulteur.") is the speaker either way.
        and (
            syntax.p.deps[head] in ("nsubj", "nsubj:pass")
            or (syntax.p.deps[head] == "obj" and _ends_clause(doc.text, end))
        )
        and not any(mark in doc.text[start:end] for mark in '«»“”"')
        and syntax.feature(head, "Number") != "Plur"
        and doc.text[syntax.p.starts[head] : syntax.p.ends[head]][:1].islower()
        and _names_a_person(fold(syntax.p.lemmas[head]))
    ):
        return _unlisted_role(doc, syntax, head, start, end, pos)
    return None


def _ends_clause(text: str, end: int) -> bool:
    rest = text[end : end + 3].lstrip(" \u00a0")
    return rest[:1] in ("", ".", ",", ";", "\n", "!", "?")


# Endings of nouns that name a person ("horticulteur", "fleuriste", "retraitée"), and
# nouns that do with no such ending.
_PERSON_ENDINGS = (
    "eur", "euse", "rice", "ier", "iere", "iste", "ien", "ienne", "ant", "ante", "aire",
    "logue", "ois", "oise", "ais", "aise", "ite", "ee", "ine", "in",
)  # fmt: skip
_PERSON_NOUNS = frozenset(
    "homme femme fille garcon enfant adolescent adolescente mere pere fils soeur frere "
    "grand-mere grand-pere epoux epouse veuf veuve temoin victime".split()
)


def _names_a_person(noun: str) -> bool:
    if noun in RELAY_NOUNS or noun in ANONYMOUS_HEADS or noun in ORG_NOUN_FORMS:
        return False
    return noun in _PERSON_NOUNS or noun.endswith(_PERSON_ENDINGS)


def _unlisted_role(doc: Document, syntax: Syntax, head: int, start: int, end: int, pos: int):
    """ "«…», déplore l'horticulteur", "avance la jeune femme": after a verb of saying, a
    noun no list knows still describes the speaker. A definite one refers back to the
    person just spoken of, of its gender; else it names a new speaker, for review."""
    first = fold(doc.text[start:end].split()[0]) if doc.text[start:end].split() else ""
    first = first.split("'")[0] if "'" in first else first
    definite = first in DEFINITE
    gender = {"Masc": "m", "Fem": "f"}.get(syntax.feature(head, "Gender"), "")
    text = doc.text[start:end]
    role = _Role(
        fold(syntax.p.lemmas[head]), (), False, definite, text, end, head + 1, False, gender
    )
    if definite:
        antecedent = _anaphor(doc, role, pos)
        if antecedent is not None:
            return SpeakerRef(
                antecedent.key,
                antecedent.name,
                "role-anaphor",
                0.45,
                antecedent.role,
                kind=antecedent.kind,
            )
    name = _role_name(doc, start, end)
    return SpeakerRef(None, name, "role-new", 0.45, role=name, kind="person") if name else None


def _apposed_name(doc: Document, end: int):
    """A person named right after a phrase, after a comma, to the end of the sentence."""
    m = doc._mention_at(_after_comma(doc.text, end))
    if m is None or m.kind != "person" or m.how == "role-alias":
        return None
    rest = doc.text[m.end : m.end + 3].lstrip(" \u00a0")
    return m if rest[:1] in (".", "\n", "", ";") else None


def _after_comma(text: str, i: int) -> int:
    j = i
    while j < len(text) and text[j] in " \u00a0":
        j += 1
    if j < len(text) and text[j] == ",":
        j += 1
        while j < len(text) and text[j] in " \u00a0":
            j += 1
        return j
    return -1


def _entity_kind(doc: Document, start: int, end: int) -> str:
    analysis = doc.analysis
    if analysis is None:
        return ""
    for a, b in analysis.persons:
        if a < end and start < b:
            return "person"
    for a, b in analysis.orgs:
        if a < end and start < b:
            return "org"
    return ""


def role_speaker(doc: Document, start: int, end: int, pos: int) -> SpeakerRef | None:
    """A role phrase: the person the article gives it, else a new speaker named by it."""
    tok = doc.token_at(start)
    if tok is not None:
        role = doc.parse_role(tok) or doc.parse_role(tok, head_at=tok)
        if role is not None:
            apposed = doc._apposition(role)
            if apposed is not None:
                return doc._ref_or_surname(apposed)
            holder = doc.resolve_role(role, pos) if role.definite else None
            if holder is not None and _same_nationality(doc, role.text, holder):
                return _described(doc, role, pos, holder)
            plural = fold(doc.text[start : start + 5]).split()[:1] in (["les"], ["des"], ["ces"])
            if role.definite and not plural:
                antecedent = _anaphor(doc, role, pos) or _described_before(doc, role, pos)
                if antecedent is not None:
                    return _described(doc, role, pos, antecedent)
    name = _role_name(doc, start, end)
    if not name:
        return None
    return SpeakerRef(None, name, "role-new", 0.6, role=name, kind="person")


def _description_key(role) -> str:
    return " ".join(fold(_without_determiner(" ".join(role.text.split()))).split())


def _described(doc: Document, role, pos: int, speaker: SpeakerRef) -> SpeakerRef:
    """Remember who a definite description named here, for the same words further on."""
    if speaker.key or speaker.name:
        doc.descriptions.append((pos, _description_key(role), speaker))
    return speaker


def _described_before(doc: Document, role, pos: int) -> SpeakerRef | None:
    """ "a ajouté le président de la région … a pointé le président de la région": the same
    description, repeated, names the person it named before in the article."""
    key = _description_key(role)
    found = [(at, ref) for at, k, ref in doc.descriptions if k == key and at < pos]
    if not found:
        return None
    ref = max(found, key=lambda item: item[0])[1]
    return SpeakerRef(ref.key, ref.name, "role-repeated", 0.5, role=ref.role, kind=ref.kind)


# Roles that say what someone is, not which office they hold: they may describe anyone.
_GENERIC = frozenset(
    "dirigeant dirigeante responsable patron patronne chef cheffe leader edile interesse "
    "interessee cacique ancien ancienne natif native elu elue representant representante "
    "syndicaliste militant militante".split()
)
_ANAPHOR_REACH = 1200  # characters back to the person a definite description refers to


def _anaphor(doc: Document, role, pos: int) -> SpeakerRef | None:
    """ "«…», a affirmé le dirigeant": a definite description no one in the article holds
    refers back to the person just spoken of (the press avoids repeating names), when that
    person is of the same gender and holds no other office the article names."""
    for m in reversed(doc.mentions_before(pos)):
        if pos - m.end > _ANAPHOR_REACH:
            break
        # A subject, or any person named just before ("a annoncé le chef de la diplomatie
        # Mike Pompeo. «…», a précisé le secrétaire d'Etat").
        if m.kind != "person" or not (m.salient or pos - m.end < 300):
            continue
        # Someone of the other gender, or who holds another office ("la directrice X"
        # for "le ministre"), is not the one meant: the person before may be.
        if role.gender and m.gender and role.gender != m.gender:
            continue
        if role.head not in _GENERIC and _holds_other_office(doc, m, role.head):
            continue
        ref = doc.ref_for_mention(m, "role-anaphor", 0.55)
        if ref is not None and not _same_nationality(doc, role.text, ref):
            continue  # "le président américain" after "le président français X"
        return ref
    return None


def _holds_other_office(doc: Document, mention, head: str) -> bool:
    roles = list(doc.roles_of(mention))
    known = doc.gaz.speakers.get(mention.key) if mention.key else None
    if known is not None and known.role:
        roles.append(known.role)
    heads = {ROLE_NOUN_FORMS[w] for r in roles for w in fold(r).split() if w in ROLE_NOUN_FORMS}
    heads -= _GENERIC
    return bool(heads) and ROLE_NOUN_FORMS.get(head, head) not in heads


def _same_nationality(doc: Document, role_text: str, holder: SpeakerRef) -> bool:
    """ "la ministre italienne" is not the French minister named before."""
    wanted = {NATIONALITIES[w][0] for w in fold(role_text).split() if w in NATIONALITIES}
    if not wanted:
        return True
    known = doc.gaz.speakers.get(holder.key) if holder.key else None
    # What the article calls them too: "le président français Emmanuel Macron".
    local = " ".join(r for m in doc.mentions if m.name == holder.name for r in doc.roles_of(m))
    holder_roles = f"{holder.role} {local}"
    words = set(fold(f"{holder_roles} {known.role if known else ''}").split())
    theirs = {NATIONALITIES[w][0] for w in words if w in NATIONALITIES}
    countries = {fold(NATIONALITIES[w][1]) for w in NATIONALITIES if NATIONALITIES[w][0] in wanted}
    if theirs:
        return bool(theirs & wanted)
    return any(c in fold(holder_roles) for c in countries) or not holder_roles.strip()


def mark_subjects(doc: Document, syntax: Syntax) -> None:
    """Mentions that are a clause's subject, per the parse, are salient: what a later
    "il"/"elle" or "le dirigeant" refers to ("Le président de l'UEFA, Aleksander Ceferin,
    a accordé…": the name is in apposition to the subject)."""
    deps, heads = syntax.p.deps, syntax.p.heads
    for m in doc.mentions:
        if m.salient:
            continue
        for t in syntax.tokens_in(m.start, m.end):
            h = t
            for _ in range(3):
                if deps[h] in ("nsubj", "nsubj:pass"):
                    m.salient = not _reported_subject(syntax, heads[h])
                    break
                if deps[h] not in ("appos", "flat:name", "nmod", "flat") or heads[h] == h:
                    break
                h = heads[h]
            if m.salient:
                break


def _reported_subject(syntax: Syntax, clause: int) -> bool:
    """The subject of a "que" clause someone reports ("Il regrette que X soit parti")
    is what was said, not whom the text is about: a later "il" takes up the speaker."""
    return syntax.p.deps[clause] == "ccomp" and any(
        syntax.p.deps[c] == "mark" and syntax.lemmas[c] in ("que", "qu'")
        for c in syntax.children[clause]
    )
