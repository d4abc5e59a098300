"""Stances learned from curators: train_stance, restance, and the loader using the model."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.choices import StanceMethod
from claims.models import Claim, Stance, StanceDismissal, StanceModel, Topic
from claims.services import curation

pytestmark = pytest.mark.django_db

FOR = [
    "Ce parc éolien est une chance pour toute la région",
    "Nous soutenons le parc éolien sans aucune réserve",
    "Le parc éolien apportera des emplois et une énergie propre",
]
AGAINST = [
    "Ce parc éolien est un désastre pour les pêcheurs de la baie",
    "Nous refusons ce parc éolien qui va défigurer la côte",
    "Le parc éolien détruira les fonds marins, c'est inacceptable",
]


def article(i: int, quotes: list[str]) -> str:
    lines = [f"Le parc éolien de la baie, épisode {i}. Le parc éolien fait débat."]
    for n, quote in enumerate(quotes):
        lines.append(f"« {quote} », a déclaré Paul Martin{i}{n}.")
    return "\n\n".join(lines) + "\n"


@pytest.fixture
def park(tmp_path):
    topic = curation.topic_save(
        topic=Topic(
            slug="parc-eolien-baie",
            name="Parc éolien de la baie",
            description="Être « pour » signifie soutenir le parc.",
            keywords=["parc éolien", "éoliennes"],
        )
    )
    for i in range(4):
        (tmp_path / f"a{i}.txt").write_text(article(i, FOR + AGAINST), encoding="utf-8")
    run("load_seeds", str(tmp_path))
    return topic


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def curate_all(topic: Topic) -> None:
    for claim in Claim.objects.filter(source__key__startswith="a"):
        label = "favor" if claim.text in FOR else "against"
        curation.stance_set(claim=claim, topic=topic, stance=label)


def test_train_stance_refuses_too_few_curated_stances(park):
    claim = Claim.objects.first()
    curation.stance_set(claim=claim, topic=park, stance="favor")
    with pytest.raises(CommandError) as caught:
        run("train_stance")
    assert str(caught.value) == (
        "1 curated stance(s) ({'favor': 1}): training needs at least 10, of at least two "
        "kinds. Set stances in the admin or with POST /api/stances/ first."
    )
    assert StanceModel.objects.count() == 0


def test_train_stance_stores_a_model_that_loads_and_restance_use(park, tmp_path):
    assert Claim.objects.count() == 24
    curate_all(park)
    out = run("train_stance")
    assert re.fullmatch(
        r"24 curated stances \(12 against, 12 favor\) from 4 articles; cross-validated "
        r"accuracy \d+\.\d% over 4 folds by article; \d+\.\d s\.\n"
        r"Stored model-1\. Run `python manage.py restance` to apply it to the claims already "
        r"stored\.\n",
        out,
    )
    model = StanceModel.objects.get()
    assert (model.version, model.examples, model.label) == (1, 24, "model-1")
    assert set(model.parameters) >= {"kind", "classes", "weights", "intercept"}

    # A new article: its automatic stances come from the model, manual ones stay manual.
    (tmp_path / "new.txt").write_text(article(9, FOR[:1] + AGAINST[:1]), encoding="utf-8")
    run("load_seeds", str(tmp_path / "new.txt"))
    new = Stance.objects.filter(claim__source__key="new", topic=park).order_by("claim__start")
    assert [(s.method, s.model_version, s.stance) for s in new] == [
        ("model", "model-1", "favor"),
        ("model", "model-1", "against"),
    ]
    assert Stance.objects.filter(method=StanceMethod.MANUAL).count() == 24


def test_restance_applies_a_new_topic_to_stored_claims_and_keeps_curators_work(park):
    claims = list(Claim.objects.order_by("source__key", "start"))
    curation.stance_set(claim=claims[0], topic=park, stance="against")  # the curator's say
    dismissed = Stance.objects.get(claim=claims[1], topic=park)
    curation.stance_delete(stance=dismissed)
    coast = curation.topic_save(
        topic=Topic(slug="cote", name="Protection de la côte", keywords=["côte", "baie"])
    )
    out = run("restance", "--topic", "cote")
    assert out == (
        "4 articles, 24 claims: 8 with stances changed, by the lexicon (no trained model "
        "yet: run train_stance).\n"
    )
    # The articles are about the park (its keywords come back most): only the claims that
    # name the coast or the bay, in their words or their sentence, are about the new topic.
    on_coast = Stance.objects.filter(topic=coast)
    assert on_coast.count() == 8
    assert set(on_coast.values_list("method", flat=True)) == {StanceMethod.AUTO}
    # Restance of every topic: the manual stance and the dismissal hold.
    run("restance")
    assert Stance.objects.get(claim=claims[0], topic=park).method == StanceMethod.MANUAL
    assert not Stance.objects.filter(claim=claims[1], topic=park).exists()
    assert StanceDismissal.objects.filter(claim=claims[1], topic=park).count() == 1


def test_restance_of_one_topic_right_after_a_load_changes_nothing(park):
    before = sorted(Stance.objects.values_list("claim_id", "topic_id", "stance", "confidence"))
    assert run("restance", "--topic", "parc-eolien-baie") == (
        "4 articles, 24 claims: 0 with stances changed, by the lexicon (no trained model "
        "yet: run train_stance).\n"
    )
    assert run("restance") == (
        "4 articles, 24 claims: 0 with stances changed, by the lexicon (no trained model "
        "yet: run train_stance).\n"
    )
    after = sorted(Stance.objects.values_list("claim_id", "topic_id", "stance", "confidence"))
    assert after == before


def test_restance_with_a_model_rewrites_automatic_stances_only(park):
    curate_all(park)
    run("train_stance")
    extra = curation.topic_save(topic=Topic(slug="emplois", name="Emplois", keywords=["emplois"]))
    out = run("restance")
    assert out.startswith("4 articles, 24 claims: ") and out.endswith(" by model-1.\n")
    assert Stance.objects.filter(topic=park, method=StanceMethod.MANUAL).count() == 24
    on_jobs = Stance.objects.filter(topic=extra)
    assert on_jobs.count() == 4  # "des emplois et une énergie propre", once per article
    assert set(on_jobs.values_list("method", "model_version")) == {("model", "model-1")}


def test_a_model_that_cannot_be_read_is_passed_over(park, tmp_path, caplog):
    StanceModel.objects.create(version=1, examples=0, parameters={"kind": "logreg-1"})
    (tmp_path / "new.txt").write_text(article(9, FOR[:1]), encoding="utf-8")
    run("load_seeds", str(tmp_path / "new.txt"))
    assert "model-1: skipped (stance model model-1: classes must be two or three of" in caplog.text
    stance = Stance.objects.get(claim__source__key="new", topic=park)
    assert stance.method == StanceMethod.AUTO


def test_restance_refuses_an_unknown_topic(park):
    with pytest.raises(CommandError) as caught:
        run("restance", "--topic", "nope")
    assert str(caught.value) == "no topic with slug 'nope'"


OFF_TOPIC = [
    "Le match de samedi était magnifique, quelle ambiance au stade",
    "La fête du village aura lieu dimanche sur la place",
]


def test_dismissed_stances_teach_the_model_which_claims_are_off_topic(park, tmp_path):
    # Articles about the park also quote people on other things: the article's topic
    # reaches those claims, and curators dismiss them.
    for i in range(4, 8):
        (tmp_path / f"b{i}.txt").write_text(article(i, FOR + AGAINST + OFF_TOPIC), encoding="utf-8")
    run("load_seeds", str(tmp_path))
    for claim in Claim.objects.filter(text__in=FOR + AGAINST):
        label = "favor" if claim.text in FOR else "against"
        curation.stance_set(claim=claim, topic=park, stance=label)
    off = Stance.objects.filter(claim__text__in=OFF_TOPIC, topic=park).order_by("pk")
    assert off.count() == 8  # linked by the article's topic, two per new article
    for stance in list(off):
        curation.stance_delete(stance=stance)
    assert StanceDismissal.objects.count() == 8

    out = run("train_stance")
    assert re.fullmatch(
        r"48 curated stances \(24 against, 24 favor\) from 8 articles; cross-validated "
        r"accuracy \d+\.\d% over 5 folds by article; \d+\.\d s\.\n"
        r"8 dismissed stances teach which claims are off-topic: held out, 8 of 8 dismissals "
        r"and 0 of 48 curated stances were doubted \(doubted pairs are kept as suggestions for "
        r"review\)\.\n"
        r"Stored model-1\. .*\n",
        out,
    )
    model = StanceModel.objects.get()
    assert (model.examples, model.parameters["dismissals"]) == (48, 8)
    assert model.report["link"] == {
        "dismissals": 8,
        "dismissals_doubted": 8,
        "stances": 48,
        "stances_doubted": 0,
    }

    # A new article: the off-topic quote keeps its row, as a suggestion that says why; the
    # quote about the park is answered.
    (tmp_path / "new.txt").write_text(article(9, FOR[:1] + OFF_TOPIC[:1]), encoding="utf-8")
    run("load_seeds", str(tmp_path / "new.txt"))
    new = Stance.objects.filter(claim__source__key="new", topic=park).order_by("claim__start")
    assert [(s.claim.text, s.method, s.suggestion) for s in new] == [
        (FOR[0], "model", False),
        (OFF_TOPIC[0], "model", True),
    ]
    assert new[1].evidence.startswith("likely not about the topic p=")
    assert not new[0].evidence.startswith("likely not about")


def test_a_few_dismissals_fit_no_link_model_and_say_so(park):
    curate_all(park)
    claim = Claim.objects.exclude(stances__method=StanceMethod.MANUAL).first()
    assert claim is None  # every claim curated: dismiss two of the automatic ones instead
    for stance in Stance.objects.filter(topic=park).order_by("pk")[:2]:
        stance.method = StanceMethod.AUTO
        stance.save()
        curation.stance_delete(stance=stance)
    out = run("train_stance")
    assert re.fullmatch(
        r"22 curated stances \(12 against, 10 favor\) from 4 articles; cross-validated "
        r"accuracy \d+\.\d% over 4 folds by article; \d+\.\d s\.\n"
        r"2 dismissed stance\(s\): off-topic pairs are learned from 3 on\.\n"
        r"Stored model-1\. .*\n",
        out,
    )
    model = StanceModel.objects.get()
    assert "link" not in model.parameters and model.parameters["dismissals"] == 2
