"""The stance classifier: its JSON parameters predict exactly what scikit-learn fitted,
priors never leak an article's own stances, folds never split an article."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from claims.extraction.stance import StanceSuggestion
from claims.extraction.stance.learning import (
    Example,
    Predictor,
    Priors,
    cross_validate,
    features,
    fit,
)

FOR = ["une chance pour la région", "nous soutenons ce projet", "une bonne nouvelle enfin"]
AGAINST = ["un désastre pour la baie", "nous refusons ce projet", "une erreur grave"]


def examples(n_articles: int = 4) -> list[Example]:
    out = []
    for a in range(n_articles):
        for text in FOR:
            out.append(Example(text, "parc", None, group=f"a{a}", speaker=f"s{a}", label="favor"))
        for text in AGAINST:
            out.append(Example(text, "parc", None, group=f"a{a}", speaker="x", label="against"))
    return out


def test_json_parameters_predict_what_scikit_learn_fitted():
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    train = [*examples(), Example("un avis partagé", "parc", None, group="a9", label="neutral")]
    parameters = json.loads(json.dumps(fit(train)))  # what is stored: plain JSON
    predictor = Predictor.from_parameters("model-1", parameters)
    priors = Priors.of(train)
    rows = [features(e, *priors.without(e)) for e in train]
    vectorizer = DictVectorizer()
    model = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
    model.fit(vectorizer.fit_transform(rows), [e.label for e in train])
    expected = model.predict_proba(vectorizer.transform(rows))
    for row, probs in zip(rows, expected, strict=True):
        got = predictor.probabilities(row)
        for label, p in zip(model.classes_, probs, strict=True):
            assert got[label] == pytest.approx(p, abs=1e-3)


def test_prediction_carries_the_model_version_and_abstains_when_unsure():
    predictor = Predictor.from_parameters("model-3", fit(examples()))
    lexicon = StanceSuggestion("parc", "favor", 0.7, ("+chance",))
    sure = predictor.predict(Example("une chance pour la région", "parc", lexicon), Priors())
    assert (sure.stance, sure.method, sure.model_version, sure.abstain) == (
        "favor",
        "model",
        "model-3",
        False,
    )
    assert sure.evidence[0] == "+chance" and sure.evidence[-1].startswith("model-3 p=")
    unsure = predictor.predict(Example("le temps qu'il fait", "parc", None), Priors())
    assert unsure.abstain == (unsure.confidence < predictor.threshold)


def test_priors_leave_out_the_article_of_the_example():
    train = examples(2)
    priors = Priors.of(train)
    own = Example("x", "parc", None, group="a0", speaker="s0", label="favor")
    assert priors.without(own) == (Counter(), Counter())  # s0 spoke in a0 only
    elsewhere = Example("x", "parc", None, group="new", speaker="s0")
    assert priors.without(elsewhere) == (Counter({"favor": 3}), Counter())


def test_cross_validation_folds_by_article():
    report = cross_validate(examples(4))
    assert report["folds"] == 4
    assert sorted(report["by_article"]) == ["a0", "a1", "a2", "a3"]
    assert report["accuracy"] == 1.0  # the same six sentences in every article


def test_unknown_model_kind_is_refused():
    with pytest.raises(ValueError) as caught:
        Predictor.from_parameters("model-2", {"kind": "pickle"})
    assert str(caught.value) == "stance model model-2: unknown kind 'pickle'"


def test_fit_needs_two_kinds():
    with pytest.raises(ValueError) as caught:
        fit([e for e in examples() if e.label == "favor"])
    assert str(caught.value) == "training needs curated stances of at least two kinds"


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"kind": "logreg-1"}, "classes must be two or three of ('against', 'favor', 'neutral')"),
        (
            {"kind": "logreg-1", "classes": ["against", "favor", "neutral"], "intercept": [0.0]},
            "intercept must hold 3 numbers",
        ),
        (
            {
                "kind": "logreg-1",
                "classes": ["against", "favor", "neutral"],
                "intercept": [0.0, 0.0, 0.0],
                "weights": {"w:x": [1.0]},
            },
            "each weight must be 3 finite numbers",
        ),
        (
            {
                "kind": "logreg-1",
                "classes": ["against", "favor"],
                "intercept": [0.0],
                "weights": {},
                "link": {"intercept": 0.0, "weights": {"w:x": float("nan")}},
            },
            "link must hold a finite intercept and finite weights",
        ),
    ],
)
def test_malformed_parameters_are_refused_with_what_is_wrong(parameters, message):
    with pytest.raises(ValueError) as caught:
        Predictor.from_parameters("model-4", parameters)
    assert str(caught.value) == f"stance model model-4: {message}"


def test_dismissals_fit_a_link_model_whose_json_predicts_what_scikit_learn_fitted():
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    off = ["le match était magnifique", "la fête du village", "il pleuvra demain"]
    train = examples() + [
        Example(text, "parc", None, group=f"a{a}", label="unrelated")
        for a in range(3)
        for text in off
    ]
    parameters = json.loads(json.dumps(fit(train)))
    assert parameters["dismissals"] == 9 and parameters["examples"] == 24
    predictor = Predictor.from_parameters("model-5", parameters)
    priors = Priors.of([e for e in train if e.label != "unrelated"])
    rows = [features(e, *priors.without(e)) for e in train]
    vectorizer = DictVectorizer()
    model = LogisticRegression(C=4.0, max_iter=2000)
    model.fit(vectorizer.fit_transform(rows), [int(e.label == "unrelated") for e in train])
    expected = model.predict_proba(vectorizer.transform(rows))[:, 1]
    for row, p in zip(rows, expected, strict=True):
        assert predictor.off_topic(row) == pytest.approx(p, abs=1e-3)
    doubted = predictor.predict(Example("la fête du village", "parc", None, group="n"), priors)
    assert (doubted.abstain, doubted.evidence[0][:27]) == (True, "likely not about the topic ")
    kept = predictor.predict(Example("nous soutenons ce projet", "parc", None, group="n"), priors)
    assert kept.off_topic < 0.5 and not kept.evidence[0].startswith("likely")


def test_cross_validation_spreads_articles_of_dismissals_only_over_the_stances_folds():
    off = [
        Example(text, "parc", None, group=f"d{a}", label="unrelated")
        for a in range(3)
        for text in ("le match était magnifique", "la fête du village", "il pleuvra demain")
    ]
    with_dismissals = cross_validate(examples(2) + off)
    without = cross_validate(examples(2))
    assert with_dismissals["folds"] == without["folds"] == 2
    assert sorted(with_dismissals["by_article"]) == ["a0", "a1"]
    assert with_dismissals["link"]["dismissals"] == 9
    assert with_dismissals["link"]["stances"] == 12
    assert "link" not in without


@pytest.mark.parametrize("link", [None, {}])
def test_a_model_without_a_link_model_loads_and_doubts_nothing(link):
    parameters = fit(examples())
    if link is None:
        parameters.pop("link", None)
        predictor = Predictor.from_parameters("model-6", parameters)
        assert predictor.off_topic({"topic:parc": 1.0}) is None
        got = predictor.predict(Example("un désastre", "parc", None), Priors())
        assert got.off_topic is None and not got.evidence[0].startswith("likely")
    else:
        parameters["link"] = link
        with pytest.raises(ValueError) as caught:
            Predictor.from_parameters("model-6", parameters)
        assert str(caught.value) == (
            "stance model model-6: link must hold a finite intercept and finite weights"
        )
