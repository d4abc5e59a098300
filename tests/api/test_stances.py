"""/api/stances/: curators set, change and dismiss claims' stances; everyone reads them."""

from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.models import Stance, StanceDismissal
from claims.services import curation
from tests.api.helpers import result_values
from tests.factories import ClaimFactory, SpeakerFactory, StanceFactory, TopicFactory

pytestmark = pytest.mark.django_db

SECOND_QUOTE = "La coopération doit continuer"
PERMISSION_DENIED = {"detail": "You do not have permission to perform this action."}
NOT_SIGNED_IN = {"detail": "Authentication credentials were not provided."}


def iso(value: datetime.datetime) -> str:
    """A timestamp as the API writes it (UTC, "Z")."""
    return value.isoformat().replace("+00:00", "Z")


def token_client(user: User) -> APIClient:
    """A client as a program is one: a token, no session (the history must still name it)."""
    return APIClient(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")


@pytest.fixture
def cora(db) -> User:
    user = User.objects.create_user("cora", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="curators"))
    return user


@pytest.fixture
def curator_api(cora) -> APIClient:
    return token_client(cora)


def ids(response) -> list:
    return result_values(response, "id")


def stored() -> list[tuple]:
    """Every stance as (claim, topic slug, stance, confidence, method, version)."""
    return list(
        Stance.objects.order_by("pk").values_list(
            "claim", "topic__slug", "stance", "confidence", "method", "version"
        )
    )


def history_of(stance_id: int) -> list[tuple]:
    """(type, user, stance) of each history record of a stance, oldest first."""
    rows = Stance.history.filter(id=stance_id).order_by("history_date", "history_id")
    return [
        (r.history_type, r.history_user.username if r.history_user else None, r.stance)
        for r in rows.select_related("history_user")
    ]


def post(client, body, **headers):
    return client.post(
        "/api/stances/", json.dumps(body), content_type="application/json", **headers
    )


def patch(client, stance, body, **headers):
    return client.patch(
        f"/api/stances/{stance.pk}/", json.dumps(body), content_type="application/json", **headers
    )


def representation(stance: Stance) -> dict:
    stance.refresh_from_db()
    return {
        "id": stance.pk,
        "url": f"http://testserver/api/stances/{stance.pk}/",
        "claim": stance.claim_id,
        "topic": stance.topic.slug,
        "stance": stance.stance,
        "confidence": stance.confidence,
        "method": stance.method,
        "evidence": stance.evidence,
        "contradicts_history": stance.contradicts_history,
        "model_version": stance.model_version,
        "suggestion": stance.suggestion,
        "version": stance.version,
        "updated_at": iso(stance.updated_at),
    }


# --- the list ---------------------------------------------------------------------------


def test_stance_list_is_in_id_order_with_every_field(api_client):
    topic = TopicFactory(name="OTAN", slug="otan")
    first = StanceFactory(
        topic=topic,
        stance="against",
        confidence=0.35,
        method="model",
        model_version="model-2",
        suggestion=True,
        evidence="arrêter",
        contradicts_history=True,
    )
    second = StanceFactory(topic=topic)

    response = api_client.get("/api/stances/")

    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": first.pk,
                "url": f"http://testserver/api/stances/{first.pk}/",
                "claim": first.claim_id,
                "topic": "otan",
                "stance": "against",
                "confidence": 0.35,
                "method": "model",
                "evidence": "arrêter",
                "contradicts_history": True,
                "model_version": "model-2",
                "suggestion": True,
                "version": 1,
                "updated_at": iso(first.updated_at),
            },
            representation(second),
        ],
    }


def test_stance_list_shows_a_stance_as_its_claim_does(api_client):
    stance = StanceFactory(stance="neutral", evidence="peut-être", contradicts_history=True)

    nested = api_client.get(f"/api/claims/{stance.claim_id}/").json()["stances"]
    alone = api_client.get("/api/stances/").json()["results"]

    assert nested == [{key: alone[0][key] for key in nested[0]}]
    assert sorted(set(alone[0]) - set(nested[0])) == [
        "claim", "id", "updated_at", "url", "version",
    ]  # fmt: skip


def test_stance_list_pages_by_number_with_a_count(api_client):
    stances = [StanceFactory() for _ in range(3)]

    first = api_client.get("/api/stances/", {"page_size": 2})
    second = api_client.get(first.json()["next"])

    assert (first.json()["count"], ids(first)) == (3, [stances[0].pk, stances[1].pk])
    assert first.json()["next"] == "http://testserver/api/stances/?page=2&page_size=2"
    assert (ids(second), second.json()["next"]) == ([stances[2].pk], None)


@pytest.mark.parametrize("count", [1, 3])
def test_stance_list_query_count_is_constant(api_client, django_assert_num_queries, count):
    topics = [TopicFactory(), TopicFactory()]
    for _ in range(count):
        claim = ClaimFactory()
        for topic in topics:
            StanceFactory(claim=claim, topic=topic)

    # The count, then the page with its topics.
    with django_assert_num_queries(2):
        response = api_client.get("/api/stances/")
    assert len(ids(response)) == 2 * count

    # A filter naming rows checks them in one query.
    with django_assert_num_queries(3):
        response = api_client.get("/api/stances/", {"topic": topics[0].slug, "suggestion": "false"})
    assert len(ids(response)) == count


# --- filters ----------------------------------------------------------------------------


def test_stance_list_filters_by_claim_id_repeatable_or_comma_separated(api_client):
    first, second = StanceFactory(), StanceFactory()
    StanceFactory()

    assert ids(api_client.get("/api/stances/", {"claim": first.claim_id})) == [first.pk]
    both = api_client.get(f"/api/stances/?claim={first.claim_id}&claim={second.claim_id}")
    assert ids(both) == [first.pk, second.pk]
    assert ids(api_client.get(f"/api/stances/?claim={first.claim_id},{second.claim_id}")) == [
        first.pk,
        second.pk,
    ]


def test_stance_list_filters_by_topic_slug_and_id(api_client):
    otan, s400 = TopicFactory(slug="otan"), TopicFactory(slug="s400")
    claim = ClaimFactory()
    on_otan = StanceFactory(claim=claim, topic=otan)
    on_s400 = StanceFactory(claim=claim, topic=s400)

    assert ids(api_client.get("/api/stances/?topic=otan")) == [on_otan.pk]
    assert ids(api_client.get("/api/stances/?topic=otan,s400")) == [on_otan.pk, on_s400.pk]
    assert ids(api_client.get(f"/api/stances/?topic_id={s400.pk}")) == [on_s400.pk]
    # Both given: the topics both name, as speaker and speaker_id on claims.
    assert ids(api_client.get(f"/api/stances/?topic=otan&topic_id={s400.pk}")) == []
    assert ids(api_client.get(f"/api/stances/?topic=otan&topic_id={otan.pk}")) == [on_otan.pk]


def test_stance_list_filters_by_the_claims_speaker_as_the_claims_list_does(api_client):
    dupont, curie = SpeakerFactory(name="Jean Dupont"), SpeakerFactory(name="Marie Curie")
    by_dupont = StanceFactory(claim=ClaimFactory(speaker=dupont))
    by_curie = StanceFactory(claim=ClaimFactory(speaker=curie))
    StanceFactory(claim=ClaimFactory(speaker=None))

    assert ids(api_client.get("/api/stances/?speaker=jean-dupont")) == [by_dupont.pk]
    for query in ["speaker=jean-dupont,marie-curie", "speaker=jean-dupont&speaker=marie-curie"]:
        stances = api_client.get(f"/api/stances/?{query}")
        claims = api_client.get(f"/api/claims/?{query}")
        assert ids(stances) == [by_dupont.pk, by_curie.pk]
        assert result_values(stances, "claim") == ids(claims)


def test_stance_list_filters_by_stance_and_method(api_client):
    favor = StanceFactory(stance="favor", method="auto")
    against = StanceFactory(stance="against", method="model")
    neutral = StanceFactory(stance="neutral", method="manual")

    assert ids(api_client.get("/api/stances/?stance=against")) == [against.pk]
    assert ids(api_client.get("/api/stances/?stance=favor&stance=neutral")) == [
        favor.pk,
        neutral.pk,
    ]
    assert ids(api_client.get("/api/stances/?method=model")) == [against.pk]
    assert ids(api_client.get("/api/stances/?method=auto&method=manual")) == [favor.pk, neutral.pk]
    assert ids(api_client.get("/api/stances/?method=model&stance=favor")) == []


@pytest.mark.parametrize("name", ["suggestion", "contradicts_history"])
def test_stance_list_filters_by_a_flag(api_client, name):
    flagged = StanceFactory(**{name: True})
    plain = StanceFactory(**{name: False})

    assert ids(api_client.get("/api/stances/", {name: "true"})) == [flagged.pk]
    assert ids(api_client.get("/api/stances/", {name: "false"})) == [plain.pk]
    assert ids(api_client.get("/api/stances/", {name: ""})) == [flagged.pk, plain.pk]


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ("claim=abc", {"claim": ["“abc” is not a valid value."]}),
        (
            "claim=999999",
            {"claim": ["Select a valid choice. 999999 is not one of the available choices."]},
        ),
        (
            "topic=no-such-topic",
            {
                "topic": [
                    "Select a valid choice. no-such-topic is not one of the available choices."
                ]
            },
        ),
        (
            "speaker=nobody",
            {"speaker": ["Select a valid choice. nobody is not one of the available choices."]},
        ),
        ("speaker=a%00b", {"speaker": ["Null characters are not allowed."]}),
        (
            "stance=maybe",
            {"stance": ["Select a valid choice. maybe is not one of the available choices."]},
        ),
        (
            "method=oracle",
            {"method": ["Select a valid choice. oracle is not one of the available choices."]},
        ),
        ("suggestion=maybe", {"suggestion": ["Use true or false."]}),
        ("page=abc", {"page": ["Give a whole number."]}),
        (
            "stnace=favor",
            {
                "stnace": [
                    "Unknown query parameter. Known: claim, contradicts_history, format, "
                    "method, page, page_size, speaker, stance, suggestion, topic, topic_id."
                ]
            },
        ),
    ],
)
def test_stance_list_invalid_parameter_is_400_naming_it(api_client, query, body):
    StanceFactory()

    response = api_client.get(f"/api/stances/?{query}")

    assert (response.status_code, response.json()) == (400, body)


# --- the detail -------------------------------------------------------------------------


def test_stance_detail_sends_the_version_as_etag(api_client):
    stance = StanceFactory()

    response = api_client.get(f"/api/stances/{stance.pk}/")

    assert (response.status_code, response["ETag"]) == (200, '"1"')
    assert response.json() == representation(stance)


@pytest.mark.parametrize(
    ("key", "detail"),
    [
        *[
            (key, "No Stance matches the given query.")
            for key in ("999999", "9223372036854775808", "99999999999999999999999", "-1")
        ],
        # No number at all: not looked up.
        *[(key, "Not found.") for key in ("%C2%B2", "abc", "1e3", "a%00")],
    ],
)
def test_stance_detail_unknown_id_is_404(api_client, key, detail):
    StanceFactory()

    response = api_client.get(f"/api/stances/{key}/")

    assert (response.status_code, response.json()) == (404, {"detail": detail})


# --- who may write ----------------------------------------------------------------------


def test_stance_writes_by_anonymous_clients_are_refused_and_change_nothing(api_client):
    stance = StanceFactory()
    claim, topic = ClaimFactory(), TopicFactory()

    created = post(api_client, {"claim": claim.pk, "topic": topic.slug, "stance": "favor"})
    changed = patch(api_client, stance, {"stance": "against"}, HTTP_IF_MATCH='"1"')
    removed = api_client.delete(f"/api/stances/{stance.pk}/", HTTP_IF_MATCH='"1"')

    # SessionAuthentication comes first, so DRF answers 403 (no WWW-Authenticate), not 401.
    assert [(r.status_code, r.json()) for r in (created, changed, removed)] == [
        (403, NOT_SIGNED_IN)
    ] * 3
    assert stored() == [(stance.claim_id, stance.topic.slug, "favor", 0.7, "auto", 1)]
    assert StanceDismissal.objects.count() == 0


def test_stance_writes_by_a_reader_outside_the_curators_are_403(db):
    stance = StanceFactory()
    reader = token_client(User.objects.create_user("reader"))

    created = post(
        reader, {"claim": stance.claim_id, "topic": stance.topic.slug, "stance": "favor"}
    )
    changed = patch(reader, stance, {"stance": "against"}, HTTP_IF_MATCH='"1"')
    removed = reader.delete(f"/api/stances/{stance.pk}/", HTTP_IF_MATCH='"1"')

    assert [(r.status_code, r.json()) for r in (created, changed, removed)] == [
        (403, PERMISSION_DENIED)
    ] * 3
    assert stored() == [(stance.claim_id, stance.topic.slug, "favor", 0.7, "auto", 1)]


def test_stance_post_needs_the_change_permission_too_as_it_may_replace(db):
    stance = StanceFactory(stance="favor")
    adder = User.objects.create_user("adder")
    adder.user_permissions.add(Permission.objects.get(codename="add_stance"))

    response = post(
        token_client(adder),
        {"claim": stance.claim_id, "topic": stance.topic.slug, "stance": "against"},
    )

    assert (response.status_code, response.json()) == (403, PERMISSION_DENIED)
    assert stored() == [(stance.claim_id, stance.topic.slug, "favor", 0.7, "auto", 1)]


@pytest.mark.parametrize("method", ["put", "post"])
def test_stance_detail_takes_no_put_nor_post(curator_api, method):
    stance = StanceFactory()

    response = getattr(curator_api, method)(
        f"/api/stances/{stance.pk}/", {"stance": "against"}, format="json"
    )

    assert (response.status_code, response.json()) == (
        405,
        {"detail": f'Method "{method.upper()}" not allowed.'},
    )


# --- POST: set a claim's stance on a topic ----------------------------------------------


def test_stance_post_creates_the_curators_stance_201(curator_api):
    claim = ClaimFactory()
    TopicFactory(slug="otan")

    response = post(curator_api, {"claim": claim.pk, "topic": "otan", "stance": "against"})

    stance = Stance.objects.get()
    assert (response.status_code, response["ETag"], response["Location"]) == (
        201,
        '"1"',
        f"http://testserver/api/stances/{stance.pk}/",
    )
    assert response.json() == representation(stance)
    assert stored() == [(claim.pk, "otan", "against", 1.0, "manual", 1)]
    assert history_of(stance.pk) == [("+", "cora", "against")]


def test_stance_post_replaces_the_automatic_stance_200(curator_api):
    auto = StanceFactory(stance="favor", method="model", model_version="model-1", suggestion=True)

    response = post(
        curator_api,
        {"claim": auto.claim_id, "topic": auto.topic.slug, "stance": "neutral", "confidence": 0.6},
    )

    assert (response.status_code, response["ETag"]) == (200, '"2"')
    assert response.json() == representation(auto)
    assert (response.json()["model_version"], response.json()["suggestion"]) == ("", False)
    assert stored() == [(auto.claim_id, auto.topic.slug, "neutral", 0.6, "manual", 2)]
    assert history_of(auto.pk) == [("+", None, "favor"), ("~", "cora", "neutral")]


def test_stance_post_of_the_stance_already_set_writes_nothing(curator_api):
    claim, topic = ClaimFactory(), TopicFactory()
    body = {"claim": claim.pk, "topic": topic.slug, "stance": "favor", "confidence": 0.9}

    first = post(curator_api, body)
    again = post(curator_api, body)

    assert (first.status_code, again.status_code, again["ETag"]) == (201, 200, '"1"')
    assert again.json() == first.json()
    assert history_of(first.json()["id"]) == [("+", "cora", "favor")]


def test_stance_post_after_a_dismissal_sets_the_stance_and_voids_it(curator_api):
    stance = StanceFactory()
    claim_id, topic = stance.claim_id, stance.topic
    curator_api.delete(f"/api/stances/{stance.pk}/", HTTP_IF_MATCH='"1"')

    response = post(curator_api, {"claim": claim_id, "topic": topic.slug, "stance": "favor"})

    assert response.status_code == 201
    assert stored() == [(claim_id, topic.slug, "favor", 1.0, "manual", 1)]
    assert StanceDismissal.objects.count() == 0


FIELDS = "Fields: claim, topic, stance, confidence."


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"claim": 999999}, {"claim": ['Invalid pk "999999" - object does not exist.']}),
        ({"claim": "1"}, {"claim": ["Incorrect type. Expected pk value, received str."]}),
        ({"claim": True}, {"claim": ["Incorrect type. Expected pk value, received bool."]}),
        ({"claim": 2**63}, {"claim": [f'Invalid pk "{2**63}" - object does not exist.']}),
        # Past 64 bits JSON's reader makes it a float.
        ({"claim": 10**30}, {"claim": ["Incorrect type. Expected pk value, received float."]}),
        ({"claim": 1.0}, {"claim": ["Incorrect type. Expected pk value, received float."]}),
        ({"topic": "nope"}, {"topic": ["Object with slug=nope does not exist."]}),
        ({"topic": 3}, {"topic": ["Invalid value."]}),
        ({"topic": "a\x00b"}, {"topic": ["Null characters are not allowed."]}),
        ({"topic": ""}, {"topic": ["This field may not be null."]}),
        ({"stance": "maybe"}, {"stance": ['"maybe" is not a valid choice.']}),
        ({"confidence": 1.5}, {"confidence": ["Ensure this value is less than or equal to 1."]}),
        ({"confidence": "0.5"}, {"confidence": ["A valid number is required."]}),
        ({"method": "auto"}, {"method": [f"Not a field that can be set here. {FIELDS}"]}),
        ({"stance": None}, {"stance": ["This field may not be null."]}),
    ],
)
def test_stance_post_with_a_bad_field_is_400_naming_it_and_stores_nothing(
    curator_api, body, errors
):
    claim, topic = ClaimFactory(), TopicFactory(slug="otan")

    response = post(curator_api, {"claim": claim.pk, "topic": "otan", "stance": "favor"} | body)

    assert (response.status_code, response.json()) == (400, errors)
    assert (Stance.objects.count(), Stance.history.count(), topic.stances.count()) == (0, 0, 0)


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {},
            {name: ["This field is required."] for name in ("claim", "topic", "stance")},
        ),
        ({"stance": "favor"}, {name: ["This field is required."] for name in ("claim", "topic")}),
        ([1, 2], {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
    ],
)
def test_stance_post_incomplete_is_400_naming_what_is_missing(curator_api, body, errors):
    response = post(curator_api, body)

    assert (response.status_code, response.json()) == (400, errors)
    assert Stance.objects.count() == 0


def test_stance_post_from_a_form_is_415(curator_api):
    claim, topic = ClaimFactory(), TopicFactory()

    response = curator_api.post(
        "/api/stances/", {"claim": claim.pk, "topic": topic.slug, "stance": "favor"}
    )

    assert response.status_code == 415
    assert Stance.objects.count() == 0


# --- PATCH: change a stance -------------------------------------------------------------


def test_stance_patch_changes_the_stance_and_makes_it_the_curators(curator_api):
    stance = StanceFactory(stance="favor", method="auto", suggestion=True, contradicts_history=True)

    response = patch(curator_api, stance, {"stance": "against"}, HTTP_IF_MATCH='"1"')

    assert (response.status_code, response["ETag"]) == (200, '"2"')
    assert response.json() == representation(stance)
    assert (stance.method, stance.suggestion, stance.contradicts_history) == (
        "manual",
        False,
        False,
    )
    assert stored() == [(stance.claim_id, stance.topic.slug, "against", 0.7, "manual", 2)]
    assert history_of(stance.pk) == [("+", None, "favor"), ("~", "cora", "against")]


def test_stance_patch_of_the_confidence_alone(curator_api):
    stance = StanceFactory(stance="favor")

    response = patch(curator_api, stance, {"confidence": 0.25}, HTTP_IF_MATCH="*")

    assert (response.status_code, response.json()["confidence"]) == (200, 0.25)
    assert stored() == [(stance.claim_id, stance.topic.slug, "favor", 0.25, "manual", 2)]


def test_stance_patch_with_its_own_values_confirms_an_automatic_stance(curator_api):
    stance = StanceFactory(stance="favor", method="auto", suggestion=True)

    response = patch(curator_api, stance, {"stance": "favor"}, HTTP_IF_MATCH='"1"')

    assert (response.status_code, response["ETag"], response.json()["method"]) == (
        200,
        '"2"',
        "manual",
    )


def test_stance_patch_with_the_stored_values_of_a_curators_stance_writes_nothing(curator_api):
    stance, _ = curation.stance_set(claim=ClaimFactory(), topic=TopicFactory(), stance="favor")

    response = patch(
        curator_api, stance, {"stance": "favor", "confidence": 1.0}, HTTP_IF_MATCH='"1"'
    )

    assert (response.status_code, response["ETag"], response.json()["version"]) == (200, '"1"', 1)
    assert history_of(stance.pk) == [("+", None, "favor")]


def test_stance_patch_without_if_match_is_428_and_changes_nothing(curator_api):
    stance = StanceFactory(stance="favor")

    response = patch(curator_api, stance, {"stance": "against"})

    assert (response.status_code, response.json()) == (
        428,
        {
            "detail": 'Send If-Match with the stance\'s ETag (its "version", e.g. If-Match: "3"), '
            "so that a change made since you read it is not overwritten."
        },
    )
    assert stored() == [(stance.claim_id, stance.topic.slug, "favor", 0.7, "auto", 1)]


def test_stance_patch_with_a_stale_etag_is_412_and_keeps_the_first(curator_api):
    stance = StanceFactory(stance="favor")
    etag = curator_api.get(f"/api/stances/{stance.pk}/")["ETag"]

    first = patch(curator_api, stance, {"stance": "against"}, HTTP_IF_MATCH=etag)
    second = patch(curator_api, stance, {"stance": "neutral"}, HTTP_IF_MATCH=etag)

    assert (first.status_code, second.status_code) == (200, 412)
    assert second.json() == {
        "detail": 'The stance was changed since you read it: it is now at version 2 (ETag "2"). '
        "Read it again and reapply your change."
    }
    assert stored() == [(stance.claim_id, stance.topic.slug, "against", 0.7, "manual", 2)]


def test_stance_patch_of_a_stance_removed_meanwhile_is_404(curator_api, monkeypatch):
    stance = StanceFactory()
    real_update = curation.stance_update

    def someone_removes_it_first(*, stance, changes):
        curation.stance_delete(stance=Stance.objects.get(pk=stance.pk))
        return real_update(stance=stance, changes=changes)

    monkeypatch.setattr(curation, "stance_update", someone_removes_it_first)
    response = patch(curator_api, stance, {"stance": "against"}, HTTP_IF_MATCH='"1"')

    assert (response.status_code, response.json()) == (
        404,
        {"detail": "No Stance matches the given query."},
    )
    assert stored() == []


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {},
            {
                "non_field_errors": [
                    "The body changes nothing: give at least one of stance, confidence."
                ]
            },
        ),
        (
            {"topic": "otan"},
            {"topic": ["Not a field that can be set here. Fields: stance, confidence."]},
        ),
        ({"stance": "maybe"}, {"stance": ['"maybe" is not a valid choice.']}),
        (
            {"confidence": -0.1},
            {"confidence": ["Ensure this value is greater than or equal to 0."]},
        ),
        ({"confidence": True}, {"confidence": ["A valid number is required."]}),
    ],
)
def test_stance_patch_with_a_bad_body_is_400_and_changes_nothing(curator_api, body, errors):
    stance = StanceFactory(stance="favor")

    response = patch(curator_api, stance, body, HTTP_IF_MATCH='"1"')

    assert (response.status_code, response.json()) == (400, errors)
    assert stored() == [(stance.claim_id, stance.topic.slug, "favor", 0.7, "auto", 1)]


# --- DELETE: dismiss a stance -----------------------------------------------------------


def test_stance_delete_removes_it_and_records_the_curators_dismissal(curator_api, cora):
    stance = StanceFactory()
    stance_id = stance.pk

    response = curator_api.delete(f"/api/stances/{stance_id}/", HTTP_IF_MATCH='"1"')

    assert (response.status_code, response.content) == (204, b"")
    assert stored() == []
    assert list(StanceDismissal.objects.values_list("claim", "topic", "dismissed_by")) == [
        (stance.claim_id, stance.topic_id, "cora")
    ]
    assert history_of(stance_id) == [("+", None, "favor"), ("-", "cora", "favor")]
    assert curator_api.get(f"/api/stances/{stance_id}/").status_code == 404


def test_stance_delete_without_if_match_is_428_and_keeps_it(curator_api):
    stance = StanceFactory()

    response = curator_api.delete(f"/api/stances/{stance.pk}/")

    assert (response.status_code, response.json()["detail"][:41]) == (
        428,
        "Send If-Match with the stance's ETag (its",
    )
    assert (len(stored()), StanceDismissal.objects.count()) == (1, 0)


def test_stance_delete_with_a_stale_etag_is_412_and_keeps_it(curator_api):
    stance = StanceFactory(stance="favor")
    curation.stance_update(stance=Stance.objects.get(pk=stance.pk), changes={"stance": "against"})

    response = curator_api.delete(f"/api/stances/{stance.pk}/", HTTP_IF_MATCH='"1"')

    assert (response.status_code, response.json()) == (
        412,
        {
            "detail": "The stance was changed since you read it: it is now at version 2 "
            '(ETag "2"). Read it again and reapply your change.'
        },
    )
    assert stored() == [(stance.claim_id, stance.topic.slug, "against", 0.7, "manual", 2)]
    assert StanceDismissal.objects.count() == 0


def test_stance_delete_of_an_unknown_stance_is_404(curator_api):
    response = curator_api.delete("/api/stances/999999/", HTTP_IF_MATCH="*")

    assert (response.status_code, response.json()) == (
        404,
        {"detail": "No Stance matches the given query."},
    )


def test_a_dismissed_stance_stays_away_when_the_article_is_loaded_again(curator_api, tmp_path):
    (tmp_path / "s400.txt").write_text(
        "« Nous allons acheter encore des S-400 et les conserver », a déclaré Recep Tayyip Erdogan.",
        encoding="utf-8",
    )

    def load() -> None:
        call_command("load_seeds", str(tmp_path), no_nlp=True, verbosity=0)

    load()
    stance = Stance.objects.get()
    claim, topic = stance.claim, stance.topic
    assert (topic.slug, stance.stance, stance.method) == ("achat-s400-turquie", "favor", "auto")

    response = curator_api.delete(f"/api/stances/{stance.pk}/", HTTP_IF_MATCH='"1"')
    load()

    assert response.status_code == 204
    assert list(Stance.objects.all()) == []
    assert list(StanceDismissal.objects.values_list("claim", "topic", "dismissed_by")) == [
        (claim.pk, topic.pk, "cora")
    ]
    # Undone, the dismissal no longer holds the load back: the automatic stance returns.
    curation.stance_dismissal_delete(dismissal=StanceDismissal.objects.get())
    load()
    assert list(Stance.objects.values_list("claim", "topic", "stance", "method")) == [
        (claim.pk, topic.pk, "favor", "auto")
    ]
