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


@pytest.mark.parametrize(
    ("raw", "mapped"),
    [
        ("« Nous irons », a déclaré Mevlüt Çavuşoğlu.", False),  # composed: no map kept
        ("plain ASCII", False),
        ("déclaré\u200b par Jean", True),  # composed but holds a format character
        (unicodedata.normalize("NFD", "déclaré"), True),
    ],
)
def test_clean_keeps_an_offset_map_only_when_the_text_changes(raw, mapped):
    cleaned = clean(raw)

    assert (cleaned.starts is not None) is mapped
    assert (cleaned.text == raw) is not mapped
    if not mapped:
        assert cleaned.raw_span(3, 9) == (3, 9)
        assert cleaned.raw_span(5, 5) == (5, 5)
        assert cleaned.raw_span(6, 2) == (6, 6)  # an inverted span is empty where it starts
