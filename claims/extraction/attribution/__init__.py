"""Who said it: the stages that name a quotation's or a reported statement's speaker.

- ``speakers``: the reference speakers (gazetteer), mentions, and the speaker a cue names;
- ``mentions``: where the article names people and organisations, and which are subjects;
- ``roles``: role descriptions ("le ministre turc de la Défense") and who holds them;
- ``resolution``: words to a speaker (names, surnames, roles, pronouns, institutions);
- ``syntax``: the verb of saying words depend on, and its subject, from the parse;
- ``phrases``: a subject's noun phrase to a speaker (role speakers, relays, anonymity);
- ``cues``: word-order rules, for what the parse misses;
- ``discourse``: speakers from around a quotation with no cue (captions, the sentence
  before, the subject it completes).
``document.Document`` brings the first four together for one article.
"""

from claims.extraction.attribution.cues import find_cue, find_incise
from claims.extraction.attribution.document import Document
from claims.extraction.attribution.speakers import (
    Cue,
    Gazetteer,
    KnownSpeaker,
    Mention,
    SpeakerRef,
)

__all__ = [
    "Cue",
    "Document",
    "Gazetteer",
    "KnownSpeaker",
    "Mention",
    "SpeakerRef",
    "find_cue",
    "find_incise",
]
