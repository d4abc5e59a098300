"""Optimistic concurrency over HTTP: a row's ETag is its version; writes must send If-Match.

Two curators who read version 3 both send ``If-Match: "3"``; the first save makes it 4, the
second gets 412 and re-reads instead of silently overwriting the first one's work. ``noun``
is what the client changes ("claim", "stance"), named in the answers.
"""

from __future__ import annotations

import re

from rest_framework import status
from rest_framework.exceptions import APIException

# One entity tag, strong or weak, in an If-Match list (RFC 9110 §8.8.3).
_TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*(?:,|$)')


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


def etag(version: int) -> str:
    return f'"{version}"'


def required(noun: str) -> PreconditionRequired:
    return PreconditionRequired(
        f'Send If-Match with the {noun}\'s ETag (its "version", e.g. If-Match: "3"), so that '
        "a change made since you read it is not overwritten."
    )


def stale(version: int, noun: str) -> PreconditionFailed:
    return PreconditionFailed(
        f"The {noun} was changed since you read it: it is now at version {version} "
        f'(ETag "{version}"). Read it again and reapply your change.'
    )


def expected_version(header: str | None, current: int, noun: str) -> int:
    """The version the client read, from If-Match; ``*`` means whatever is stored now."""
    if header is None or not header.strip():
        raise required(noun)
    header = header.strip()
    if header == "*":
        return current
    tags, pos = [], 0
    while pos < len(header):
        match = _TAG.match(header, pos)
        if match is None or match.end() == pos:
            raise PreconditionFailed(
                f'If-Match must be a quoted ETag such as "{current}", not {header[:40]!r}.'
            )
        weak, tag = match.groups()
        # Weak tags never match for If-Match (strong comparison: "03" is not "3").
        if not weak:
            tags.append(tag)
        pos = match.end()
    if str(current) in tags:
        return current
    raise stale(current, noun)
