"""Thin viewsets: a selector for the queryset, a serializer, a FilterSet."""

from __future__ import annotations

from drf_orjson_renderer.parsers import ORJSONParser
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.exceptions import MethodNotAllowed, NotFound
from rest_framework.response import Response

from claims import selectors
from claims.api import preconditions
from claims.api.filters import StrictFilterBackend
from claims.api.filtersets import ClaimFilterSet, SourceFilterSet, SpeakerFilterSet, TopicFilterSet
from claims.api.pagination import ClaimCursorPagination
from claims.api.representations import ClaimRepresentation
from claims.api.serializers import (
    ClaimSerializer,
    ClaimUpdateSerializer,
    SourceDetailSerializer,
    SourceSerializer,
    SpeakerSerializer,
    TopicDetailSerializer,
    TopicSerializer,
)
from claims.models import Claim, EditConflict
from claims.services import curation

_ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The claim's version, quoted: send it back in If-Match to PATCH.",
    response=[200],
)


# Any segment but one holding a NUL, which PostgreSQL refuses in a string (a 500 otherwise).
_LOOKUP = "[^/\\x00]+"


class MethodsFirstMixin:
    """A method the endpoint lacks is 405 for everyone, not a 403 that hints at a permission."""

    def initial(self, request, *args, **kwargs):
        # DRF checks permissions before it looks for a handler.
        if request.method not in self.allowed_methods:
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)


class ClaimViewSet(
    MethodsFirstMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Claims: who said what, where, with which stances. Curators may PATCH status and speaker."""

    queryset = selectors.claim_list()
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilterSet
    pagination_class = ClaimCursorPagination
    http_method_names = ["get", "patch", "head", "options"]
    # JSON only: from a form, DRF reads "status=" as no status given, and the PATCH
    # succeeds having changed nothing.
    parser_classes = [ORJSONParser]

    # Reads go through plain rows (claims/api/representations.py); ClaimSerializer is the
    # schema they follow.
    def list(self, request, *args, **kwargs):
        representation = ClaimRepresentation(request)
        # The cursor reads its position from the row: the sort key comes along.
        keys = self.paginator.get_ordering(request, None, self)
        keys = [key.lstrip("-") for key in keys if key.lstrip("-") != "published_sort"]
        queryset = representation.rows(self.filter_queryset(self._read_queryset()), *keys)
        rows = self.paginate_queryset(queryset)
        return self.get_paginated_response(representation.many(rows, using=queryset.db))

    @extend_schema(parameters=[_ETAG])
    def retrieve(self, request, *args, **kwargs):
        # The detail is read without the filters (it is one query, compiled once), but a
        # misspelt parameter is still an error, as on every other endpoint.
        StrictFilterBackend().refuse_unknown_parameters(request, self.queryset, self)
        return self._response(request, kwargs["pk"])

    @extend_schema(
        request=ClaimUpdateSerializer,
        parameters=[
            OpenApiParameter(
                "If-Match",
                # Empty is no If-Match (428), as preconditions.expected_version reads it.
                {"type": "string", "minLength": 1},
                OpenApiParameter.HEADER,
                required=True,
                description='The ETag of the claim as read (its version, e.g. "3"), or *.',
            ),
            _ETAG,
        ],
        responses={
            200: ClaimSerializer,
            412: OpenApiResponse(description="The claim changed since that ETag; nothing saved."),
            428: OpenApiResponse(description="No If-Match header; nothing saved."),
        },
    )
    def partial_update(self, request, *args, **kwargs):
        if_match = request.headers.get("If-Match")
        claim = self.get_object()
        claim.version = preconditions.expected_version(if_match, claim.version)
        update = ClaimUpdateSerializer(data=request.data)
        update.is_valid(raise_exception=True)
        # "*" asks for no particular version: a save in between is read again, once.
        for attempt in range(2 if if_match.strip() == "*" else 1):
            if attempt:
                claim = self.get_object()
            claim._history_user = request.user  # token users: unknown to the history middleware
            try:
                curation.claim_update(claim=claim, **update.validated_data)
                break
            except EditConflict:  # saved by someone else between our read and our write
                current = Claim.objects.values_list("version", flat=True).get(pk=claim.pk)
                error = preconditions.stale(current)
        else:
            raise error
        return self._response(request, claim.pk)

    def _read_queryset(self):
        # One database for every read of a request: the router picks a replica at random
        # each time it is asked.
        queryset = self.get_queryset()
        return queryset.using(queryset.db)

    def _response(self, request, pk) -> Response:
        representation = ClaimRepresentation(request)
        # ASCII digits within a bigint, or no claim ("²" is a digit to isdigit()).
        queryset = self._read_queryset()
        body = []
        if str(pk).isascii() and str(pk).isdigit() and int(pk) < 2**63:
            row = representation.row(queryset, int(pk))
            body = representation.many([row], using=queryset.db) if row else []
        if not body:
            raise NotFound("No Claim matches the given query.")
        # The version of what is sent: a row written in Python was read again.
        version = body[0]["version"] if isinstance(body[0], dict) else row["version"]
        return Response(body[0], headers={"ETag": preconditions.etag(version)})


class SpeakerViewSet(MethodsFirstMixin, viewsets.ReadOnlyModelViewSet):
    """People and institutions quoted, with aliases and claim counts."""

    queryset = selectors.speaker_list()
    serializer_class = SpeakerSerializer
    filterset_class = SpeakerFilterSet
    lookup_field = "slug"
    lookup_value_regex = _LOOKUP


class SourceViewSet(MethodsFirstMixin, viewsets.ReadOnlyModelViewSet):
    """Articles; the detail includes the text that claim offsets refer to."""

    queryset = selectors.source_list()
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    lookup_field = "key"
    lookup_value_regex = _LOOKUP

    def get_queryset(self):
        return selectors.source_detail() if self.action == "retrieve" else super().get_queryset()

    def get_serializer_class(self):
        return SourceDetailSerializer if self.action == "retrieve" else SourceSerializer


class TopicViewSet(MethodsFirstMixin, viewsets.ReadOnlyModelViewSet):
    """Topics; the detail counts each speaker's stances on the topic."""

    queryset = selectors.topic_list()
    serializer_class = TopicSerializer
    filterset_class = TopicFilterSet
    lookup_field = "slug"
    lookup_value_regex = _LOOKUP

    def get_serializer_class(self):
        return TopicDetailSerializer if self.action == "retrieve" else TopicSerializer
