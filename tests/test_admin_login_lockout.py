"""Password guessing at the admin login is cut off (django-axes), per username and address."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "the-right-password-123"
LOCKED = "Account locked: too many login attempts. Please try again later."


@pytest.fixture(autouse=True)
def staff(db):
    for name in ("alice", "bob"):
        User.objects.create_user(name, password=PASSWORD, is_staff=True)


def log_in(client: Client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_five_wrong_passwords_lock_the_username_out_even_with_the_right_one(client):
    wrong = [log_in(client, "alice", f"guess-{i}").status_code for i in range(5)]

    right = log_in(client, "alice", PASSWORD)

    assert wrong == [200, 200, 200, 200, 429]  # the form with its error, then the lockout
    assert right.status_code == 429
    assert LOCKED in right.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="alice").failures_since_start == 6


def test_a_lockout_is_for_that_username_only(client):
    for i in range(5):
        log_in(client, "alice", f"guess-{i}")

    response = log_in(client, "bob", PASSWORD)

    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_a_lockout_is_for_that_address_only(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    attacker, owner = Client(), Client()
    for i in range(5):
        log_in(attacker, "alice", f"guess-{i}", HTTP_X_FORWARDED_FOR="203.0.113.9")

    refused = log_in(attacker, "alice", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9")
    allowed = log_in(owner, "alice", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.4")

    assert (refused.status_code, allowed.status_code) == (429, 302)


def test_a_success_starts_the_count_again(client):
    codes = []
    for _round in range(2):
        codes += [log_in(client, "alice", f"guess-{i}").status_code for i in range(4)]
        codes.append(log_in(client, "alice", PASSWORD).status_code)
        client.logout()

    assert codes == [200, 200, 200, 200, 302] * 2


def test_the_lockout_ends_after_the_cool_off(client):
    for i in range(5):
        log_in(client, "alice", f"guess-{i}")
    assert log_in(client, "alice", PASSWORD).status_code == 429

    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=past)

    assert log_in(client, "alice", PASSWORD).status_code == 302
