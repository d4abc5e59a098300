from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from rest_framework.test import APIClient

from claims.models import Claim, Speaker


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def curator(db) -> User:
    """A user who may change claims and stances (not a superuser)."""
    user = User.objects.create_user("curator", password="curator-pass-123")
    perms = Permission.objects.filter(
        content_type__app_label="claims",
        codename__in=["change_claim", "view_claim", "change_stance", "add_stance", "view_stance"],
    )
    user.user_permissions.add(*perms)
    return user


@pytest.fixture
def curator_client(curator) -> APIClient:
    client = APIClient()
    client.force_authenticate(curator)
    return client


@pytest.fixture
def seeds_loaded(db) -> None:
    """The five seed articles loaded the way a user loads them."""
    call_command("load_seeds", verbosity=0)
    assert Claim.objects.count() > 0


@pytest.fixture
def speaker_by_slug(db):
    def get(slug: str) -> Speaker:
        return Speaker.objects.get(slug=slug)

    return get
