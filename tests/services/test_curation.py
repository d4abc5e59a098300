from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from claims.choices import ReviewStatus
from claims.models import Claim, EditConflict, Stance, StanceDismissal
from claims.services import curation
from tests.factories import ClaimFactory, SpeakerFactory, StanceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_claim_update_validates_and_marks_edited():
    claim = ClaimFactory()
    other = SpeakerFactory()
    curation.claim_update(claim=claim, speaker=other)
    claim.refresh_from_db()
    assert claim.speaker == other
    assert claim.curator_edited_at is not None


def test_claim_update_refuses_unknown_fields():
    with pytest.raises(ValueError, match="cannot set"):
        curation.claim_update(claim=ClaimFactory(), confidence=0.1)


def test_claims_set_status_in_bulk():
    claims = [ClaimFactory(), ClaimFactory()]
    assert curation.claims_set_status(claims=claims, status=ReviewStatus.REJECTED) == 2
    for claim in claims:
        claim.refresh_from_db()
        assert (claim.status, claim.curator_edited_at is not None) == ("rejected", True)


def test_claim_save_of_a_new_claim_makes_it_the_curators():
    source = ClaimFactory().source
    start = source.text.index("La coopération")
    claim = Claim(
        source=source,
        speaker=SpeakerFactory(),
        start=start,
        end=start + 26,
        text=source.text[start : start + 26],
    )
    curation.claim_save(claim=claim, changed=[], created=True)
    claim.refresh_from_db()
    assert (claim.text, claim.method, claim.published) == (
        "La coopération doit contin",
        "manual",
        source.published,
    )
    assert claim.curator_edited_at is not None


def test_stance_set_is_manual():
    stance = StanceFactory(stance="favor", method="auto")
    curation.stance_set(claim=stance.claim, topic=stance.topic, stance="against")
    stance.refresh_from_db()
    assert (stance.stance, stance.method, stance.confidence) == ("against", "manual", 1.0)


def test_source_dates_sync_copies_the_date_to_every_claim():
    claim = ClaimFactory()
    source = claim.source
    source.published = datetime.date(2019, 1, 2)
    source.save()
    assert curation.source_dates_sync(source=source) == 1
    claim.refresh_from_db()
    assert claim.published == datetime.date(2019, 1, 2)


def test_stance_save_makes_the_stance_the_curators():
    stance = StanceFactory(stance="favor", method="auto", contradicts_history=True)
    stance.stance = "against"
    curation.stance_save(stance=stance)
    stance.refresh_from_db()
    assert (stance.stance, stance.method, stance.contradicts_history, stance.version) == (
        "against",
        "manual",
        False,
        2,
    )


def test_stance_delete_refuses_a_stance_changed_since_it_was_read():
    stance = StanceFactory(stance="favor")
    stale = Stance.objects.get(pk=stance.pk)
    curation.stance_save(stance=stance)  # someone else's save: version 2
    with pytest.raises(EditConflict):
        curation.stance_delete(stance=stale)
    assert Stance.objects.filter(pk=stance.pk).count() == 1
    curation.stance_delete(stance=Stance.objects.get(pk=stance.pk))
    assert Stance.objects.filter(pk=stance.pk).count() == 0


def test_speaker_save_marks_the_speaker_reviewed_and_edited():
    speaker = SpeakerFactory(needs_review=True)
    speaker.role = "préfète"
    curation.speaker_save(speaker=speaker)
    speaker.refresh_from_db()
    assert (speaker.role, speaker.needs_review) == ("préfète", False)
    assert speaker.curator_edited_at is not None


def test_source_save_gives_its_date_to_its_claims():
    claim = ClaimFactory()
    source = claim.source
    source.published = datetime.date(2020, 5, 17)
    curation.source_save(source=source)
    claim.refresh_from_db()
    source.refresh_from_db()
    assert (claim.published, source.published) == (datetime.date(2020, 5, 17),) * 2
    assert source.curator_edited_at is not None


def test_claim_save_of_an_edit_keeps_the_method_and_marks_it():
    claim = ClaimFactory(method="auto", cue="a dit")
    claim.cue = "a martelé"
    curation.claim_save(claim=claim, changed=["cue"])
    claim.refresh_from_db()
    assert (claim.cue, claim.method, claim.version) == ("a martelé", "auto", 2)
    assert claim.curator_edited_at is not None


# --- stances: what the API and the admin call -------------------------------------------


def curator_user(name: str = "cora") -> User:
    return User.objects.create_user(name, password="a-long-test-password")


def history_of(stance_id: int) -> list[tuple]:
    """(type, user, stance, method) of each history record of a stance, oldest first."""
    rows = Stance.history.filter(id=stance_id).order_by("history_date", "history_id")
    return [
        (r.history_type, r.history_user.username if r.history_user else None, r.stance, r.method)
        for r in rows.select_related("history_user")
    ]


def test_stance_set_creates_a_manual_stance_named_in_the_history():
    claim, topic = ClaimFactory(), TopicFactory()

    stance, created = curation.stance_set(
        claim=claim, topic=topic, stance="neutral", confidence=0.8, user=curator_user()
    )

    assert created is True
    assert Stance.objects.values_list(
        "claim", "topic", "stance", "confidence", "method", "version"
    ).get() == (claim.pk, topic.pk, "neutral", 0.8, "manual", 1)
    assert history_of(stance.pk) == [("+", "cora", "neutral", "manual")]


def test_stance_set_replaces_the_automatic_stance_and_its_flags():
    auto = StanceFactory(
        stance="favor", method="model", model_version="model-3", suggestion=True,
        contradicts_history=True,
    )  # fmt: skip

    stance, created = curation.stance_set(
        claim=auto.claim, topic=auto.topic, stance="against", user=curator_user()
    )

    assert (created, stance.pk) == (False, auto.pk)
    assert Stance.objects.values_list(
        "stance", "confidence", "method", "model_version", "suggestion", "contradicts_history",
        "version",
    ).get() == ("against", 1.0, "manual", "", False, False, 2)  # fmt: skip
    assert history_of(stance.pk) == [
        ("+", None, "favor", "model"),
        ("~", "cora", "against", "manual"),
    ]


def test_stance_set_of_the_curators_stance_as_it_is_writes_nothing():
    first, _ = curation.stance_set(claim=ClaimFactory(), topic=TopicFactory(), stance="favor")

    again, created = curation.stance_set(claim=first.claim, topic=first.topic, stance="favor")

    assert (created, again.pk, again.version, Stance.history.count()) == (False, first.pk, 1, 1)


def test_stance_set_voids_a_dismissal_of_the_pair():
    stance = StanceFactory()
    claim, topic = stance.claim, stance.topic
    curation.stance_delete(stance=stance)

    curation.stance_set(claim=claim, topic=topic, stance="favor")

    assert StanceDismissal.objects.count() == 0
    assert Stance.objects.values_list("stance", "method").get() == ("favor", "manual")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writers never overlap")
@pytest.mark.django_db(transaction=True)
def test_stance_set_racing_another_curator_on_a_new_pair_replaces_theirs():
    claim, topic = ClaimFactory(), TopicFactory()
    inserted, release, outcome = threading.Event(), threading.Event(), {}

    def first() -> None:
        try:
            with transaction.atomic():
                curation.stance_set(claim=claim, topic=topic, stance="favor")
                inserted.set()
                release.wait(10)  # the second curator's insert waits on this row meanwhile
        finally:
            connection.close()

    def second() -> None:
        try:
            inserted.wait(10)
            # It finds no stance (the first is not committed yet), inserts, and meets it.
            outcome["result"] = curation.stance_set(claim=claim, topic=topic, stance="against")
        except Exception as exc:  # reported by the assertion below
            outcome["error"] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    inserted.wait(10)
    time.sleep(0.5)  # long enough for the second insert to be waiting on the first's row
    release.set()
    for thread in threads:
        thread.join(20)

    assert set(outcome) == {"result"}, outcome
    stance, created = outcome["result"]
    assert (created, stance.stance) == (False, "against")
    assert Stance.objects.values_list("stance", "version").get() == ("against", 2)


def test_stance_update_changes_the_values_and_makes_the_stance_the_curators():
    stance = StanceFactory(stance="favor", confidence=0.4, method="auto", suggestion=True)

    assert (
        curation.stance_update(stance=stance, changes={"stance": "against", "confidence": 0.9})
        is True
    )

    assert Stance.objects.values_list(
        "stance", "confidence", "method", "suggestion", "version"
    ).get() == ("against", 0.9, "manual", False, 2)


def test_stance_update_with_its_own_values_confirms_an_automatic_stance():
    stance = StanceFactory(stance="favor", confidence=0.4, method="model", suggestion=True)

    assert curation.stance_update(stance=stance, changes={"stance": "favor"}) is True

    assert Stance.objects.values_list(
        "stance", "confidence", "method", "suggestion", "version"
    ).get() == ("favor", 0.4, "manual", False, 2)


def test_stance_update_with_its_own_values_writes_nothing_on_a_curators_stance():
    stance, _ = curation.stance_set(claim=ClaimFactory(), topic=TopicFactory(), stance="favor")
    recorded = Stance.history.count()

    assert (
        curation.stance_update(stance=stance, changes={"stance": "favor", "confidence": 1.0})
        is False
    )

    assert (Stance.objects.get().version, Stance.history.count()) == (1, recorded)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"evidence": "x"}, "stance_update cannot set ['evidence']"),
        ({"stance": "maybe"}, "Value 'maybe' is not a valid choice."),
        ({"confidence": 1.5}, "Ensure this value is less than or equal to 1.0."),
    ],
)
def test_stance_update_refuses_what_a_curator_cannot_set(fields, error):
    stance = StanceFactory(stance="favor")

    with pytest.raises((ValueError, ValidationError)) as raised:
        curation.stance_update(stance=stance, changes=fields)

    assert error in str(raised.value)
    assert Stance.objects.values_list("stance", "version").get() == ("favor", 1)


def test_stance_delete_records_who_dismissed_the_pair_and_the_history_names_them():
    stance = StanceFactory()
    stance_id, cora = stance.pk, curator_user()

    curation.stance_delete(stance=stance, user=cora)

    assert list(StanceDismissal.objects.values_list("claim", "topic", "dismissed_by")) == [
        (stance.claim_id, stance.topic_id, "cora")
    ]
    assert Stance.objects.count() == 0
    assert history_of(stance_id) == [("+", None, "favor", "auto"), ("-", "cora", "favor", "auto")]


def test_stance_delete_without_a_user_records_nobody():
    stance = StanceFactory()

    curation.stance_delete(stance=stance, user=AnonymousUser())

    assert list(StanceDismissal.objects.values_list("dismissed_by", flat=True)) == [""]


def test_stance_dismissal_delete_lets_the_pair_be_stanced_again():
    stance = StanceFactory()
    curation.stance_delete(stance=stance)

    curation.stance_dismissal_delete(dismissal=StanceDismissal.objects.get())

    assert (StanceDismissal.objects.count(), Stance.objects.count()) == (0, 0)
