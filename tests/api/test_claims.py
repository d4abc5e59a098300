import datetime
import json

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from claims.api.pagination import ClaimCursorPagination, PageNumberPagination
from claims.models import Claim, Source
from tests.api.helpers import result_values
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    SourceFactory,
    SpeakerFactory,
    StanceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

SECOND_QUOTE = "La coopération doit continuer"


def quoted(text: str, **source_kwargs) -> dict:
    """Factory kwargs for a claim on ``text``, in a source of its own that quotes it."""
    source = SourceFactory(text=f"Il a parlé.\n\n« {text} », a-t-il dit.", **source_kwargs)
    return {"source": source, "quote": text}


def ids(response) -> list:
    return result_values(response, "id")


def texts(response) -> list:
    return result_values(response, "text")


# --- filters ----------------------------------------------------------------------------


def test_claim_list_without_filters_is_in_id_order_and_pages_by_cursor(api_client):
    claims = [ClaimFactory(), ClaimFactory(), ClaimFactory()]

    first = api_client.get("/api/claims/", {"page_size": 2})
    second = api_client.get(first.json()["next"])

    assert ids(first) == [claims[0].pk, claims[1].pk]
    assert ids(second) == [claims[2].pk]
    assert (second.json()["next"], "count" in first.json()) == (None, False)
    assert ids(api_client.get(second.json()["previous"])) == [claims[0].pk, claims[1].pk]


def test_claim_list_newest_first_and_count_on_request(api_client):
    claims = [ClaimFactory(), ClaimFactory(), ClaimFactory()]

    response = api_client.get("/api/claims/", {"ordering": "-id", "count": "true"})

    assert ids(response) == [c.pk for c in reversed(claims)]
    assert (response.json()["count"], response.json()["count_capped"]) == (3, False)


def test_claim_list_count_is_capped(api_client, monkeypatch):
    monkeypatch.setattr("claims.api.pagination.COUNT_CAP", 2)
    for _ in range(3):
        ClaimFactory()

    body = api_client.get("/api/claims/", {"count": "true"}).json()

    assert (body["count"], body["count_capped"], len(body["results"])) == (2, True, 3)


def test_claim_list_count_must_be_true_or_false(api_client):
    response = api_client.get("/api/claims/", {"count": "yes please"})
    assert (response.status_code, response.json()) == (400, {"count": ["Use true or false."]})


def test_claim_list_filters_by_speaker_slug(api_client):
    dupont = SpeakerFactory(name="Jean Dupont")
    claim = ClaimFactory(speaker=dupont)
    ClaimFactory()

    assert ids(api_client.get("/api/claims/?speaker=jean-dupont")) == [claim.pk]


def test_claim_list_filters_by_repeated_speaker_slug(api_client):
    source = SourceFactory()
    dupont = ClaimFactory(source=source, speaker=SpeakerFactory(name="Jean Dupont"))
    curie = ClaimFactory(
        source=source, speaker=SpeakerFactory(name="Marie Curie"), quote=SECOND_QUOTE
    )
    ClaimFactory()

    response = api_client.get("/api/claims/?speaker=jean-dupont&speaker=marie-curie")

    assert ids(response) == [dupont.pk, curie.pk]


def test_claim_list_filters_by_speaker_id(api_client):
    claim = ClaimFactory()
    ClaimFactory()

    assert ids(api_client.get(f"/api/claims/?speaker_id={claim.speaker_id}")) == [claim.pk]


def test_claim_list_filters_by_speaker_name_ignoring_case_and_accents(api_client):
    erdogan = SpeakerFactory(name="Recep Tayyip Erdoğan")
    claim = ClaimFactory(speaker=erdogan)
    ClaimFactory(speaker=SpeakerFactory(name="Jean Dupont"))

    for value in ["ERDOĞAN", "erdogan", "Erdo", "recep", "tayy"]:
        assert ids(api_client.get(f"/api/claims/?speaker_name={value}")) == [claim.pk], value


def test_claim_list_filters_by_speaker_name_word_prefix_only(api_client):
    ClaimFactory(speaker=SpeakerFactory(name="Recep Tayyip Erdoğan"))

    assert ids(api_client.get("/api/claims/?speaker_name=dogan")) == []


def test_claim_list_filters_by_speaker_name_alias(api_client):
    cavusoglu = SpeakerFactory(name="Mevlüt Çavuşoğlu")
    AliasFactory(speaker=cavusoglu, name="Tchavouchoglou")
    claim = ClaimFactory(speaker=cavusoglu)
    ClaimFactory()

    assert ids(api_client.get("/api/claims/?speaker_name=TCHAVOU")) == [claim.pk]


def test_claim_list_filters_by_speaker_name_ignores_role_aliases(api_client):
    peskov = SpeakerFactory(name="Dmitri Peskov")
    AliasFactory(speaker=peskov, name="le porte-parole de Vladimir Poutine", kind="role")
    ClaimFactory(speaker=peskov)

    assert ids(api_client.get("/api/claims/?speaker_name=poutine&kind=direct")) == []


def test_claim_list_filters_by_source_key(api_client):
    claim = ClaimFactory(source=SourceFactory(key="le-monde-1"))
    ClaimFactory()

    assert ids(api_client.get("/api/claims/?source=le-monde-1")) == [claim.pk]


def test_claim_list_filters_by_source_id(api_client):
    claim = ClaimFactory()
    other = ClaimFactory()

    assert ids(api_client.get(f"/api/claims/?source_id={claim.source_id}")) == [claim.pk]
    both = f"/api/claims/?source_id={claim.source_id}&source_id={other.source_id}"
    assert ids(api_client.get(both)) == [claim.pk, other.pk]
    missing = api_client.get("/api/claims/?source_id=999999")
    assert (missing.status_code, list(missing.json())) == (400, ["source_id"])


def test_claim_list_filters_by_topic_id_as_by_its_slug(api_client):
    nato, other = TopicFactory(name="OTAN"), TopicFactory(name="Autre")
    favor = StanceFactory(topic=nato, stance="favor").claim
    against = StanceFactory(topic=nato, stance="against").claim
    StanceFactory(topic=other, stance="against")

    assert ids(api_client.get(f"/api/claims/?topic_id={nato.pk}")) == [favor.pk, against.pk]
    assert ids(api_client.get(f"/api/claims/?topic_id={nato.pk}&stance=against")) == [against.pk]
    # Both given: the topics both name.
    assert ids(api_client.get(f"/api/claims/?topic_id={nato.pk}&topic=otan")) == [
        favor.pk,
        against.pk,
    ]
    assert ids(api_client.get(f"/api/claims/?topic_id={nato.pk}&topic=autre")) == []
    bad = api_client.get("/api/claims/?topic_id=abc")
    assert (bad.status_code, list(bad.json())) == (400, ["topic_id"])


def test_claim_list_filters_by_topic_slug(api_client):
    nato = TopicFactory(name="OTAN")
    on_topic = StanceFactory(topic=nato).claim
    StanceFactory()  # a claim on another topic
    ClaimFactory()  # a claim without stances

    assert ids(api_client.get("/api/claims/?topic=otan")) == [on_topic.pk]


def test_claim_list_filters_by_stance(api_client):
    against = StanceFactory(stance="against").claim
    StanceFactory(stance="favor")
    StanceFactory(stance="neutral")

    assert ids(api_client.get("/api/claims/?stance=against")) == [against.pk]


def test_claim_list_filters_by_repeated_stance(api_client):
    against = StanceFactory(stance="against", claim__source__key="a").claim
    neutral = StanceFactory(stance="neutral", claim__source__key="b").claim
    StanceFactory(stance="favor")

    assert ids(api_client.get("/api/claims/?stance=against&stance=neutral")) == [
        against.pk,
        neutral.pk,
    ]


def test_claim_list_filters_topic_and_stance_as_the_stance_on_that_topic(api_client):
    topic_a = TopicFactory(name="Sujet A")
    topic_b = TopicFactory(name="Sujet B")
    mixed = ClaimFactory()
    StanceFactory(claim=mixed, topic=topic_a, stance="favor")
    StanceFactory(claim=mixed, topic=topic_b, stance="against")
    against_a = StanceFactory(topic=topic_a, stance="against").claim

    assert ids(api_client.get("/api/claims/?topic=sujet-a&stance=against")) == [against_a.pk]
    assert ids(api_client.get("/api/claims/?topic=sujet-a&stance=favor")) == [mixed.pk]
    assert ids(api_client.get("/api/claims/?topic=sujet-b&stance=against")) == [mixed.pk]


def test_claim_list_filters_by_status(api_client):
    source = SourceFactory()
    confirmed = ClaimFactory(source=source, status="confirmed")
    ClaimFactory(source=source, quote=SECOND_QUOTE, status="rejected")
    ClaimFactory()

    assert ids(api_client.get("/api/claims/?status=confirmed")) == [confirmed.pk]


def test_claim_list_filters_by_kind(api_client):
    source = SourceFactory()
    ClaimFactory(source=source, kind="direct")
    indirect = ClaimFactory(source=source, quote=SECOND_QUOTE, kind="indirect")

    assert ids(api_client.get("/api/claims/?kind=indirect")) == [indirect.pk]


def test_claim_list_filters_by_published_dates_inclusively(api_client):
    claims = {
        day: ClaimFactory(source=SourceFactory(published=datetime.date(2021, 6, day))).pk
        for day in [9, 10, 15, 20, 21]
    }
    ClaimFactory(source=SourceFactory(published=None, published_precision=""))
    by_date = "/api/claims/?ordering=published&"

    after = api_client.get(by_date + "published_after=2021-06-10")
    before = api_client.get(by_date + "published_before=2021-06-20")
    both = api_client.get(by_date + "published_after=2021-06-10&published_before=2021-06-20")

    assert ids(after) == [claims[10], claims[15], claims[20], claims[21]]
    assert ids(before) == [claims[9], claims[10], claims[15], claims[20]]
    assert ids(both) == [claims[10], claims[15], claims[20]]


def test_claim_list_filters_by_min_confidence_inclusively(api_client):
    source = SourceFactory()
    ClaimFactory(source=source, confidence=0.49)
    half = ClaimFactory(source=source, quote=SECOND_QUOTE, confidence=0.5)
    sure = ClaimFactory(confidence=1.0)

    assert ids(api_client.get("/api/claims/?min_confidence=0.5&ordering=confidence")) == [
        half.pk,
        sure.pk,
    ]


def test_claim_list_q_finds_the_claims_containing_the_word(api_client):
    sanctions = ClaimFactory(**quoted("Les sanctions sont injustes"))
    ClaimFactory(**quoted("Le dialogue continue"))

    assert ids(api_client.get("/api/claims/?q=sanctions")) == [sanctions.pk]


def test_claim_list_q_requires_every_word(api_client):
    ClaimFactory(**quoted("Les sanctions sont injustes"))
    ClaimFactory(**quoted("Le dialogue continue"))

    assert ids(api_client.get("/api/claims/?q=sanctions dialogue")) == []


def test_claim_list_q_blank_does_not_filter(api_client):
    sanctions = ClaimFactory(**quoted("Les sanctions sont injustes", key="a"))
    dialogue = ClaimFactory(**quoted("Le dialogue continue", key="b"))

    assert ids(api_client.get("/api/claims/?q=%20")) == [sanctions.pk, dialogue.pk]


def test_claim_list_orders_by_published(api_client):
    june = ClaimFactory(source=SourceFactory(published=datetime.date(2021, 6, 1)))
    january = ClaimFactory(source=SourceFactory(published=datetime.date(2021, 1, 1)))
    march = ClaimFactory(source=SourceFactory(published=datetime.date(2021, 3, 1)))

    assert ids(api_client.get("/api/claims/?ordering=published")) == [
        january.pk,
        march.pk,
        june.pk,
    ]
    assert ids(api_client.get("/api/claims/?ordering=-published")) == [
        june.pk,
        march.pk,
        january.pk,
    ]


def test_claim_list_orders_by_confidence(api_client):
    middle = ClaimFactory(confidence=0.5)
    low = ClaimFactory(confidence=0.2)
    high = ClaimFactory(confidence=0.8)

    assert ids(api_client.get("/api/claims/?ordering=confidence")) == [low.pk, middle.pk, high.pk]
    assert ids(api_client.get("/api/claims/?ordering=-confidence")) == [high.pk, middle.pk, low.pk]


# --- invalid parameters -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "body"),
    [
        (
            "stance=sideways",
            {"stance": ["Select a valid choice. sideways is not one of the available choices."]},
        ),
        ("published_after=not-a-date", {"published_after": ["Enter a valid date."]}),
        (
            "status=bogus",
            {"status": ["Select a valid choice. bogus is not one of the available choices."]},
        ),
        (
            "speaker=no-such-slug",
            {
                "speaker": [
                    "Select a valid choice. no-such-slug is not one of the available choices."
                ]
            },
        ),
        (
            "speaker_id=abc",
            {"speaker_id": ["“abc” is not a valid value."]},
        ),
        (
            "speaker_id=999999",
            {"speaker_id": ["Select a valid choice. 999999 is not one of the available choices."]},
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
            "source=nope",
            {"source": ["Select a valid choice. nope is not one of the available choices."]},
        ),
        ("speaker=a%00b", {"speaker": ["Null characters are not allowed."]}),
        (
            "speaker_id=99999999999999999999999",
            {
                "speaker_id": [
                    "Select a valid choice. 99999999999999999999999 is not one of the "
                    "available choices."
                ]
            },
        ),
        (
            "ordering=bogus",
            {"ordering": ["Select a valid choice. bogus is not one of the available choices."]},
        ),
        ("min_confidence=high", {"min_confidence": ["Enter a number."]}),
        (
            "min_confidence=2",
            {"min_confidence": ["Ensure this value is less than or equal to 1."]},
        ),
        (
            "min_confidence=-1",
            {"min_confidence": ["Ensure this value is greater than or equal to 0."]},
        ),
        ("page_size=abc", {"page_size": ["Give a whole number."]}),
        ("page_size=0", {"page_size": ["Must be at least 1."]}),
        (
            "speakr=x",
            {
                "speakr": [
                    "Unknown query parameter. Known: contradicts_history, count, cursor, "
                    "format, kind, min_confidence, needs_speaker, ordering, page_size, published_after, "
                    "published_before, q, source, source_id, speaker, speaker_id, speaker_name, "
                    "stance, status, topic, topic_id."
                ]
            },
        ),
    ],
)
def test_claim_list_invalid_parameter_is_400_naming_it(api_client, query, body):
    ClaimFactory()

    response = api_client.get(f"/api/claims/?{query}")

    assert response.status_code == 400
    assert response.json() == body


# --- pagination -------------------------------------------------------------------------


def test_claim_list_pagination_reads_the_max_page_size_setting():
    assert PageNumberPagination.max_page_size == settings.API_MAX_PAGE_SIZE


def test_claim_list_page_size_is_capped_at_the_maximum(api_client, monkeypatch):
    monkeypatch.setattr(ClaimCursorPagination, "max_page_size", 2)
    for _ in range(3):
        ClaimFactory()

    response = api_client.get("/api/claims/?page_size=100000")

    assert len(ids(response)) == 2
    assert response.json()["next"].startswith("http://testserver/api/claims/?cursor=")


def test_claim_list_page_size_below_the_maximum_is_honoured(api_client):
    for _ in range(3):
        ClaimFactory()

    first = api_client.get("/api/claims/?page_size=2")
    second = api_client.get(first.json()["next"])

    assert (len(ids(first)), len(ids(second))) == (2, 1)
    assert ids(api_client.get(second.json()["previous"])) == ids(first)


# --- shape ------------------------------------------------------------------------------


def test_claim_list_result_has_the_documented_shape(api_client):
    source = SourceFactory(
        key="le-monde-1",
        title="Un titre",
        outlet="Le Monde",
        url="https://example.org/a",
        published=datetime.date(2021, 6, 1),
        published_precision="month",
    )
    claim = ClaimFactory(source=source, speaker=SpeakerFactory(name="Jean Dupont"))
    StanceFactory(
        claim=claim, topic=TopicFactory(name="OTAN"), stance="against", evidence="arrêter"
    )

    result = api_client.get("/api/claims/").json()["results"][0]

    assert set(result) == {
        "id",
        "url",
        "text",
        "kind",
        "speaker",
        "source",
        "stances",
        "start",
        "end",
        "cue",
        "context",
        "status",
        "confidence",
        "method",
        "extractor_version",
        "created_at",
        "updated_at",
        "version",
    }
    assert result["url"] == f"http://testserver/api/claims/{claim.pk}/"
    assert result["speaker"] == {
        "slug": "jean-dupont",
        "name": "Jean Dupont",
        "url": "http://testserver/api/speakers/jean-dupont/",
    }
    assert result["source"] == {
        "key": "le-monde-1",
        "title": "Un titre",
        "outlet": "Le Monde",
        "published": "2021-06-01",
        "published_precision": "month",
        "url": "http://testserver/api/sources/le-monde-1/",
        "article_url": "https://example.org/a",
    }
    assert result["stances"] == [
        {
            "topic": "otan",
            "stance": "against",
            "confidence": 0.7,
            "method": "auto",
            "model_version": "",
            "suggestion": False,
            "evidence": "arrêter",
            "contradicts_history": False,
        }
    ]


def test_claim_list_stances_are_ordered_by_topic_slug(api_client):
    claim = ClaimFactory()
    StanceFactory(claim=claim, topic=TopicFactory(name="Zèbre", slug="zebre"))
    StanceFactory(claim=claim, topic=TopicFactory(name="Âne", slug="ane"))

    result = api_client.get("/api/claims/").json()["results"][0]

    assert [s["topic"] for s in result["stances"]] == ["ane", "zebre"]


def test_claim_detail_returns_the_claim(api_client):
    claim = ClaimFactory(speaker=SpeakerFactory(name="Jean Dupont"))
    ClaimFactory()

    response = api_client.get(f"/api/claims/{claim.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["text"], body["speaker"]["slug"], body["start"], body["end"]) == (
        claim.pk,
        "Nous irons jusqu'au bout de ce dossier",
        "jean-dupont",
        claim.start,
        claim.end,
    )


@pytest.mark.parametrize(
    "key",
    ["999999", "9223372036854775808", "99999999999999999999999", "%C2%B2", "-1", "1e3", "abc"],
)
def test_claim_detail_unknown_id_is_404(api_client, key):
    ClaimFactory()
    response = api_client.get(f"/api/claims/{key}/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No Claim matches the given query."}


def test_claim_detail_refuses_an_unknown_query_parameter(api_client):
    claim = ClaimFactory()

    response = api_client.get(f"/api/claims/{claim.pk}/", {"fromat": "json"})

    # The same parameters as the list: the filters, the cursor's, and format.
    assert (response.status_code, response.json()) == (
        400,
        {
            "fromat": [
                "Unknown query parameter. Known: contradicts_history, count, cursor, "
                "format, kind, min_confidence, needs_speaker, ordering, page_size, published_after, "
                "published_before, q, source, source_id, speaker, speaker_id, speaker_name, "
                "stance, status, topic, topic_id."
            ]
        },
    )
    assert api_client.get(f"/api/claims/{claim.pk}/", {"format": "json"}).json()["id"] == claim.pk


def test_claim_detail_is_one_query(api_client, django_assert_num_queries):
    claim = StanceFactory().claim
    from django.db import connection

    # On PostgreSQL the stances come in the claim's query.
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        response = api_client.get(f"/api/claims/{claim.pk}/")
    assert response.json()["id"] == claim.pk
    assert len(response.json()["stances"]) == 1


# --- seeds ------------------------------------------------------------------------------

ERDOGAN_TEXTS = [
    "Nous achetons les armes que nous voulons",
    "n’aurait pas été contrainte d’acheter",
    "Nous pouvons renforcer notre défense comme nous le souhaitons",
]
ERDOGAN_004_START = "La Russie nous a octroyé un crédit pour les S-400"
# The seed tests ask for direct quotes: the quotes are fixed by the articles, while what the
# extractor finds in reported speech may still change.


def assert_erdogan_claims(response) -> None:
    found = texts(response)
    assert len(found) == 4
    assert found[:3] == ERDOGAN_TEXTS
    assert found[3].startswith(ERDOGAN_004_START)
    sources = [item["source"]["key"] for item in response.json()["results"]]
    assert sources == [*["002_57541e28d119a98b"] * 3, "004_af019c62235211ad"]


def test_claim_list_seeds_speaker_slug_gives_erdogans_four_claims(api_client, seeds_loaded):
    assert_erdogan_claims(api_client.get("/api/claims/?speaker=recep-tayyip-erdogan&kind=direct"))


@pytest.mark.parametrize("name", ["ERDOĞAN", "erdogan"])
def test_claim_list_seeds_speaker_name_gives_erdogans_four_claims(api_client, seeds_loaded, name):
    assert_erdogan_claims(api_client.get(f"/api/claims/?speaker_name={name}&kind=direct"))


def test_claim_list_seeds_speaker_name_poutine_excludes_his_spokesman(api_client, seeds_loaded):
    response = api_client.get("/api/claims/?speaker_name=poutine&kind=direct")

    assert [item["speaker"]["slug"] for item in response.json()["results"]] == [
        "vladimir-poutine",
        "vladimir-poutine",
    ]
    assert [t[:40] for t in texts(response)] == [
        "Nos\xa0objectifs visent sérieusement à renf",
        "D'autres projets prometteurs concernant ",
    ]


def test_claim_list_seeds_every_text_is_its_source_slice(api_client, seeds_loaded):
    response = api_client.get("/api/claims/?page_size=100&count=true").json()
    results = response["results"]
    bodies = {
        key: api_client.get(f"/api/sources/{key}/").json()["text"]
        for key in {item["source"]["key"] for item in results}
    }

    assert len(results) == response["count"] == Claim.objects.count()
    assert [bodies[c["source"]["key"]][c["start"] : c["end"]] for c in results] == [
        c["text"] for c in results
    ]


# --- writes -----------------------------------------------------------------------------


def test_claim_patch_anonymous_is_403_and_changes_nothing(api_client):
    claim = ClaimFactory()

    response = api_client.patch(f"/api/claims/{claim.pk}/", {"status": "confirmed"}, format="json")

    # SessionAuthentication comes first, so DRF answers 403 (no WWW-Authenticate), not 401.
    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    claim.refresh_from_db()
    assert (claim.status, claim.curator_edited_at) == ("unreviewed", None)


def test_claim_post_anonymous_is_refused(api_client):
    response = api_client.post("/api/claims/", {"text": "x"}, format="json")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.'}
    assert Claim.objects.count() == 0


def test_claim_delete_anonymous_is_refused(api_client):
    claim = ClaimFactory()

    response = api_client.delete(f"/api/claims/{claim.pk}/")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}
    assert list(Claim.objects.values_list("pk", flat=True)) == [claim.pk]


def test_claim_patch_without_permission_is_403(db):
    claim = ClaimFactory()
    client = APIClient()
    client.force_authenticate(User.objects.create_user("reader"))

    response = client.patch(f"/api/claims/{claim.pk}/", {"status": "confirmed"}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}
    claim.refresh_from_db()
    assert claim.status == "unreviewed"


def test_claim_patch_by_curator_confirms_and_marks_edited(curator_client):
    claim = ClaimFactory()

    response = curator_client.patch(
        f"/api/claims/{claim.pk}/", {"status": "confirmed"}, format="json", HTTP_IF_MATCH='"1"'
    )

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["status"]) == (claim.pk, "confirmed")
    claim.refresh_from_db()
    assert claim.status == "confirmed"
    assert claim.curator_edited_at is not None


def test_claim_patch_by_curator_changes_speaker(curator_client):
    claim = ClaimFactory()
    SpeakerFactory(name="Marie Curie")

    response = curator_client.patch(
        f"/api/claims/{claim.pk}/", {"speaker": "marie-curie"}, format="json", HTTP_IF_MATCH='"1"'
    )

    assert response.status_code == 200
    assert response.json()["speaker"]["slug"] == "marie-curie"
    claim.refresh_from_db()
    assert (claim.speaker.slug, claim.status) == ("marie-curie", "unreviewed")
    assert claim.curator_edited_at is not None


def test_claim_patch_by_curator_unknown_speaker_is_400(curator_client):
    claim = ClaimFactory()

    response = curator_client.patch(
        f"/api/claims/{claim.pk}/", {"speaker": "nobody"}, format="json", HTTP_IF_MATCH='"1"'
    )

    assert response.status_code == 400
    assert response.json() == {"speaker": ["Object with slug=nobody does not exist."]}


def test_claim_patch_by_curator_invalid_status_is_400(curator_client):
    claim = ClaimFactory()

    response = curator_client.patch(
        f"/api/claims/{claim.pk}/", {"status": "bogus"}, format="json", HTTP_IF_MATCH='"1"'
    )

    assert response.status_code == 400
    assert response.json() == {"status": ['"bogus" is not a valid choice.']}
    claim.refresh_from_db()
    assert (claim.status, claim.curator_edited_at) == ("unreviewed", None)


@pytest.mark.parametrize(
    ("body", "unknown"),
    [
        ({"stauts": "confirmed"}, ["stauts"]),
        ({"status": "confirmed", "text": "rewritten", "id": 9}, ["id", "text"]),
    ],
)
def test_claim_patch_with_a_field_it_cannot_set_is_400_and_changes_nothing(
    curator_client, body, unknown
):
    claim = ClaimFactory()

    response = curator_client.patch(
        f"/api/claims/{claim.pk}/", body, format="json", HTTP_IF_MATCH='"1"'
    )

    message = "Not a field that can be set here. Fields: status, speaker, kind, cue."
    assert (response.status_code, response.json()) == (400, {n: [message] for n in unknown})
    claim.refresh_from_db()
    assert (claim.status, claim.version, claim.curator_edited_at) == ("unreviewed", 1, None)


def test_claim_patch_with_an_empty_body_is_400_and_changes_nothing(curator_client):
    # {} answered 200, raised the version and froze the claim against re-extraction.
    claim = ClaimFactory()
    recorded = claim.history.count()

    response = curator_client.patch(
        f"/api/claims/{claim.pk}/", {}, format="json", HTTP_IF_MATCH='"1"'
    )

    assert (response.status_code, response.json()) == (
        400,
        {
            "non_field_errors": [
                "The body changes nothing: give at least one of status, speaker, kind, cue."
            ]
        },
    )
    claim.refresh_from_db()
    assert (claim.version, claim.curator_edited_at) == (1, None)
    assert claim.history.count() == recorded


def test_claim_patch_without_a_body_is_400(curator_client):
    claim = ClaimFactory()

    response = curator_client.patch(f"/api/claims/{claim.pk}/", HTTP_IF_MATCH='"1"')

    assert (response.status_code, response.json()) == (
        400,
        {
            "non_field_errors": [
                "The body changes nothing: give at least one of status, speaker, kind, cue."
            ]
        },
    )
    claim.refresh_from_db()
    assert (claim.version, claim.curator_edited_at) == (1, None)


def test_claim_patch_with_the_stored_values_changes_nothing(curator_client):
    claim = ClaimFactory(cue="a déclaré")

    response = curator_client.patch(
        f"/api/claims/{claim.pk}/",
        {"status": "unreviewed", "cue": "a déclaré", "speaker": claim.speaker.slug},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    # The same version back: the ETag says nothing was written.
    assert (response.status_code, response["ETag"], response.json()["version"]) == (200, '"1"', 1)
    claim.refresh_from_db()
    assert (claim.version, claim.curator_edited_at, claim.status) == (1, None, "unreviewed")


def test_claim_patch_schema_forbids_other_fields(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    # A PATCH without a body is a 400, like an empty one: the schema requires the body.
    assert schema["paths"]["/api/claims/{id}/"]["patch"]["requestBody"]["required"] is True
    patch = schema["components"]["schemas"]["PatchedClaimUpdateRequest"]
    assert (patch["additionalProperties"], patch["minProperties"], sorted(patch["properties"])) == (
        False,
        1,
        ["cue", "kind", "speaker", "status"],
    )


def test_claim_delete_by_curator_is_405(curator_client):
    claim = ClaimFactory()

    response = curator_client.delete(f"/api/claims/{claim.pk}/")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_claim_post_by_curator_is_405(curator_client):
    source = SourceFactory()

    response = curator_client.post("/api/claims/", {"source": source.key}, format="json")

    assert response.status_code == 405
    assert Claim.objects.count() == 0
    assert Source.objects.count() == 1


# --- queries ----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_claim_list_query_count_is_constant(api_client, django_assert_num_queries, count):
    topics = [TopicFactory(), TopicFactory()]
    for _ in range(count):
        claim = ClaimFactory()
        for topic in topics:
            StanceFactory(claim=claim, topic=topic)

    # Rows with speaker and source, stances with topics: no count unless asked for. On
    # PostgreSQL the stances come in the same query (claims/api/representations.py).
    from django.db import connection

    rows = 1 if connection.vendor == "postgresql" else 2
    with django_assert_num_queries(rows):
        response = api_client.get("/api/claims/")
    assert len(ids(response)) == count

    with django_assert_num_queries(rows + 1):
        response = api_client.get("/api/claims/", {"count": "true", "ordering": "-published"})
    assert len(ids(response)) == count


def test_claims_filter_contradicts_history(api_client):
    flagged = StanceFactory(contradicts_history=True).claim
    StanceFactory(contradicts_history=False)
    response = api_client.get("/api/claims/", {"contradicts_history": "true"})
    assert [r["id"] for r in response.json()["results"]] == [flagged.pk]
    response = api_client.get("/api/claims/", {"contradicts_history": "maybe"})
    assert response.status_code == 400
    assert list(response.json()) == ["contradicts_history"]


def test_claims_q_is_french_accent_blind_full_text_on_postgresql(api_client, seeds_loaded):
    from django.db import connection

    def found(q: str) -> list[str]:
        return [t[:30] for t in texts(api_client.get("/api/claims/", {"q": q, "page_size": 50}))]

    negotiations = [
        "les deux dirigeants se sont en",
        "Le Président des États-Unis et",
        "la Turquie continuait ses négo",
        "Maintenant, la proposition ven",
    ]
    if connection.vendor == "postgresql":
        # Stemmed and unaccented: négociations = negociation = NÉGOCIATIONS.
        assert sorted(found("negociation")) == sorted(negotiations)
        assert sorted(found("NÉGOCIATIONS")) == sorted(negotiations)
        assert sorted(found("acheter")) == sorted(
            [
                "il achètera l’arme qu’il veut,",
                "n’aurait pas été contrainte d’",
                "Ankara « n’aurait pas été cont",
            ]
        )
        assert sorted(found("dialogue -missiles")) == sorted(
            ["Maintenant, la proposition ven", "Ankara était prête à résoudre "]
        )
    else:
        # SQLite fallback: every word as a case-blind substring, accents as written.
        assert sorted(found("négociations")) == sorted(negotiations)
        assert found("negociation") == []


def test_claim_rows_render_exactly_as_the_documented_serializer(api_client):
    """The fast read path and ClaimSerializer (the OpenAPI schema) give the same JSON."""
    from rest_framework.test import APIRequestFactory

    from claims import selectors
    from claims.api.serializers import ClaimSerializer

    topics = [TopicFactory(slug="b-topic"), TopicFactory(slug="a-topic")]
    odd = SourceFactory(key="clé spéciale (2021)", url="https://example.org/a?b=c")
    claims = [ClaimFactory(source=odd), ClaimFactory(), ClaimFactory()]
    for topic in topics:
        StanceFactory(claim=claims[0], topic=topic, evidence="contre", contradicts_history=True)
    StanceFactory(claim=claims[2], topic=topics[0])

    listed = api_client.get("/api/claims/").json()["results"]
    request = APIRequestFactory().get("/api/claims/", HTTP_HOST="testserver")
    expected = ClaimSerializer(
        selectors.claim_list().order_by("pk"), many=True, context={"request": request}
    ).data
    assert listed == json.loads(json.dumps(expected))
    assert [s["topic"] for s in listed[0]["stances"]] == ["a-topic", "b-topic"]
    assert listed[0]["source"]["url"].endswith("/api/sources/cl%C3%A9%20sp%C3%A9ciale%20(2021)/")
    detail = api_client.get(f"/api/claims/{claims[0].pk}/").json()
    assert detail == listed[0]


def test_claim_json_is_byte_for_byte_what_the_serializer_gives(api_client):
    """On PostgreSQL the database writes the JSON: every kind of value it may hold gives
    the bytes orjson gives for ClaimSerializer's output (on SQLite: the Python path)."""
    import orjson
    from rest_framework.test import APIRequestFactory

    from claims import selectors
    from claims.api.serializers import ClaimSerializer

    topic = TopicFactory(slug="t")
    undated = SourceFactory(published=None, published_precision="", url="")
    claims = [
        ClaimFactory(
            text='Il a dit "non" \\ \u2028 \x01\x1f\x7f \t\n émoji 🚀 ’',
            confidence=1.0,
            cue="",
        ),
        ClaimFactory(source=undated, confidence=0.0, context="a\r\nb"),
        ClaimFactory(confidence=0.125, source=SourceFactory(key="clé")),  # quoted URL
        ClaimFactory(confidence=1 / 3, speaker=SpeakerFactory(slug="o'neil~2")),
        ClaimFactory(speaker=None, confidence=0.0),  # a quotation still needing a speaker
    ]
    StanceFactory(claim=claims[0], topic=topic, confidence=1.0, evidence='"contre"\\')
    StanceFactory(claim=claims[3], topic=topic, confidence=0.6, contradicts_history=True)
    Claim.objects.filter(pk=claims[0].pk).update(
        created_at=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        updated_at=datetime.datetime(2024, 1, 2, 3, 4, 5, 60, tzinfo=datetime.UTC),
    )

    request = APIRequestFactory().get("/api/claims/", HTTP_HOST="testserver")
    expected = ClaimSerializer(
        selectors.claim_list().order_by("pk"), many=True, context={"request": request}
    ).data
    body = {"next": None, "previous": None, "results": expected}
    assert api_client.get("/api/claims/").content == orjson.dumps(body)
    for claim, one in zip(claims, expected, strict=True):
        assert api_client.get(f"/api/claims/{claim.pk}/").content == orjson.dumps(one)
    assert b'"created_at":"2024-01-02T03:04:05Z","updated_at":"2024-01-02T03:04:05.000060Z"' in (
        orjson.dumps(expected[0])
    )


def test_claims_needing_a_speaker_are_listed_with_speaker_null_and_filtered(api_client):
    attributed = ClaimFactory()
    unattributed = ClaimFactory(speaker=None, confidence=0.0)

    everything = api_client.get("/api/claims/").json()["results"]
    needing = api_client.get("/api/claims/", {"needs_speaker": "true"})
    named = api_client.get("/api/claims/", {"needs_speaker": "false"})

    assert [(c["id"], c["speaker"]) for c in everything] == [
        (
            attributed.pk,
            {
                "slug": attributed.speaker.slug,
                "name": attributed.speaker.name,
                "url": f"http://testserver/api/speakers/{attributed.speaker.slug}/",
            },
        ),
        (unattributed.pk, None),
    ]
    assert (ids(needing), ids(named)) == ([unattributed.pk], [attributed.pk])
    detail = api_client.get(f"/api/claims/{unattributed.pk}/").json()
    assert (detail["id"], detail["speaker"]) == (unattributed.pk, None)


def test_slug_filters_take_several_values_and_need_every_one_to_exist(api_client):
    first, second, third = ClaimFactory(), ClaimFactory(), ClaimFactory()
    both = {"speaker": [first.speaker.slug, second.speaker.slug]}
    assert sorted(ids(api_client.get("/api/claims/", both))) == sorted([first.pk, second.pk])
    by_id = {"speaker_id": [third.speaker_id, first.speaker_id, first.speaker_id]}
    assert sorted(ids(api_client.get("/api/claims/", by_id))) == sorted([first.pk, third.pk])

    one_unknown = {"speaker": [first.speaker.slug, "ghost"]}
    response = api_client.get("/api/claims/", one_unknown)
    assert (response.status_code, response.json()) == (
        400,
        {"speaker": ["Select a valid choice. ghost is not one of the available choices."]},
    )


def test_slug_filters_read_commas_as_the_browsable_form_writes_them(api_client):
    first, second, third = ClaimFactory(), ClaimFactory(), ClaimFactory()
    slugs = [first.speaker.slug, second.speaker.slug]
    html = api_client.get(
        "/api/claims/", {"speaker": slugs}, HTTP_ACCEPT="text/html"
    ).content.decode()
    assert f'name="speaker" value="{slugs[0]}, {slugs[1]}"' in html
    # Submitting the form unchanged sends the box's text back.
    listed = api_client.get("/api/claims/", {"speaker": f"{slugs[0]}, {slugs[1]}"})
    assert sorted(ids(listed)) == sorted([first.pk, second.pk])
    listed = api_client.get(
        "/api/claims/", {"speaker_id": f"{third.speaker_id},{first.speaker_id}"}
    )
    assert sorted(ids(listed)) == sorted([first.pk, third.pk])


def test_browsable_api_filter_form_does_not_list_every_speaker_and_source(api_client):
    """Slugs are typed, not picked from a list of every row (15 MB of HTML at 1M claims)."""
    claims = [ClaimFactory() for _ in range(3)]
    response = api_client.get(
        "/api/claims/", {"speaker": claims[0].speaker.slug}, HTTP_ACCEPT="text/html"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<input type="text" name="speaker" value="{claims[0].speaker.slug}"' in html
    for claim in claims[1:]:
        assert claim.speaker.slug not in html
        assert claim.source.key not in html
    assert '<select name="speaker"' not in html and '<select name="source"' not in html


def test_claims_the_database_cannot_write_as_orjson_are_written_by_python(api_client):
    """Tiny or negative-zero confidences, on the claim or on one of its stances: the same
    bytes as the serializer's, on every database."""
    import orjson
    from rest_framework.test import APIRequestFactory

    from claims import selectors
    from claims.api.serializers import ClaimSerializer

    topics = [TopicFactory(slug="a"), TopicFactory(slug="b")]
    claims = [
        ClaimFactory(confidence=1e-05),
        ClaimFactory(confidence=-0.0),
        ClaimFactory(confidence=0.5),
        ClaimFactory(confidence=0.0001),
    ]
    StanceFactory(claim=claims[2], topic=topics[0], confidence=0.7)
    StanceFactory(claim=claims[2], topic=topics[1], confidence=1.5e-07)
    StanceFactory(claim=claims[3], topic=topics[1], confidence=-0.0)

    request = APIRequestFactory().get("/api/claims/", HTTP_HOST="testserver")
    expected = ClaimSerializer(
        selectors.claim_list().order_by("pk"), many=True, context={"request": request}
    ).data
    body = {"next": None, "previous": None, "results": expected}
    assert api_client.get("/api/claims/").content == orjson.dumps(body)
    assert [len(c["stances"]) for c in expected] == [0, 0, 2, 1]
    for claim, one in zip(claims, expected, strict=True):
        response = api_client.get(f"/api/claims/{claim.pk}/")
        assert (response.content, response["ETag"]) == (orjson.dumps(one), '"1"')


def test_a_claim_deleted_before_python_writes_it_is_left_out(api_client, monkeypatch):
    """A claim the database could not write is read again; gone by then, it is left out of
    the list and the detail is a 404, not a 500."""
    from claims import selectors

    kept = ClaimFactory()
    odd = ClaimFactory(source=SourceFactory(key="clé"))  # its URL needs quoting
    real = selectors.claim_rows

    def deleted_in_between(queryset):
        Claim.objects.filter(pk=odd.pk).delete()
        return real(queryset)

    monkeypatch.setattr(selectors, "claim_rows", deleted_in_between)
    assert ids(api_client.get("/api/claims/")) == [kept.pk]
    odd = ClaimFactory(source=SourceFactory(key="clé-2"))
    response = api_client.get(f"/api/claims/{odd.pk}/")
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "No Claim matches the given query."},
    )


def test_detail_urls_hold_whatever_host_the_request_names(api_client):
    """The URL template is split on its path: a Host holding the stand-in the template is
    reversed with must not move the split."""
    claim = ClaimFactory()
    host = "testserver:00000000000000000000"

    listed = api_client.get("/api/claims/", HTTP_HOST=host).json()["results"][0]
    assert listed["url"] == f"http://{host}/api/claims/{claim.pk}/"
    assert listed["speaker"]["url"] == f"http://{host}/api/speakers/{claim.speaker.slug}/"
