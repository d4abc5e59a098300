"""Claims list queries compiled once per filter shape, the request's values bound at run time.

Building a filtered queryset and compiling it was about half of a claims page's Python time
(BENCHMARKS.md); the detail, compiled once, cost a third as much. A list's SQL depends only
on its shape: which filters are given, how many values each has (and the booleans' values),
the ordering, the cursor's direction and whether it holds a position. So each shape is
built once with stand-in values, compiled, and each request's values take the stand-ins'
places among the parameters; LIMIT and OFFSET are parameters too.

A shape compiles only when every stand-in comes out among the parameters as it went in: a
filter that rewrites its value (``speaker_name`` folds accents) keeps the plain path, built
per request. tests/api/test_compiled_lists.py compares both paths over random filter
combinations. PostgreSQL only: the plain path is SQLite's, whose rows need Django's
converters.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

from claims.api.pagination import sort_key_field
from claims.api.representations import ClaimRepresentation, unfilled_rows

# Stand-ins: values of the type the filter expects that no query holds as a constant. A
# number within every integer column's range: Django drops a comparison with a value
# beyond it (always true, or always false) and its parameter with it.
_NUMBER = 2_123_456_789  # floats of it and of its halves are exact
_DAY = dt.date(2, 2, 2)

_SHAPES = 512  # compiled queries kept per process; a shape past them compiles again


class _Unbindable(Exception):
    """A value of a type with no stand-in: the plain path."""


def _kind(value) -> str:
    if isinstance(value, dt.datetime):
        return "datetime" if value.tzinfo is None else "aware-datetime"
    return type(value).__name__


def _stand_in(value, n: int):
    if isinstance(value, bool):
        raise _Unbindable  # booleans are part of the shape, never bound
    if isinstance(value, int):
        return _NUMBER + n
    if isinstance(value, float):
        return _NUMBER + n + 0.5
    if isinstance(value, Decimal):
        return Decimal(_NUMBER + n) + Decimal("0.5")
    if isinstance(value, str):
        return f"\x00stand-in {n}\x00"
    if isinstance(value, dt.datetime):
        return dt.datetime(2, 2, 2, tzinfo=value.tzinfo) + dt.timedelta(seconds=n)
    if isinstance(value, dt.date):
        return _DAY + dt.timedelta(days=n)
    raise _Unbindable


def _matches(param, stand_in) -> bool:
    if type(param) is type(stand_in):
        return param == stand_in
    numbers = (int, float, Decimal)
    return (
        isinstance(param, numbers)
        and isinstance(stand_in, numbers)
        and not isinstance(param, bool)
        and param == stand_in
    )


@dataclass(frozen=True)
class _Bound:
    """A request's values as the shape they make, their stand-ins, and the values."""

    shape: tuple
    filters: dict  # the stand-ins, shaped as FilterSet.bound() gives values
    positions: tuple
    stand_ins: tuple
    values: tuple


def _bind(filters: dict, positions: tuple, shaping: frozenset = frozenset()) -> _Bound:
    shape: list = []
    stand_ins: list = []
    values: list = []

    def stand(value):
        stand_in = _stand_in(value, len(stand_ins))
        stand_ins.append(stand_in)
        values.append(value)
        return stand_in

    standing: dict = {}
    for name in sorted(filters):
        value = filters[name]
        blank = isinstance(value, str) and not value.strip()  # a filter may read it as none
        if name in shaping:
            shape.append((name, tuple(value) if isinstance(value, list) else value))
            standing[name] = value
        elif isinstance(value, bool) or value is None or blank:
            shape.append((name, value))
            standing[name] = value
        elif isinstance(value, list):
            shape.append((name, tuple(_kind(v) for v in value)))
            standing[name] = [stand(v) for v in value]
        else:
            shape.append((name, _kind(value)))
            standing[name] = stand(value)
    shape.append(("position", tuple(_kind(v) for v in positions)))
    standing_positions = tuple(stand(v) for v in positions)
    return _Bound(tuple(shape), standing, standing_positions, tuple(stand_ins), tuple(values))


# A parameter's source: a bound value (its index, and the type the query wants it as), a
# URL piece of the request, or a constant.
_VALUE, _URL, _CONSTANT = range(3)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    slots: tuple
    names: tuple

    def params(self, values: tuple, urls: dict, *extra) -> list:
        params = []
        for source, item, convert in self.slots:
            if source == _VALUE:
                value = values[item]
                params.append(convert(value) if convert is not None else value)
            elif source == _URL:
                params.append(urls[item])
            else:
                params.append(item)
        return [*params, *extra]


_compiled: OrderedDict = OrderedDict()
_lock = threading.Lock()


def _cached(key, compile_):
    with _lock:
        if key in _compiled:
            _compiled.move_to_end(key)
            return _compiled[key]
    found = compile_()
    with _lock:
        _compiled[key] = found
        while len(_compiled) > _SHAPES:
            _compiled.popitem(last=False)
    return found


_PAGE = "{sql} LIMIT %s OFFSET %s"


def _compile(queryset: QuerySet, bound: _Bound, url_names, template=_PAGE) -> _Compiled | None:
    """The SQL of ``queryset`` (built from ``bound``'s stand-ins) in ``template``, or None
    when a stand-in did not come through as it went in."""
    query = queryset.query
    try:
        sql, params = query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # a filter that matches nothing: the plain path says so
        return None
    slots, found = [], set()
    for param in params:
        for index, stand_in in enumerate(bound.stand_ins):
            if _matches(param, stand_in):
                convert = None if type(param) is type(stand_in) else type(param)
                slots.append((_VALUE, index, convert))
                found.add(index)
                break
        else:
            if isinstance(param, str) and param in url_names:
                slots.append((_URL, param, None))
            else:
                slots.append((_CONSTANT, param, None))
    if len(found) != len(bound.stand_ins):
        return None
    # A sort key already shown ("id") is selected once.
    names = tuple(dict.fromkeys((*query.extra_select, *query.values_select)))
    names = (*names, *query.annotation_select)
    return _Compiled(template.format(sql=sql), tuple(slots), names)


def _op_key(op: tuple) -> tuple:
    # An annotation by its name: the paginator gives a name one expression.
    return ("annotate", tuple(alias for alias, _ in op[1])) if op[0] == "annotate" else op


class ClaimPage:
    """What the claims list hands the cursor paginator on PostgreSQL, in place of a
    queryset: it records the paginator's ``annotate``, ``order_by`` and position ``filter``
    and, when sliced, runs the shape's compiled SQL with this request's values (rows as
    ``ClaimRepresentation.rows()`` gives them)."""

    def __init__(self, filterset, queryset: QuerySet, keys, representation, ops=(), positions=()):
        self._filterset = filterset
        self._queryset = queryset  # selectors.claim_list() on the request's database
        self._keys = tuple(keys)
        self._representation: ClaimRepresentation = representation
        self._ops = ops
        self._positions = positions

    @property
    def db(self) -> str:
        return self._queryset.db

    @property
    def model(self):
        return self._queryset.model

    def _then(self, op, positions=()) -> ClaimPage:
        return ClaimPage(
            self._filterset,
            self._queryset,
            self._keys,
            self._representation,
            (*self._ops, op),
            (*self._positions, *positions),
        )

    def annotate(self, **expressions) -> ClaimPage:
        return self._then(("annotate", tuple(expressions.items())))

    def order_by(self, *fields: str) -> ClaimPage:
        return self._then(("order_by", fields))

    def filter(self, **lookups) -> ClaimPage:
        ((lookup, value),) = lookups.items()  # the cursor's position on the sort key
        field = sort_key_field(self.model, lookup.rsplit("__", 1)[0])
        # As the lookup would read it: the stand-in then has the value's type.
        return self._then(("filter", lookup), (field.to_python(value),))

    def _build(self, filters: dict, positions: tuple, rows) -> QuerySet:
        queryset = rows(self._filterset.apply(self._queryset, filters), *self._keys)
        positions = iter(positions)
        for op in self._ops:
            if op[0] == "annotate":
                queryset = queryset.annotate(**dict(op[1]))
            elif op[0] == "order_by":
                queryset = queryset.order_by(*op[1])
            else:
                queryset = queryset.filter(**{op[1]: next(positions)})
        return queryset

    def __getitem__(self, item: slice) -> list[dict]:
        offset, stop = item.start or 0, item.stop
        filters = self._filterset.bound()
        urls = self._representation.url_pieces()
        try:
            bound = _bind(filters, self._positions)
        except _Unbindable:
            compiled = None
        else:
            key = (self.db, self._keys, bound.shape, tuple(map(_op_key, self._ops)))
            compiled = _cached(
                key,
                lambda: _compile(
                    self._build(bound.filters, bound.positions, unfilled_rows), bound, urls
                ),
            )
        if compiled is None:
            queryset = self._build(filters, self._positions, self._representation.rows)
            return list(queryset[offset:stop])
        with connections[self.db].cursor() as cursor:
            params = compiled.params(bound.values, urls, stop - offset, offset)
            cursor.execute(compiled.sql, params)
            return [dict(zip(compiled.names, row, strict=True)) for row in cursor.fetchall()]


class CompiledList:
    """What a page-number list hands Django's Paginator on PostgreSQL, in place of a
    queryset: its count and its pages, each a query compiled once per filter shape. ``rows``
    makes a filtered queryset into the rows shown."""

    ordered = True  # by the FilterSet's ordering, or the queryset's own

    def __init__(self, filterset, queryset: QuerySet, rows) -> None:
        self._filterset = filterset
        self._queryset = queryset
        self._rows = rows

    def _run(self, kind: str, build, template: str, extra: tuple):
        filters = self._filterset.bound()
        try:
            bound = _bind(filters, (), self._filterset.shaping_names())
        except _Unbindable:
            return None, None
        db = self._queryset.db
        key = (type(self._filterset), kind, db, bound.shape)
        compiled = _cached(key, lambda: _compile(build(bound.filters), bound, (), template))
        if compiled is None:
            return None, None
        with connections[db].cursor() as cursor:
            cursor.execute(compiled.sql, compiled.params(bound.values, {}, *extra))
            return compiled, cursor.fetchall()

    def _filtered(self, filters: dict) -> QuerySet:
        return self._filterset.apply(self._queryset, filters)

    def count(self) -> int:
        compiled, found = self._run(
            "count",
            lambda filters: self._filtered(filters).order_by().values("pk"),
            "SELECT COUNT(*) FROM ({sql}) counted",
            (),
        )
        if compiled is None:
            return self._filtered(self._filterset.bound()).count()
        return found[0][0]

    def __getitem__(self, item: slice) -> list[dict]:
        offset, stop = item.start or 0, item.stop
        compiled, found = self._run(
            "page",
            lambda filters: self._rows(self._filtered(filters)),
            _PAGE,
            (stop - offset, offset),
        )
        if compiled is None:
            return list(self._rows(self._filtered(self._filterset.bound()))[offset:stop])
        return [dict(zip(compiled.names, row, strict=True)) for row in found]


# Off in tests that compare the two paths.
ENABLED = True


def applies(using: str) -> bool:
    """Whether lists read from database ``using`` take compiled queries (PostgreSQL)."""
    return ENABLED and connections[using].vendor == "postgresql"
