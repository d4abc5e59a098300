"""The FilterSets skip django-filter's per-request deep copy: each request still gets its own."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from claims.filtersets import ClaimFilterSet
from claims.models import Claim
from tests.factories import ClaimFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def test_two_filtersets_share_no_filter_and_bind_methods_to_themselves():
    first, second = ClaimFilterSet(QueryDict("q=a")), ClaimFilterSet(QueryDict("q=b"))

    for name in ClaimFilterSet.base_filters:
        assert first.filters[name] is not second.filters[name]
        assert (first.filters[name].parent, second.filters[name].parent) == (first, second)
    assert first.filters["q"].filter.f is first.filters["q"]  # the FilterMethod, rebound
    assert not hasattr(ClaimFilterSet.base_filters["q"], "parent")  # the declared ones: untouched


def test_consecutive_filtersets_filter_by_their_own_values():
    alice, bob = SpeakerFactory(name="Alice Martin"), SpeakerFactory(name="Bob Durand")
    a = ClaimFactory(speaker=alice)
    b = ClaimFactory(speaker=bob, source=a.source, start=0, end=5, text=a.source.text[:5])

    def ids(query: str) -> list[int]:
        filterset = ClaimFilterSet(QueryDict(query), queryset=Claim.objects.order_by("pk"))
        assert filterset.is_valid(), filterset.errors
        return list(filterset.qs.values_list("pk", flat=True))

    assert ids(f"speaker={alice.slug}") == [a.pk]
    assert ids(f"speaker={bob.slug}") == [b.pk]
    assert ids(f"speaker={alice.slug}&speaker={bob.slug}") == [a.pk, b.pk]
    assert ClaimFilterSet(QueryDict("speaker=nobody")).errors["speaker"] == [
        "Select a valid choice. nobody is not one of the available choices."
    ]
    assert ids(f"speaker={alice.slug}") == [a.pk]  # an invalid one before leaves no trace
