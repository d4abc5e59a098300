"""Test settings: the project's, with a secret that exists only for tests."""

import os

os.environ.setdefault(
    "DJANGO_SECRET_KEY", "tests-only-secret-key-not-for-any-deployment-padded-to-fifty-chars"
)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from project.settings import *  # noqa: F403

# Hashing real passwords costs most of a test's time; tests need no real hashing.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test client speaks plain HTTP; tests/test_production_settings.py covers the redirect.
SECURE_SSL_REDIRECT = False

# The suite requests lists hundreds of times a minute from one address. The throttles still
# run on every request but never bite; tests/test_access_control.py lowers the rates.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {
        "anon": "1000000/s",
        "user": "1000000/s",
        "auth_failure": "1000000/s",
    },
}
