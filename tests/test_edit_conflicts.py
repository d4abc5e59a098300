"""Two curators, one claim: the second save is refused, never silently lost."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from rest_framework.test import APIClient

from claims.models import Claim, EditConflict, Stance
from claims.services import curation
from tests.factories import ClaimFactory, SpeakerFactory, StanceFactory

pytestmark = pytest.mark.django_db


def staff(username: str) -> User:
    user = User.objects.create_user(username, password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="curators"))
    return user


@pytest.fixture
def alice(client):
    client.force_login(staff("alice"))
    return client


@pytest.fixture
def bob():
    from django.test import Client

    other = Client()
    other.force_login(staff("bob"))
    return other


def page_data(response) -> dict:
    """What the browser posts back from an admin change page when nothing is edited."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= {
            f"{formset.prefix}-{name}": value
            for name, value in formset.management_form.initial.items()
        }
        forms += formset.forms
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = value
    return data | {"_save": "Save"}


def refused(name: str, by: str) -> re.Pattern:
    """The whole conflict message; only the time varies."""
    return re.compile(
        rf"This {name} was changed by {by} at \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d while you "
        r"were editing it, so your changes were not saved: they would have overwritten "
        rf"theirs\. Open the {name} again \(its history shows what changed\) and redo your edit\."
    )


def change_url(obj) -> str:
    return f"/admin/claims/{obj._meta.model_name}/{obj.pk}/change/"


# --- the admin ----------------------------------------------------------------------------


def test_admin_second_save_of_the_same_claim_is_refused_naming_the_first(alice, bob):
    claim = ClaimFactory(cue="a dit")
    alice_page = page_data(alice.get(change_url(claim)))
    bob_page = page_data(bob.get(change_url(claim)))

    first = alice.post(change_url(claim), alice_page | {"cue": "a affirmé"})
    second = bob.post(change_url(claim), bob_page | {"cue": "a déclaré"})

    assert first.status_code == 302
    assert second.status_code == 200  # the form again, with the error
    errors = second.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    assert refused("claim", "alice").fullmatch(errors[0])
    claim.refresh_from_db()
    assert (claim.cue, claim.version) == ("a affirmé", 2)


def test_admin_save_from_a_fresh_page_after_a_conflict_succeeds(alice, bob):
    claim = ClaimFactory(cue="a dit")
    bob_stale = page_data(bob.get(change_url(claim)))
    alice.post(change_url(claim), page_data(alice.get(change_url(claim))) | {"cue": "a affirmé"})
    bob.post(change_url(claim), bob_stale | {"status": "confirmed"})

    retry = bob.post(
        change_url(claim), page_data(bob.get(change_url(claim))) | {"status": "confirmed"}
    )

    assert retry.status_code == 302
    claim.refresh_from_db()
    assert (claim.cue, claim.status, claim.version) == ("a affirmé", "confirmed", 3)


def test_admin_page_with_a_stance_changed_since_is_refused_whole(alice, bob):
    # Bob edits only the cue, but his page still shows the old stance: saving it would put
    # that back, so the page is refused and nothing of it is saved.
    claim = ClaimFactory(cue="a dit")
    stance = StanceFactory(claim=claim, stance="favor")
    bob_page = page_data(bob.get(change_url(claim)))
    alice.post(change_url(stance), page_data(alice.get(change_url(stance))) | {"stance": "against"})

    response = bob.post(change_url(claim), bob_page | {"cue": "a martelé"})

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert refused("stance", "alice").fullmatch(formset.forms[0].non_field_errors()[0])
    stance.refresh_from_db()
    claim.refresh_from_db()
    assert (stance.stance, stance.version, claim.cue, claim.version) == ("against", 2, "a dit", 1)


def test_admin_stale_stance_row_with_the_stored_values_is_not_a_conflict(alice, bob):
    # A load refreshed the stance's evidence (not on the page): Bob's page holds nothing
    # older. (A curator's save of an unedited page no longer writes, so it cannot be the
    # change in between.)
    claim = ClaimFactory(cue="a dit")
    stance = StanceFactory(claim=claim, stance="favor")
    bob_page = page_data(bob.get(change_url(claim)))
    stance.evidence = "+continuer"
    stance.save()

    response = bob.post(change_url(claim), bob_page | {"cue": "a martelé"})

    assert response.status_code == 302
    stance.refresh_from_db()
    claim.refresh_from_db()
    assert (stance.stance, stance.version, claim.cue) == ("favor", 2, "a martelé")


def test_admin_changed_stale_stance_row_is_refused(alice, bob):
    claim = ClaimFactory()
    stance = StanceFactory(claim=claim, stance="favor")
    bob_page = page_data(bob.get(change_url(claim)))
    alice.post(change_url(stance), page_data(alice.get(change_url(stance))) | {"stance": "against"})

    response = bob.post(change_url(claim), bob_page | {"stances-0-stance": "neutral"})

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert refused("stance", "alice").fullmatch(formset.forms[0].non_field_errors()[0])
    stance.refresh_from_db()
    assert (stance.stance, stance.version) == ("against", 2)


def test_admin_speaker_second_save_is_refused(alice, bob):
    speaker = SpeakerFactory(role="ministre")
    alice_page = page_data(alice.get(change_url(speaker)))
    bob_page = page_data(bob.get(change_url(speaker)))

    assert alice.post(change_url(speaker), alice_page | {"role": "président"}).status_code == 302
    second = bob.post(change_url(speaker), bob_page | {"role": "porte-parole"})

    assert second.status_code == 200
    [error] = second.context["adminform"].form.non_field_errors()
    assert refused("speaker", "alice").fullmatch(error)
    speaker.refresh_from_db()
    assert speaker.role == "président"


def test_admin_conflict_in_the_same_instant_is_reported_not_a_500(alice, monkeypatch):
    # The form check passed; someone saved just before our write: the model refuses.
    claim = ClaimFactory(cue="a dit")
    page = page_data(alice.get(change_url(claim)))
    real_save = Claim.save

    def save_after_someone_else(self, *args, **kwargs):
        if self.pk == claim.pk and not hasattr(save_after_someone_else, "done"):
            save_after_someone_else.done = True
            Claim.objects.filter(pk=claim.pk).update(version=self.version + 1, cue="en même temps")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Claim, "save", save_after_someone_else)
    response = alice.post(change_url(claim), page | {"cue": "a affirmé"}, follow=True)

    assert response.redirect_chain == [(change_url(claim), 302)]
    [message] = [str(m) for m in response.context["messages"]]
    # The newest history record is the factory's creation, by no user.
    assert refused("claim", "the loader or a script").fullmatch(message)
    # Nothing of the request was kept (the stand-in write ran inside its transaction too).
    claim.refresh_from_db()
    assert (claim.cue, claim.version) == ("a dit", 1)


# --- the model ------------------------------------------------------------------------------


def test_saving_an_instance_read_before_another_save_raises_and_keeps_the_first():
    claim = ClaimFactory(cue="a dit")
    first, second = Claim.objects.get(pk=claim.pk), Claim.objects.get(pk=claim.pk)
    curation.claim_update(claim=first, cue="a affirmé")

    with pytest.raises(EditConflict) as raised:
        curation.claim_update(claim=second, cue="a déclaré")

    assert str(raised.value) == (
        f"claim #{claim.pk} was changed by someone else (you edited version 1)"
    )
    claim.refresh_from_db()
    assert (claim.cue, claim.version) == ("a affirmé", 2)


def test_update_fields_saves_bump_the_version_too():
    stance = StanceFactory()
    stance.confidence = 0.5
    stance.save(update_fields=["confidence"])

    assert Stance.objects.values_list("confidence", "version").get(pk=stance.pk) == (0.5, 2)


# --- the API ------------------------------------------------------------------------------


@pytest.fixture
def curator_api(db):
    user = User.objects.create_user("cora", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="curators"))
    client = APIClient()
    client.force_authenticate(user)
    return client


def patch(client, claim, body: dict, **headers):
    return client.patch(
        f"/api/claims/{claim.pk}/", json.dumps(body), content_type="application/json", **headers
    )


def test_api_detail_sends_the_version_as_etag(api_client):
    claim = ClaimFactory()

    response = api_client.get(f"/api/claims/{claim.pk}/")

    assert (response["ETag"], response.json()["version"]) == ('"1"', 1)


def test_api_patch_without_if_match_is_428_and_changes_nothing(curator_api):
    claim = ClaimFactory()

    response = patch(curator_api, claim, {"status": "confirmed"})

    assert response.status_code == 428
    assert response.json() == {
        "detail": 'Send If-Match with the claim\'s ETag (its "version", e.g. If-Match: "3"), so '
        "that a change made since you read it is not overwritten."
    }
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("unreviewed", 1)


def test_api_second_patch_with_the_same_etag_is_412_and_keeps_the_first(curator_api):
    claim = ClaimFactory()
    etag = curator_api.get(f"/api/claims/{claim.pk}/")["ETag"]

    first = patch(curator_api, claim, {"status": "confirmed"}, HTTP_IF_MATCH=etag)
    second = patch(curator_api, claim, {"status": "rejected"}, HTTP_IF_MATCH=etag)

    assert (first.status_code, first["ETag"], first.json()["version"]) == (200, '"2"', 2)
    assert second.status_code == 412
    assert second.json() == {
        "detail": 'The claim was changed since you read it: it is now at version 2 (ETag "2"). '
        "Read it again and reapply your change."
    }
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("confirmed", 2)


@pytest.mark.parametrize(
    ("if_match", "expected"),
    [('"1"', 200), ('"7", "1"', 200), ("*", 200), ('W/"1"', 412), ('"2"', 412), ("1", 412)],
)
def test_api_if_match_forms(curator_api, if_match, expected):
    claim = ClaimFactory()

    response = patch(curator_api, claim, {"status": "confirmed"}, HTTP_IF_MATCH=if_match)

    assert response.status_code == expected
    claim.refresh_from_db()
    assert claim.status == ("confirmed" if expected == 200 else "unreviewed")


def test_api_malformed_if_match_names_the_header(curator_api):
    claim = ClaimFactory()

    response = patch(curator_api, claim, {"status": "confirmed"}, HTTP_IF_MATCH="1")

    assert response.json() == {"detail": "If-Match must be a quoted ETag such as \"1\", not '1'."}


def test_api_save_racing_another_writer_is_412(curator_api, monkeypatch):
    claim = ClaimFactory()
    real_update = curation.claim_update

    def someone_saves_first(*, claim, **fields):
        other = Claim.objects.get(pk=claim.pk)
        real_update(claim=other, cue="en même temps")
        return real_update(claim=claim, **fields)

    monkeypatch.setattr(curation, "claim_update", someone_saves_first)
    response = patch(curator_api, claim, {"status": "rejected"}, HTTP_IF_MATCH='"1"')

    assert response.status_code == 412
    assert response.json()["detail"].startswith(
        "The claim was changed since you read it: it is now at version 2"
    )
    claim.refresh_from_db()
    assert (claim.cue, claim.status, claim.version) == ("en même temps", "unreviewed", 2)


# --- found in review ------------------------------------------------------------------------


def test_deleting_an_instance_read_before_another_save_raises_and_keeps_the_row():
    # The loader deletes claims it read as unreviewed; a curator may have confirmed one since.
    claim = ClaimFactory()
    stale = Claim.objects.get(pk=claim.pk)
    curation.claims_set_status(claims=[claim], status="confirmed")

    with pytest.raises(EditConflict):
        stale.delete()

    assert Claim.objects.values_list("status", "version").get(pk=claim.pk) == ("confirmed", 2)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writers never overlap")
@pytest.mark.django_db(transaction=True)
def test_loader_delete_racing_a_curator_on_two_connections_keeps_the_confirmed_claim():
    claim = ClaimFactory()
    read, confirmed, outcome = threading.Event(), threading.Event(), {}

    def loader() -> None:
        try:
            with transaction.atomic():
                stale = Claim.objects.get(pk=claim.pk)  # claims_sync's read: unreviewed
                read.set()
                confirmed.wait(10)
                stale.delete()  # claims_sync's delete
            outcome["deleted"] = True
        except EditConflict:
            outcome["deleted"] = False
        finally:
            connection.close()

    thread = threading.Thread(target=loader)
    thread.start()
    read.wait(10)
    curation.claims_set_status(claims=[claim], status="confirmed")
    confirmed.set()
    thread.join(20)

    assert outcome == {"deleted": False}
    assert Claim.objects.get(pk=claim.pk).status == "confirmed"


def test_admin_deleting_a_stance_changed_since_is_refused(client, bob):
    superuser = User.objects.create_superuser("root", password="a-long-test-password")
    client.force_login(superuser)
    claim = ClaimFactory()
    stance = StanceFactory(claim=claim, stance="favor")
    stale_page = page_data(client.get(change_url(claim)))
    curation.stance_set(claim=claim, topic=stance.topic, stance="against")

    response = client.post(change_url(claim), stale_page | {"stances-0-DELETE": "on"}, follow=True)

    [message] = [str(m) for m in response.context["messages"]]
    assert refused("stance", "the loader or a script").fullmatch(
        message
    )  # stance_set ran with no user
    assert Stance.objects.values_list("stance", "version").get(pk=stance.pk) == ("against", 2)


def test_a_new_source_date_moves_its_claims_versions():
    # A claim read before the date changed must not write the old date back.
    claim = ClaimFactory()
    stale = Claim.objects.get(pk=claim.pk)
    source = claim.source
    source.published = dt.date(2001, 2, 3)
    source.save()
    curation.source_dates_sync(source=source)

    with pytest.raises(EditConflict):
        curation.claim_update(claim=stale, cue="a martelé")

    assert Claim.objects.values_list("published", "version").get(pk=claim.pk) == (
        dt.date(2001, 2, 3),
        2,
    )


@pytest.mark.parametrize("if_match", ['"³"', '"01"', '" 1"'])
def test_api_if_match_compares_tags_exactly(curator_api, if_match):
    claim = ClaimFactory()

    response = patch(
        curator_api,
        claim,
        {"status": "confirmed"},
        HTTP_IF_MATCH=if_match.encode().decode("latin-1"),
    )

    assert response.status_code == 412
    assert Claim.objects.get(pk=claim.pk).status == "unreviewed"


def test_admin_actions_cost_the_same_queries_for_5_or_40_claims(alice):
    from django.db import connection as default
    from django.test.utils import CaptureQueriesContext

    def queries(count: int) -> int:
        claims = ClaimFactory.create_batch(count)
        with CaptureQueriesContext(default) as captured:
            alice.post(
                "/admin/claims/claim/",
                {"action": "confirm", "_selected_action": [c.pk for c in claims]},
            )
        assert (
            Claim.objects.filter(pk__in=[c.pk for c in claims], status="confirmed").count() == count
        )
        return len(captured)

    # (Beyond ~45 claims SQLite splits the history insert in two: its 999-variable limit.)
    assert queries(5) == queries(40)


def test_api_patch_with_star_reads_again_after_a_save_in_between(curator_api, monkeypatch):
    claim = ClaimFactory()
    real_update, calls = curation.claim_update, []

    def someone_saves_first(*, claim, **fields):
        if not calls:
            real_update(claim=Claim.objects.get(pk=claim.pk), cue="en même temps")
        calls.append(claim.version)
        return real_update(claim=claim, **fields)

    monkeypatch.setattr(curation, "claim_update", someone_saves_first)
    response = patch(curator_api, claim, {"status": "rejected"}, HTTP_IF_MATCH="*")

    assert (response.status_code, response["ETag"], calls) == (200, '"3"', [1, 2])
    assert Claim.objects.values_list("cue", "status", "version").get(pk=claim.pk) == (
        "en même temps",
        "rejected",
        3,
    )
