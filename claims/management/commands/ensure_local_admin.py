"""``manage.py ensure_local_admin``: make sure a local admin login exists, and print it.

For `make run` on a developer's machine only: it refuses to run with DEBUG off.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

PASSWORD_FILE = Path(settings.BASE_DIR) / ".local-admin-password"


class Command(BaseCommand):
    help = "Create the local 'admin' superuser if missing and print how to log in (DEBUG only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("ensure_local_admin is for local development; set DJANGO_DEBUG=1.")
        users = get_user_model().objects
        user = users.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            users.create_superuser(username=username, email="", password=password)
            PASSWORD_FILE.write_text(password + "\n", encoding="utf-8")
            PASSWORD_FILE.chmod(0o600)
        elif PASSWORD_FILE.exists():
            password = PASSWORD_FILE.read_text(encoding="utf-8").strip()
            if not user.check_password(password):
                password = "(changed since; the one you set)"
        else:
            password = "(set before; unchanged)"
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: http://127.0.0.1:8000/admin/  user: {username}  password: {password}"
            )
        )
