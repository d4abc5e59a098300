"""Who may do what: anonymous reads, curators' writes, CSRF, the admin, throttles, input limits."""

from __future__ import annotations

import importlib
import json
import secrets
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from drf_orjson_renderer.parsers import ORJSONParser
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from claims.api.filtersets import MAX_Q_LENGTH
from claims.api.pagination import PageNumberPagination
from claims.models import Claim
from tests.factories import ClaimFactory, SourceFactory, SpeakerFactory, TopicFactory

pytestmark = pytest.mark.django_db

CURATOR_CODENAMES = [
    "add_alias",
    "add_claim",
    "add_stance",
    "add_topic",
    "change_alias",
    "change_claim",
    "change_source",
    "change_speaker",
    "change_stance",
    "change_topic",
    # A removed stance is a dismissal that loads keep (migration 0012), and may be undone.
    "delete_stance",
    "delete_stancedismissal",
    "view_alias",
    "view_claim",
    "view_source",
    "view_speaker",
    "view_stance",
    "view_stancedismissal",
    "view_topic",
]
PERMISSION_DENIED = {"detail": "You do not have permission to perform this action."}


def make_user(username: str, *, curator: bool = False, **fields) -> User:
    user = User.objects.create_user(username, password="a-long-test-password", **fields)
    if curator:
        user.groups.add(Group.objects.get(name="curators"))
    return user


def token_client(user: User, client_class=APIClient):
    token = Token.objects.create(user=user)
    return client_class(HTTP_AUTHORIZATION=f"Token {token.key}")


def confirm(client, claim: Claim, **extra):
    """PATCH a claim to confirmed with the plain Django client (JSON body)."""
    return client.patch(
        f"/api/claims/{claim.pk}/",
        json.dumps({"status": "confirmed"}),
        content_type="application/json",
        HTTP_IF_MATCH=f'"{claim.version}"',
        **extra,
    )


def status_of(claim: Claim) -> str:
    claim.refresh_from_db()
    return claim.status


# --- the curators group (migrations 0007 and 0012) -------------------------------------


def curator_codenames() -> list[str]:
    group = Group.objects.get(name="curators")
    return sorted(
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    )


def test_curators_group_holds_the_curation_permissions_and_deletes_only_stances():
    assert curator_codenames() == [f"claims.{codename}" for codename in CURATOR_CODENAMES]


def test_curators_group_migrations_make_missing_permissions_and_are_idempotent():
    # What a fresh database looks like when the migrations run: no claims permissions yet.
    Permission.objects.filter(content_type__app_label="claims").delete()
    assert curator_codenames() == []
    loader = MigrationExecutor(connection).loader
    schema_editor = SimpleNamespace(connection=connection)  # all the functions read of it

    for name, function in [
        ("0007_curators_group", "create_curators_group"),
        ("0012_curators_dismiss_stances", "grant"),
    ]:
        migration = importlib.import_module(f"claims.migrations.{name}")
        state = loader.project_state(("claims", name))
        getattr(migration, function)(state.apps, schema_editor)
        getattr(migration, function)(state.apps, schema_editor)

    assert curator_codenames() == [f"claims.{codename}" for codename in CURATOR_CODENAMES]
    assert Group.objects.filter(name="curators").count() == 1


def test_curators_stance_permissions_migration_reverses_to_the_first_grant():
    migration = importlib.import_module("claims.migrations.0012_curators_dismiss_stances")
    state = MigrationExecutor(connection).loader.project_state(
        ("claims", "0012_curators_dismiss_stances")
    )

    migration.revoke(state.apps, SimpleNamespace(connection=connection))

    granted = {"claims.add_topic", "claims.delete_stance", "claims.delete_stancedismissal"}
    granted.add("claims.view_stancedismissal")
    assert curator_codenames() == [
        f"claims.{codename}"
        for codename in CURATOR_CODENAMES
        if f"claims.{codename}" not in granted
    ]


# --- reads are public, writes need the permission ---------------------------------------


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/claims/", {"next": None, "previous": None, "results": []}),
        ("/api/speakers/", {"count": 0, "next": None, "previous": None, "results": []}),
        ("/api/sources/", {"count": 0, "next": None, "previous": None, "results": []}),
        ("/api/topics/", {"count": 0, "next": None, "previous": None, "results": []}),
        ("/api/stances/", {"count": 0, "next": None, "previous": None, "results": []}),
    ],
)
def test_anonymous_reads_every_list(api_client, path, body):
    response = api_client.get(path)

    assert (response.status_code, response.json()) == (200, body)


def test_anonymous_write_is_403_and_changes_nothing():
    claim = ClaimFactory()

    response = confirm(Client(), claim)

    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Authentication credentials were not provided."},
    )
    assert status_of(claim) == "unreviewed"


def test_token_of_a_curator_may_write():
    claim = ClaimFactory()

    response = confirm(token_client(make_user("cora", curator=True), Client), claim)

    assert (response.status_code, response.json()["status"]) == (200, "confirmed")
    assert status_of(claim) == "confirmed"


@pytest.mark.parametrize(
    ("curator", "active", "body"),
    [
        (False, True, PERMISSION_DENIED),  # a reader: outside the curators group
        (True, False, {"detail": "User inactive or deleted."}),  # a curator who left
    ],
)
def test_token_of_a_reader_or_a_former_curator_is_403(curator, active, body):
    claim = ClaimFactory()
    user = make_user("someone", curator=curator, is_active=active)

    response = confirm(token_client(user, Client), claim)

    assert (response.status_code, response.json()) == (403, body)
    assert status_of(claim) == "unreviewed"


def test_unknown_token_is_403():
    claim = ClaimFactory()

    response = confirm(Client(HTTP_AUTHORIZATION="Token " + "0" * 40), claim)

    assert (response.status_code, response.json()) == (403, {"detail": "Invalid token."})
    assert status_of(claim) == "unreviewed"


@pytest.mark.parametrize("path", ["/api/speakers/{speaker}/", "/api/sources/{source}/"])
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_curator_cannot_write_the_read_only_endpoints(path, method):
    speaker, source = SpeakerFactory(), SourceFactory()
    client = token_client(make_user("cora", curator=True))

    response = getattr(client, method)(
        path.format(speaker=speaker.slug, source=source.key), {"name": "x"}, format="json"
    )

    assert (response.status_code, response.json()) == (
        405,
        {"detail": f'Method "{method.upper()}" not allowed.'},
    )


@pytest.mark.parametrize(
    "path", ["/api/claims/", "/api/speakers/", "/api/sources/", "/api/topics/"]
)
def test_curator_cannot_create_through_the_api(path):
    client = token_client(make_user("cora", curator=True))

    response = client.post(path, {"name": "x"}, format="json")

    assert (response.status_code, response.json()) == (
        405,
        {"detail": 'Method "POST" not allowed.'},
    )


def test_curator_cannot_delete_a_claim_through_the_api():
    claim = ClaimFactory()
    client = token_client(make_user("cora", curator=True))

    response = client.delete(f"/api/claims/{claim.pk}/")

    assert (response.status_code, response.json()) == (
        405,
        {"detail": 'Method "DELETE" not allowed.'},
    )
    assert list(Claim.objects.values_list("pk", flat=True)) == [claim.pk]


# --- CSRF on session writes -------------------------------------------------------------


def test_session_write_without_csrf_cookie_is_refused():
    claim = ClaimFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("cora", curator=True))

    response = confirm(client, claim)

    assert (response.status_code, response.json()) == (
        403,
        {"detail": "CSRF Failed: CSRF cookie not set."},
    )
    assert status_of(claim) == "unreviewed"


def test_session_write_needs_the_csrf_token_matching_the_cookie():
    claim = ClaimFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("cora", curator=True))
    page = client.get("/admin/login/")  # any form page hands out the CSRF cookie
    cookie = page.cookies["csrftoken"]
    assert (cookie["secure"], cookie["samesite"]) == (True, "Lax")

    missing = confirm(client, claim)
    wrong = confirm(client, claim, HTTP_X_CSRFTOKEN="x" * 32)
    assert status_of(claim) == "unreviewed"
    right = confirm(client, claim, HTTP_X_CSRFTOKEN=cookie.value)

    assert (missing.status_code, missing.json()) == (
        403,
        {"detail": "CSRF Failed: CSRF token missing."},
    )
    assert (wrong.status_code, wrong.json()) == (
        403,
        {"detail": "CSRF Failed: CSRF token from the 'X-Csrftoken' HTTP header incorrect."},
    )
    assert (right.status_code, right.json()["status"]) == (200, "confirmed")
    assert status_of(claim) == "confirmed"


def test_token_write_needs_no_csrf_token():
    # A token is sent on purpose by a program, never attached by a browser: no CSRF risk.
    claim = ClaimFactory()
    token = Token.objects.create(user=make_user("cora", curator=True))
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {token.key}")

    response = confirm(client, claim)

    assert (response.status_code, response.json()["status"]) == (200, "confirmed")


def test_session_without_the_permission_is_403_even_with_csrf():
    claim = ClaimFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("reader"))
    token = client.get("/admin/login/").cookies["csrftoken"].value

    response = confirm(client, claim, HTTP_X_CSRFTOKEN=token)

    assert (response.status_code, response.json()) == (403, PERMISSION_DENIED)
    assert status_of(claim) == "unreviewed"


def test_admin_login_without_csrf_token_is_refused():
    make_user("staffer", curator=True, is_staff=True)
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "staffer", "password": "a-long-test-password"},
    )

    assert response.status_code == 403
    assert "<title>403 Forbidden</title>" in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- the admin is for staff -------------------------------------------------------------


def test_admin_sends_anonymous_users_to_the_login_page():
    response = Client().get("/admin/claims/claim/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/admin/login/?next=/admin/claims/claim/",
    )


def test_admin_refuses_a_curator_who_is_not_staff():
    client = Client()
    client.force_login(make_user("cora", curator=True))

    response = client.get("/admin/claims/claim/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/admin/login/?next=/admin/claims/claim/",
    )


def test_admin_lets_a_staff_curator_review_but_not_delete_or_add_sources():
    claim = ClaimFactory()
    client = Client()
    client.force_login(make_user("cora", curator=True, is_staff=True))

    pages = {
        path: client.get(path).status_code
        for path in (
            "/admin/claims/claim/",
            f"/admin/claims/claim/{claim.pk}/change/",
            f"/admin/claims/claim/{claim.pk}/delete/",
            "/admin/claims/source/add/",
            "/admin/auth/user/",
        )
    }

    assert pages == {
        "/admin/claims/claim/": 200,
        f"/admin/claims/claim/{claim.pk}/change/": 200,
        f"/admin/claims/claim/{claim.pk}/delete/": 403,
        "/admin/claims/source/add/": 403,
        "/admin/auth/user/": 403,
    }


# --- throttling -------------------------------------------------------------------------


class Clock:
    """The throttles' clock, moved by hand so Retry-After is exact."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(SimpleRateThrottle, "timer", staticmethod(clock))
    return clock


@pytest.fixture
def low_rates(settings, clock):
    """anon 2/min, user 3/min, failed tokens 3/min, counted from an empty cache."""
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "3/min", "auth_failure": "3/min"},
    }
    yield settings
    cache.clear()


THROTTLED = {"detail": "Request was throttled. Expected available in 60 seconds."}


def test_anonymous_client_is_throttled_with_retry_after(low_rates, clock):
    client = APIClient()

    allowed = [client.get("/api/topics/").status_code for _ in range(2)]
    refused = client.get("/api/topics/")
    clock.now += 60
    again = client.get("/api/topics/")

    assert allowed == [200, 200]
    assert (refused.status_code, refused.json(), refused["Retry-After"]) == (429, THROTTLED, "60")
    assert again.status_code == 200
    # The counters live in Django's cache, per client address.
    assert cache.get("throttle_anon_127.0.0.1") == [clock.now]


def test_retry_after_counts_down_from_the_oldest_request(low_rates, clock):
    client = APIClient()
    client.get("/api/topics/")
    clock.now += 45
    client.get("/api/topics/")

    refused = client.get("/api/topics/")

    assert (refused.status_code, refused["Retry-After"]) == (429, "15")


def test_anonymous_client_cannot_dodge_the_throttle_with_x_forwarded_for(low_rates):
    client = APIClient()

    codes = [
        client.get("/api/topics/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(3)
    ]

    assert codes == [200, 200, 429]


def test_behind_one_proxy_each_forwarded_client_has_its_own_count(low_rates):
    low_rates.REST_FRAMEWORK = {**low_rates.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = APIClient()

    first = [client.get("/api/topics/", HTTP_X_FORWARDED_FOR="203.0.113.1") for _ in range(3)]
    second = client.get("/api/topics/", HTTP_X_FORWARDED_FOR="203.0.113.2")

    assert [r.status_code for r in first] == [200, 200, 429]
    assert second.status_code == 200


def test_authenticated_client_is_throttled_per_user(low_rates):
    claim = ClaimFactory()
    curator = token_client(make_user("cora", curator=True))
    reader = token_client(make_user("reader"))

    # 3 for the user rate, beyond the anonymous 2; writes count too.
    codes = [
        curator.get("/api/topics/").status_code,
        curator.patch(
            f"/api/claims/{claim.pk}/", {"status": "confirmed"}, format="json", HTTP_IF_MATCH="*"
        ).status_code,
        curator.get("/api/topics/").status_code,
    ]
    refused = curator.get("/api/topics/")
    other_user = reader.get("/api/topics/")

    assert codes == [200, 200, 200]
    assert (refused.status_code, refused.json(), refused["Retry-After"]) == (429, THROTTLED, "60")
    assert other_user.status_code == 200


def test_failed_tokens_are_throttled_per_address_without_a_lookup(
    low_rates, clock, django_assert_num_queries
):
    # After the anonymous quota, random tokens got 403 forever, each costing a lookup.
    client = APIClient()
    good = token_client(make_user("reader"))
    for _ in range(2):
        client.get("/api/topics/")  # the anonymous quota, spent

    def bad_token():
        return client.get("/api/topics/", HTTP_AUTHORIZATION=f"Token {secrets.token_hex(20)}")

    failed = [bad_token() for _ in range(3)]
    with django_assert_num_queries(0):
        refused = bad_token()
    clock.now += 60
    again = bad_token()

    assert [(r.status_code, r.json()) for r in failed] == [(403, {"detail": "Invalid token."})] * 3
    assert (refused.status_code, refused.json(), refused["Retry-After"]) == (
        429,
        {
            "detail": "Too many failed authentications from this address. Expected available in 60 seconds."
        },
        "60",
    )
    assert again.status_code == 403
    # A valid token from the same address is judged by its user's quota, not the failures.
    assert good.get("/api/topics/").status_code == 200


def test_default_rates_come_from_the_settings():
    from django.conf import settings

    from project import settings as project_settings

    # tests/settings.py raises the rates for the rest of the suite; the project's stay.
    assert (
        project_settings.API_THROTTLE_ANON,
        project_settings.API_THROTTLE_USER,
        project_settings.API_THROTTLE_AUTH_FAILURES,
    ) == ("120/min", "600/min", "20/min")
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == [
        "claims.api.throttling.AnonRateThrottle",
        "claims.api.throttling.UserRateThrottle",
    ]
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0


# --- input limits -----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/speakers/", "/api/sources/", "/api/topics/"])
def test_page_size_is_capped_on_page_number_lists(api_client, monkeypatch, path):
    monkeypatch.setattr(PageNumberPagination, "max_page_size", 2)
    for _ in range(3):
        SpeakerFactory()
        SourceFactory()
        TopicFactory()

    response = api_client.get(path, {"page_size": 100000})

    assert response.status_code == 200
    assert (response.json()["count"], len(response.json()["results"])) == (3, 2)


@pytest.mark.parametrize(
    "path", ["/api/claims/", "/api/speakers/", "/api/sources/", "/api/topics/"]
)
def test_q_longer_than_the_cap_is_400_naming_q(api_client, path):
    assert MAX_Q_LENGTH == 200

    too_long = api_client.get(path, {"q": "a" * (MAX_Q_LENGTH + 1)})
    at_cap = api_client.get(path, {"q": "a" * MAX_Q_LENGTH})

    assert (too_long.status_code, too_long.json()) == (
        400,
        {"q": ["Ensure this value has at most 200 characters (it has 201)."]},
    )
    assert at_cap.status_code == 200


@pytest.mark.parametrize(
    ("path", "ordering", "body"),
    [
        (
            "/api/claims/",
            "text",
            {"ordering": ["Select a valid choice. text is not one of the available choices."]},
        ),
        (
            "/api/claims/",
            "id;DROP TABLE claims_claim",
            {
                "ordering": [
                    "Select a valid choice. id;DROP TABLE claims_claim is not one of the "
                    "available choices."
                ]
            },
        ),
        (
            "/api/speakers/",
            "wikidata_id",
            {
                "ordering": [
                    "Select a valid choice. wikidata_id is not one of the available choices."
                ]
            },
        ),
        (
            "/api/sources/",
            "text",
            {"ordering": ["Select a valid choice. text is not one of the available choices."]},
        ),
        (
            "/api/topics/",
            "name",
            {"ordering": ["Unknown query parameter. Known: format, page, page_size, q."]},
        ),
    ],
)
def test_ordering_outside_the_declared_fields_is_400(api_client, path, ordering, body):
    response = api_client.get(path, {"ordering": ordering})

    assert (response.status_code, response.json()) == (400, body)


@pytest.mark.parametrize(
    ("path", "ordering"),
    [
        ("/api/claims/", "-published"),
        ("/api/claims/", "start"),
        ("/api/speakers/", "-claim_count"),
        ("/api/speakers/", "created"),
        ("/api/sources/", "-published"),
        ("/api/sources/", "key"),
    ],
)
def test_declared_orderings_are_accepted(api_client, path, ordering):
    assert api_client.get(path, {"ordering": ordering}).status_code == 200


def test_a_request_body_over_the_limit_is_413_before_it_is_read(settings, monkeypatch):
    # A 300 MB PATCH was read and parsed in full by a signed-in client's worker.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    claim = ClaimFactory()
    curator = token_client(make_user("cora", curator=True))
    parsed = []
    real_parse = ORJSONParser.parse
    monkeypatch.setattr(
        ORJSONParser, "parse", lambda self, *a, **k: parsed.append(1) or real_parse(self, *a, **k)
    )
    body = json.dumps({"cue": "x" * 2000})

    refused = curator.patch(
        f"/api/claims/{claim.pk}/", body, content_type="application/json", HTTP_IF_MATCH="*"
    )
    fits = curator.patch(
        f"/api/claims/{claim.pk}/", {"cue": "a dit"}, format="json", HTTP_IF_MATCH="*"
    )

    assert (refused.status_code, refused.json()) == (
        413,
        {
            "detail": "The request body is 2,011 bytes; at most 1,024 are accepted (DJANGO_MAX_BODY_BYTES)."
        },
    )
    assert (fits.status_code, parsed) == (200, [1])
    claim.refresh_from_db()
    assert (claim.cue, claim.version) == ("a dit", 2)


def test_a_content_length_that_is_no_number_is_400():
    response = Client().generic("POST", "/api/claims/", b"", CONTENT_LENGTH="lots")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Content-Length 'lots' is not a number of bytes."},
    )


def test_the_body_limit_is_djangos_default_unless_set():
    from project import settings as project_settings

    assert project_settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
