"""``manage.py ensure_local_admin``: make sure a local admin login exists, and print it.

For `make run` on a developer's machine only: it refuses to run with DEBUG off.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.services import accounts


class Command(BaseCommand):
    help = "Create the local 'admin' superuser if missing and print how to log in (DEBUG only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("ensure_local_admin is for local development; set DJANGO_DEBUG=1.")
        password = accounts.local_admin_ensure(username=username)
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: http://127.0.0.1:8000/admin/  user: {username}  password: {password}"
            )
        )
