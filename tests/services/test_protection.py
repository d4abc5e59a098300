from __future__ import annotations

import pytest
from django.utils import timezone

from claims.choices import Method, ReviewStatus
from claims.services import protection
from tests.factories import ClaimFactory, StanceFactory

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
