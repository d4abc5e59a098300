from __future__ import annotations

import pytest

from claims.models import Speaker, Topic
from claims.services import reference

pytestmark = pytest.mark.django_db


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
