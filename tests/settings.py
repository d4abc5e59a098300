"""Test settings: the project's, with a secret that exists only for tests."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-not-for-any-deployment")

from project.settings import *  # noqa: F403
