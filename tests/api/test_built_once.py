"""What the API builds once (FilterSets, URL templates) still answers each request alone."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from claims.api.filtersets import ClaimFilterSet
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


def test_list_urls_are_what_reverse_gives_for_odd_keys(api_client):
    # Detail URLs are reversed once per request and filled in per row (IdentityField).
    from django.urls import reverse

    from tests.factories import SourceFactory, TopicFactory

    keys = ["clé spéciale (2021)", "a+b&c=d", "plain-key"]
    for key in keys:
        SourceFactory(key=key)
    TopicFactory(slug="été-2021")

    sources = api_client.get("/api/sources/?page_size=10").json()["results"]
    topics = api_client.get("/api/topics/").json()["results"]

    assert sorted(s["url"] for s in sources) == sorted(
        "http://testserver" + reverse("source-detail", kwargs={"key": key}) for key in keys
    )
    assert [t["url"] for t in topics] == [
        "http://testserver" + reverse("topic-detail", kwargs={"slug": "été-2021"})
    ]
