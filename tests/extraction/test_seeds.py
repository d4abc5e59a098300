"""Every direct quotation of three or more words in the seeds, with who said it.

The table comes from reading the five articles; the extractor must match it exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.extraction import extract, parse_article

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# (seed, first words of the quote, speaker slug)
EXPECTED = {
    "000_690ed3d6e71d9c9d": [
        ("Quant aux S-400, les dirigeants ont examiné", "jake-sullivan"),
    ],
    "001_a5cf609aa1e02e70": [
        ("Maintenant, la proposition venait des États-Unis", "mevlut-cavusoglu"),
        ("Lors de notre rencontre avec Pompeo", "mevlut-cavusoglu"),
        ("Une attaque contre nos droits souverains", "mevlut-cavusoglu"),
        ("Nous ne serons pas arrêtés", "mevlut-cavusoglu"),
        ("Certaines activités avec les États-Unis", "hulusi-akar"),
    ],
    "002_57541e28d119a98b": [
        ("Nous achetons les armes que nous voulons", "recep-tayyip-erdogan"),
        ("n’aurait pas été contrainte d’acheter", "recep-tayyip-erdogan"),
        ("Nous pouvons renforcer notre défense", "recep-tayyip-erdogan"),
        ("Ils ont parlé de l’extension de la coopération", "dmitri-peskov"),
    ],
    "003_dab20d11591470dc": [
        ("Je pense que tout le monde sait que le S-400", "wendy-sherman"),
        ("La Turquie a réussi à marcher sur le fil du rasoir", "aaron-stein"),
        ("Et pour Erdogan, le S-400 est devenu un symbole", "aaron-stein"),
    ],
    "004_af019c62235211ad": [
        ("Nos\u00a0objectifs visent sérieusement", "vladimir-poutine"),
        ("D'autres projets prometteurs", "vladimir-poutine"),
        ("La Russie nous a octroyé un crédit", "recep-tayyip-erdogan"),
    ],
}


def _extract(key: str, gazetteer, topics=None):
    raw = (SEEDS / f"{key}.txt").read_text(encoding="utf-8")
    article = parse_article(raw)
    return article, extract(article.body, gazetteer, topics)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_seed_quotes_found_and_attributed(key, gazetteer):
    _, extraction = _extract(key, gazetteer)
    found = [
        (c.text, c.speaker.key if c.speaker else None)
        for c in extraction.claims
        if not c.fragment and c.kind == "direct"
    ]
    assert len(found) == len(EXPECTED[key])
    for (text, speaker), (prefix, expected_speaker) in zip(found, EXPECTED[key], strict=True):
        assert text.startswith(prefix), (text, prefix)
        assert speaker == expected_speaker, (text, speaker)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_seed_claim_offsets_point_at_the_text(key, gazetteer):
    article, extraction = _extract(key, gazetteer)
    assert extraction.claims
    for claim in extraction.claims:
        assert article.body[claim.start : claim.end] == claim.text


def test_seed_scare_quotes_are_fragments(gazetteer):
    _, e001 = _extract("001_a5cf609aa1e02e70", gazetteer)
    _, e003 = _extract("003_dab20d11591470dc", gazetteer)
    fragments = [c.text for c in (*e001.claims, *e003.claims) if c.fragment]
    assert fragments == ["illégitime", "créatifs"]
    assert [c.text for c in e001.attributed if c.text == "illégitime"] == []


def test_seed_cues_are_the_attribution_words(gazetteer):
    _, extraction = _extract("002_57541e28d119a98b", gazetteer)
    assert [c.cue for c in extraction.attributed if c.kind == "direct"] == [
        "a déclaré Erdogan",
        "Selon le président",
        "a affirmé Erdogan",
        "a déclaré le porte-parole du Kremlin, Dmitri Peskov",
    ]


def test_seed_how_each_speaker_was_resolved(gazetteer):
    _, e000 = _extract("000_690ed3d6e71d9c9d", gazetteer)
    _, e001 = _extract("001_a5cf609aa1e02e70", gazetteer)
    _, e003 = _extract("003_dab20d11591470dc", gazetteer)

    def how(extraction):
        return [c.speaker.how for c in extraction.attributed if c.kind == "direct"]

    assert how(e000) == ["pronoun"]
    assert how(e001) == ["alias", "role", "role", "role", "name"]
    assert how(e003) == ["alias", "name", "continuation"]


def test_seed_stances_are_suggested_with_evidence(gazetteer, topics):
    _, extraction = _extract("002_57541e28d119a98b", gazetteer, topics)
    first = next(c for c in extraction.attributed if c.kind == "direct")
    assert [(s.topic, s.stance, s.evidence) for s in first.stances] == [
        ("achat-s400-turquie", "favor", ("+achetons",))
    ]


# Reported speech in the seeds: (seed, the clause, speaker slug), in article order.
EXPECTED_INDIRECT = {
    "000_690ed3d6e71d9c9d": [
        (
            "les deux dirigeants se sont entendus pour poursuivre les négociations dans ce domaine",
            "jake-sullivan",
        ),
        (
            "Le Président des États-Unis et son homologue turc n'ont pas réussi à s’entendre",
            "jake-sullivan",
        ),
        ("ne pas envisager de renoncer aux S-400", "gouvernement-turc"),
        ("la Turquie continuait ses négociations avec la Russie", "mevlut-cavusoglu"),
    ],
    "001_a5cf609aa1e02e70": [
        ("La Turquie et les États-Unis ont entamé des pourparlers", "mevlut-cavusoglu"),
        (
            "Des experts de Turquie et des États-Unis négocient les tâches du groupe conjoint",
            "mevlut-cavusoglu",
        ),
        (
            "le secrétaire d’État américain Mike Pompeo avait manifesté son intérêt",
            "mevlut-cavusoglu",
        ),
        ("la Turquie a déjà signé l’accord avec la Russie", "mevlut-cavusoglu"),
        ("Ankara était prête à résoudre ces problèmes par le dialogue", "mevlut-cavusoglu"),
        (
            "elle a besoin du système de missiles russe pour renforcer ses défenses",
            "gouvernement-turc",
        ),
    ],
    "002_57541e28d119a98b": [
        ("il achètera l’arme qu’il veut", "recep-tayyip-erdogan"),
        (
            "l’ancien président Donald Trump le chef de l’Otan Jens Stoltenberg avaient confirmé",
            "recep-tayyip-erdogan",
        ),
        ("elle conserverait le système S-400", "gouvernement-turc"),
    ],
    "003_dab20d11591470dc": [
        ("il avait été contraint d’opter pour les S-400", "gouvernement-turc"),
        ("l’invasion était inacceptable", "recep-tayyip-erdogan"),
    ],
    "004_af019c62235211ad": [],
}


@pytest.mark.parametrize("key", sorted(EXPECTED_INDIRECT))
def test_seed_reported_speech_found_and_attributed(key, gazetteer):
    _, extraction = _extract(key, gazetteer)
    found = [(c.text, c.speaker.key) for c in extraction.attributed if c.kind == "indirect"]
    assert len(found) == len(EXPECTED_INDIRECT[key])
    for (text, speaker), (prefix, expected) in zip(found, EXPECTED_INDIRECT[key], strict=True):
        assert text.startswith(prefix), (text, prefix)
        assert speaker == expected, (text, speaker)
