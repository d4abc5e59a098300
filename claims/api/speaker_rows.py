"""The speakers list as JSON from plain rows, as claims/api/representations.py does claims.

Fifty speakers through model instances and SpeakerSerializer cost about 10 ms of Python per
page at 20,000 speakers, five times a claims page (BENCHMARKS.md). Here the page is one
query of exactly the columns shown, the aliases aggregated in it on PostgreSQL (a second
query elsewhere). SpeakerSerializer stays the documented schema; a test holds the two to
the same output.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import QuerySet, TextField
from django.db.models.expressions import RawSQL

from claims.api.representations import UrlTemplate
from claims.api.serializers import SpeakerSerializer
from claims.models import Alias

# The serializer's fields, in its order; "url" and "aliases" are made here.
FIELDS = tuple(SpeakerSerializer.Meta.fields)
_COLUMNS = tuple(name for name in FIELDS if name not in ("url", "aliases"))


# Every alias, by name, as the serializer's prefetch lists them. Written as SQL: Django's
# ArraySubquery took a third of the page's time to build and compile, on every request.
_ALIASES = RawSQL(
    'ARRAY(SELECT a."name" FROM "claims_alias" a WHERE a."speaker_id" = "claims_speaker"."id" '
    'ORDER BY a."name")',
    [],
    output_field=ArrayField(TextField()),
)


def speaker_rows(queryset: QuerySet) -> QuerySet:
    """The speakers of a (filtered, ordered) ``selectors.speaker_list()`` as dicts."""
    rows = queryset.prefetch_related(None)
    if connections[rows.db].vendor == "postgresql":
        return rows.values("pk", *_COLUMNS, alias_names=_ALIASES)
    return rows.values("pk", *_COLUMNS)


class SpeakerRepresentation:
    def __init__(self, request) -> None:
        self.url = UrlTemplate(request, "speaker-detail", "slug")

    def many(self, rows: list[dict], using: str | None = None) -> list[dict]:
        if rows and "alias_names" not in rows[0]:
            names: dict[int, list[str]] = {}
            aliases = (
                Alias.objects.using(using)
                .filter(speaker_id__in=[row["pk"] for row in rows])
                .order_by("name")
                .values_list("speaker_id", "name")
            )
            for speaker, name in aliases:
                names.setdefault(speaker, []).append(name)
            rows = [{**row, "alias_names": names.get(row["pk"], [])} for row in rows]
        url = self.url
        made = {"url": lambda row: url(row["slug"]), "aliases": lambda row: row["alias_names"]}
        return [
            {name: made[name](row) if name in made else row[name] for name in FIELDS}
            for row in rows
        ]
