"""Thin viewsets: a selector for the queryset, a serializer, a FilterSet."""

from __future__ import annotations

from drf_orjson_renderer.parsers import ORJSONParser
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import MethodNotAllowed, NotFound
from rest_framework.response import Response

from claims import selectors
from claims.api import compiled, preconditions
from claims.api.filters import StrictFilterBackend
from claims.api.filtersets import (
    ClaimFilterSet,
    SourceFilterSet,
    SpeakerFilterSet,
    StanceFilterSet,
    TopicFilterSet,
)
from claims.api.pagination import ClaimCursorPagination
from claims.api.permissions import CurationPermissions
from claims.api.representations import ClaimRepresentation
from claims.api.serializers import (
    ClaimSerializer,
    ClaimUpdateSerializer,
    SourceDetailSerializer,
    SourceSerializer,
    SpeakerSerializer,
    StanceCreateSerializer,
    StanceResourceSerializer,
    StanceUpdateSerializer,
    TopicDetailSerializer,
    TopicSerializer,
)
from claims.api.speaker_rows import SpeakerRepresentation, speaker_rows
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
        queryset = self._read_queryset()
        filterset = StrictFilterBackend().validated_filterset(request, queryset, self)
        # ?count=true counts with its own query, built as it always was.
        if compiled.applies(queryset.db) and request.query_params.get("count") != "true":
            page = compiled.ClaimPage(filterset, queryset, keys, representation)
        else:
            page = representation.rows(filterset.qs, *keys)
        rows = self.paginate_queryset(page)
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


_STANCE_ETAG = _etag("stance", "PATCH or DELETE", [200, 201])


class StanceViewSet(
    MethodsFirstMixin,
    ConditionalWritesMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Claims' stances on topics. Curators set a claim's stance on a topic (POST), change
    it (PATCH) or remove it (DELETE: a dismissal, which loads never undo)."""

    queryset = selectors.stance_list()
    serializer_class = StanceResourceSerializer
    filterset_class = StanceFilterSet
    permission_classes = [CurationPermissions]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    parser_classes = [ORJSONParser]  # JSON only, as for claims

    @extend_schema(parameters=[_STANCE_ETAG])
    def retrieve(self, request, *args, **kwargs):
        return self._response(request, self.get_object())

    @extend_schema(
        request=StanceCreateSerializer,
        parameters=[
            _STANCE_ETAG,
            OpenApiParameter(
                "Location",
                OpenApiTypes.URI,
                OpenApiParameter.HEADER,
                description="The new stance's address.",
                response=[201],
            ),
        ],
        responses={
            200: OpenApiResponse(
                StanceResourceSerializer, description="The stance there was replaced."
            ),
            201: OpenApiResponse(StanceResourceSerializer, description="A new stance."),
        },
    )
    def create(self, request, *args, **kwargs):
        body = StanceCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        stance, created = curation.stance_set(**body.validated_data, user=request.user)
        if not created:
            return self._response(request, stance)
        response = self._response(request, stance, status.HTTP_201_CREATED)
        response["Location"] = response.data["url"]
        return response

    @extend_schema(
        request=StanceUpdateSerializer,
        parameters=[_if_match("stance"), _STANCE_ETAG],
        responses={200: StanceResourceSerializer, **_preconditions("stance")},
    )
    def partial_update(self, request, *args, **kwargs):
        stance = self.checked_object(request)
        update = StanceUpdateSerializer(data=request.data)
        update.is_valid(raise_exception=True)
        stance = self.write(
            request,
            stance,
            lambda stance: curation.stance_update(stance=stance, changes=update.validated_data),
        )
        return self._response(request, stance)

    @extend_schema(
        parameters=[_if_match("stance")],
        responses={
            204: OpenApiResponse(
                description="Removed; the claim and topic are recorded as unrelated."
            ),
            **_preconditions("stance"),
        },
    )
    def destroy(self, request, *args, **kwargs):
        stance = self.checked_object(request)
        self.write(
            request, stance, lambda stance: curation.stance_delete(stance=stance, user=request.user)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _response(self, request, stance, code: int = status.HTTP_200_OK) -> Response:
        body = self.get_serializer(stance).data
        return Response(body, status=code, headers={"ETag": preconditions.etag(stance.version)})


class SpeakerViewSet(MethodsFirstMixin, viewsets.ReadOnlyModelViewSet):
    """People and institutions quoted, with aliases and claim counts."""

    queryset = selectors.speaker_list()
    serializer_class = SpeakerSerializer
    filterset_class = SpeakerFilterSet
    lookup_field = "slug"
    lookup_value_regex = _LOOKUP

    # Read as plain rows (claims/api/speaker_rows.py); SpeakerSerializer is their schema.
    def list(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        queryset = queryset.using(queryset.db)  # one database for the count, page and aliases
        filterset = StrictFilterBackend().validated_filterset(request, queryset, self)
        if compiled.applies(queryset.db):
            listed = compiled.CompiledList(filterset, queryset, speaker_rows)
        else:
            listed = speaker_rows(filterset.qs)
        rows = self.paginate_queryset(listed)
        body = SpeakerRepresentation(request).many(rows, using=queryset.db)
        return self.get_paginated_response(body)


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
