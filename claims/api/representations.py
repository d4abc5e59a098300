"""Claims as JSON from plain rows: the fast read path of the claims endpoints.

A page of 50 claims through model instances and nested DRF serializers cost about 20 ms
of Python per request at 1M claims, ten times the database's own time (BENCHMARKS.md).
Here the selector returns dicts of exactly the columns needed and URLs are formatted from
one reversed template. ``ClaimSerializer`` stays the documented schema, and a test holds
the two to the same output.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.urls import reverse

# Stands in for the lookup value in a reversed URL; replaced by each row's own.
_MARK = "00000000000000000000"
# What Django's reverse() leaves unquoted: RFC 3986 sub-delimiters and "/~:@".
_SAFE = "!$&'()*+,;=/~:@"


def _datetime(value: dt.datetime) -> str:
    # As DRF's DateTimeField writes it (UTC settings): ISO 8601, "Z" for UTC.
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


class UrlTemplate:
    """A detail URL reversed once, then filled in per row, quoted as reverse() quotes it."""

    def __init__(self, request, name: str, lookup: str) -> None:
        url = request.build_absolute_uri(reverse(name, kwargs={lookup: _MARK}))
        self.head, _, self.tail = url.partition(_MARK)

    def __call__(self, value) -> str:
        return self.head + quote(str(value), safe=_SAFE) + self.tail


class ClaimRepresentation:
    """Builds the claims endpoints' JSON for one request."""

    def __init__(self, request) -> None:
        self.claim_url = UrlTemplate(request, "claim-detail", "pk")
        self.speaker_url = UrlTemplate(request, "speaker-detail", "slug")
        self.source_url = UrlTemplate(request, "source-detail", "key")

    def many(self, rows: list[dict], stances: dict[int, list[dict]]) -> list[dict]:
        return [self.one(row, stances.get(row["id"], [])) for row in rows]

    def one(self, row: dict, stances: list[dict]) -> dict:
        return {
            "id": row["id"],
            "url": self.claim_url(row["id"]),
            "text": row["text"],
            "kind": row["kind"],
            "speaker": {
                "slug": row["speaker__slug"],
                "name": row["speaker__name"],
                "url": self.speaker_url(row["speaker__slug"]),
            },
            "source": {
                "key": row["source__key"],
                "title": row["source__title"],
                "outlet": row["source__outlet"],
                "published": _date(row["source__published"]),
                "published_precision": row["source__published_precision"],
                "url": self.source_url(row["source__key"]),
                "article_url": row["source__url"],
            },
            "stances": stances,
            "start": row["start"],
            "end": row["end"],
            "cue": row["cue"],
            "context": row["context"],
            "status": row["status"],
            "confidence": row["confidence"],
            "method": row["method"],
            "extractor_version": row["extractor_version"],
            "created_at": _datetime(row["created_at"]),
            "updated_at": _datetime(row["updated_at"]),
            "version": row["version"],
        }
