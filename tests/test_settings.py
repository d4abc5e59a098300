"""Bad configuration stops the start with a message that names the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def start(**env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG='maybe' is not a boolean"),
        ({"DJANGO_DEBUG": "0"}, "DJANGO_SECRET_KEY is not set"),
        ({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50}, "DJANGO_ALLOWED_HOSTS must list"),
        (
            {"DJANGO_DEBUG": "1", "DATABASE_URL": "mysql://u@h/db"},
            "DATABASE_URL='mysql://u@h/db': only PostgreSQL",
        ),
        (
            {"DJANGO_DEBUG": "1", "API_MAX_PAGE_SIZE": "lots"},
            "API_MAX_PAGE_SIZE='lots' is not an integer",
        ),
    ],
)
def test_settings_bad_environment_names_the_variable(env, message):
    result = start(**env)
    assert result.returncode == 2
    assert result.stdout == ""
    assert (
        result.stderr.strip() == f"Configuration error: {result.stderr.strip().split(': ', 1)[1]}"
    )
    assert message in result.stderr


def test_settings_good_environment_starts():
    result = start(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="claims.example"
    )
    assert (result.returncode, result.stderr) == (0, "")


def test_settings_statement_timeout_is_for_web_processes_only():
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'project.settings');"
        "from django.conf import settings;"
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('options', ''))"
    )
    environ = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CLAIMS_"))
    }
    environ.update(DJANGO_DEBUG="1", DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    web = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    batch = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environ, "CLAIMS_BATCH": "1"},
        capture_output=True,
        text=True,
    )
    assert (web.stdout.strip(), batch.stdout.strip()) == (
        "-c statement_timeout=5000 -c jit=off",
        "",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "True 5"), ("1", "True 5"), ("0", "None None")],
)
def test_settings_prepared_statements_on_postgresql_unless_turned_off(value, expected):
    code = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'project.settings');"
        "from django.conf import settings;"
        "options = settings.DATABASES['default'].get('OPTIONS', {});"
        "print(options.get('server_side_binding'), options.get('prepare_threshold'))"
    )
    environ = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CLAIMS_"))
    }
    environ.update(DJANGO_DEBUG="1", DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    if value is not None:
        environ["DATABASE_PREPARED_STATEMENTS"] = value
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert (result.stdout.strip(), result.stderr) == (expected, "")
    sqlite = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environ, "DATABASE_URL": "sqlite:///x.db"},
        capture_output=True,
        text=True,
    )
    assert sqlite.stdout.strip() == "None None"
