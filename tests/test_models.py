from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from claims.models import Alias
from tests.factories import AliasFactory, ClaimFactory, SourceFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def test_claim_text_must_equal_source_span():
    claim = ClaimFactory()
    claim.full_clean()
    claim.text = "Nous irons jusqu'au bout de ce dossier!"
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert error.value.message_dict == {
        "text": ["The text must equal the source text between the start and end offsets."]
    }


def test_claim_offsets_past_the_text_are_refused():
    claim = ClaimFactory()
    claim.end = len(claim.source.text) + 5
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert error.value.message_dict == {
        "end": ["The end offset is past the end of the source text."]
    }


def test_claim_span_is_unique_per_source():
    first = ClaimFactory()
    with pytest.raises(IntegrityError):
        ClaimFactory(source=first.source, speaker=first.speaker)


def test_alias_is_unique_without_regard_to_case_or_accents():
    AliasFactory(name="Erdoğan")
    clash = Alias(speaker=SpeakerFactory(name="Autre Personne"), name="ERDOGAN")
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert error.value.message_dict["name"][0].startswith("“Erdoğan” is already an alias of ")


def test_speaker_clean_stores_folded_name():
    speaker = SpeakerFactory.build(name="Mevlüt Çavuşoğlu", slug="mevlut-cavusoglu")
    speaker.full_clean()
    assert speaker.name_normalized == "mevlut cavusoglu"


def test_source_published_precision_must_match_date():
    with pytest.raises(IntegrityError):
        SourceFactory(published=None, published_precision="day")
