"""Claims as JSON from plain rows: the fast read path of the claims endpoints.

A page of 50 claims through model instances and nested DRF serializers cost about 20 ms
of Python per request at 1M claims, ten times the database's own time (BENCHMARKS.md).
Here the selector returns dicts of exactly the columns needed and URLs are formatted from
one reversed template. ``ClaimSerializer`` stays the documented schema, and a test holds
the two to the same output.
"""

from __future__ import annotations

import datetime as dt
import functools
from urllib.parse import quote

import orjson
from django.db import connections
from django.db.models import Case, F, Func, QuerySet, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.urls import get_script_prefix, get_urlconf, reverse

from claims import selectors
from claims.shapes import CLAIM_SHAPE, STANCE_SHAPE, Member, Nested, Stances

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


@functools.lru_cache(maxsize=64)
def _reversed(name: str, lookup: str, prefix: str, urlconf) -> str:
    # Keyed by what reverse() reads besides its arguments.
    return reverse(name, kwargs={lookup: _MARK})


class UrlTemplate:
    """A detail URL reversed once, then filled in per row, quoted as reverse() quotes it."""

    def __init__(self, request, name: str, lookup: str) -> None:
        path = _reversed(name, lookup, get_script_prefix(), get_urlconf())
        # Split the path, not the absolute URL: a Host header may hold the mark too.
        head, _, self.tail = path.partition(_MARK)
        self.head = request.build_absolute_uri(head)

    def __call__(self, value) -> str:
        return self.head + quote(str(value), safe=_SAFE) + self.tail


class ClaimRepresentation:
    """Builds the claims endpoints' JSON for one request.

    On PostgreSQL the database writes each claim's JSON, stances included, in the query
    that finds the claims: a page is one query, and Python only passes the text through
    (orjson.Fragment). Elsewhere (SQLite) rows are dicts turned into JSON here. Both give
    the same bytes (tests/api/test_claims.py).
    """

    def __init__(self, request) -> None:
        self.claim_url = UrlTemplate(request, "claim-detail", "pk")
        self.speaker_url = UrlTemplate(request, "speaker-detail", "slug")
        self.source_url = UrlTemplate(request, "source-detail", "key")

    def rows(self, queryset: QuerySet, *keys: str) -> QuerySet:
        """The claims of ``queryset`` as rows for ``many()``, with ``keys`` (sort keys) too."""
        if connections[queryset.db].vendor != "postgresql":
            return selectors.claim_rows(queryset)
        sql, params = _claim_json_sql(queryset.db)
        urls = self.url_pieces()
        params = [urls.get(param, param) for param in params]
        # The SQL names the joined tables: selecting a column of each makes the joins.
        rows = queryset.values(
            "id", "version", "speaker__slug", "source__key", *keys, json=RawSQL(sql, params)
        )
        if not {"claims_speaker", "claims_source"} <= rows.query.alias_map.keys():
            return selectors.claim_rows(queryset)  # joined under other names: cannot happen
        return rows

    def row(self, queryset: QuerySet, pk: int) -> dict | None:
        """Claim ``pk`` of ``queryset``, a ``selectors.claim_list()``, as ``rows()`` gives it.

        On PostgreSQL its SQL is compiled once: compiling cost a detail a fifth of its time.
        """
        using = queryset.db
        if connections[using].vendor != "postgresql":
            return next(iter(self.rows(queryset.filter(pk=pk))), None)
        sql, params, names = _claim_detail_sql(using)
        fill = {**self.url_pieces(), _PK: pk}
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [fill.get(param, param) for param in params])
            found = cursor.fetchone()
        return dict(zip(names, found, strict=True)) if found else None

    def url_pieces(self) -> dict:
        """Each stand-in of the compiled SQL, and this request's URL piece for it."""
        urls = {}
        templates = (self.claim_url, self.speaker_url, self.source_url)
        for name, template in zip(_URLS, templates, strict=True):
            urls[name + "head"], urls[name + "tail"] = template.head, template.tail
        return urls

    def many(self, rows: list[dict], using: str | None = None) -> list:
        """The JSON of these rows, read from database ``using`` (that of ``rows``)."""
        if rows and "json" not in rows[0]:
            stances = selectors.stances_by_claim([row["id"] for row in rows], using=using)
            return [self.one(row, stances.get(row["id"], [])) for row in rows]
        # A row is NULL where the database cannot write it as orjson would (a slug to quote
        # in a URL, a tiny float): those are read again, from the same database, and
        # written here. One deleted in between is left out, as it would be a moment later.
        fallback = [row["id"] for row in rows if row["json"] is None]
        if fallback:
            claims = selectors.claim_list().using(using).filter(pk__in=fallback)
            stances = selectors.stances_by_claim(fallback, using=using)
            fallback = {
                row["id"]: self.one(row, stances.get(row["id"], []))
                for row in selectors.claim_rows(claims)
            }
        return [
            orjson.Fragment(row["json"]) if row["json"] is not None else fallback[row["id"]]
            for row in rows
            if row["json"] is not None or row["id"] in fallback
        ]

    def one(self, row: dict, stances: list[dict]) -> dict:
        urls = {"claim": self.claim_url, "speaker": self.speaker_url, "source": self.source_url}
        out: dict = {}
        for part in CLAIM_SHAPE:
            if isinstance(part, Stances):
                out[part.key] = stances
            elif isinstance(part, Nested):
                null = part.null_when and row[part.null_when] is None
                out[part.key] = None if null else _members(part.members, row, urls)
            else:
                out[part.key] = _value(part, row, urls)
        return out


def _value(member: Member, row: dict, urls: dict):
    value = row[member.lookup]
    if member.kind == "datetime":
        return _datetime(value)
    if member.kind == "date":
        return _date(value)
    if member.kind == "url":
        return urls[member.url](value)
    return value


def _members(members: tuple[Member, ...], row: dict, urls: dict) -> dict:
    return {m.key: _value(m, row, urls) for m in members}


# --- PostgreSQL: the same JSON, written by the database ------------------------------------


class _Cat(Func):
    """Text pieces joined by the database; NULL if any piece is."""

    arg_joiner = " || "
    template = "(%(expressions)s)"
    output_field = TextField()


# What quote(value, safe=_SAFE) leaves as it is.
_UNQUOTED = r"^[A-Za-z0-9_.~!$&'()*+,;=:@/-]+$"


def _sql(template: str, expression) -> Func:
    """``template`` around one expression (written %(expressions)s), as text."""
    return Func(expression, template=template, output_field=TextField())


def _text(value: str) -> Func:
    return _sql("(%(expressions)s)::text", Value(value))


def _json(expression) -> Func:
    """Any value as JSON; PostgreSQL escapes strings as orjson does."""
    return _sql("COALESCE(to_json(%(expressions)s)::text, 'null')", expression)


# A float as orjson writes it, or NULL (the whole claim then goes to Python) where the two
# would differ: orjson writes 1.0 (PostgreSQL: 1), -0.0 (0) and 0.00001 (1e-05).
_FLOAT = (
    "(CASE WHEN {0} = 0 AND {0}::text = '-0' THEN '-0.0' "
    "WHEN {0} <> 0 AND abs({0}) < 1e-4 THEN NULL "
    "WHEN {0} = trunc({0}) AND abs({0}) < 1e16 THEN trunc({0})::bigint::text || '.0' "
    "ELSE {0}::text END)"
)


def _float(column: str) -> Func:
    return _sql(_FLOAT.format("%(expressions)s"), F(column))


def _timestamp(column: str) -> Func:
    # As _datetime() writes it: microseconds only when there are some, "Z" for UTC.
    return _sql(
        "('\"' || to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') "
        "|| CASE WHEN to_char(%(expressions)s, 'US') = '000000' "
        "THEN '' ELSE to_char(%(expressions)s, '.US') END || 'Z\"')",
        F(column),
    )


def _url(template: _Head, column: str) -> Case:
    # NULL (so the whole row is, and Python writes it) where the value needs quoting.
    return Case(
        When(
            **{f"{column}__regex": _UNQUOTED},
            then=_json(_Cat(_text(template.head), F(column), _text(template.tail))),
        ),
        default=None,
        output_field=TextField(),
    )


def _build(*pieces) -> _Cat:
    """Literal strings and expressions, adjacent strings merged."""
    merged: list = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    return _Cat(*(_text(p) if isinstance(p, str) else p for p in merged))


def _or_null(column: str, expression) -> Func:
    """``expression``, or JSON null where ``column`` is NULL (a claim with no speaker)."""
    return Func(
        F(column),
        expression,
        template="(CASE WHEN %(expressions)s END)",
        arg_joiner=" IS NULL THEN 'null' ELSE ",
        output_field=TextField(),
    )


def _stances_json() -> RawSQL:
    """The claim's stances as a JSON array, by topic slug; NULL if any one of them cannot be
    written here (then so is the claim, and Python writes it). An aggregate without GROUP
    BY gives one row even for no stances; the topic's slug is looked up by its key, as a
    join made the planner hash every topic again for each claim."""
    topic = "(SELECT t.slug FROM claims_topic t WHERE t.id = s.topic_id)"
    members = []
    for index, member in enumerate(STANCE_SHAPE):
        column = topic if member.lookup == "topic__slug" else f"s.{member.lookup}"
        value = _FLOAT.format(column) if member.kind == "float" else f"to_json({column})::text"
        opening = "{" if index == 0 else ","
        members.append(f"""'{opening}"{member.key}":' || {value}""")
    piece = " || ".join(members) + " || '}'"
    return RawSQL(
        "(SELECT CASE WHEN count(*) = count(j.piece) "
        "THEN '[' || COALESCE(string_agg(j.piece, ',' ORDER BY j.topic), '') || ']' END "
        f"FROM (SELECT {topic} AS topic, {piece} AS piece FROM claims_stance s "
        'WHERE s.claim_id = "claims_claim"."id") j)',
        [],
        output_field=TextField(),
    )


# Stand-ins in the compiled SQL for the request's URL templates (scheme and host vary).
_URLS = ("\x00claim-", "\x00speaker-", "\x00source-")


class _Head:
    def __init__(self, name: str) -> None:
        self.head, self.tail = name + "head", name + "tail"


@functools.cache
def _claim_json_sql(using: str) -> tuple[str, tuple]:
    """The SQL of _claim_json() and its parameters, compiled once per database: built per
    request, the expression cost more than the JSON it saves (about 3 ms)."""
    from claims.models import Claim

    expression = _claim_json(*(_Head(name) for name in _URLS))
    query = Claim.objects.using(using).values("speaker__slug", "source__key", json=expression).query
    compiler = query.get_compiler(using)
    sql, params = compiler.compile(query.annotations["json"])
    return sql, tuple(params)


# Stands in for the claim's id in the compiled detail query; no claim has a negative id.
_PK = -314159265


def unfilled_rows(queryset: QuerySet, *keys: str) -> QuerySet:
    """``ClaimRepresentation.rows()`` with the URL pieces left as their stand-ins, for SQL
    compiled once and filled per request (``url_pieces()``)."""
    stand_in = ClaimRepresentation.__new__(ClaimRepresentation)
    stand_in.claim_url, stand_in.speaker_url, stand_in.source_url = (_Head(n) for n in _URLS)
    return stand_in.rows(queryset, *keys)


@functools.cache
def _claim_detail_sql(using: str) -> tuple[str, tuple, list[str]]:
    """The query of ClaimRepresentation.row(): its SQL, parameters and column names."""
    query = unfilled_rows(selectors.claim_list().using(using).filter(pk=_PK)).query
    sql, params = query.get_compiler(using).as_sql()
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    assert list(params).count(_PK) == 1, "the stand-in id must be the query's only such value"
    return sql, tuple(params), names


def _object(*members: tuple[str, object]) -> list:
    """A JSON object's pieces: each member is (key, value); a column's name stands for the
    column written as JSON."""
    pieces: list = []
    for index, (key, value) in enumerate(members):
        pieces.append(("{" if index == 0 else ",") + f'"{key}":')
        pieces.append(_json(F(value)) if isinstance(value, str) else value)
    pieces.append("}")
    return pieces


def _claim_json(claim_url: _Head, speaker_url: _Head, source_url: _Head) -> _Cat:
    """One claim as ClaimRepresentation.one() writes it, as a SQL expression."""
    urls = {"claim": claim_url, "speaker": speaker_url, "source": source_url}
    members = []
    for part in CLAIM_SHAPE:
        if isinstance(part, Stances):
            members.append((part.key, _stances_json()))
        elif isinstance(part, Nested):
            nested = _build(*_object(*((m.key, _member_sql(m, urls)) for m in part.members)))
            members.append(
                (part.key, _or_null(part.null_when, nested) if part.null_when else nested)
            )
        else:
            members.append((part.key, _member_sql(part, urls)))
    return _build(*_object(*members))


def _member_sql(member: Member, urls: dict):
    if member.kind == "float":
        return _float(member.lookup)
    if member.kind == "datetime":
        return _timestamp(member.lookup)
    if member.kind == "url" and member.lookup == "id":  # an integer needs no quoting
        template = urls[member.url]
        return _json(
            _Cat(
                _text(template.head),
                _sql("(%(expressions)s)::text", F("id")),
                _text(template.tail),
            )
        )
    if member.kind == "url":
        return _url(urls[member.url], member.lookup)
    return member.lookup  # a column, written as JSON by _object()
