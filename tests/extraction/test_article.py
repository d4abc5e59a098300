from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from claims.extraction import ArticleError, parse_article

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed(key: str):
    return parse_article((SEEDS / f"{key}.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("raw", "date", "precision", "body"),
    [
        (" date 2021-06 Texte.", dt.date(2021, 6, 1), "month", "Texte."),
        ("date 2021-06-14\nTexte.", dt.date(2021, 6, 14), "day", "Texte."),
        (" date 2019 Texte.", dt.date(2019, 1, 1), "year", "Texte."),
        ("Texte sans date.", None, "", "Texte sans date."),
    ],
)
def test_article_date_line_and_precision(raw, date, precision, body):
    article = parse_article(raw)
    assert (article.published, article.precision, article.body) == (date, precision, body)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (" date 2021-13 Texte.", "not a real date"),
        (" date juin-2021 Texte.", "expected YYYY, YYYY-MM or YYYY-MM-DD"),
        (" date 2021-06", "there is no article text after the date line"),
        ("Share Post:\n\nStay Connected\nTout le reste", "there is no article text"),
    ],
)
def test_article_bad_input_says_why(raw, message):
    with pytest.raises(ArticleError) as error:
        parse_article(raw)
    assert message in str(error.value)


def test_article_seed_000_keeps_the_date_line_text_as_body():
    article = seed("000_690ed3d6e71d9c9d")
    assert article.published == dt.date(2021, 6, 1)
    assert article.body.startswith("Joe Biden et Recep Tayyip Erdogan ne sont pas parvenus")
    assert article.title == (
        "Joe Biden et Recep Tayyip Erdogan ne sont pas parvenus à un accord en ce qui concerne "
        "les missiles sol-air russes S-400 achetés par la Turquie."
    )


def test_article_seed_001_drops_related_link_and_share_prompt():
    body = seed("001_a5cf609aa1e02e70").body
    assert "Aussi sur rt.com" not in body
    assert "ébranlé toutes les valeurs" not in body  # the teaser of another article
    assert "Partagez cette histoire" not in body
    assert body.endswith(
        "« Certaines activités avec les États-Unis et en particulier avec l’OTAN, seront négativement affectées » en raison de sanctions."
    )


def test_article_seed_003_drops_share_footer_and_subscription_prompt():
    article = seed("003_dab20d11591470dc")
    assert article.title == (
        "Les États-Unis ont suggéré à la Turquie de transférer un système de missiles de "
        "fabrication russe à l’Ukraine"
    )
    for chrome in (
        "Share Post:",
        "Stay Connected",
        "More Updates",
        "You might also enjoy",
        "ABONNEZ-VOUS",
        "En vous abonnant",
    ):
        assert chrome not in article.body
    assert article.body.count("Les États-Unis ont suggéré à la Turquie") == 1


def test_article_seed_004_drops_navigation_captions_and_reads_outlet():
    article = seed("004_af019c62235211ad")
    assert article.title == "La Russie ne compte pas en rester aux S-400"
    assert article.outlet == "FRENCH PRESS TV"
    assert article.body.startswith("La Russie ne compte pas en rester aux S-400\n\nBien que")
    for chrome in (
        "Infos",
        "AFP photo",
        "(Archives)",
        "Lire aussi",
        "Partager Cet Article",
        "SOURCE:",
    ):
        assert chrome not in article.body


def test_article_line_ends_and_bom_are_normalised():
    article = parse_article("\ufeffPremière ligne.\r\n\r\nSeconde ligne.\r\n")
    assert article.body == "Première ligne.\n\nSeconde ligne."
