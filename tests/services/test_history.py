"""Every change to curated data is kept: who, when, before and after, readable in the admin."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from rest_framework.test import APIClient

from claims.models import Claim, Source, Speaker, Stance
from claims.services import curation
from claims.services.history import BASELINE_REASON
from tests.factories import ClaimFactory, SpeakerFactory, StanceFactory
from tests.test_edit_conflicts import change_url, page_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(client):
    user = User.objects.create_user("alice", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="curators"))
    client.force_login(user)
    return client


def records(obj) -> list[tuple]:
    """(type, user, reason) of each history record, oldest first."""
    history = type(obj).history.filter(id=obj.pk).order_by("history_date", "history_id")
    return [
        (
            r.history_type,
            r.history_user.username if r.history_user else None,
            r.history_change_reason,
        )
        for r in history.select_related("history_user")
    ]


def last_changes(obj) -> dict[str, tuple]:
    """{field: (before, after)} of the latest record against the one before it."""
    newest, previous = (
        type(obj).history.filter(id=obj.pk).order_by("-history_date", "-history_id")[:2]
    )
    delta = newest.diff_against(previous)
    return {c.field: (c.old, c.new) for c in delta.changes}


def test_admin_claim_edit_is_recorded_with_user_and_before_after(alice):
    claim = ClaimFactory(cue="a dit")

    alice.post(change_url(claim), page_data(alice.get(change_url(claim))) | {"cue": "a affirmé"})

    assert records(claim) == [("+", None, None), ("~", "alice", None)]
    changes = last_changes(claim)
    assert changes["cue"] == ("a dit", "a affirmé")
    assert changes["version"] == (1, 2)
    assert set(changes) == {"cue", "version"}  # the editable fields (timestamps are not)


def test_admin_history_page_shows_who_and_what(alice):
    claim = ClaimFactory(cue="a dit")
    alice.post(change_url(claim), page_data(alice.get(change_url(claim))) | {"cue": "a affirmé"})

    page = alice.get(f"/admin/claims/claim/{claim.pk}/history/")

    assert page.status_code == 200
    html = page.content.decode()
    # One change by alice; the creation by nobody.
    assert re.findall(r'<a href="/admin/auth/user/\d+/change/">(\w+)</a>', html) == ["alice"]
    cue_change = re.search(
        r"<strong>Cue:</strong>\s*(.*?)\s*&nbsp;&rarr;&nbsp;&nbsp;(.*?)\s*</li>", html
    )
    assert cue_change is not None
    assert cue_change.groups() == ("a dit", "a affirmé")


@pytest.mark.parametrize("model", ["claim", "stance", "speaker", "source", "topic", "alias"])
def test_every_curated_model_has_a_history_page(alice, model):
    stance = StanceFactory()
    from tests.factories import AliasFactory

    obj = {
        "claim": stance.claim,
        "stance": stance,
        "speaker": stance.claim.speaker,
        "source": stance.claim.source,
        "topic": stance.topic,
        "alias": AliasFactory(speaker=stance.claim.speaker),
    }[model]

    page = alice.get(f"/admin/claims/{model}/{obj.pk}/history/")

    assert page.status_code == 200
    assert page.context["page_obj"].paginator.count == 1  # the creation


def test_admin_inline_stance_edit_is_recorded(alice):
    stance = StanceFactory(stance="favor")
    claim = stance.claim

    alice.post(
        change_url(claim), page_data(alice.get(change_url(claim))) | {"stances-0-stance": "against"}
    )

    assert records(stance) == [("+", None, None), ("~", "alice", None)]
    assert last_changes(stance)["stance"] == ("favor", "against")
    assert last_changes(stance)["method"] == ("auto", "manual")


def test_admin_speaker_edit_and_alias_added_are_recorded(alice):
    speaker = SpeakerFactory(role="ministre")
    data = page_data(alice.get(change_url(speaker))) | {
        "role": "président",
        "aliases-0-name": "Le Reis",
        "aliases-0-kind": "name",
    }

    response = alice.post(change_url(speaker), data)

    assert response.status_code == 302
    assert records(speaker) == [("+", None, None), ("~", "alice", None)]
    assert last_changes(speaker)["role"] == ("ministre", "président")
    alias = speaker.aliases.get()
    assert records(alias) == [("+", "alice", None)]


def test_admin_reject_action_records_each_claim(alice):
    claims = ClaimFactory.create_batch(2)

    alice.post(
        "/admin/claims/claim/",
        {"action": "reject", "_selected_action": [c.pk for c in claims]},
    )

    for claim in claims:
        assert records(claim) == [("+", None, None), ("~", "alice", None)]
        assert last_changes(claim)["status"] == ("unreviewed", "rejected")
    assert Claim.objects.filter(status="rejected").count() == 2  # kept, not deleted


def test_api_patch_is_recorded_with_the_token_user(db):
    user = User.objects.create_user("cora", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="curators"))
    from rest_framework.authtoken.models import Token

    client = APIClient(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    claim = ClaimFactory()

    response = client.patch(
        f"/api/claims/{claim.pk}/",
        json.dumps({"status": "confirmed"}),
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 200
    assert records(claim) == [("+", None, None), ("~", "cora", None)]
    assert last_changes(claim)["status"] == ("unreviewed", "confirmed")


def test_rows_written_without_history_get_their_before_state_on_first_change():
    # Bulk-written rows (generate_corpus, import_claims) have no record yet.
    claim = ClaimFactory(cue="a dit")
    Claim.history.all().delete()
    claim = Claim.objects.get(pk=claim.pk)

    curation.claim_update(claim=claim, cue="a affirmé")

    assert records(claim) == [("~", None, BASELINE_REASON), ("~", None, None)]
    assert last_changes(claim)["cue"] == ("a dit", "a affirmé")
    baseline = Claim.history.filter(id=claim.pk).earliest("history_date")
    assert (baseline.version, baseline.cue) == (1, "a dit")


def test_loader_changes_are_recorded_as_the_loader_with_the_state_before(seeds_loaded):
    # What an article creates is not recorded (created_at says when); what a later load
    # changes or removes is, with the state before it.
    assert (Claim.history.count(), Stance.history.count(), Source.history.count()) == (0, 0, 0)
    claim = Claim.objects.order_by("pk").first()
    Claim.objects.filter(pk=claim.pk).update(cue="a glissé")  # as an older extractor left it
    stray = ClaimFactory(source=claim.source, start=0, end=5, text=claim.source.text[0:5])
    Claim.history.all().delete()

    call_command("load_seeds", verbosity=0)

    assert records(claim) == [("~", None, BASELINE_REASON), ("~", None, "load_seeds")]
    assert last_changes(claim)["cue"] == ("a glissé", claim.cue)
    assert records(stray) == [("-", None, "load_seeds")]
    assert not Claim.objects.filter(pk=stray.pk).exists()


def test_a_rerun_adds_no_history(seeds_loaded):
    before = (Claim.history.count(), Stance.history.count(), Speaker.history.count())

    call_command("load_seeds", verbosity=0)

    assert (Claim.history.count(), Stance.history.count(), Speaker.history.count()) == before


def test_the_state_before_a_first_admin_edit_is_not_credited_to_the_curator(alice):
    claim = ClaimFactory(cue="a dit")
    Claim.history.all().delete()  # as for a row COPYed or imported

    alice.post(change_url(claim), page_data(alice.get(change_url(claim))) | {"cue": "a affirmé"})

    assert records(claim) == [("~", None, BASELINE_REASON), ("~", "alice", None)]


def test_bulk_actions_record_the_state_before_for_rows_without_history(alice):
    claims = ClaimFactory.create_batch(2)
    Claim.history.filter(id=claims[0].pk).delete()

    alice.post(
        "/admin/claims/claim/", {"action": "confirm", "_selected_action": [c.pk for c in claims]}
    )

    assert records(claims[0]) == [("~", None, BASELINE_REASON), ("~", "alice", None)]
    assert records(claims[1]) == [("+", None, None), ("~", "alice", None)]
    assert last_changes(claims[0])["status"] == ("unreviewed", "confirmed")
