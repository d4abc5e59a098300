"""Long articles: read in pieces, every quotation found, each context bounded. (Time and
memory are measured by benchmarks/bench_loader.py, not here.)"""

from __future__ import annotations

from claims.extraction import CONTEXT_CHARS, extract, nlp

UNIT = (
    "« Nous ne céderons pas sur ce point essentiel pour la Turquie », a déclaré Jean Dupont "
    "devant la presse réunie à Ankara. Selon le ministre, la Turquie ne cédera pas. "
)


def test_long_texts_go_to_the_parser_in_pieces_that_make_the_whole():
    text = "Une phrase. Une autre phrase.\n" * 20_000
    pieces = nlp.chunks(text, size=10_000)
    assert "".join(piece for _, piece in pieces) == text
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in pieces)
    assert max(len(piece) for _, piece in pieces) <= 10_000
    # One word of 50,000 letters still gets cut.
    assert "".join(p for _, p in nlp.chunks("x" * 50_000, size=10_000)) == "x" * 50_000


def test_a_one_paragraph_article_of_many_quotes_keeps_each_context_bounded(gazetteer):
    extraction = extract(UNIT * 1600, gazetteer)

    assert len([c for c in extraction.claims if c.kind == "direct"]) == 1600
    # Each claim's context is a window around it, not the whole (huge) paragraph: it was,
    # and 8,000 claims of a 2 MB paragraph held 3.2 billion characters.
    assert max(len(c.context) for c in extraction.claims) <= 2 * CONTEXT_CHARS + 200
