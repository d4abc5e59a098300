from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from claims.choices import Method, ReviewStatus
from claims.models import Claim, Speaker, Topic
from claims.services import curation, protection, reference, speakers
from tests.factories import ClaimFactory, SpeakerFactory, StanceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "protected"),
    [
        ({}, False),
        ({"status": ReviewStatus.CONFIRMED}, True),
        ({"status": ReviewStatus.REJECTED}, True),
        ({"method": Method.MANUAL}, True),
        ({"curator_edited_at": timezone.now()}, True),
    ],
)
def test_claim_is_protected_when_a_curator_touched_it(changes, protected):
    assert protection.claim_is_protected(ClaimFactory(**changes)) is protected


def test_stance_is_protected_only_when_manual():
    assert protection.stance_is_protected(StanceFactory(method="auto")) is False
    assert protection.stance_is_protected(StanceFactory(method="manual")) is True


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


def test_reference_install_is_idempotent_and_never_overwrites():
    report = reference.reference_install()
    assert (report.speakers_created, report.topics_created) == (29, 5)
    assert report.skipped_aliases == []
    Speaker.objects.filter(slug="jake-sullivan").update(role="changé par un curateur")
    Topic.objects.filter(slug="achat-s400-turquie").update(keywords=["S-400"])
    again = reference.reference_install()
    assert (again.speakers_created, again.aliases_created, again.topics_created) == (0, 0, 0)
    assert Speaker.objects.get(slug="jake-sullivan").role == "changé par un curateur"
    assert Topic.objects.get(slug="achat-s400-turquie").keywords == ["S-400"]


def test_reference_speakers_have_the_required_people():
    reference.reference_install()
    required = {
        "jake-sullivan",
        "mevlut-cavusoglu",
        "recep-tayyip-erdogan",
        "wendy-sherman",
        "vladimir-poutine",
        "dmitri-peskov",
        "hulusi-akar",
        "aaron-stein",
        "serguei-lavrov",
        "mike-pompeo",
        "joe-biden",
        "donald-trump",
        "jens-stoltenberg",
        "volodymyr-zelensky",
        "ismail-demir",
    }
    assert required - set(Speaker.objects.values_list("slug", flat=True)) == set()
    erdogan = Speaker.objects.get(slug="recep-tayyip-erdogan")
    assert (erdogan.country, erdogan.wikidata_id, erdogan.role) == (
        "TR",
        "Q39259",
        "président de la Turquie",
    )


def test_alias_add_refuses_a_taken_name():
    first = SpeakerFactory(name="Anne Morel")
    second = SpeakerFactory(name="Anne Morelle")
    assert speakers.alias_add(speaker=first, name="Morel") is not None
    assert speakers.alias_add(speaker=second, name="MOREL") is None
    assert speakers.alias_add(speaker=first, name="anne morel") is None  # its own name


def test_source_dates_sync_copies_the_date_to_every_claim():
    claim = ClaimFactory()
    source = claim.source
    source.published = datetime.date(2019, 1, 2)
    source.save()
    assert curation.source_dates_sync(source=source) == 1
    claim.refresh_from_db()
    assert claim.published == datetime.date(2019, 1, 2)
