"""The rule users rely on most: a load may refresh what the extractor made, never what a
curator touched. Every automatic write asks these functions first."""

from __future__ import annotations

from claims.choices import Method, ReviewStatus, SpeakerOrigin, StanceMethod
from claims.models import Claim, Speaker, Stance


def claim_is_protected(claim: Claim) -> bool:
    """A claim a curator reviewed, wrote or edited, or gave a stance: no automatic run may
    change it (its stances should be prefetched: they are read here)."""
    return (
        claim.status != ReviewStatus.UNREVIEWED
        or claim.method == Method.MANUAL
        or claim.curator_edited_at is not None
        or any(stance_is_protected(stance) for stance in claim.stances.all())
    )


def stance_is_protected(stance: Stance) -> bool:
    """A stance a curator set: no automatic run may change it."""
    return stance.method == StanceMethod.MANUAL


def speaker_is_protected(speaker: Speaker) -> bool:
    """A speaker a curator edited or made: automatic runs leave its fields alone."""
    return speaker.curator_edited_at is not None or speaker.origin == SpeakerOrigin.MANUAL
