"""Filter machinery under the API's FilterSets: the filter backend (a 400 for query
parameters nobody reads), strict booleans, relation filters checked in one query, orderings
with a tiebreak, and a FilterSet that does not rebuild itself on every request."""

from __future__ import annotations

import copy

import django_filters as filters
from django import forms
from django.core.validators import EMPTY_VALUES
from django.db import connections
from django.db.models import QuerySet
from django.http import QueryDict
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class StrictBooleanField(forms.Field):
    """true/false (or 1/0, yes/no); anything else is an error, not an ignored filter."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        raise forms.ValidationError("Use true or false.")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


class _ModelMultipleChoiceField(filters.ModelMultipleChoiceFilter.field_class):
    """Django's field, with the objects' primary keys for a value, not a queryset of them.

    No value gives ``[]``, not ``queryset.none()``: the filter's ``if not value`` would
    compile that empty query on every request (about half a millisecond each). The values
    are checked in one query of (name, key) pairs, with Django's messages; Django builds a
    queryset per value to check its type, then loads the objects, which the filters only
    use for their keys (a fifth of a filtered claims page's time).
    """

    def clean(self, value):
        if not value and not self.required:
            return []
        return super().clean(value)

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        try:
            value = frozenset(value)
        except TypeError:
            raise forms.ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from None
        field = (
            self.queryset.model._meta.pk
            if key == "pk"
            else self.queryset.model._meta.get_field(key)
        )
        for pk in value:
            self.validate_no_null_characters(pk)
            try:
                field.get_prep_value(pk)
            except (ValueError, TypeError):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                ) from None
        found = {str(name): pk for name, pk in _keys(self.queryset, field, value)}
        for name in value:
            if str(name) not in found:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": name},
                )
        return sorted(set(found.values()))


def _keys(queryset: QuerySet, field, values: frozenset) -> list[tuple]:
    """(value, primary key) of the rows of ``queryset``'s table whose ``field`` is one of
    ``values``. On PostgreSQL one prepared statement: the ORM compiled a new query for
    each number of values, a tenth of a filtered page's time."""
    prepared = [field.get_prep_value(value) for value in values]
    if field.get_internal_type() in ("AutoField", "BigAutoField", "BigIntegerField"):
        # A number beyond the column's range matches nothing (and overflows SQLite's driver).
        prepared = [number for number in prepared if -(2**63) <= number < 2**63]
    using = queryset.db
    connection = connections[using]
    if connection.vendor != "postgresql" or queryset.query.where:
        rows = queryset.filter(**{f"{field.name}__in": prepared}).values_list(field.name, "pk")
        return list(rows)
    quote = connection.ops.quote_name
    meta = queryset.model._meta
    column, pk = quote(field.column), quote(meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column}, {pk} FROM {quote(meta.db_table)} WHERE {column} = ANY(%s)",
            [prepared],
        )
        return cursor.fetchall()


class _ValuesInput(forms.TextInput):
    """Every value of a repeated parameter, shown as a text box in the browsable API: a
    select listed every speaker and every source (15 MB of HTML at 1M claims)."""

    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if not isinstance(values, list):
            return values
        # The box shows several values as "a, b": read them back the same way. Slugs, keys
        # and ids hold no commas.
        return [part.strip() for v in values for part in (v.split(",") if "," in v else [v])]

    def format_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value) or None
        return super().format_value(value)


class ModelMultipleChoiceFilter(filters.ModelMultipleChoiceFilter):
    field_class = _ModelMultipleChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _ValuesInput)
        super().__init__(*args, **kwargs)


class RelatedMultipleChoiceFilter(ModelMultipleChoiceFilter):
    """Objects named by ``to_field_name`` (a slug, a key), matched on the relation ``field_name``.

    The stock filter compares ``field_name`` with the named value, so it needs
    ``field_name="speaker__slug"``; drf-spectacular then looks for ``speaker__slug__slug``,
    fails, and the schema gets a warning. Matching on the object keeps both happy.
    """

    def get_filter_predicate(self, v):
        return {self.field_name: v}


class TiebrokenOrderingFilter(filters.OrderingFilter):
    """``?ordering=`` followed by ``tiebreak`` (fields the request did not name): equal
    values come in one order on every page, and the order matches an index."""

    def __init__(self, *args, tiebreak: tuple[str, ...], **kwargs):
        self.tiebreak = tiebreak
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if not value:
            return qs
        named = {field.lstrip("-") for field in qs.query.order_by}
        return qs.order_by(*qs.query.order_by, *(f for f in self.tiebreak if f not in named))


class FilterSet(filters.FilterSet):
    """django-filter's FilterSet without rebuilding itself on every request.

    Stock, each request deep-copies every declared filter and builds a new form class with
    new form fields: about a third of a claims page's Python time (BENCHMARKS.md). The
    filters keep no per-request state but their parent and model, so a shallow copy will
    do, made when a filter is first used; the form classes are made once (the form itself
    still copies its fields, per instance). ``given_only()`` leaves out of the form the
    filters the request does not name: a claims page cleaned 17 empty fields.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = _Filters(self)
        self._given = None

    # Parameters whose value is the SQL's shape, not a value bound into it: besides these,
    # every OrderingFilter (its value is the ORDER BY, in the order given).
    shaping: frozenset[str] = frozenset()
    # Parameters something else applies (the cursor paginator's ordering).
    unapplied: frozenset[str] = frozenset()

    def bound(self) -> dict:
        """The filters this request applies, values normalised: empty ones left out, lists
        without repeats and sorted (but a shaping one's, whose order counts). Equal filters
        give equal values: compiled list queries key on their shape (claims/api/compiled.py),
        and ``apply`` reads nothing else."""
        values = {}
        for name, value in self.form.cleaned_data.items():
            if name in self.unapplied or value in EMPTY_VALUES:
                continue
            if isinstance(value, list) and name not in self.shaping_names():
                value = sorted(set(value))
            values[name] = value
        return values

    @classmethod
    def shaping_names(cls) -> frozenset[str]:
        orderings = (
            n for n, f in cls.base_filters.items() if isinstance(f, filters.OrderingFilter)
        )
        return cls.shaping | frozenset(orderings)

    def apply(self, queryset: QuerySet, values: dict) -> QuerySet:
        """``queryset`` filtered by ``values``, shaped as ``bound()`` gives them."""
        for name, value in values.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_queryset(self, queryset):
        return self.apply(queryset, self.bound())

    def given_only(self) -> FilterSet:
        """Clean only the parameters the request gives (a form without the others)."""
        self._given = frozenset(name for name in self.base_filters if name in self.data)
        return self

    def get_form_class(self):
        cls = type(self)
        forms_made = cls.__dict__.get("_form_classes")
        if forms_made is None:
            forms_made = cls._form_classes = {}
        key = self._given
        form_class = forms_made.get(key)
        if form_class is None:
            full = forms_made.get(None)
            if full is None:
                full = super().get_form_class()
                # Each form deep-copies its fields; cleaning a query string changes none of
                # them, so every form may share them (a tenth of a filtered page's time).
                full.base_fields = _SharedFields(full.base_fields)
                forms_made[None] = full
            form_class = full
            if key is not None:
                fields = {name: full.base_fields[name] for name in full.base_fields if name in key}
                form_class = type(full.__name__, (self._meta.form,), {})
                form_class.base_fields = _SharedFields(fields)
            if len(forms_made) < _FORM_CLASSES:
                forms_made[key] = form_class
        return form_class


# Form classes kept per FilterSet, one per set of parameters given; past them, made per use.
_FORM_CLASSES = 512


class _Filters(dict):
    """A FilterSet's filters, each a copy of the class's made when first asked for."""

    def __init__(self, filterset: FilterSet) -> None:
        super().__init__()
        self._filterset = filterset

    def __missing__(self, name: str):
        filter_ = copy.copy(type(self._filterset).base_filters[name])
        filter_.model = self._filterset.queryset.model
        filter_.parent = self._filterset
        if filter_.method is not None:
            filter_.method = filter_.method  # binds a new FilterMethod to this copy
        self[name] = filter_
        return filter_

    def _every(self) -> None:
        for name in type(self._filterset).base_filters:
            if not dict.__contains__(self, name):
                self.__missing__(name)

    def __contains__(self, name) -> bool:
        return name in type(self._filterset).base_filters

    def __iter__(self):
        self._every()
        return super().__iter__()

    def __len__(self) -> int:
        return len(type(self._filterset).base_filters)

    def keys(self):
        self._every()
        return super().keys()

    def values(self):
        self._every()
        return super().values()

    def items(self):
        self._every()
        return super().items()

    def get(self, name, default=None):
        return self[name] if name in self else default  # noqa: SIM401 (dict.get skips __missing__)


class _SharedFields(dict):
    def __deepcopy__(self, memo):
        return dict(self)


class StrictFilterBackend(DjangoFilterBackend):
    """A misspelt filter (``?speakr=x``) is an error, never a silently unfiltered list."""

    def filter_queryset(self, request, queryset, view):
        self.refuse_unknown_parameters(request, queryset, view)
        return super().filter_queryset(request, queryset, view)

    def validated_filterset(self, request, queryset, view):
        """The view's FilterSet for this request, its values checked (a 400 otherwise), not
        yet applied: the claims list binds them into a compiled query."""
        self.refuse_unknown_parameters(request, queryset, view)
        filterset = self.get_filterset(request, queryset, view).given_only()
        if not filterset.is_valid():
            raise utils.translate_validation(filterset.errors)
        return filterset

    def refuse_unknown_parameters(self, request, queryset, view) -> None:
        filterset_class = self.get_filterset_class(view, queryset)
        # Besides the filters: format negotiation, and whatever the view's paginator reads.
        allowed = {"format"} | set(getattr(view.paginator, "query_params", ()))
        if filterset_class is not None:
            allowed |= set(filterset_class.base_filters)
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ValidationError(
                {
                    name: [f"Unknown query parameter. Known: {', '.join(sorted(allowed))}."]
                    for name in unknown
                }
            )
