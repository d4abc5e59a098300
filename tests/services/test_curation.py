from __future__ import annotations

import datetime

import pytest

from claims.choices import ReviewStatus
from claims.models import Claim, EditConflict, Stance
from claims.services import curation
from tests.factories import ClaimFactory, SpeakerFactory, StanceFactory

pytestmark = pytest.mark.django_db


def test_claim_update_validates_and_marks_edited():
    claim = ClaimFactory()
    other = SpeakerFactory()
    curation.claim_update(claim=claim, speaker=other)
    claim.refresh_from_db()
    assert claim.speaker == other
    assert claim.curator_edited_at is not None


def test_claim_update_refuses_unknown_fields():
    with pytest.raises(ValueError, match="cannot set"):
        curation.claim_update(claim=ClaimFactory(), confidence=0.1)


def test_claims_set_status_in_bulk():
    claims = [ClaimFactory(), ClaimFactory()]
    assert curation.claims_set_status(claims=claims, status=ReviewStatus.REJECTED) == 2
    for claim in claims:
        claim.refresh_from_db()
        assert (claim.status, claim.curator_edited_at is not None) == ("rejected", True)


def test_claim_save_of_a_new_claim_makes_it_the_curators():
    source = ClaimFactory().source
    start = source.text.index("La coopération")
    claim = Claim(
        source=source,
        speaker=SpeakerFactory(),
        start=start,
        end=start + 26,
        text=source.text[start : start + 26],
    )
    curation.claim_save(claim=claim, changed=[], created=True)
    claim.refresh_from_db()
    assert (claim.text, claim.method, claim.published) == (
        "La coopération doit contin",
        "manual",
        source.published,
    )
    assert claim.curator_edited_at is not None


def test_stance_set_is_manual():
    stance = StanceFactory(stance="favor", method="auto")
    curation.stance_set(claim=stance.claim, topic=stance.topic, stance="against")
    stance.refresh_from_db()
    assert (stance.stance, stance.method, stance.confidence) == ("against", "manual", 1.0)


def test_source_dates_sync_copies_the_date_to_every_claim():
    claim = ClaimFactory()
    source = claim.source
    source.published = datetime.date(2019, 1, 2)
    source.save()
    assert curation.source_dates_sync(source=source) == 1
    claim.refresh_from_db()
    assert claim.published == datetime.date(2019, 1, 2)


def test_stance_save_makes_the_stance_the_curators():
    stance = StanceFactory(stance="favor", method="auto", contradicts_history=True)
    stance.stance = "against"
    curation.stance_save(stance=stance)
    stance.refresh_from_db()
    assert (stance.stance, stance.method, stance.contradicts_history, stance.version) == (
        "against",
        "manual",
        False,
        2,
    )


def test_stance_delete_refuses_a_stance_changed_since_it_was_read():
    stance = StanceFactory(stance="favor")
    stale = Stance.objects.get(pk=stance.pk)
    curation.stance_save(stance=stance)  # someone else's save: version 2
    with pytest.raises(EditConflict):
        curation.stance_delete(stance=stale)
    assert Stance.objects.filter(pk=stance.pk).count() == 1
    curation.stance_delete(stance=Stance.objects.get(pk=stance.pk))
    assert Stance.objects.filter(pk=stance.pk).count() == 0


def test_speaker_save_marks_the_speaker_reviewed_and_edited():
    speaker = SpeakerFactory(needs_review=True)
    speaker.role = "préfète"
    curation.speaker_save(speaker=speaker)
    speaker.refresh_from_db()
    assert (speaker.role, speaker.needs_review) == ("préfète", False)
    assert speaker.curator_edited_at is not None


def test_source_save_gives_its_date_to_its_claims():
    claim = ClaimFactory()
    source = claim.source
    source.published = datetime.date(2020, 5, 17)
    curation.source_save(source=source)
    claim.refresh_from_db()
    source.refresh_from_db()
    assert (claim.published, source.published) == (datetime.date(2020, 5, 17),) * 2
    assert source.curator_edited_at is not None


def test_claim_save_of_an_edit_keeps_the_method_and_marks_it():
    claim = ClaimFactory(method="auto", cue="a dit")
    claim.cue = "a martelé"
    curation.claim_save(claim=claim, changed=["cue"])
    claim.refresh_from_db()
    assert (claim.cue, claim.method, claim.version) == ("a martelé", "auto", 2)
    assert claim.curator_edited_at is not None
