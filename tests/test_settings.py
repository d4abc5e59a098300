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


def database_options(expression: str, **env: str) -> subprocess.CompletedProcess:
    """``expression`` over the default database's OPTIONS (``options``), printed by a fresh
    process whose environment is ours without project settings, plus ``env``."""
    code = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'project.settings');"
        "from django.conf import settings;"
        "options = settings.DATABASES['default'].get('OPTIONS', {});"
        f"print({expression})"
    )
    environ = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CLAIMS_"))
    }
    environ.update({"DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://u@127.0.0.1:5432/x", **env})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )


def test_settings_statement_timeout_is_for_web_processes_only():
    web = database_options("options.get('options', '')")
    batch = database_options("options.get('options', '')", CLAIMS_BATCH="1")
    assert (web.stdout.strip(), batch.stdout.strip()) == (
        "-c statement_timeout=5000 -c jit=off",
        "",
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "True 5"),
        ({"DATABASE_PREPARED_STATEMENTS": "1"}, "True 5"),
        ({"DATABASE_PREPARED_STATEMENTS": "0"}, "None None"),
    ],
)
def test_settings_prepared_statements_on_postgresql_unless_turned_off(env, expected):
    shown = "options.get('server_side_binding'), options.get('prepare_threshold')"
    result = database_options(shown, **env)
    assert (result.stdout.strip(), result.stderr) == (expected, "")
    sqlite = database_options(shown, DATABASE_URL="sqlite:///x.db", **env)
    assert (sqlite.stdout.strip(), sqlite.stderr) == ("None None", "")
