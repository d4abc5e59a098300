"""A speaker's reviewed stances as a prior on a new suggestion: a usual position fills in
when the words say nothing, and a suggestion against it is flagged as a change of position."""

from __future__ import annotations

from dataclasses import replace

from claims.extraction.stance.rules import ABSTAIN_BELOW, DOUBT, StanceSuggestion


def apply_prior(suggestion: StanceSuggestion, history: dict[str, int]) -> StanceSuggestion:
    """Weigh a suggestion against the speaker's reviewed stances on the same topic.

    ``history`` counts those stances, e.g. ``{"favor": 3, "against": 0}``. With no cue
    words, the usual position is suggested (a prior, with modest confidence). A suggestion
    opposite to it is kept, flagged, and trusted less: a change of position for curators
    to look at, or an extraction error.

    >>> s = StanceSuggestion("s400", "neutral", 0.4)
    >>> apply_prior(s, {"favor": 2}).stance
    'favor'
    >>> apply_prior(StanceSuggestion("s400", "against", 0.7), {"favor": 3}).contradicts_history
    True
    """
    decided = {k: v for k, v in history.items() if k in ("favor", "against") and v > 0}
    if not decided:
        return suggestion
    usual, count = max(decided.items(), key=lambda item: (item[1], item[0]))
    if len(decided) == 2 and decided["favor"] == decided["against"]:
        return suggestion  # the record is split: no prior either way
    note = f"{count} reviewed {usual}"
    if suggestion.stance == "neutral" and not suggestion.evidence and suggestion.method != "model":
        confidence = min(0.7, 0.35 + 0.1 * count)
        return replace(
            suggestion,
            stance=usual,
            confidence=round(confidence, 2),
            evidence=(f"prior: {note}",),
            abstain=confidence < ABSTAIN_BELOW,
        )
    opposite = {"favor": "against", "against": "favor"}.get(suggestion.stance)
    if opposite == usual and suggestion.method == "model":
        # The model weighed the record already (its features): flag the change, no more.
        return replace(
            suggestion,
            evidence=_appended(suggestion.evidence, f"contradicts {note}"),
            contradicts_history=True,
        )
    if opposite == usual:
        confidence = round(max(0.1, suggestion.confidence - 0.15), 2)
        return replace(
            suggestion,
            confidence=confidence,
            evidence=(*suggestion.evidence, f"contradicts {note}"),
            contradicts_history=True,
            abstain=confidence < ABSTAIN_BELOW,
        )
    return suggestion


def _appended(evidence: tuple[str, ...], item: str) -> tuple[str, ...]:
    """At most 12 items, the oldest dropped first; a model's doubt that the claim is about
    the topic stays first (curators read it before the rest)."""
    if evidence and evidence[0].startswith(DOUBT):
        return (evidence[0], *(*evidence[1:], item)[-11:])
    return (*evidence, item)[-12:]
