"""The parse is read from spaCy's arrays; it must say what spaCy's tokens say."""

from __future__ import annotations

from claims.extraction import nlp

TEXT = (
    "« Nous ne céderons pas », a déclaré mardi la ministre italienne. "
    "Selon elle, les négociations reprendront. Le syndicat l'a confirmé."
)


def _from_tokens(doc, offset: int, first: int) -> nlp.Parse:
    # What Token attributes give, one by one: the reading the array read replaced.
    feats = []
    for token in doc:
        morph = token.morph.to_dict()
        feats.append("|".join(f"{k}={morph[k]}" for k in nlp._FEATS if k in morph))
    return nlp.Parse(
        starts=tuple(t.idx + offset for t in doc),
        ends=tuple(t.idx + len(t.text) + offset for t in doc),
        lemmas=tuple(t.lemma_ for t in doc),
        pos=tuple(t.pos_ for t in doc),
        deps=tuple(t.dep_ for t in doc),
        heads=tuple(t.head.i + first for t in doc),
        feats=tuple(feats),
        sentence_starts=tuple(s.start + first for s in doc.sents),
    )


def test_parse_from_arrays_equals_the_token_attributes():
    doc = nlp.get_nlp()(TEXT)

    parse = nlp._parse(doc, offset=1000, first=40)

    assert parse == _from_tokens(doc, 1000, 40)
    assert len(parse) == len(doc)
    # Heads before and after a token (negative and positive relative offsets) both occur.
    assert any(h < i + 40 for i, h in enumerate(parse.heads))
    assert any(h > i + 40 for i, h in enumerate(parse.heads))
    assert len(parse.sentence_starts) == 3


def test_parse_of_an_empty_doc_is_empty():
    assert nlp._parse(nlp.get_nlp()("")) == nlp.Parse((), (), (), (), (), (), (), ())
