"""Word-order cue rules: the attribution words around a quotation, found without a parse
("«…», a déclaré X", "X a affirmé : «…»", "selon X", "«… – a martelé le ministre – …»").
They serve where the parse is missing or fails (``phrases``, ``syntax``).
"""

from __future__ import annotations

import re
from itertools import pairwise

from claims.extraction.attribution.document import Document
from claims.extraction.attribution.phrases import role_speaker
from claims.extraction.attribution.speakers import Cue, SpeakerRef
from claims.extraction.lexicon import (
    ADVERBS,
    ANONYMOUS_HEADS,
    DETERMINERS,
    NOT_NAME_WORDS,
    SAY_FORM_LEMMAS,
    SAY_FORMS,
    SAY_LOCUTION_FORMS,
    SAY_PRONOMINAL_LEMMAS,
    SUBJECT_PRONOUNS,
)
from claims.extraction.normalize import fold

# --- cues ------------------------------------------------------------------------------

# A locution ("fait valoir", "a mis en garde") first, else one word.
_LOCUTIONS = "|".join(
    r"\s+".join(re.escape(w) for w in form.split())
    for form in sorted(SAY_LOCUTION_FORMS, key=len, reverse=True)
)
_SAY = r"(?P<verb>" + (_LOCUTIONS + "|" if _LOCUTIONS else "") + r"[a-z]+(?:-[a-z]+)*)"
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
# A pronominal verb keeps its "se": ", s'indigne X", ", s'est inquiétée X".
_INV_NP = re.compile(
    r"(?:^|(?<=[\s,.;:–—-]))(?P<se>(?:s'|se\s+)(?:(?:est|etait|serait)\s+)?)?"
    r"(?P<aux>(?:a|avait|aurait)\s+)?" + _ADV + _SAY + r"(?=[\s:,])\s*"
)
_SELON = re.compile(r"\b(?:selon|d'apres|pour)\s+")
_SELON_AFTER = re.compile(
    r"[\s\u00a0]*(?:,[\s\u00a0]*(?P<word>selon|d'apres|pour)|(?P<w2>selon|d'apres))\s+"
)
_ON_AT = re.compile(r"\s+(?:à|au|aux|chez|du cote d[eu]|du cote de la|aupres d[eu])\s+")
_COLON_END = re.compile(r"\s*:\s*$")
_LAST_WORD = re.compile(r"[^\W\d_][\w'’-]*(?=\s*$)")
_AUX_RE = re.compile(r"\b(?:a|avait|ont|aurait)\s+(?=[a-z])")
_STRESSED = re.compile(r"(lui|elle)\b")
_STRESSED_TO_SUBJECT = {"lui": "il", "elle": "elle"}


def _is_say(verb: str | None) -> bool:
    return bool(verb) and (verb in SAY_FORMS or " ".join(verb.split()) in SAY_LOCUTION_FORMS)


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
    # 1b. "«…», selon X" / "«…», pour X, qui …": the complement right after the marks.
    after_selon = _SELON_AFTER.match(folded, after)
    if after_selon is not None:
        resolved = doc.resolve_np(after_selon.end(), sent_end)
        if resolved and resolved[0] is not None and resolved[0].name:
            word = "word" if after_selon.group("word") else "w2"
            return Cue(after_selon.start(word), resolved[1], resolved[0])
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
            if m.groupdict().get("se") and SAY_FORM_LEMMAS.get(verb) not in SAY_PRONOMINAL_LEMMAS:
                continue  # "se trouve", "s'est rendu": another verb
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
        if pronoun == "on":
            # "précise-t-on à la préfecture", "indique-t-on chez Renault": the body says it.
            where = _ON_AT.match(doc.folded, m.end())
            resolved = doc.resolve_np(where.end(), limit) if where is not None else None
            if resolved is not None and resolved[0] is not None and resolved[0].name:
                return Cue(m.start(), resolved[1], resolved[0])
            body = _body_named(doc, where.end()) if where is not None else None
            if body is not None:
                return Cue(m.start(), body[1], body[0])
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
    past = _past_relay(doc, m.end(), limit)
    if past is not None and (resolved is None or resolved[0] is None):
        resolved = past
    if resolved is None:
        return None
    ref, np_end = resolved
    if ref is None and not _anonymous(doc, m.end()) and _role_at(doc, m.end()):
        # A role nobody in the article holds: the person it refers back to, else a new
        # speaker named by it, as when the parse finds it.
        ref = role_speaker(doc, m.end(), np_end, m.start())
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
_STOP_INSIDE = re.compile(r"(?<=[a-zà-ÿ]{2})\.(?=\s+[A-ZÀ-ÖØ-Þ])")


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
        # Or the incise closes its sentence: «C'est un bon accord, a estimé X. Nous …».
        stop = _STOP_INSIDE.search(text, a, end)
        if stop is not None and (b == -1 or stop.start() < b):
            b = stop.end()
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
            if cue is not None and b >= cue.end - 1 and match.group().strip().count(" ") <= 3:
                # The incise is all cue ("a-t-il dit") but names nobody yet: the caller
                # finds who from the quotation's own cue.
                unresolved = Cue(a, b, None)
                if "-t-" in match.group() or match.group().rstrip().endswith(("-il", "-elle")):
                    return unresolved
            name = _FIRST_NAME.match(doc.text, match.end(), b)
            if name and fold(name.group(1)) not in NOT_NAME_WORDS:
                # "«…, dénonce Didier, salarié…»": a name alone after the verb of an incise.
                return Cue(a, b, SpeakerRef(None, name.group(1), "new", 0.5))
    return None


_FIRST_NAME = re.compile(r"\s*([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)?)\W*$")


def _anonymous(doc: Document, pos: int) -> bool:
    """ "une source proche du dossier", "un expert": a role that stays no one."""
    words = doc.folded[pos : pos + 40].split()
    return any(w in ANONYMOUS_HEADS for w in words[:3])


_RELAY_PP = re.compile(r"(?:pour|à|au|aupres d[eu]|sur|dans)\s+(?:l'|le\s|la\s|les\s|un\s|une\s)?")


def _past_relay(doc: Document, pos: int, limit: int):
    """ "«…», résume pour l'AFP X": the person named past a complement that says where
    the words were said."""
    folded = doc.folded
    start = pos + len(folded[pos:limit]) - len(folded[pos:limit].lstrip())
    pp = _RELAY_PP.match(folded, start)
    if pp is None:
        return None
    for mention in doc.mentions_after(pp.end() - 1, reach=60):
        gap = doc.text[pp.end() : mention.start]
        if mention.start >= limit or any(c in gap for c in ',.;:!?«»"“”\n'):
            return None
        if not gap.strip():
            return None  # "a répondu à X": X is spoken to
        if mention.kind == "person" and mention.how != "role-alias":
            return doc._ref_or_surname(mention), mention.end
    return None


def _body_named(doc: Document, pos: int) -> tuple[SpeakerRef, int] | None:
    """ "à la préfecture (de police)": the organisation its noun names, even when the
    article named none before (``resolve_np`` gives no speaker then)."""
    tok = doc.token_at(pos)
    if tok is not None and doc.tokens[tok][2] in DETERMINERS:
        tok += 1
    org = doc.parse_org(tok) if tok is not None and tok < len(doc.tokens) else None
    if org is None:
        return None
    end_tok, _modifiers, name = org
    return SpeakerRef(None, name, "new", 0.6, kind="organization"), doc.tokens[end_tok - 1][1]


def _role_at(doc: Document, pos: int) -> bool:
    """A role description starts at ``pos`` ("le porte-parole de …"), not any noun."""
    tok = doc.token_at(pos)
    return tok is not None and doc.parse_role(tok) is not None
