"""Content-Security-Policy: on every page, and no page needs more than it allows.

The policy forbids inline and foreign scripts; each page the admin and the API serve is
read for what a browser would block: an inline script, an event-handler attribute, a
``javascript:`` URL, or a script, style or image from another origin.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User

from tests.factories import ClaimFactory, StanceFactory

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: values} (its order is free)."""
    directives = [d.split() for d in response["Content-Security-Policy"].split(";")]
    return {name: values for name, *values in directives}


class BlockedByPolicy(HTMLParser):
    """What the policy would block in a page, one line each."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []
        self._inline_script = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.blocked.append(f"<{tag} {name}=…>: an inline event handler")
            if name in ("href", "src", "action") and (value or "").strip().startswith(
                "javascript:"
            ):
                self.blocked.append(f"<{tag} {name}={value!r}>: a javascript: URL")
        source = values.get("src") or (values.get("href") if tag == "link" else None)
        if tag in ("script", "img", "link", "iframe") and source and "//" in source.split("?")[0]:
            self.blocked.append(f"<{tag}> from another origin: {source}")
        if tag == "base":
            self.blocked.append("<base>: base-uri is 'none'")
        kind = (values.get("type") or "text/javascript").lower()
        self._inline_script = tag == "script" and "src" not in values and "json" not in kind

    def handle_data(self, data):
        if self._inline_script and data.strip():
            self.blocked.append(f"inline <script>: {data.strip()[:60]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inline_script = False


def blocked(html: str) -> list[str]:
    parser = BlockedByPolicy()
    parser.feed(html)
    return parser.blocked


@pytest.fixture
def admin(client):
    client.force_login(User.objects.create_superuser("admin", password="pw-123-admin"))
    return client


def test_every_admin_and_api_page_carries_the_policy_and_needs_nothing_it_blocks(admin):
    stance = StanceFactory(claim=ClaimFactory())
    claim, source, speaker = stance.claim, stance.claim.source, stance.claim.speaker
    pages = [
        "/admin/",
        "/admin/claims/claim/",
        f"/admin/claims/claim/{claim.pk}/change/",
        f"/admin/claims/claim/{claim.pk}/history/",
        "/admin/claims/claim/add/",
        f"/admin/claims/source/{source.pk}/change/",
        "/admin/claims/source/add/",
        f"/admin/claims/speaker/{speaker.pk}/change/",
        f"/admin/claims/stance/{stance.pk}/change/",
        "/admin/claims/topic/add/",
        "/api/claims/",
        f"/api/claims/{claim.pk}/",
        "/api/speakers/",
        "/api/docs/",
    ]
    found = {}
    for path in pages:
        response = admin.get(path, HTTP_ACCEPT="text/html")
        assert (path, response.status_code) == (path, 200)
        assert (path, policy(response)) == (path, POLICY)
        found[path] = blocked(response.content.decode())

    assert found == {path: [] for path in pages}


def test_the_api_docs_script_is_a_file_of_its_own(client):
    page = client.get("/api/docs/").content.decode()
    script = client.get("/api/docs/?script=")

    assert 'src="/api/docs/?script="' in page
    assert (script.status_code, script["Content-Type"]) == (200, "application/javascript")


def test_json_answers_and_the_login_page_carry_the_policy(client):
    for path in ("/api/claims/?format=json", "/admin/login/", "/healthz"):
        assert (path, policy(client.get(path))) == (path, POLICY)


def test_the_checker_sees_what_a_browser_would_block():
    page = (
        '<script>alert(1)</script><a href="javascript:x()">x</a><img src=x onerror="y()">'
        '<script src="https://cdn.example/x.js"></script><script type="application/json">{}</script>'
    )
    assert blocked(page) == [
        "inline <script>: 'alert(1)'",
        "<a href='javascript:x()'>: a javascript: URL",
        "<img onerror=…>: an inline event handler",
        "<script> from another origin: https://cdn.example/x.js",
    ]


def test_the_header_built_once_is_django_csps_and_follows_the_setting(client, settings):
    from csp.utils import build_policy

    first = client.get("/api/claims/")["Content-Security-Policy"]
    assert first == build_policy()
    directives = [f"{name} {' '.join(sources)}" for name, sources in POLICY.items()]
    assert sorted(first.split("; ")) == sorted(directives)
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get("/api/claims/")["Content-Security-Policy"] == "default-src 'none'"


def test_a_response_that_changes_its_policy_goes_through_django_csp(rf):
    from django.http import HttpResponse

    from claims.middleware import ContentSecurityPolicyMiddleware

    def view(request):
        response = HttpResponse("ok")
        response._csp_update = {"img-src": ["https://example.org"]}
        return response

    from csp.utils import build_policy

    response = ContentSecurityPolicyMiddleware(view)(rf.get("/"))
    header = response["Content-Security-Policy"]
    assert header == build_policy(update={"img-src": ["https://example.org"]})
    assert header != build_policy()
