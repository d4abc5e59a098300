"""Production settings: `check --deploy` passes, and a missing or weak setting stops the start."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]
SECRET = "kW3r-p9Qz_Lr8sYv2NcT7hJm4XbF6aDg1UeK5oPiR0wZyS-qVtn"  # 51 characters
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "claims.example",
    "DJANGO_HSTS_SECONDS": "31536000",
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "1",
    "DJANGO_HSTS_PRELOAD": "1",
}
MAKE_SERVE = {
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_COOKIES": "0",
}
# Pretends the redis package is installed (it is no dependency of ours), or hides it.
FAKE_REDIS = (
    "import importlib.machinery, sys, types;"
    "sys.modules['redis'] = types.ModuleType('redis');"
    "sys.modules['redis'].__spec__ = importlib.machinery.ModuleSpec('redis', None);"
)
NO_REDIS = "import sys; sys.modules['redis'] = None;"


def run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Python ``code`` in a fresh process, with only ``env`` for our own variables."""
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "API_", "CLAIMS_"))
    }
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )


def manage(*args: str, env: dict[str, str], prelude: str = "") -> subprocess.CompletedProcess:
    code = (
        f"{prelude}import runpy, sys; sys.argv = ['manage.py', *{list(args)!r}];"
        "runpy.run_path('manage.py', run_name='__main__')"
    )
    return run(code, env)


def settings_of(env: dict[str, str], *names: str, prelude: str = "") -> dict:
    code = (
        f"{prelude}import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'project.settings';"
        "from django.conf import settings;"
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}))"
    )
    result = run(code, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def check_ids(output: str) -> list[str]:
    return sorted(set(re.findall(r"\(([a-z_]+\.[A-Z]\d+)\)", output)))


# --- check --deploy ---------------------------------------------------------------------


def test_check_deploy_passes_with_the_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "System check identified no issues (0 silenced).\n",
        "",
    )


def test_check_deploy_without_hsts_reports_only_hsts():
    # Secure cookies and the HTTPS redirect are on by default; HSTS is a deliberate choice.
    env = {k: v for k, v in PRODUCTION.items() if not k.startswith("DJANGO_HSTS_")}

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 1
    assert check_ids(result.stderr) == ["security.W004"]


def test_make_serve_environment_starts_and_deploy_check_names_what_it_gives_up():
    # `make serve`: plain HTTP on loopback, so no HTTPS redirect and no secure-only cookies.
    started = manage("check", env=MAKE_SERVE)
    deploy = manage("check", "--deploy", env=MAKE_SERVE)

    assert (started.returncode, started.stderr) == (0, "")
    assert check_ids(deploy.stderr) == [
        "security.W004",
        "security.W008",
        "security.W012",
        "security.W016",
    ]


# --- values from the environment --------------------------------------------------------

SECURITY_NAMES = (
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REDIRECT_EXEMPT",
)


def test_production_environment_gives_https_settings():
    assert settings_of(PRODUCTION, *SECURITY_NAMES) == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": None,
        "SECURE_REDIRECT_EXEMPT": ["^healthz$"],
    }


def test_development_defaults_are_plain_http():
    assert settings_of({"DJANGO_DEBUG": "1"}, *SECURITY_NAMES) == {
        "DEBUG": True,
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "SECURE_REDIRECT_EXEMPT": ["^healthz$"],
    }


def test_proxy_throttle_and_cache_defaults():
    values = settings_of(PRODUCTION, "REST_FRAMEWORK", "CACHES")

    assert values["REST_FRAMEWORK"]["DEFAULT_THROTTLE_RATES"] == {
        "anon": "120/min",
        "user": "600/min",
        "auth_failure": "20/min",
    }
    assert values["REST_FRAMEWORK"]["NUM_PROXIES"] == 0
    assert values["CACHES"] == {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": ""}
    }


def test_proxy_throttle_and_cache_from_the_environment():
    env = {
        **PRODUCTION,
        "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "API_NUM_PROXIES": "1",
        "API_THROTTLE_ANON": "30/min",
        "API_THROTTLE_USER": "5000/hour",
        "API_THROTTLE_AUTH_FAILURES": "5/min",
        "DJANGO_CACHE_URL": "file:///var/tmp/claims-cache",
    }

    values = settings_of(env, "SECURE_PROXY_SSL_HEADER", "REST_FRAMEWORK", "CACHES")

    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["REST_FRAMEWORK"]["DEFAULT_THROTTLE_RATES"] == {
        "anon": "30/min",
        "user": "5000/hour",
        "auth_failure": "5/min",
    }
    assert values["REST_FRAMEWORK"]["NUM_PROXIES"] == 1
    assert values["CACHES"] == {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": "/var/tmp/claims-cache",
        }
    }


def test_redis_cache_url_when_the_package_is_installed():
    env = {**PRODUCTION, "DJANGO_CACHE_URL": "redis://cache.internal:6379/1"}

    values = settings_of(env, "CACHES", prelude=FAKE_REDIS)

    assert values["CACHES"] == {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://cache.internal:6379/1",
        }
    }


# --- a bad environment stops the start, naming the variable -----------------------------

WITHOUT_HOSTS = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_ALLOWED_HOSTS"}
WITHOUT_KEY = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            WITHOUT_KEY,
            "DJANGO_SECRET_KEY is not set. Set it, or set DJANGO_DEBUG=1 for local development.",
        ),
        (
            {**PRODUCTION, "DJANGO_SECRET_KEY": "s" * 49},
            "DJANGO_SECRET_KEY is 49 characters long; use at least 50 random ones, "
            "e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
        ),
        (
            {
                **PRODUCTION,
                "DJANGO_SECRET_KEY": "django-insecure-development-only-key-do-not-use-in-production",
            },
            "DJANGO_SECRET_KEY is the development default; set a real secret.",
        ),
        (
            WITHOUT_HOSTS,
            "DJANGO_ALLOWED_HOSTS must list the host names when DJANGO_DEBUG=0.",
        ),
        (
            {**PRODUCTION, "DJANGO_ALLOWED_HOSTS": " , "},
            "DJANGO_ALLOWED_HOSTS is set but lists nothing; give comma-separated values.",
        ),
        (
            {**PRODUCTION, "DJANGO_SECURE_SSL_REDIRECT": "sometimes"},
            "DJANGO_SECURE_SSL_REDIRECT='sometimes' is not a boolean; "
            "use one of 1, 0, true, false, yes, no, on, off.",
        ),
        (
            {**PRODUCTION, "DJANGO_HSTS_SECONDS": "-1"},
            "DJANGO_HSTS_SECONDS=-1 must be at least 0.",
        ),
        (
            {**PRODUCTION, "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https"},
            "DJANGO_SECURE_PROXY_SSL_HEADER='X-Forwarded-Proto: https' is not a header name; "
            "give one like X-Forwarded-Proto.",
        ),
        (
            {**PRODUCTION, "API_THROTTLE_ANON": "120/month"},
            "API_THROTTLE_ANON='120/month' is not a rate; give requests per period, "
            "e.g. 120/min (periods: s, min, hour, day).",
        ),
        (
            {**PRODUCTION, "API_NUM_PROXIES": "one"},
            "API_NUM_PROXIES='one' is not an integer.",
        ),
        (
            {**PRODUCTION, "DJANGO_CACHE_URL": "memcached://user:hunter2@cache:11211"},
            "DJANGO_CACHE_URL is not a usable cache URL; use locmem://, file:///absolute/path "
            "or redis://host:6379/0.",
        ),
    ],
)
def test_bad_environment_stops_the_start_naming_the_variable(env, message):
    result = manage("check", env=env)

    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        f"Configuration error: {message}\n",
    )


def test_redis_cache_url_without_the_package_says_so():
    env = {**PRODUCTION, "DJANGO_CACHE_URL": "redis://:hunter2@cache.internal:6379/1"}

    result = manage("check", env=env, prelude=NO_REDIS)

    assert (result.returncode, result.stderr) == (
        2,
        "Configuration error: DJANGO_CACHE_URL is a Redis URL: install the redis package.\n",
    )


# --- the HTTPS settings at work (in this process) ---------------------------------------


def test_ssl_redirect_sends_plain_http_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True

    response = Client().get("/api/topics/?q=x")

    assert (response.status_code, response["Location"]) == (
        301,
        "https://testserver/api/topics/?q=x",
    )


@pytest.mark.django_db
def test_behind_a_proxy_its_https_header_counts_as_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    response = Client().get("/api/topics/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_and_the_session_http_only():
    User.objects.create_user("staffer", password="a-long-test-password", is_staff=True)
    client = Client()
    page = client.get("/admin/login/")

    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": "staffer",
            "password": "a-long-test-password",
            "csrfmiddlewaretoken": page.cookies["csrftoken"].value,
        },
    )

    session = response.cookies["sessionid"]
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")
    assert page.cookies["csrftoken"]["secure"] is True


def test_the_readmes_production_start_passes_the_deploy_check_as_written():
    # The README said "once HSTS is set"; the check also wants both HSTS flags.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("A production start,", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = block.splitlines()
    check = "python manage.py check --deploy --fail-level WARNING"
    assert check in lines
    script = "\n".join(["set -e", *lines[: lines.index(check) + 1]])
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "API_", "CLAIMS_"))
    }
    environ["PATH"] = f"{Path(sys.executable).parent}:{environ['PATH']}"

    done = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, env=environ, capture_output=True, text=True
    )

    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "System check identified no issues (0 silenced).\n",
        "",
    )
