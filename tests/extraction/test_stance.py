from __future__ import annotations

from claims.extraction.stance import TopicLink, TopicSpec, link_topics, suggest_stance

S400 = TopicSpec(
    "achat-s400", ("S-400", "missiles"), favor=("acheter", "conserver"), against=("renoncer",)
)
SANCTIONS = TopicSpec("sanctions", ("sanction",), favor=("sanctionner",), against=("illégitime",))
STRONG = TopicLink("achat-s400", 0.4, 1, 0)


def test_stance_topic_linked_from_claim_keyword():
    links = link_topics("Nous gardons nos S-400.", "", "", [S400, SANCTIONS])
    assert [(link.topic, link.score, link.strong) for link in links] == [("achat-s400", 0.4, True)]


def test_stance_topic_linked_from_two_keywords_in_paragraph_only():
    links = link_topics(
        "Nous tiendrons.", "", "Les sanctions et les S-400 et les missiles.", [S400, SANCTIONS]
    )
    assert [(link.topic, link.strong) for link in links] == [("achat-s400", False)]


def test_stance_topic_not_linked_from_a_paragraph_that_is_a_whole_article():
    paragraph = "Les S-400 et les missiles. " * 100
    assert link_topics("Nous tiendrons.", "", paragraph, [S400]) == []


def test_stance_favor_cue():
    suggestion = suggest_stance("Nous allons conserver ce système", S400, STRONG)
    assert (suggestion.stance, suggestion.evidence) == ("favor", ("+conserver",))


def test_stance_negated_against_cue_is_favor():
    suggestion = suggest_stance("Nous ne renoncerons pas aux S-400", S400, STRONG)
    assert (suggestion.stance, suggestion.evidence) == ("favor", ("+ne… renoncer",))


def test_stance_generic_polarity_word_counts_when_topic_is_named():
    suggestion = suggest_stance(
        "Ces sanctions sont inacceptables", SANCTIONS, TopicLink("sanctions", 0.4, 1, 0)
    )
    assert (suggestion.stance, suggestion.evidence) == ("against", ("-inacceptable",))


def test_stance_generic_polarity_word_ignored_for_weak_link():
    weak = TopicLink("sanctions", 0.2, 0, 0)
    assert suggest_stance("C'est inacceptable", SANCTIONS, weak).stance == "neutral"


def test_stance_neutral_without_cues_has_lower_confidence():
    neutral = suggest_stance("Les S-400 sont arrivés", S400, STRONG)
    favor = suggest_stance("Nous allons acheter des S-400", S400, STRONG)
    assert neutral.stance == "neutral"
    assert neutral.confidence < favor.confidence


def test_stance_prior_fills_in_when_the_claim_has_no_cue():
    from claims.extraction.stance import StanceSuggestion, apply_prior

    suggestion = apply_prior(StanceSuggestion("achat-s400", "neutral", 0.42), {"favor": 3})
    assert (suggestion.stance, suggestion.confidence, suggestion.evidence) == (
        "favor",
        0.65,
        ("prior: 3 reviewed favor",),
    )
    assert suggestion.contradicts_history is False


def test_stance_prior_flags_a_change_of_position():
    from claims.extraction.stance import StanceSuggestion, apply_prior

    suggestion = apply_prior(
        StanceSuggestion("achat-s400", "against", 0.7, ("-renoncer",)), {"favor": 2, "against": 1}
    )
    assert (suggestion.stance, suggestion.confidence, suggestion.contradicts_history) == (
        "against",
        0.55,
        True,
    )
    assert suggestion.evidence == ("-renoncer", "contradicts 2 reviewed favor")


def test_stance_prior_ignored_when_history_is_split_or_empty():
    from claims.extraction.stance import StanceSuggestion, apply_prior

    neutral = StanceSuggestion("achat-s400", "neutral", 0.42)
    assert apply_prior(neutral, {"favor": 1, "against": 1}) == neutral
    assert apply_prior(neutral, {}) == neutral
    assert apply_prior(neutral, {"neutral": 4}) == neutral


def test_a_models_doubt_stays_first_when_the_prior_adds_to_full_evidence():
    from claims.extraction.stance import StanceSuggestion, apply_prior

    evidence = ("likely not about the topic p=0.71", *(f"-w{i}" for i in range(11)))
    suggestion = apply_prior(
        StanceSuggestion("parc", "against", 0.9, evidence, method="model"), {"favor": 2}
    )
    assert suggestion.evidence == (
        "likely not about the topic p=0.71",
        *(f"-w{i}" for i in range(1, 11)),
        "contradicts 2 reviewed favor",
    )


def test_keyword_spans_keeps_every_overlapping_keyword():
    from claims.extraction.stance.linking import TopicSpec, keyword_spans

    topic = TopicSpec("parc", ("parc éolien", "éolien en mer", "baie"))
    text = "Le parc éolien en mer de la baie."
    assert keyword_spans(text, topic) == [(3, 14), (8, 21), (28, 32)]
    assert keyword_spans("Rien à voir.", topic) == []
