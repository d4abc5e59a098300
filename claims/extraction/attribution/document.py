"""An article prepared for attribution: its word tokens, the people and organisations it
names, their roles, and the lookups every stage uses (by bisection: a long article asks
them for every quotation)."""

from __future__ import annotations

from bisect import bisect_left

from claims.extraction.attribution.mentions import Mentions
from claims.extraction.attribution.resolution import Resolution
from claims.extraction.attribution.roles import Roles
from claims.extraction.attribution.speakers import Gazetteer, Mention, SpeakerRef, _tokens
from claims.extraction.nlp import Analysis
from claims.extraction.normalize import fold_keeping_a_grave

# How far back (characters) a name, role or pronoun's antecedent is looked for.
REACH = 20_000


class Document(Mentions, Roles, Resolution):
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
        # (where, a definite role description's words, whom it named there): a description
        # repeated later names the same person.
        self.descriptions: list[tuple[int, str, SpeakerRef]] = []
        self.kin_names: set[int] = set()  # first names after a kin word (_find_mentions)
        self.mentions = self._find_mentions()
        if analysis is not None:
            self._merge_entities(analysis)
            self._share_gender()
        self._add_surnames()
        self._find_organizations()
        self._attach_roles()
        self._mark_salient()

    def in_quote(self, pos: int) -> bool:
        # Outermost quotations never overlap: the last one opened before ``pos`` decides.
        i = bisect_left(self._quote_opens, pos + 1) - 1
        return i >= 0 and pos < self.quote_spans[i][1]

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
