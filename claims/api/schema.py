"""The OpenAPI schema: drf-spectacular's, plus what it cannot see in the views.

drf-spectacular documents each operation's success. The other answers come from machinery
every view shares: validation of filters, pages and bodies (400), authentication and
permissions (401/403), lookups and pages (404), throttles (429) and the statement timeout
(503). ``AutoSchema`` adds each of them to the operations that can return it, and marks the
reads anyone may make, so a client (or ``.ci/fuzz``) knows every answer it may get.
``StrictFilterBackendExtension`` gives the filter parameters the limits their forms enforce.
"""

from __future__ import annotations

from math import inf

from django.core import validators
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import permissions

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "The messages for each rejected parameter or field, by name; detail when the "
    "body could not be read at all.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer"},
    }
}


class AutoSchema(SpectacularAutoSchema):
    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        from claims.api.serializers import StrictFieldsSerializer

        if direction == "request" and isinstance(serializer, StrictFieldsSerializer):
            schema["additionalProperties"] = False
            schema["minProperties"] = 1  # an empty body is a 400
        return schema

    def get_auth(self):
        auths = super().get_auth()
        # drf-spectacular knows AllowAny and IsAuthenticatedOrReadOnly only.
        if {} not in auths and self._anonymous_allowed():
            auths.append({})
        return auths

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        error = self._component("Error", ERROR)
        responses = operation["responses"]
        parameters = operation.get("parameters", [])
        if "requestBody" in operation and self.method in ("PATCH", "PUT", "POST"):
            # A write with no body changes nothing: it is a 400, so the body is required.
            operation["requestBody"]["required"] = True
        # What a view declares itself (extend_schema) stays as it is; an error it declares with
        # a description only gets the body every DRF error has.
        for code, response in responses.items():
            if int(code) >= 400 and "content" not in response:
                response["content"] = self._content(error)
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            responses.setdefault(
                "400",
                self._response(
                    "A parameter or field was rejected; the body names it.",
                    self._component("ValidationError", VALIDATION_ERROR),
                ),
            )
        if operation.get("security"):
            denied = "Credentials missing or invalid, or the user lacks the permission."
            responses.setdefault("403", self._response(denied, error))
            # DRF answers 401 only when the first authentication class can name a scheme in
            # WWW-Authenticate (session authentication cannot); 403 otherwise.
            authenticators = self.view.get_authenticators()
            if authenticators and authenticators[0].authenticate_header(None):
                responses.setdefault("401", self._response(denied, error))
        if any(p["in"] == "path" for p in parameters) or self._numbered_pages(parameters):
            responses.setdefault("404", self._response("No such object, or no such page.", error))
        if "requestBody" in operation:
            responses.setdefault("415", self._response("A body in a format not accepted.", error))
            # claims.middleware.RequestBodyLimitMiddleware
            responses.setdefault(
                "413", self._response("The body is over DJANGO_MAX_BODY_BYTES; not read.", error)
            )
        if self.view.get_throttles():
            responses.setdefault(
                "429",
                self._response(
                    "Too many requests, or failed authentications, from this client.",
                    error,
                    RETRY_AFTER,
                ),
            )
        # claims.api.exceptions: a query cut off by the statement timeout, or no database.
        responses.setdefault(
            "503",
            self._response(
                "The query took too long (narrow the filters or use a smaller page), or the "
                "database is unavailable.",
                error,
                RETRY_AFTER,
            ),
        )
        return operation

    def _anonymous_allowed(self) -> bool:
        safe = self.method in permissions.SAFE_METHODS
        for permission in self.view.get_permissions():
            if isinstance(permission, permissions.AllowAny):
                continue
            if isinstance(permission, permissions.IsAuthenticatedOrReadOnly) and safe:
                continue
            if (
                isinstance(permission, permissions.DjangoModelPermissions)
                and not permission.authenticated_users_only
                and not permission.perms_map.get(self.method)
            ):
                continue
            return False
        return True

    def _numbered_pages(self, parameters: list[dict]) -> bool:
        page = getattr(getattr(self.view, "paginator", None), "page_query_param", None)
        return any(p["in"] == "query" and p["name"] == page for p in parameters)

    def _component(self, name: str, schema: dict) -> dict:
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _content(self, schema: dict) -> dict:
        return {media_type: {"schema": schema} for media_type in self.map_renderers("media_type")}

    def _response(self, description: str, schema: dict, headers: dict | None = None) -> dict:
        response = {"description": description, "content": self._content(schema)}
        if headers:
            response["headers"] = headers
        return response


class StrictFilterBackendExtension(DjangoFilterExtension):
    """django-filter's parameters, with the limits that their form fields enforce.

    A ``CharFilter(max_length=200)`` becomes ``{"type": "string", "maxLength": 200}``, so a
    client can tell a valid value from one that will get a 400.
    """

    target_class = "claims.api.filters.StrictFilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        limits = form_field_limits(filter_field.field)
        for parameter in parameters:
            # django-filter reads an empty value (?kind=, ?ordering=) as a filter not given,
            # as an HTML form sends it; a repeatable filter (?speaker=) takes it for a value.
            if not parameter.get("required") and not parameter.get("explode"):
                parameter["allowEmptyValue"] = True
            schema = parameter["schema"]
            if schema.get("type") == "array":
                schema = schema["items"]
            # The form field enforces these: they override spectacular's guesses (it gave
            # a NumberFilter "maximum: 1e50").
            schema.update(limits.get(schema.get("type"), {}))
        return parameters


def form_field_limits(field) -> dict[str, dict]:
    """JSON Schema limits of a form field's validators, by the JSON type they apply to."""
    string, number = {}, {}
    for validator in field.validators:
        if isinstance(validator, validators.MaxLengthValidator):
            string["maxLength"] = validator.limit_value
        elif isinstance(validator, validators.MinLengthValidator):
            string["minLength"] = validator.limit_value
        elif isinstance(validator, validators.RegexValidator) and not validator.inverse_match:
            string["pattern"] = validator.regex.pattern
        # The tightest bound wins: django-filter adds its own maximum (1e50) to a NumberFilter.
        elif isinstance(validator, validators.MaxValueValidator):
            number["maximum"] = min(validator.limit_value, number.get("maximum", inf))
        elif isinstance(validator, validators.MinValueValidator):
            number["minimum"] = max(validator.limit_value, number.get("minimum", -inf))
        elif isinstance(validator, validators.ProhibitNullCharactersValidator):
            string.setdefault("pattern", "^[^\\x00]*$")
    return {"string": string, "number": number, "integer": number}
