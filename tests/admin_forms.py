"""What the admin's forms post, for the tests that drive the admin."""

from __future__ import annotations

from claims.models import Claim


def claim_form_data(claim: Claim, **changes) -> dict:
    """What the claim change form posts when nothing is edited, then ``changes``."""
    stances = list(claim.stances.order_by("pk")) if claim.pk else []
    data = {
        "source": claim.source_id,
        "speaker": claim.speaker_id or "",  # a claim needing a speaker posts none
        "kind": claim.kind,
        "status": claim.status,
        "text": claim.text,
        "start": claim.start,
        "end": claim.end,
        "cue": claim.cue,
        "context": claim.context,
        "confidence": claim.confidence,
        "version": claim.version,
        "stances-TOTAL_FORMS": len(stances),
        "stances-INITIAL_FORMS": len(stances),
        "stances-MIN_NUM_FORMS": 0,
        "stances-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    for i, stance in enumerate(stances):
        data |= {
            f"stances-{i}-id": stance.pk,
            f"stances-{i}-claim": claim.pk,
            f"stances-{i}-topic": stance.topic_id,
            f"stances-{i}-stance": stance.stance,
            f"stances-{i}-confidence": stance.confidence,
            f"stances-{i}-version": stance.version,
        }
    return data | changes
