"""The text extraction reads: composed, without invisible characters, offsets exact."""

from __future__ import annotations

import unicodedata

import pytest

from claims.extraction.text import clean


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Jake Sul\u200blivan a dit", "Jake Sullivan a dit"),  # zero-width space
        ("\u202bErdoğan\u202c", "Erdoğan"),  # bidi embedding
        (unicodedata.normalize("NFD", "Élysée, déclaré"), "Élysée, déclaré"),
        ("soft\u00adhyphen", "softhyphen"),
        ("plain ASCII", "plain ASCII"),
    ],
)
def test_clean_composes_and_drops_format_characters(raw, text):
    assert clean(raw).text == text


def test_clean_maps_every_span_back_to_the_stored_text_exactly():
    raw = unicodedata.normalize("NFD", "« Nous irons », a déclaré Jean Dupont\u200b.")
    cleaned = clean(raw)
    start = cleaned.text.index("Nous irons")
    end = start + len("Nous irons")

    a, b = cleaned.raw_span(start, end)

    assert raw[a:b] == "Nous irons"
    name = cleaned.text.index("Jean Dupont")
    a, b = cleaned.raw_span(name, name + len("Jean Dupont"))
    assert raw[a:b] == "Jean Dupont"
    verb = cleaned.text.index("déclaré")
    a, b = cleaned.raw_span(verb, verb + len("déclaré"))
    assert unicodedata.normalize("NFC", raw[a:b]) == "déclaré"
    assert b - a == len("déclaré") + 2  # each decomposed é is two characters there
