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


def test_schema_claim_methods_are_get_and_patch(schema):
    assert sorted(schema["paths"]["/api/claims/{id}/"]) == ["get", "patch"]


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
