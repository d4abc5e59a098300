import json

import pytest
from django.db import connection

from claims import selectors
from claims.api.filtersets import SpeakerFilterSet
from claims.api.serializers import SpeakerSerializer
from claims.selectors import speaker_list
from tests.api.helpers import result_values
from tests.factories import AliasFactory, ClaimFactory, SourceFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def slugs(response) -> list:
    return result_values(response, "slug")


def test_speaker_list_has_claim_count_and_aliases(api_client):
    dupont = SpeakerFactory(name="Jean Dupont", role="ministre", wikidata_id="Q42")
    AliasFactory(speaker=dupont, name="Dupont")
    AliasFactory(speaker=dupont, name="le ministre", kind="role")
    source = SourceFactory()
    ClaimFactory(source=source, speaker=dupont)
    ClaimFactory(source=source, speaker=dupont, quote="La coopération doit continuer")
    SpeakerFactory(name="Marie Curie")

    response = api_client.get("/api/speakers/")

    assert response.json()["results"] == [
        {
            "slug": "jean-dupont",
            "url": "http://testserver/api/speakers/jean-dupont/",
            "name": "Jean Dupont",
            "kind": "person",
            "role": "ministre",
            "country": "FR",
            "wikidata_id": "Q42",
            "aliases": ["Dupont", "le ministre"],
            "claim_count": 2,
            "needs_review": False,
            "origin": "reference",
        },
        {
            "slug": "marie-curie",
            "url": "http://testserver/api/speakers/marie-curie/",
            "name": "Marie Curie",
            "kind": "person",
            "role": "",
            "country": "FR",
            "wikidata_id": "",
            "aliases": [],
            "claim_count": 0,
            "needs_review": False,
            "origin": "reference",
        },
    ]


def test_speaker_list_claim_count_is_not_multiplied_by_aliases(api_client):
    dupont = SpeakerFactory(name="Jean Dupont")
    AliasFactory(speaker=dupont, name="Dupont")
    AliasFactory(speaker=dupont, name="J. Dupont")
    ClaimFactory(speaker=dupont)

    response = api_client.get("/api/speakers/")

    assert [item["claim_count"] for item in response.json()["results"]] == [1]


@pytest.mark.parametrize("query", ["cavus", "ÇAVUŞ", "mevl", "Mevlüt Çavuşoğlu"])
def test_speaker_list_q_matches_name_word_prefix_ignoring_case_and_accents(api_client, query):
    SpeakerFactory(name="Mevlüt Çavuşoğlu")
    SpeakerFactory(name="Jean Dupont")

    assert slugs(api_client.get(f"/api/speakers/?q={query}")) == ["mevlut-cavusoglu"]


def test_speaker_list_q_does_not_match_inside_a_word(api_client):
    SpeakerFactory(name="Mevlüt Çavuşoğlu")

    assert slugs(api_client.get("/api/speakers/?q=oglu")) == []


def test_speaker_list_q_matches_a_name_alias(api_client):
    cavusoglu = SpeakerFactory(name="Mevlüt Çavuşoğlu")
    AliasFactory(speaker=cavusoglu, name="Mevlut Tchavouchoglou")
    SpeakerFactory(name="Jean Dupont")

    assert slugs(api_client.get("/api/speakers/?q=tchav")) == ["mevlut-cavusoglu"]


def test_speaker_list_q_ignores_role_aliases(api_client):
    peskov = SpeakerFactory(name="Dmitri Peskov")
    AliasFactory(speaker=peskov, name="le porte-parole de Vladimir Poutine", kind="role")
    SpeakerFactory(name="Vladimir Poutine")

    assert slugs(api_client.get("/api/speakers/?q=poutine")) == ["vladimir-poutine"]


@pytest.mark.parametrize("country", ["tr", "TR", "Tr"])
def test_speaker_list_filters_by_country_ignoring_case(api_client, country):
    SpeakerFactory(name="Hulusi Akar", country="TR")
    SpeakerFactory(name="Jean Dupont", country="FR")
    SpeakerFactory(name="Recep Erdogan", country="TR")

    assert slugs(api_client.get(f"/api/speakers/?country={country}")) == [
        "hulusi-akar",
        "recep-erdogan",
    ]


@pytest.mark.parametrize("country", ["xyz", "t", "t1"])
def test_speaker_list_invalid_country_is_400(api_client, country):
    response = api_client.get(f"/api/speakers/?country={country}")

    assert response.status_code == 400
    assert response.json() == {"country": ["Use a two-letter ISO 3166-1 code."]}


def test_speaker_list_filters_by_kind(api_client):
    SpeakerFactory(name="Jean Dupont")
    SpeakerFactory(name="OTAN", kind="organization")

    assert slugs(api_client.get("/api/speakers/?kind=organization")) == ["otan"]


def test_speaker_list_filters_by_needs_review(api_client):
    SpeakerFactory(name="Jean Dupont")
    SpeakerFactory(name="Marie Curie", needs_review=True, origin="extracted")

    assert slugs(api_client.get("/api/speakers/?needs_review=true")) == ["marie-curie"]
    assert slugs(api_client.get("/api/speakers/?needs_review=false")) == ["jean-dupont"]


def test_speaker_list_orders_by_claim_count(api_client):
    source = SourceFactory()
    busy = SpeakerFactory(name="Zoé Busy")
    ClaimFactory(source=source, speaker=busy)
    ClaimFactory(source=source, speaker=busy, quote="La coopération doit continuer")
    ClaimFactory(speaker=SpeakerFactory(name="Marie Curie"))
    SpeakerFactory(name="Anne Silent")

    assert slugs(api_client.get("/api/speakers/?ordering=-claim_count")) == [
        "zoe-busy",
        "marie-curie",
        "anne-silent",
    ]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("-claim_count", ["zoe-busy", "anne-b", "anne-b-2", "marie-curie", "anne-silent"]),
        ("claim_count", ["anne-silent", "anne-b", "anne-b-2", "marie-curie", "zoe-busy"]),
    ],
)
def test_speaker_list_breaks_claim_count_ties_by_name_then_id(api_client, ordering, expected):
    source = SourceFactory()
    busy = SpeakerFactory(name="Zoé Busy")
    ClaimFactory(source=source, speaker=busy)
    ClaimFactory(source=source, speaker=busy, quote="La coopération doit continuer")
    ClaimFactory(speaker=SpeakerFactory(name="Marie Curie"))
    ClaimFactory(speaker=SpeakerFactory(name="Anne B", slug="anne-b"))
    ClaimFactory(speaker=SpeakerFactory(name="Anne B", slug="anne-b-2"))
    SpeakerFactory(name="Anne Silent")

    assert slugs(api_client.get(f"/api/speakers/?ordering={ordering}")) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
@pytest.mark.parametrize(
    ("ordering", "index"),
    [("-claim_count", "speaker_claim_count_desc"), ("claim_count", "speaker_claim_count")],
)
def test_speaker_list_by_claim_count_reads_an_index_in_order(api_client, ordering, index):
    queryset = SpeakerFilterSet({"ordering": ordering}, queryset=speaker_list()).qs[:50]
    with connection.cursor() as cursor:
        # A few test rows are cheaper to sort than to read through an index: say they are not.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = queryset.explain()

    assert f"Index Scan using {index} on claims_speaker" in plan
    assert "Sort" not in plan


def test_speaker_list_unknown_parameter_is_400(api_client):
    response = api_client.get("/api/speakers/?name=x")

    assert response.status_code == 400
    assert response.json() == {
        "name": [
            "Unknown query parameter. Known: country, format, kind, needs_review, ordering, "
            "page, page_size, q."
        ]
    }


def test_speaker_detail_by_slug(api_client):
    dupont = SpeakerFactory(name="Jean Dupont")
    AliasFactory(speaker=dupont, name="Dupont")
    ClaimFactory(speaker=dupont)

    response = api_client.get("/api/speakers/jean-dupont/")

    assert response.status_code == 200
    body = response.json()
    assert (body["slug"], body["name"], body["aliases"], body["claim_count"]) == (
        "jean-dupont",
        "Jean Dupont",
        ["Dupont"],
        1,
    )


def test_speaker_detail_unknown_slug_is_404(api_client):
    response = api_client.get("/api/speakers/nobody/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No Speaker matches the given query."}


def test_speaker_post_is_405(api_client):
    response = api_client.post("/api/speakers/", {"name": "X"}, format="json")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.'}


@pytest.mark.parametrize("count", [1, 3])
def test_speaker_list_query_count_is_constant(api_client, django_assert_num_queries, count):
    for _ in range(count):
        speaker = SpeakerFactory()
        AliasFactory(speaker=speaker)
        AliasFactory(speaker=speaker)
        ClaimFactory(speaker=speaker)

    # The count, then the rows with claim counts; the aliases are in the rows' query on
    # PostgreSQL, a third query elsewhere.
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 3):
        response = api_client.get("/api/speakers/")

    assert len(slugs(response)) == count


def test_speaker_list_rows_are_what_the_serializer_writes(api_client, rf):
    """The list is written from rows (claims/api/speaker_rows.py); SpeakerSerializer is its
    documented schema: both give the same JSON, aliases, counts and filters included."""
    dupont = SpeakerFactory(name="Jean Dupont", role="ministre", wikidata_id="Q1")
    AliasFactory(speaker=dupont, name="Dupont")
    AliasFactory(speaker=dupont, name="le ministre", kind="role")
    curie = SpeakerFactory(name="Marie Curie", needs_review=True, country="", kind="organization")
    SpeakerFactory(name="Zoé Sans-Citation")
    ClaimFactory(speaker=dupont)
    ClaimFactory(speaker=curie)
    ClaimFactory(speaker=curie, quote="La coopération doit continuer")
    request = rf.get("/api/speakers/")

    for params in ({}, {"ordering": "-claim_count"}, {"q": "dupont"}, {"page_size": "2"}):
        response = api_client.get("/api/speakers/", params)
        shown = [item["slug"] for item in response.json()["results"]]
        speakers = sorted(
            selectors.speaker_list().filter(slug__in=shown), key=lambda s: shown.index(s.slug)
        )
        written = SpeakerSerializer(speakers, many=True, context={"request": request}).data
        assert response.json()["results"] == json.loads(json.dumps(written)), params
    assert [item["aliases"] for item in api_client.get("/api/speakers/").json()["results"]] == [
        ["Dupont", "le ministre"],
        [],
        [],
    ]
    assert slugs(api_client.get("/api/speakers/", {"ordering": "-claim_count"})) == [
        "marie-curie",
        "jean-dupont",
        "zoe-sans-citation",
    ]


def test_speakers_needs_review_rejects_a_non_boolean(api_client):
    response = api_client.get("/api/speakers/", {"needs_review": "perhaps"})
    assert (response.status_code, response.json()) == (
        400,
        {"needs_review": ["Use true or false."]},
    )
