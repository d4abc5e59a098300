"""Which cue and speaker a quotation gets: the verb of saying the parse hangs it on (or
its "selon X"), else, with no cue, what the text around it says (a caption, a line above,
the subject it completes, the quotation before it, the sentence before it)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from typing import TYPE_CHECKING

from claims.extraction.attribution import Cue, Document, SpeakerRef, discourse
from claims.extraction.attribution.phrases import ANONYMOUS, RELAY, resolve_phrase
from claims.extraction.attribution.syntax import Syntax
from claims.extraction.quotes import QuoteSpan

if TYPE_CHECKING:
    from claims.extraction import ExtractedClaim

__all__ = [
    "according_cue",
    "context_speaker",
    "continuation",
    "narrative_infinitive",
    "shared_inverted_cue",
    "syntactic_cue",
]


def context_speaker(body, doc, syntax, quote, previous, previous_close, bounds, at, earlier):
    """A quotation without a cue: a caption after it, the subject it completes, the
    quotation before it, the person the sentence before it is about, or the heading of
    its section (``earlier``: (start, speaker) of the quotations before it)."""
    speaker = discourse.caption_speaker(doc, quote.close) or discourse.colon_line_speaker(
        doc, quote.open
    )
    if speaker is None and syntax is not None:

        def resolve(phrase, pos):
            found = resolve_phrase(doc, syntax, phrase, pos)
            return None if found is RELAY or found is ANONYMOUS else found

        speaker = discourse.predicate_speaker(doc, syntax, quote.start, quote.end, resolve)
    if speaker is None and previous is not None and previous.speaker is not None:
        speaker = continuation(body, doc, previous, previous_close, quote, bounds)
    opens_sentence = at and bounds[at - 1] >= quote.open - 2
    if speaker is None and syntax is not None and opens_sentence:
        # The sentence before, past blank lines (a paragraph of its own ends at "\n").
        k = at - 1
        while k > 0 and not body[bounds[k - 1] : bounds[k]].strip():
            k -= 1
        if k > 0:
            previous_sentence = (bounds[k - 1], bounds[k])
            speaker = discourse.previous_subject(
                doc, syntax, previous_sentence, quote.open, resolve
            )
    if speaker is None:
        speaker = discourse.heading_speaker(doc, quote.open, earlier)
    return speaker


def according_cue(doc, syntax, quote, window) -> Cue | None:
    """ "Selon M. X, « … »": the clause the quotation is in, or stands for, has "selon X"."""
    p = syntax.p
    inside = set(syntax.tokens_in(quote.start, quote.end))
    candidates = set()
    for t in inside:
        h = p.heads[t]
        candidates.add(t if h in inside else h)
    for t in sorted(candidates):
        if not window[0] <= p.starts[t] < window[1]:
            continue
        phrase = syntax.according_to(t)
        if phrase is not None and phrase.end <= quote.open:
            speaker = resolve_phrase(doc, syntax, phrase, phrase.start)
            if speaker is not None and speaker not in (RELAY, ANONYMOUS):
                before = doc.folded[max(0, phrase.start - 10) : phrase.start]
                at = max(before.rfind("selon"), before.rfind("d'apres"))
                start = phrase.start - len(before) + at if at != -1 else phrase.start
                return Cue(start, phrase.end, speaker)
    return None


def syntactic_cue(
    doc: Document,
    syntax: Syntax,
    quote: QuoteSpan,
    window: tuple[int, int],
    spans: list[tuple[int, int]],
) -> Cue | None:
    """The cue the parse gives: the verb of saying the quotation depends on, and its speaker."""
    verb = syntax.governing_verb(quote.start, quote.end, window, spans)
    if verb is None:
        return according_cue(doc, syntax, quote, window)
    verb_start, verb_end = syntax.p.starts[verb], syntax.p.ends[verb]
    # "…, s'impatiente X, porte-parole du comité : «…»": after a comma, the verb comes first
    # and its speaker after it, as when the words come before.
    # (A coordinated verb after a comma has its subject before: "X a … , a ajouté : «…»".)
    # A present participle ("…, estimant que « … »") never has its subject after it.
    participle = syntax.feature(verb, "VerbForm") == "Part" and doc.folded[
        verb_start:verb_end
    ].endswith("ant")
    inverted = quote.close < verb_start or (
        syntax.p.deps[verb] != "conj"
        and not participle
        and bool(_INVERTED_VERB.search(doc.folded, max(0, verb_start - 30), verb_start))
    )
    phrase = syntax.speaker_phrase(verb, words_before=inverted, limit=window)
    if phrase is None:
        # The parse lost the subject ("le maire - qui … - a souligné"): word order finds it.
        finite = syntax.feature(verb, "VerbForm") in ("Fin", "Part")
        ref = doc.speaker_of_verb(verb_start, window[0]) if finite and not inverted else None
        return Cue(verb_start, verb_end, ref if ref is not None and ref.name else None)
    speaker = resolve_phrase(doc, syntax, phrase, verb_start)
    start, end = min(verb_start, phrase.start), max(verb_end, phrase.end)
    if start < quote.open < end:
        start, end = verb_start, verb_end  # the speaker across the quotation: the verb alone
    return Cue(start, end, speaker)


_INVERTED_VERB = re.compile(r",\s*(?:s'|se\s+)?(?:(?:a|avait|aurait|est|etait)\s+)?$")


def continuation(
    body: str,
    doc: Document,
    previous: ExtractedClaim,
    previous_close: int,
    quote: QuoteSpan,
    bounds: list[int],
) -> SpeakerRef | None:
    """A quote with no cue right after another: the same speaker, unless someone else is
    named in between (a person or an organisation), or narration intervenes: at most the
    rest of the previous quotation's sentence ("«…» a admis X dans des remarques …").
    """
    # From the previous statement, not from a scare quote since ("un « club »"): the
    # narration between them is what may have changed the subject.
    previous_close = max(min(previous_close, previous.end), 0)
    gap = body[previous_close + 1 : quote.open]
    # Sentences that end in the gap; a paragraph break is no sentence of its own.
    first, last = bisect_right(bounds, previous_close), bisect_right(bounds, quote.open)
    ends = sum(1 for i in range(first, last) if body[bounds[i - 1] : bounds[i]].strip())
    if gap.count("\n") > 2 or len(gap) > 600 or (len(gap) > 250 and ends > 1):
        return None
    if _someone_else_between(doc, previous, previous_close, quote.open):
        return None
    ref = previous.speaker
    return discourse.scaled(ref, round(ref.confidence * 0.7, 3), "continuation")


def _someone_else_between(doc: Document, previous: ExtractedClaim, start: int, end: int) -> bool:
    """Whether someone other than ``previous``'s speaker is named between the two (a
    person, or an organisation as a subject)."""
    for mention in doc.mentions_before(end, reach=end - start + 1):
        if start < mention.start < end:
            if mention.kind != "person" and not mention.salient:
                continue  # "directeur de recherche au X": the speaker's own description
            if (mention.key or mention.name) not in (previous.speaker.key, previous.speaker.name):
                return True
    return False


_NARRATIVE = re.compile(r"(?:^|[.!?»”\"]\s+|\n\s*)et\s+(?:de\s+|d')$")


def narrative_infinitive(doc: Document, verb_start: int, previous: ExtractedClaim):
    """ "Et de rappeler : « … »", "Et d'ajouter …": the narrative infinitive's subject is
    the one of the sentence before, whose words were the quotation before (in the same
    paragraph or the one before)."""
    if previous.speaker is None or not _NARRATIVE.search(
        doc.folded, max(0, verb_start - 12), verb_start
    ):
        return None
    if verb_start - previous.end > 600 or doc.text.count("\n\n", previous.end, verb_start) > 1:
        return None
    if _someone_else_between(doc, previous, previous.end, verb_start):
        return None  # "… Son adversaire X juge que … Et d'ajouter": X's
    ref = previous.speaker
    return discourse.scaled(ref, round(ref.confidence * 0.8, 3), "continuation")


_INVERTED_AFTER = re.compile(r"\s*[»”\"]?\s*,\s*")


def shared_inverted_cue(body: str, claims: list, bounds: list[int]) -> list:
    """ "« A », d'où « B », a fait valoir X.": a quotation with no cue of its own shares
    the inverted cue that closes its sentence after the next quotation."""
    out = list(claims)
    for i, claim in enumerate(out):
        if claim.speaker is not None or claim.cue or claim.kind != "direct" or claim.fragment:
            continue
        sentence = bisect_right(bounds, claim.start)
        if sentence and claim.start - bounds[sentence - 1] > 3:
            continue  # not the sentence's opening words: "le film « … », d'où « … »"
        for k in range(i + 1, len(out)):
            after = out[k]
            if bisect_right(bounds, after.start) != sentence:
                break
            if after.speaker is None or not after.cue or after.fragment:
                continue
            gap = _INVERTED_AFTER.match(body, after.end)
            if gap is None or not body.startswith(after.cue, gap.end()):
                break  # its cue comes before it
            ref = after.speaker
            speaker = discourse.scaled(ref, round(ref.confidence * 0.8, 3), "same-cue")
            out[i] = replace(
                claim, speaker=speaker, cue=after.cue, confidence=round(speaker.confidence, 3)
            )
            break
    return out
