"""What contract fuzzing (.ci/fuzz, schemathesis) found: each answer is one the schema lists."""

import base64
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from tests.factories import ClaimFactory, SourceFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

CURSOR_INVALID = {"cursor": ["Invalid cursor."]}


def cursor(query: str) -> str:
    """A cursor as DRF encodes one: ``cursor("p=5")`` is the position 5."""
    return base64.b64encode(query.encode()).decode()


@pytest.fixture
def schema(client) -> dict:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def parameter(schema: dict, path: str, name: str, method: str = "get") -> dict:
    [found] = [p for p in schema["paths"][path][method]["parameters"] if p["name"] == name]
    return found


# --- cursors ------------------------------------------------------------------------------


@pytest.mark.parametrize("ordering", ["id", "-confidence", "created", "-published", "start"])
def test_claim_cursor_whose_position_fits_no_sort_key_is_400(api_client, ordering):
    ClaimFactory()

    response = api_client.get(
        "/api/claims/", {"cursor": cursor("p=not-a-position"), "ordering": ordering}
    )

    assert (response.status_code, response.json()) == (400, CURSOR_INVALID)


def test_claim_cursor_made_for_another_ordering_is_400(api_client):
    ClaimFactory()
    ClaimFactory()
    by_id = api_client.get("/api/claims/", {"page_size": 1}).json()["next"]
    [made_for_id] = parse_qs(urlparse(by_id).query)["cursor"]

    response = api_client.get("/api/claims/", {"cursor": made_for_id, "ordering": "published"})

    assert (response.status_code, response.json()) == (400, CURSOR_INVALID)


def test_claim_cursor_that_does_not_decode_is_400(api_client):
    response = api_client.get("/api/claims/", {"cursor": "not base64!"})

    assert (response.status_code, response.json()) == (400, CURSOR_INVALID)


@pytest.mark.parametrize(
    "garbage",
    # DRF skips non-base64 characters and reads a query string of none of its keys as the
    # first page: each of these answered 200 with page one.
    ["!!!", "AAAA", "====", "Zm9v", " ", cursor("x=1"), cursor("o=1&o=2"), cursor("r=0")],
)
def test_claim_cursor_that_is_no_cursor_is_400_not_the_first_page(api_client, garbage):
    ClaimFactory()

    response = api_client.get("/api/claims/", {"cursor": garbage})

    assert (response.status_code, response.json()) == (400, CURSOR_INVALID)


def test_claim_cursor_empty_is_the_first_page(api_client):
    claim = ClaimFactory()

    response = api_client.get("/api/claims/", {"cursor": ""})

    assert [r["id"] for r in response.json()["results"]] == [claim.pk]


def test_claim_cursor_with_an_offset_only_pages_in_any_ordering(api_client):
    claims = [ClaimFactory(confidence=0.9), ClaimFactory(confidence=0.5)]

    response = api_client.get("/api/claims/", {"cursor": cursor("o=1"), "ordering": "confidence"})

    assert [r["id"] for r in response.json()["results"]] == [claims[0].pk]


# --- one sort key for claims, page numbers elsewhere -------------------------------------


def test_claim_ordering_by_two_keys_is_400_not_the_first_key_alone(api_client):
    response = api_client.get("/api/claims/", {"ordering": "-confidence,id"})

    assert (response.status_code, response.json()) == (
        400,
        {
            "ordering": [
                "Select a valid choice. -confidence,id is not one of the available choices."
            ]
        },
    )


@pytest.mark.parametrize(
    ("page", "message"), [("abc", "Give a whole number."), ("0", "Must be at least 1.")]
)
def test_page_that_is_no_page_number_is_400_naming_it(api_client, page, message):
    response = api_client.get("/api/speakers/", {"page": page})

    assert (response.status_code, response.json()) == (400, {"page": [message]})


def test_page_past_the_last_is_404(api_client):
    SpeakerFactory()

    response = api_client.get("/api/speakers/", {"page": 2})

    assert (response.status_code, response.json()) == (404, {"detail": "Invalid page."})


def test_empty_page_is_the_first(api_client):
    speaker = SpeakerFactory()

    response = api_client.get("/api/speakers/", {"page": ""})

    assert [r["slug"] for r in response.json()["results"]] == [speaker.slug]


# --- JSON under /api/ for paths no route matches -------------------------------------------


@pytest.mark.parametrize("path", ["/api/sources/a/b/", "/api/sources/a%2Fb/", "/api/nothing/"])
def test_unrouted_api_path_is_a_json_404(client, path):
    response = client.get(path)

    assert (response.status_code, response["Content-Type"], response.json()) == (
        404,
        "application/json",
        {"detail": "Not found."},
    )


def test_unrouted_path_outside_the_api_keeps_djangos_page(client):
    response = client.get("/nothing/")

    assert (response.status_code, response["Content-Type"]) == (404, "text/html; charset=utf-8")


# --- what the schema says --------------------------------------------------------------------


def test_schema_page_sizes_and_numbers_start_at_one(schema):
    assert [
        parameter(schema, path, name)["schema"]
        for path, name in [
            ("/api/claims/", "page_size"),
            ("/api/speakers/", "page_size"),
            ("/api/speakers/", "page"),
        ]
    ] == [{"type": "integer", "minimum": 1}] * 3


def test_schema_lists_the_claim_count_parameter(schema):
    assert parameter(schema, "/api/claims/", "count")["schema"] == {"type": "boolean"}


def test_schema_claim_ordering_is_one_key(schema):
    ordering = parameter(schema, "/api/claims/", "ordering")
    keys = ["confidence", "created", "id", "published", "start"]

    assert (ordering["schema"]["type"], sorted(ordering["schema"]["enum"])) == (
        "string",
        sorted([*keys, *(f"-{key}" for key in keys)]),
    )


def test_schema_text_filters_carry_the_limits_their_forms_enforce(schema):
    assert [
        parameter(schema, "/api/claims/", "q"),
        parameter(schema, "/api/speakers/", "country"),
    ] == [
        {
            "in": "query",
            "name": "q",
            "schema": {"type": "string", "maxLength": 200, "pattern": "^[^\\x00]*$"},
            "description": "Full text over the claim text (French stemming on PostgreSQL).",
            "allowEmptyValue": True,
        },
        {
            "in": "query",
            "name": "country",
            "schema": {"type": "string", "pattern": "^[A-Za-z]{2}$"},
            "description": "ISO 3166-1 alpha-2 code, e.g. TR.",
            "allowEmptyValue": True,
        },
    ]


def test_schema_repeatable_filter_takes_no_empty_value(schema, api_client):
    speaker = parameter(schema, "/api/claims/", "speaker")

    response = api_client.get("/api/claims/", {"speaker": ""})

    assert ("allowEmptyValue" in speaker, response.status_code) == (False, 400)


# These need DEFAULT_SCHEMA_CLASS = "claims.api.schema.AutoSchema" in project/settings.py.


def test_schema_reads_are_open_to_anonymous_clients_and_writes_are_not(schema):
    claim = schema["paths"]["/api/claims/{id}/"]

    assert ({} in claim["get"]["security"], {} in claim["patch"]["security"]) == (True, False)


def test_schema_documents_the_shared_error_answers(schema):
    assert {
        (path, method): sorted(operation["responses"])
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if path.startswith("/api/claims/")
    } == {
        ("/api/claims/", "get"): ["200", "400", "403", "429", "503"],
        ("/api/claims/{id}/", "get"): ["200", "403", "404", "429", "503"],
        ("/api/claims/{id}/", "patch"): [
            "200", "400", "403", "404", "412", "413", "415", "428", "429", "503"
        ],
    }  # fmt: skip


def test_schema_error_answers_have_a_body(schema):
    patch = schema["paths"]["/api/claims/{id}/"]["patch"]["responses"]

    assert [patch[code]["content"]["application/json"]["schema"] for code in ("400", "412")] == [
        {"$ref": "#/components/schemas/ValidationError"},
        {"$ref": "#/components/schemas/Error"},
    ]


# --- with the patches to views.py and serializers.py --------------------------------------


@pytest.mark.parametrize("path", ["/api/speakers/a%00/", "/api/sources/a%00/", "/api/topics/a%00/"])
def test_lookup_with_a_nul_byte_is_a_json_404_not_a_500(client, path):
    response = client.get(path)

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_claim_patch_from_a_form_is_415_not_an_empty_status_ignored(curator_client):
    claim = ClaimFactory()

    response = curator_client.patch(
        f"/api/claims/{claim.pk}/",
        "status=",
        content_type="application/x-www-form-urlencoded",
        headers={"If-Match": "*"},
    )

    assert response.status_code == 415


def test_schema_if_match_is_never_empty(schema):
    if_match = parameter(schema, "/api/claims/{id}/", "If-Match", method="patch")

    assert if_match["schema"] == {"type": "string", "minLength": 1}


def test_schema_source_url_and_precision_may_be_empty(schema, api_client):
    components = schema["components"]["schemas"]
    source = SourceFactory(url="", published=None, published_precision="")

    response = api_client.get(f"/api/sources/{source.key}/")

    assert (
        components["SourceRef"]["properties"]["article_url"]["oneOf"],
        components["Source"]["properties"]["published_precision"]["oneOf"],
        response.json()["article_url"],
        response.json()["published_precision"],
    ) == (
        [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}],
        [
            {"$ref": "#/components/schemas/PublishedPrecisionEnum"},
            {"$ref": "#/components/schemas/BlankEnum"},
        ],
        "",
        "",
    )


def test_schema_bounds_min_confidence_to_the_unit_interval(schema):
    # It said "maximum: 1e50" (django-filter's own bound on any NumberFilter).
    assert parameter(schema, "/api/claims/", "min_confidence")["schema"] == {
        "type": "number",
        "format": "float",
        "minimum": 0,
        "maximum": 1,
    }


def test_a_parameter_repeated_past_djangos_limit_is_a_400_that_says_so(client):
    response = Client(raise_request_exception=False).get(
        "/api/claims/?" + "&".join(["speaker=a"] * 1001)
    )

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Too many parameters: at most 1,000 in the query string or the body."},
    )
