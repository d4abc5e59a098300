import re

import pytest
import yaml
from django.core.management import call_command


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    # --fail-on-warn turns every drf-spectacular warning into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def parameter_names(schema: dict, path: str) -> list[str]:
    return sorted(p["name"] for p in schema["paths"][path]["get"]["parameters"])


def test_schema_validates_without_warnings(schema):
    assert sorted(schema["paths"]) == [
        "/api/claims/",
        "/api/claims/{id}/",
        "/api/sources/",
        "/api/sources/{key}/",
        "/api/speakers/",
        "/api/speakers/{slug}/",
        "/api/stances/",
        "/api/stances/{id}/",
        "/api/topics/",
        "/api/topics/{slug}/",
    ]


def test_schema_lists_the_claim_filters(schema):
    assert parameter_names(schema, "/api/claims/") == [
        "contradicts_history",
        "count",
        "cursor",
        "kind",
        "min_confidence",
        "needs_speaker",
        "ordering",
        "page_size",
        "published_after",
        "published_before",
        "q",
        "source",
        "source_id",
        "speaker",
        "speaker_id",
        "speaker_name",
        "stance",
        "status",
        "topic",
        "topic_id",
    ]


def test_schema_lists_the_speaker_filters(schema):
    assert parameter_names(schema, "/api/speakers/") == [
        "country",
        "kind",
        "needs_review",
        "ordering",
        "page",
        "page_size",
        "q",
    ]


def test_schema_lists_the_stance_filters(schema):
    assert parameter_names(schema, "/api/stances/") == [
        "claim",
        "contradicts_history",
        "method",
        "page",
        "page_size",
        "speaker",
        "stance",
        "suggestion",
        "topic",
        "topic_id",
    ]


def test_schema_claim_methods_are_get_and_patch(schema):
    assert sorted(schema["paths"]["/api/claims/{id}/"]) == ["get", "patch"]


def test_schema_stance_methods(schema):
    assert (
        sorted(schema["paths"]["/api/stances/"]),
        sorted(schema["paths"]["/api/stances/{id}/"]),
    ) == (
        ["get", "post"],
        ["delete", "get", "patch"],
    )


def test_schema_documents_every_answer_of_the_stance_endpoints(schema):
    assert {
        (path, method): sorted(operation["responses"])
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if path.startswith("/api/stances/")
    } == {
        ("/api/stances/", "get"): ["200", "400", "403", "404", "429", "503"],
        ("/api/stances/", "post"): ["200", "201", "400", "403", "413", "415", "429", "503"],
        ("/api/stances/{id}/", "get"): ["200", "403", "404", "429", "503"],
        ("/api/stances/{id}/", "patch"): [
            "200", "400", "403", "404", "412", "413", "415", "428", "429", "503"
        ],
        ("/api/stances/{id}/", "delete"): ["204", "403", "404", "412", "428", "429", "503"],
    }  # fmt: skip


def test_schema_stance_writes_say_which_headers_they_take_and_send(schema):
    post = schema["paths"]["/api/stances/"]["post"]
    detail = schema["paths"]["/api/stances/{id}/"]
    if_match = {"type": "string", "minLength": 1}

    assert (
        sorted(post["responses"]["201"]["headers"]),
        sorted(post["responses"]["200"]["headers"]),
        sorted(detail["get"]["responses"]["200"]["headers"]),
        [p["schema"] for p in detail["patch"]["parameters"] if p["name"] == "If-Match"],
        [p["required"] for p in detail["delete"]["parameters"] if p["name"] == "If-Match"],
        {} in detail["get"]["security"],
        {} in detail["delete"]["security"],
    ) == (["ETag", "Location"], ["ETag"], ["ETag"], [if_match], [True], True, False)


def test_schema_stance_bodies_take_only_their_fields(schema):
    components = schema["components"]["schemas"]
    create, update = components["StanceCreateRequest"], components["PatchedStanceUpdateRequest"]

    assert (
        sorted(create["properties"]),
        sorted(create["required"]),
        create["additionalProperties"],
        create["properties"]["claim"]["type"],
        sorted(update["properties"]),
        update["additionalProperties"],
        update["minProperties"],
    ) == (
        ["claim", "confidence", "stance", "topic"],
        ["claim", "stance", "topic"],
        False,
        "integer",
        ["confidence", "stance"],
        False,
        1,
    )


def test_schema_stance_item_extends_the_stance_a_claim_shows(schema):
    components = schema["components"]["schemas"]

    nested = list(components["Stance"]["properties"])
    alone = list(components["StanceResource"]["properties"])

    assert [name for name in alone if name in nested] == nested


def test_api_docs_use_the_sidecar_assets(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r'(?:src|href)="([^"]+)"', html) == [
        "/static/drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-standalone-preset.js",
        # Its settings, a script file of their own (the CSP allows no inline script).
        "/api/docs/?script=",
    ]
    assert "cdn.jsdelivr" not in html


def test_schema_speaker_filter_is_a_repeatable_slug(schema):
    parameters = schema["paths"]["/api/claims/"]["get"]["parameters"]

    assert [p for p in parameters if p["name"] == "speaker"] == [
        {
            "in": "query",
            "name": "speaker",
            "schema": {"type": "array", "items": {"type": "string"}},
            "description": "Speaker slug; repeat for several: ?speaker=a&speaker=b",
            "explode": True,
            "style": "form",
        }
    ]
