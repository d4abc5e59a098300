"""gunicorn as `make serve` runs it (gunicorn.conf.py): it starts only when it can serve,
says why not in one line, and answers its own refusals in JSON."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
SECRET = "kW3r-p9Qz_Lr8sYv2NcT7hJm4XbF6aDg1UeK5oPiR0wZyS-qVtn"


def environment(**env: str) -> dict[str, str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "API_", "CLAIMS_"))
    }
    return {**base, **env}


def production(tmp_path: Path, **env: str) -> dict[str, str]:
    defaults = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    return environment(**{**defaults, **env})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def refused_start(env: dict[str, str]) -> list[str]:
    """What gunicorn printed when it would not start, minus its own "[INFO]" banner."""
    done = subprocess.run(
        [GUNICORN, "project.wsgi", "--bind", f"127.0.0.1:{free_port()}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    lines = (done.stdout + done.stderr).splitlines()
    return [line for line in lines if " [INFO] " not in line]


def test_a_missing_secret_key_is_one_line_not_four_tracebacks(tmp_path):
    env = production(tmp_path)
    del env["DJANGO_SECRET_KEY"]

    assert refused_start(env) == [
        "Configuration error: DJANGO_SECRET_KEY is not set. Set it, or set DJANGO_DEBUG=1 for "
        "local development."
    ]


def test_a_database_that_does_not_answer_stops_the_start_naming_the_variable(tmp_path):
    # It started, /healthz said 503 and /api/claims/ answered 500.
    port = free_port()  # nothing listens there
    env = production(tmp_path, DATABASE_URL=f"postgres://claims:s3cret@127.0.0.1:{port}/claims")

    [line] = refused_start(env)

    assert line.startswith(
        f"Configuration error: DATABASE_URL: the database claims@127.0.0.1:{port}/claims "
        "does not answer: "
    )
    assert "s3cret" not in line


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "DATABASE_URL is set but empty; give a database URL"),
        (
            "postgres://u:s3cret@h:99999/db",
            "DATABASE_URL='postgres://u:***@h:99999/db' is not a usable",
        ),
    ],
)
def test_a_bad_database_url_is_named_without_its_password(tmp_path, url, message):
    # An empty one quietly meant SQLite; the error printed the password.
    [line] = refused_start(production(tmp_path, DATABASE_URL=url))

    assert line.startswith(f"Configuration error: {message}")
    assert "s3cret" not in line


@pytest.fixture
def server(tmp_path):
    env = production(tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120
    )
    port = free_port()
    process = subprocess.Popen(
        [GUNICORN, "project.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            break
        except OSError:
            if time.time() > deadline:
                process.kill()
                raise
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=30)


def answer(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], json.loads(error.read())


def test_a_url_over_the_servers_limit_is_a_json_414(server):
    # gunicorn answered its own HTML page.
    status, content_type, body = answer(f"{server}/api/claims/?q={'a' * 10_000}")

    assert (status, content_type) == (414, "application/json")
    assert body["detail"].startswith("URI Too Long: ")
    assert body["detail"].endswith(
        "Shorten the URL: filter values are short (q takes at most 200 characters), and several "
        "values of one filter may be given comma-separated."
    )


def test_a_long_url_within_the_limit_gets_the_documented_400(server):
    status, _, body = answer(f"{server}/api/claims/?q={'a' * 7_000}")

    assert (status, body) == (
        400,
        {"q": ["Ensure this value has at most 200 characters (it has 7000)."]},
    )
