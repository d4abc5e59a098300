"""The linguistic data files: headers, and the classes of words the extractor relies on."""

from __future__ import annotations

import pytest

from claims.extraction import lexicon
from claims.extraction.normalize import fold


@pytest.mark.parametrize("path", sorted(lexicon.DATA.glob("*.txt")), ids=lambda p: p.name)
def test_every_data_file_says_what_it_holds_and_where_it_comes_from(path):
    header = [
        line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")
    ]
    assert any(line.startswith("# What") for line in header), path.name
    assert any(line.startswith("# Where from") for line in header), path.name


@pytest.mark.parametrize(
    "lemma",
    [
        "s'indigner",
        "s'alarmer",
        "se réjouir",
        "s'emporter",
        "tonner",
        "ironiser",
        "rétorquer",
        "fustiger",
        "glisser",
        "lâcher",
        "souffler",
        "concéder",
        "avouer",
        "marteler",
        "plaider",
        "prévenir",
        "faire savoir",
        "déclarer",
        "estimer",
        "réagir",
    ],
)
def test_verbs_of_saying_include_the_pronominal_and_evaluative_ones(lemma):
    bare = fold(lemma).removeprefix("se ").removeprefix("s'")
    assert bare in lexicon.SAY_LEMMAS


def test_verbs_of_saying_are_several_hundred_and_generate_their_forms():
    assert len(lexicon.SAY_LEMMAS) >= 200
    forms = {"declare", "declarait", "declarant", "dit", "disait", "repondu", "indignee", "lance"}
    assert forms <= lexicon.SAY_FORMS
    # Homographs that are mostly nouns or adverbs are left to the parser.
    assert {"maintenant", "sommes", "critique"}.isdisjoint(lexicon.SAY_FORMS)


def test_role_organisation_relay_and_nationality_words():
    assert (lexicon.ROLE_NOUN_FORMS["procureure"], lexicon.ROLE_NOUN_FORMS["habitants"]) == (
        "procureur",
        "habitant",
    )
    assert lexicon.ORG_NOUN_FORMS["syndicats"] == "syndicat"
    assert {"agence", "quotidien", "communique"} <= lexicon.RELAY_NOUNS
    assert lexicon.NATIONALITIES["italienne"] == ("IT", "Italie")
