"""What the construction tests compare: each whole claim found (fragments left out) as
(kind, words, speaker's name), against expected (kind, first words, speaker)."""

from __future__ import annotations

from claims.extraction import extract, nlp


def claims_of(text, gazetteer):
    found = extract(text, gazetteer, [], nlp.analyze(text)).claims
    return [
        (c.kind, c.text, c.speaker.name if c.speaker else None) for c in found if not c.fragment
    ]


def assert_claims(claims, expected):
    """The same claims, in order, each starting with the expected words."""
    assert [
        (kind, words[: len(e[1])], who)
        for (kind, words, who), e in zip(claims, expected, strict=False)
    ] == expected
    assert len(claims) == len(expected)
