from __future__ import annotations

import pytest

from claims.extraction.quotes import find_quotes


@pytest.mark.parametrize(
    "text",
    [
        "Il a dit «Nous irons jusqu'au bout» hier.",
        "Il a dit « Nous irons jusqu'au bout » hier.",
        "Il a dit «\u00a0Nous irons jusqu'au bout\u00a0» hier.",
        "Il a dit «\u202fNous irons jusqu'au bout\u202f» hier.",
        "Il a dit “Nous irons jusqu'au bout” hier.",
        'Il a dit "Nous irons jusqu\'au bout" hier.',
        "Il a dit ‘Nous irons jusqu’au bout’ hier.",
    ],
)
def test_quotes_every_mark_style(text):
    quotes = find_quotes(text)
    assert [q.text for q in quotes] == [
        "Nous irons jusqu'au bout" if "’au" not in text else "Nous irons jusqu’au bout"
    ]
    assert text[quotes[0].start : quotes[0].end] == quotes[0].text


def test_quotes_nested_marks_stay_inside_the_outer_quote():
    text = "« Il m'a dit “jamais” et je l'ai cru », a-t-il raconté."
    assert [q.text for q in find_quotes(text)] == ["Il m'a dit “jamais” et je l'ai cru"]


def test_quotes_trailing_comma_inside_marks_is_not_part_of_the_claim():
    assert [q.text for q in find_quotes("« Nous ne serons pas arrêtés, » a-t-il dit.")] == [
        "Nous ne serons pas arrêtés"
    ]


def test_quotes_unclosed_mark_ends_at_its_paragraph():
    text = "« Une phrase sans fin. Et une autre\n\nParagraphe suivant « avec citation » ici."
    quotes = find_quotes(text)
    assert [(q.text, q.closed) for q in quotes] == [
        ("Une phrase sans fin.", False),
        ("avec citation", True),
    ]


def test_quotes_second_opening_mark_closes_the_unclosed_first():
    text = "« Début sans fermeture. « Seconde citation » fin."
    assert [(q.text, q.closed) for q in find_quotes(text)] == [
        ("Début sans fermeture.", False),
        ("Seconde citation", True),
    ]


def test_quotes_apostrophe_is_not_a_closing_mark():
    assert find_quotes("L’achat d’armes n’est pas ‘anodin’ selon lui.")[0].text == "anodin"


def test_quotes_word_count():
    assert [q.words for q in find_quotes("« créatifs » et « trois mots ici »")] == [1, 3]
