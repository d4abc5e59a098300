"""Target-aware stances from the general lexicon, on small articles written for the tests
(never taken from an evaluation article); no topic has cue words of its own."""

from __future__ import annotations

import pytest

from claims.extraction import Gazetteer, KnownSpeaker, extract, nlp
from claims.extraction.stance import TopicSpec, article_topics

PARK = TopicSpec("parc", ("parc éolien", "éoliennes"), name="Parc éolien en mer")
SANCTIONS = TopicSpec("sanctions", ("sanctions",), name="Sanctions contre le pays")
CLOSURE = TopicSpec("fermeture", ("maternité",), name="Fermeture de la maternité")
TOPICS = [PARK, SANCTIONS, CLOSURE]
GAZETTEER = Gazetteer([KnownSpeaker("jean-dupont", "Jean Dupont")])

# An article about the park: a quote without its keywords still bears on it.
PARK_LEAD = (
    "Le parc éolien de la baie divise. Les éoliennes seront installées en 2026. "
    "Le parc éolien produira de l'électricité pour la région.\n"
)


def stances(quote: str, before: str = "") -> dict[str, tuple[str, bool]]:
    body = f"{before}« {quote} », a déclaré Jean Dupont."
    [claim] = [c for c in extract(body, GAZETTEER, TOPICS, nlp.analyze(body)).claims]
    return {s.topic: s.stance for s in claim.stances}


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        # Condemnation aimed at the topic.
        ("Nous dénonçons ces sanctions injustes contre notre pays", {"sanctions": "against"}),
        # Support.
        ("Nous soutenons pleinement le parc éolien au large de la côte", {"parc": "favor"}),
        # A demand composed with an action that undoes the target.
        ("Il faut abandonner le projet de parc éolien dans la baie", {"parc": "against"}),
        # Negated wanting of a passive action.
        ("Nous ne voulons pas que les éoliennes soient installées ici", {"parc": "against"}),
        # The side that acts says it will keep doing it.
        ("Nous appliquerons les sanctions avec la plus grande fermeté", {"sanctions": "favor"}),
        # A judgement of the topic as subject of a copula.
        ("Les sanctions sont une erreur pour tout le monde", {"sanctions": "against"}),
        # Negation flips a judgement.
        ("Les sanctions ne sont pas injustes du tout", {"sanctions": "favor"}),
        # A judgement of something else in the same quote is no stance on the topic.
        ("L'invasion était inacceptable, et les sanctions sont arrivées", {"sanctions": "neutral"}),
        # A demand to reopen against a closure: the closure's own word is the target.
        ("Nous exigeons le maintien de la maternité de la ville", {"fermeture": "against"}),
    ],
)
def test_stance_is_aimed_at_the_topic(quote, expected):
    assert stances(quote) == expected


def test_a_quote_that_refers_back_gets_the_article_topic():
    assert stances("Ce choix est une erreur historique pour la pêche", PARK_LEAD) == {
        "parc": "against"
    }


def test_no_link_gives_no_stance_row():
    assert stances("Nous irons voir le match dimanche au stade municipal") == {}


def test_the_opinion_holder_is_not_the_target():
    # The country's name is a keyword of no topic here; the subject of "dénoncer" holds the
    # opinion, its object is judged.
    topic = TopicSpec("achat", ("Turquie", "missiles"), name="Achat des missiles")
    body = "« La Turquie dénonce les sanctions américaines », a déclaré Jean Dupont."
    [claim] = extract(body, GAZETTEER, [topic, SANCTIONS], nlp.analyze(body)).claims
    assert {s.topic: s.stance for s in claim.stances} == {
        "achat": "neutral",
        "sanctions": "against",
    }


def test_article_topics_need_repeated_keywords():
    assert article_topics("Les éoliennes et le parc éolien. Puis les éoliennes.", TOPICS) == (
        "parc",
    )
    assert article_topics("Une phrase sur les éoliennes.", TOPICS) == ()


def test_a_name_or_a_role_in_the_cue_is_no_judgement():
    from claims.extraction.stance.rules import _saying_signals

    assert _saying_signals("a déclaré Aimé Dupont") == []
    assert _saying_signals("a indiqué la chargée de la lutte contre la fraude") == []
    assert [s.label() for s in _saying_signals("a dénoncé le maire")] == ["-cue denonce"]


def test_any_determiner_refers_back_in_an_article_about_the_topic():
    # No keyword and no demonstrative: "un mauvais projet" is still the article's measure.
    assert stances("Un mauvais projet a été imposé à toute la région", PARK_LEAD) == {
        "parc": "against"
    }


def test_a_third_partys_act_in_the_passive_is_a_fact_not_the_speakers_side():
    # "validé par le tribunal": the court's act; the speaker's side is "mauvais".
    assert stances("Un mauvais projet a été validé par le tribunal administratif", PARK_LEAD) == {
        "parc": "against"
    }


def test_a_measure_named_with_its_own_complement_is_not_the_articles_topic():
    # "la réforme des retraites" names another measure than the park the article is about.
    assert stances("La réforme des retraites est une catastrophe", PARK_LEAD) == {"parc": "neutral"}
