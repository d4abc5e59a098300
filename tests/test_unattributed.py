"""Every quotation found is kept: with no speaker it waits for a curator, never dropped."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from claims.extraction import SpeakerRef
from claims.models import Claim, Speaker
from claims.services import speakers

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Le conseil municipal s'est réuni mardi soir.\n\n"
    "« Nous ne laisserons pas fermer cette école sans nous battre », répète-t-on dans la salle.\n\n"
    "« La décision sera prise avant l'été, quoi qu'il arrive », a déclaré Jean Dupont."
)


def test_a_quotation_whose_speaker_is_unknown_is_stored_and_listed_as_needing_one(tmp_path):
    (tmp_path / "ecole.txt").write_text(ARTICLE, encoding="utf-8")
    out = StringIO()

    call_command("load_seeds", str(tmp_path), "--no-nlp", "-v", "2", stdout=out)

    claims = list(Claim.objects.order_by("start").values_list("text", "speaker__slug"))
    assert claims == [
        ("Nous ne laisserons pas fermer cette école sans nous battre", None),
        ("La décision sera prise avant l'été, quoi qu'il arrive", "jean-dupont"),
    ]
    assert (
        "    no speaker found for: «Nous ne laisserons pas fermer cette école sans nous battre»"
        in out.getvalue().splitlines()
    )
    # Loading again neither duplicates nor drops it.
    call_command("load_seeds", str(tmp_path), "--no-nlp", stdout=StringIO())
    assert Claim.objects.filter(speaker=None).count() == 1


def test_a_speaker_known_only_by_a_role_is_one_per_article():
    habitant = SpeakerRef(None, "habitant", "role-new", 0.6, role="habitant")

    first = speakers.speaker_for_ref(ref=habitant, source_key="incendie-paris")
    second = speakers.speaker_for_ref(ref=habitant, source_key="crue-nimes")
    again = speakers.speaker_for_ref(ref=habitant, source_key="incendie-paris")

    assert (first.slug, second.slug, again.pk) == (
        "habitant--incendie-paris",
        "habitant--crue-nimes",
        first.pk,
    )
    assert (first.name, first.needs_review, first.aliases.count()) == ("habitant", True, 0)
    prefet = speakers.speaker_for_ref(
        ref=SpeakerRef(None, "préfet de la Gironde", "role-new", 0.6), source_key="x"
    )
    # A role's last word is no surname: "Gironde" is no alias of anyone.
    assert (prefet.name, list(prefet.aliases.all())) == ("préfet de la Gironde", [])
    assert Speaker.objects.filter(needs_review=True).count() == 3
