"""The evaluation itself, and the extractor's scores on both gold sets (kept in CI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.extraction import Gazetteer, KnownSpeaker
from claims.extraction.evaluate import evaluate_dir, score_article

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = Gazetteer([KnownSpeaker("anne-morel", "Anne Morel", gender="f")])
BODY = (
    "« Nous tiendrons nos engagements jusqu'au bout », a déclaré Anne Morel. "
    "« Rien ne presse pour le moment », a dit une source proche du dossier."
)


def test_score_counts_found_missed_and_wrong_speakers():
    gold = [
        {"text": "Nous tiendrons nos engagements jusqu'au bout", "speaker": "Anne Morel"},
        {"text": "Rien ne presse pour le moment", "speaker": None},
        {"text": "Une phrase que personne n'a dite ici", "speaker": "Anne Morel"},
    ]
    score = score_article("x", BODY, gold, PEOPLE, [])
    # The anonymous source's quote counts: found, and right with no speaker.
    assert (score.counts.gold_direct, score.counts.found_direct) == (3, 2)
    assert (score.quote_recall, score.attribution_accuracy, score.quote_precision) == (
        0.6667,
        1.0,
        1.0,
    )
    assert score.end_to_end_attribution == 0.6667
    assert score.band_precision() == {"0.00-0.50": (1, 1.0), "0.85-1.00": (1, 1.0)}
    assert score.misses == ["missed direct: «Une phrase que personne n'a dite ici» (Anne Morel)"]


def test_score_wrong_speaker_is_reported():
    gold = [{"text": "Nous tiendrons nos engagements jusqu'au bout", "speaker": "Paul Girard"}]
    score = score_article("x", BODY, gold, PEOPLE, [])
    assert score.attribution_accuracy == 0.0
    assert score.misses == [
        "wrong speaker: direct «Nous tiendrons nos engagements jusqu'au bout» is Paul Girard, "
        "extractor said Anne Morel (name)",
        "extra direct claim (not in the gold): «Rien ne presse pour le moment» → no speaker",
    ]


@pytest.fixture(scope="module")
def reference(gazetteer):
    return gazetteer


def test_extractor_scores_on_the_seeds(reference, topics):
    total, articles = evaluate_dir(ROOT / "evaluation" / "seeds", reference, topics)
    assert len(articles) == 5
    assert (total.quote_recall, total.quote_precision, total.attribution_accuracy) == (
        1.0,
        1.0,
        1.0,
    )
    # Reported statements of anonymous sources count now; they are not kept yet.
    assert (total.indirect_recall, total.indirect_attribution_accuracy) == (0.9, 1.0)


def test_extractor_scores_on_the_test_articles(reference, topics):
    total, articles = evaluate_dir(ROOT / "evaluation" / "articles", reference, topics)
    assert len(articles) >= 10
    assert total.counts.gold_direct >= 100
    assert total.quote_recall >= 0.95
    assert total.attribution_accuracy >= 0.90
    assert total.quote_precision >= 0.95


def test_off_topic_links_are_the_links_a_gold_gives_no_stance_on_among_its_topics():
    from claims.extraction.stance import TopicSpec
    from claims.extraction.stance.evaluation import off_topic_links

    park = TopicSpec("parc", ("parc éolien",))
    port = TopicSpec("port", ("port de pêche",))
    body = (
        "Le parc éolien et le port de pêche font débat.\n\n"
        "« Ce parc éolien est une chance pour la région », a déclaré Anne Morel.\n\n"
        "« Le parc éolien et le port de pêche vivront ensemble », a déclaré Paul Girard.\n"
    )
    gold = [
        {
            "text": "Ce parc éolien est une chance pour la région",
            "speaker": "Anne Morel",
            "stances": {"parc": "favor"},
        },
        {
            "text": "Le parc éolien et le port de pêche vivront ensemble",
            "speaker": "Paul Girard",
            "stances": {},
        },
    ]
    score = score_article("x", body, gold, PEOPLE, [park, port], {"parc"})
    links = off_topic_links([score])
    # Paul Girard's quote is linked to the park, which its gold leaves out: a dismissal.
    # Its link to the port is no decision either way: the port is not scored here.
    assert [(e.text, e.topic, e.label) for e in links] == [
        ("Le parc éolien et le port de pêche vivront ensemble", "parc", "unrelated")
    ]


def test_results_say_what_the_link_model_doubted_on_the_test_half():
    from claims.extraction.results import learning_lines

    report = {
        "cold_start": {
            "accuracy": 0.3,
            "macro_f1": 0.3,
            "polar_answer_precision": None,
            "polar_answers": 0,
        },
        "link_recall": 0.8,
        "curve": [
            {
                "fraction": 1.0,
                "trained_on": 200,
                "accuracy": 0.4,
                "macro_f1": 0.4,
                "polar_answer_precision": None,
                "polar_answers": 0,
            },
        ],
        "leave_one_topic_out": {},
        "leave_one_topic_out_accuracy": None,
        "dev_cross_validation": {"accuracy": 0.5, "folds": 5},
        "off_topic": {
            "dismissals_trained_on": 24,
            "off_topic_links": 20,
            "off_topic_doubted": 3,
            "gold_links": 180,
            "gold_doubted": 4,
        },
    }
    assert learning_lines("evaluation/realnews", report)[-1] == (
        "Dismissals as training data: the dev half's off-topic links (a found quote linked to a "
        "topic its gold gives no stance on, what a curator would remove) teach the link model; "
        "24 of them. On the test half it doubts 3 of 20 off-topic links and 4 of 180 linked "
        "gold pairs (doubted pairs stay, as suggestions for review)."
    )
