"""Importing an export document into an empty database: every row as it was, or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.models.functions import Substr

from claims.models import Claim
from claims.routers import pinned_to_primary
from claims.services.counts import claim_counts_recount
from claims.services.import_reading import _Column, _columns, _Invalid, _kind, _show, _Stream
from claims.services.portability import (
    FORMAT,
    LATER_FIELDS,
    LATER_SECTIONS,
    SECTIONS,
    VERSION,
    PortabilityError,
    first_line,
)

# --- import -------------------------------------------------------------------------------


@dataclass
class ImportReport:
    exported_at: str
    counts: dict[str, int] = field(default_factory=dict)


def claims_import(
    *, file: TextIO, batch_size: int = 1000, using: str = DEFAULT_DB_ALIAS
) -> ImportReport:
    """Fill an empty database from an export: every row as it was, or nothing at all.

    Rows are checked as they are read (types, lengths, choices, references to earlier rows,
    duplicate ids); unique and check constraints are the database's, and the row it refuses
    is found and named. Any error rolls the whole import back.
    """
    stream = _Stream(file)
    if not stream.peek():
        raise PortabilityError("the file is empty")
    stream.expect("{", "a JSON object (an export_claims file)")
    stream.key("format", first=True)
    found = stream.value("'format'")
    if found != FORMAT:
        raise PortabilityError(
            f"the document is not a claims export: 'format' is {_show(found)}, not {FORMAT!r}"
        )
    stream.key("version")
    version = stream.value("'version'")
    if isinstance(version, bool) or not isinstance(version, int):
        raise PortabilityError(f"'version' must be an integer, not {_kind(version)}")
    if version != VERSION:
        raise PortabilityError(
            f"the document is export format version {version}; this program reads version {VERSION}"
        )
    stream.key("exported_at")
    exported_at = stream.value("'exported_at'")
    try:
        valid = dt.datetime.fromisoformat(exported_at).tzinfo is not None
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise PortabilityError(
            "'exported_at' must be an ISO 8601 date and time with a UTC offset, "
            f"not {_show(exported_at)}"
        )
    report = ImportReport(exported_at=exported_at)
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        _refuse_unless_empty(using)
        writer = _Writer(connection, batch_size)
        for key, model in SECTIONS:
            if key in LATER_SECTIONS and stream.peek() == "}":
                break  # a document written before these sections existed
            stream.key(key)
            report.counts[key] = writer.section(stream, key, model)
        stream.end()
        writer.check_pending()
        _refuse_misquoted_claims(using)
        claim_counts_recount(using=using)  # the database was empty: nobody else counts
        # New rows must not be given the ids just imported (PostgreSQL's sequences; SQLite's
        # AUTOINCREMENT follows the largest id by itself and gets no statement).
        statements = connection.ops.sequence_reset_sql(no_style(), [m for _k, m in SECTIONS])
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    if outermost and connection.vendor == "postgresql":
        # Plans made from an empty table's statistics are slow on a full one.
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for _k, m in SECTIONS)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")
    return report


def _refuse_misquoted_claims(using: str) -> None:
    """The promise a claim makes: its text is the source's text at its offsets."""
    length = models.F("end") - models.F("start")
    misquoted = (
        Claim._base_manager.using(using)
        .annotate(quoted=Substr("source__text", models.F("start") + 1, length))
        .exclude(text=models.F("quoted"))
        .order_by("pk")
        .values_list("pk", "source_id", "start", "end")
        .first()
    )
    if misquoted is not None:
        pk, source, start, end = misquoted
        raise PortabilityError(
            f"claims (id {pk}): field 'text' is not the text of source {source} between "
            f"'start' {start} and 'end' {end}"
        )


def _refuse_unless_empty(using: str) -> None:
    for _key, model in SECTIONS:
        if model._base_manager.using(using).exists():
            raise PortabilityError(
                f"the database already holds claims data (the table {model._meta.db_table} "
                "has rows); import_claims only fills an empty database"
            )


@dataclass
class _Pending:
    where: str
    name: str
    value: Any
    target: type[models.Model]


# A batch goes to the database at this many rows, or sooner at this many characters of text.
_BATCH_CHARS = 32 << 20


class _Writer:
    """Checks rows and inserts them in batches, remembering the ids each section holds."""

    def __init__(self, connection, batch_size: int) -> None:
        self.connection = connection
        self.batch_size = batch_size
        self.ranges = connection.ops.integer_field_ranges
        self.ids: dict[type[models.Model], set] = {}
        self.done: set[type[models.Model]] = set()
        self.section_of = {model: key for key, model in SECTIONS}
        # References to a later row of the same section (or a later section, which version
        # 1's models do not have), checked once everything is read.
        self.pending: list[_Pending] = []

    def section(self, stream: _Stream, key: str, model: type[models.Model]) -> int:
        columns = _columns(model, self.ranges)
        fields = [model._meta.get_field(c.name) for c in columns]
        names = {c.name for c in columns}
        pk_name, pk_attname = model._meta.pk.name, model._meta.pk.attname
        ids = self.ids.setdefault(model, set())
        connection = self.connection
        quote = connection.ops.quote_name
        # The values go in as given: auto_now and auto_now_add play no part (bulk_create's
        # pre_save would stamp every row with the time of the import), no signal fires, so
        # no history record is made, and Django's ORM does not compile a statement per batch.
        table, names_sql = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
        insert = f"INSERT INTO {table} ({names_sql}) VALUES ({', '.join(['%s'] * len(fields))})"
        copy = f"COPY {table} ({names_sql}) FROM STDIN" if connection.vendor == "postgresql" else ""
        prepare = [
            (c.attname, _preparer(f, connection)) for c, f in zip(columns, fields, strict=True)
        ]
        batch: list[_Row] = []
        chars = count = 0
        for index, row in enumerate(stream.items(key)):
            where = f"{key}[{index}]"
            if not isinstance(row, dict):
                raise PortabilityError(f"{where} must be an object, not {_kind(row)}")
            shown_pk = row.get(pk_name)
            if isinstance(shown_pk, int | str) and not isinstance(shown_pk, bool):
                where += f" ({pk_name} {_show(shown_pk)[:40]})"
            for name in row:
                if name not in names:
                    raise PortabilityError(f"{where}: unknown field {_show(name)}")
            values = {}
            later = LATER_FIELDS.get(key, {})
            for column in columns:
                if column.name not in row and column.name not in later:
                    raise PortabilityError(f"{where}: missing field {column.name!r}")
                given = row[column.name] if column.name in row else later[column.name]
                try:
                    value = column.convert(given)
                except _Invalid as exc:
                    raise PortabilityError(f"{where}: field {column.name!r} {exc}") from None
                if column.target is not None and value is not None:
                    self._reference(where, column, value)
                values[column.attname] = value
                if isinstance(value, str):
                    chars += len(value)
            pk = values[pk_attname]
            if pk in ids:
                raise PortabilityError(f"{where}: another row of {key} has {pk_name} {pk}")
            ids.add(pk)
            params = [prep(values[attname]) for attname, prep in prepare]
            batch.append(_Row(where, values, params))
            count += 1
            if len(batch) >= self.batch_size or chars >= _BATCH_CHARS:
                self._insert(model, insert, copy, batch)
                batch, chars = [], 0
        if batch:
            self._insert(model, insert, copy, batch)
        self.done.add(model)
        return count

    def _reference(self, where: str, column: _Column, value: Any) -> None:
        if value in self.ids.get(column.target, ()):
            return
        if column.target in self.done:
            raise PortabilityError(
                f"{where}: field {column.name!r} is {value}, which is not the id of any row "
                f"in {self.section_of[column.target]}"
            )
        self.pending.append(_Pending(where, column.name, value, column.target))

    def check_pending(self) -> None:
        for ref in self.pending:
            if ref.value not in self.ids.get(ref.target, ()):
                raise PortabilityError(
                    f"{ref.where}: field {ref.name!r} is {ref.value}, which is not the id of "
                    f"any row in {self.section_of[ref.target]}"
                )

    def _insert(self, model, insert: str, copy: str, batch: list[_Row]) -> None:
        alias = self.connection.alias
        try:
            with transaction.atomic(using=alias), self.connection.cursor() as cursor:
                if copy:  # PostgreSQL (psycopg 3): COPY costs less per row than INSERT
                    # The driver's own cursor: its errors are made Django's by hand.
                    with self.connection.wrap_database_errors, cursor.cursor.copy(copy) as writer:
                        for row in batch:
                            writer.write_row(row.params)
                else:
                    cursor.executemany(insert, [row.params for row in batch])
        except DatabaseError as exc:
            # Again row by row (rolled back with the rest later), to name the refused row.
            for row in batch:
                try:
                    with transaction.atomic(using=alias), self.connection.cursor() as cursor:
                        cursor.execute(insert, row.params)
                except DatabaseError as row_exc:
                    reason = _why(model(**row.values), row_exc)
                    raise PortabilityError(f"{row.where}: {reason}") from None
            raise PortabilityError(
                f"{batch[0].where} to {batch[-1].where}: the database refused them: "
                f"{first_line(exc)}"
            ) from None


# Fields of exactly these classes store the checked Python value as it is; skipping
# Django's preparation of each value (which would give the same value) nearly halved the
# import's time on SQLite. Any other field, a subclass included, is prepared by Django.
_STORED_AS_IS = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.SmallAutoField,
        models.IntegerField,
        models.BigIntegerField,
        models.SmallIntegerField,
        models.PositiveIntegerField,
        models.PositiveBigIntegerField,
        models.PositiveSmallIntegerField,
        models.FloatField,
        models.BooleanField,
        models.CharField,
        models.SlugField,
        models.TextField,
        models.URLField,
    }
)


def _as_is(value: Any) -> Any:
    return value


def _preparer(model_field: models.Field, connection) -> Callable[[Any], Any]:
    """The function from a checked value to the parameter the database is sent."""
    stored = model_field.target_field if type(model_field) is models.ForeignKey else model_field
    if type(stored) in _STORED_AS_IS:
        return _as_is
    return lambda value: model_field.get_db_prep_save(value, connection)


@dataclass
class _Row:
    where: str
    values: dict[str, Any]
    params: list[Any]


def _why(obj: models.Model, exc: DatabaseError) -> str:
    """Why the database refused ``obj``, in Django's words (the same on every database)."""
    # Django's unique checks read through the router: the rows just written are only here.
    token = pinned_to_primary.set(True)
    try:
        obj.validate_unique()
        obj.validate_constraints()
    except ValidationError as invalid:
        return " ".join(invalid.messages)
    finally:
        pinned_to_primary.reset(token)
    return f"the database refused it: {first_line(exc)}"
