"""Topics and stances: which topics a claim bears on (``linking``), its stance on each from
the lexicon aimed by the parse (``rules``, ``lexicon``), a speaker's record as a prior
(``prior``), and a classifier learned from curators' stances (``learning``).

Transparent on purpose: every suggestion carries the words that produced it.
"""

from claims.extraction.stance.linking import TopicLink, TopicSpec, article_topics, link_topics
from claims.extraction.stance.prior import apply_prior
from claims.extraction.stance.rules import (
    ABSTAIN_BELOW,
    LEXICON_VERSION,
    StanceSuggestion,
    suggest_stance,
    with_peers,
)

__all__ = [
    "ABSTAIN_BELOW",
    "LEXICON_VERSION",
    "StanceSuggestion",
    "TopicLink",
    "TopicSpec",
    "apply_prior",
    "article_topics",
    "link_topics",
    "suggest_stance",
    "with_peers",
]
