from __future__ import annotations

import pytest

from claims.services import speakers
from tests.factories import SpeakerFactory

pytestmark = pytest.mark.django_db


def test_alias_add_refuses_a_taken_name():
    first = SpeakerFactory(name="Anne Morel")
    second = SpeakerFactory(name="Anne Morelle")
    assert speakers.alias_add(speaker=first, name="Morel") is not None
    assert speakers.alias_add(speaker=second, name="MOREL") is None
    assert speakers.alias_add(speaker=first, name="anne morel") is None  # its own name
