"""Accounts the project makes itself: the local development admin."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

PASSWORD_FILE = Path(settings.BASE_DIR) / ".local-admin-password"


def local_admin_ensure(*, username: str) -> str:
    """Create the local superuser if missing; returns how to log in as it (its password,
    or why it is not shown)."""
    users = get_user_model().objects
    user = users.filter(username=username).first()
    if user is None:
        password = secrets.token_urlsafe(12)
        users.create_superuser(username=username, email="", password=password)
        PASSWORD_FILE.write_text(password + "\n", encoding="utf-8")
        PASSWORD_FILE.chmod(0o600)
        return password
    if PASSWORD_FILE.exists():
        password = PASSWORD_FILE.read_text(encoding="utf-8").strip()
        return password if user.check_password(password) else "(changed since; the one you set)"
    return "(set before; unchanged)"
