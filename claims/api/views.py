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
from claims.models import EditConflict
from claims.services import curation


def _etag(noun: str, writes: str, codes: list[int]) -> OpenApiParameter:
    return OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description=f"The {noun}'s version, quoted: send it back in If-Match to {writes}.",
        response=codes,
    )


def _if_match(noun: str) -> OpenApiParameter:
    return OpenApiParameter(
        "If-Match",
        # Empty is no If-Match (428), as preconditions.expected_version reads it.
        {"type": "string", "minLength": 1},
        OpenApiParameter.HEADER,
        required=True,
        description=f'The ETag of the {noun} as read (its version, e.g. "3"), or *.',
    )


def _preconditions(noun: str) -> dict:
    return {
        412: OpenApiResponse(description=f"The {noun} changed since that ETag; nothing saved."),
        428: OpenApiResponse(description="No If-Match header; nothing saved."),
    }


_ETAG = _etag("claim", "PATCH", [200])


# Any segment but one holding a NUL, which PostgreSQL refuses in a string (a 500 otherwise).
_LOOKUP = "[^/\\x00]+"


class MethodsFirstMixin:
    """A method the endpoint lacks is 405 for everyone, not a 403 that hints at a permission."""

    def initial(self, request, *args, **kwargs):
        # DRF checks permissions before it looks for a handler.
        if request.method not in self.allowed_methods:
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)


class ConditionalWritesMixin:
    """Writes that say which version they change (If-Match, claims/api/preconditions.py):
    428 without it, 412 when the row moved on since, and nothing written either way.

    The check and the write are one: the services save through the model's conditional
    UPDATE, so a save made between this request's read and its write is a 412 too.
    """

    def checked_object(self, request):
        """The object to change, at the version If-Match names (428 or 412 otherwise)."""
        obj = self.get_object()
        obj.version = preconditions.expected_version(
            request.headers.get("If-Match"), obj.version, obj._meta.verbose_name
        )
        return obj

    def write(self, request, obj, write):
        """``write(obj)``, recorded as the request's user; returns the object written.

        ``*`` asks for no particular version: a save in between is read again, once.
        """
        model = type(obj)
        for attempt in range(2 if request.headers["If-Match"].strip() == "*" else 1):
            if attempt:
                obj = self.get_object()
            obj._history_user = request.user  # token users: unknown to the history middleware
            try:
                write(obj)
                return obj
            except (EditConflict, model.DoesNotExist):  # saved or removed since our read
                stored = model._default_manager.filter(pk=obj.pk).values_list("version")
                current = stored.first()
                if current is None:
                    raise NotFound(
                        f"No {model._meta.object_name} matches the given query."
                    ) from None
                error = preconditions.stale(current[0], obj._meta.verbose_name)
        raise error


class ClaimViewSet(
    MethodsFirstMixin,
    ConditionalWritesMixin,
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
        parameters=[_if_match("claim"), _ETAG],
        responses={200: ClaimSerializer, **_preconditions("claim")},
    )
    def partial_update(self, request, *args, **kwargs):
        claim = self.checked_object(request)
        update = ClaimUpdateSerializer(data=request.data)
        update.is_valid(raise_exception=True)
        claim = self.write(
            request,
            claim,
            lambda claim: curation.claim_update(claim=claim, **update.validated_data),
        )
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
