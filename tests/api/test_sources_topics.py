import datetime
import hashlib

import pytest
from django.db import connection

from claims.models import Source
from tests.api.helpers import result_values
from tests.factories import ClaimFactory, SourceFactory, SpeakerFactory, StanceFactory, TopicFactory

pytestmark = pytest.mark.django_db

SECOND_QUOTE = "La coopération doit continuer"


def keys(response) -> list:
    return result_values(response, "key")


def slugs(response) -> list:
    return result_values(response, "slug")


# --- sources ----------------------------------------------------------------------------


def test_source_list_excludes_the_text(api_client):
    source = SourceFactory(
        key="le-monde-1",
        title="Un titre",
        outlet="Le Monde",
        url="https://example.org/a",
        published=datetime.date(2021, 6, 1),
    )
    ClaimFactory(source=source)

    result = api_client.get("/api/sources/").json()["results"][0]

    assert set(result) == {
        "key",
        "url",
        "title",
        "outlet",
        "article_url",
        "language",
        "published",
        "published_precision",
        "content_hash",
        "claim_count",
        "created_at",
        "updated_at",
    }
    assert (
        result["key"],
        result["url"],
        result["article_url"],
        result["published"],
        result["claim_count"],
    ) == (
        "le-monde-1",
        "http://testserver/api/sources/le-monde-1/",
        "https://example.org/a",
        "2021-06-01",
        1,
    )


def test_source_detail_includes_the_text_and_its_hash(api_client, seeds_loaded):
    for source in Source.objects.all():
        body = api_client.get(f"/api/sources/{source.key}/").json()

        assert body["text"] == source.text
        assert body["content_hash"] == hashlib.sha256(body["text"].encode("utf-8")).hexdigest()


def test_source_detail_counts_its_claims(api_client):
    source = SourceFactory(key="a")
    ClaimFactory(source=source)
    ClaimFactory(source=source, quote=SECOND_QUOTE)
    ClaimFactory(source=SourceFactory(key="b"))

    body = api_client.get("/api/sources/a/").json()

    assert (body["key"], body["claim_count"], body["text"]) == ("a", 2, source.text)


def test_source_detail_unknown_key_is_404(api_client):
    response = api_client.get("/api/sources/nothing/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No Source matches the given query."}


def test_source_list_filters_by_outlet_ignoring_case_only(api_client):
    SourceFactory(key="a", outlet="Le Monde")
    SourceFactory(key="b", outlet="Le Monde diplomatique")
    SourceFactory(key="c", outlet="LE MONDE")

    assert keys(api_client.get("/api/sources/?outlet=le monde")) == ["a", "c"]


def test_source_list_orders_by_published(api_client):
    SourceFactory(key="a", published=datetime.date(2021, 6, 1))
    SourceFactory(key="b", published=datetime.date(2020, 1, 1))
    SourceFactory(key="c", published=datetime.date(2022, 3, 1))

    assert keys(api_client.get("/api/sources/?ordering=published")) == ["b", "a", "c"]
    assert keys(api_client.get("/api/sources/?ordering=-published")) == ["c", "a", "b"]


def test_source_list_orders_by_claim_count(api_client):
    two = SourceFactory(key="a")
    ClaimFactory(source=two)
    ClaimFactory(source=two, quote=SECOND_QUOTE)
    ClaimFactory(source=SourceFactory(key="b"))
    SourceFactory(key="c")

    assert keys(api_client.get("/api/sources/?ordering=-claim_count")) == ["a", "b", "c"]


def test_source_list_invalid_ordering_is_400(api_client):
    response = api_client.get("/api/sources/?ordering=text")

    assert response.status_code == 400
    assert response.json() == {
        "ordering": ["Select a valid choice. text is not one of the available choices."]
    }


def test_source_list_filters_by_published_range(api_client):
    SourceFactory(key="a", published=datetime.date(2021, 6, 1))
    SourceFactory(key="b", published=datetime.date(2021, 6, 30))
    SourceFactory(key="c", published=datetime.date(2021, 7, 1))

    response = api_client.get(
        "/api/sources/?published_after=2021-06-01&published_before=2021-06-30"
    )

    assert keys(response) == ["a", "b"]


@pytest.mark.parametrize("count", [1, 3])
def test_source_list_query_count_is_constant(api_client, django_assert_num_queries, count):
    for _ in range(count):
        source = SourceFactory()
        ClaimFactory(source=source)
        ClaimFactory(source=source, quote=SECOND_QUOTE)

    # count, rows with claim counts
    with django_assert_num_queries(2):
        response = api_client.get("/api/sources/")

    assert len(keys(response)) == count


# --- topics -----------------------------------------------------------------------------


def test_topic_list_has_claim_count(api_client):
    nato = TopicFactory(name="OTAN", description="L'Alliance.", keywords=["otan"])
    TopicFactory(name="Sanctions")
    StanceFactory(topic=nato)
    StanceFactory(topic=nato)

    assert api_client.get("/api/topics/").json()["results"] == [
        {
            "slug": "otan",
            "url": "http://testserver/api/topics/otan/",
            "name": "OTAN",
            "description": "L'Alliance.",
            "keywords": ["otan"],
            "claim_count": 2,
        },
        {
            "slug": "sanctions",
            "url": "http://testserver/api/topics/sanctions/",
            "name": "Sanctions",
            "description": "",
            "keywords": ["coopération"],
            "claim_count": 0,
        },
    ]


def test_topic_list_q_matches_name_or_slug(api_client):
    TopicFactory(name="Sanctions CAATSA", slug="caatsa")
    TopicFactory(name="OTAN", slug="otan")

    assert slugs(api_client.get("/api/topics/?q=sanctions")) == ["caatsa"]
    assert slugs(api_client.get("/api/topics/?q=OTA")) == ["otan"]


def test_topic_detail_counts_stances_per_speaker(api_client):
    nato = TopicFactory(name="OTAN")
    other = TopicFactory(name="Autre")
    curie = SpeakerFactory(name="Marie Curie")
    dupont = SpeakerFactory(name="Jean Dupont")
    for speaker, stance in [
        (curie, "favor"),
        (curie, "favor"),
        (curie, "against"),
        (dupont, "neutral"),
    ]:
        StanceFactory(topic=nato, claim__speaker=speaker, stance=stance)
    StanceFactory(topic=other, claim__speaker=dupont, stance="against")

    response = api_client.get("/api/topics/otan/")

    assert response.status_code == 200
    assert (response.json()["claim_count"], response.json()["stance_counts"]) == (
        4,
        [
            {
                "speaker": "jean-dupont",
                "name": "Jean Dupont",
                "favor": 0,
                "against": 0,
                "neutral": 1,
            },
            {
                "speaker": "marie-curie",
                "name": "Marie Curie",
                "favor": 2,
                "against": 1,
                "neutral": 0,
            },
        ],
    )


def test_topic_detail_unknown_slug_is_404(api_client):
    response = api_client.get("/api/topics/nothing/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No Topic matches the given query."}


@pytest.mark.parametrize("count", [1, 3])
def test_topic_list_query_count_is_constant(api_client, django_assert_num_queries, count):
    for _ in range(count):
        topic = TopicFactory()
        StanceFactory(topic=topic)
        StanceFactory(topic=topic)

    # count, rows with claim counts
    with django_assert_num_queries(2):
        response = api_client.get("/api/topics/")

    assert len(slugs(response)) == count


# --- searching sources ----------------------------------------------------------------------


@pytest.fixture
def searchable(db):
    SourceFactory(key="titre", title="Les hôpitaux en grève", text="Rien à signaler ici.")
    SourceFactory(key="corps", title="Brève", text="Le préfet a visité l'hôpital de Dole.")
    SourceFactory(key="autre", title="Sport", text="Le club a gagné le match.")
    # Edited after creation: the index follows the row's new title and text.
    edited = SourceFactory(key="edite", title="Ancien titre", text="Ancien texte.")
    edited.title, edited.text = "Hôpital rouvert", "La maternité reprend."
    edited.save()


# (q, found on SQLite: each word a word prefix, found on PostgreSQL: French stemming)
@pytest.mark.parametrize(
    ("q", "sqlite", "postgresql"),
    [
        ("hôpital", ["corps", "edite"], ["corps", "edite", "titre"]),
        ("HOPITAUX", ["titre"], ["corps", "edite", "titre"]),  # accent- and case-blind
        ("préfet Dole", ["corps"], ["corps"]),  # every word
        ("ancien", [], []),  # the old title and text are out of the index
        ("maternité", ["edite"], ["edite"]),
        ("absent", [], []),
        ('"', [], []),
        ("!!! ?", [], []),
        ("l'hôpital", ["corps"], ["corps", "edite", "titre"]),
    ],
)
def test_source_search_finds_the_words_in_title_or_text(
    api_client, searchable, q, sqlite, postgresql
):
    expected = postgresql if connection.vendor == "postgresql" else sqlite
    assert keys(api_client.get("/api/sources/", {"q": q, "ordering": "key"})) == expected


def test_source_search_is_answered_from_an_index(api_client, searchable):
    # It computed a text-search vector of every article per request: seconds at 40,000.
    from claims.api.filtersets import SourceFilterSet

    queryset = SourceFilterSet({"q": "hôpital"}, queryset=Source.objects.all()).qs.order_by()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        explain = "EXPLAIN" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
        cursor.execute(f"{explain} {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    index = "claims_source_search_gin" if connection.vendor == "postgresql" else "claims_source_fts"
    assert index in plan
    assert "to_tsvector" not in plan
