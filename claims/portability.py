"""Export the claims database to one JSON document, and import it into an empty database.

The document (README.md, "Export and import")::

    {"format": "claimdb-export", "version": 1, "exported_at": "2025-06-01T09:30:00+00:00",
    "sources": [
    {"id": 1, "version": 1, "key": "erdogan-2021", ...},
    ...
    ],
    "speakers": [...], "aliases": [...], "topics": [...], "claims": [...], "stances": [...]}

A row holds every concrete field of its model under the field's name (a foreign key holds
the primary key it points to), timestamps included, so the API shows the same bytes after
an import. Fields come from ``Model._meta.concrete_fields``: a field added to a model is
exported and imported with no change here. The history tables of django-simple-history are
not part of version 1.

Both directions stream: the export reads each table in chunks and the import parses one
row at a time, so neither holds a whole table in memory.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.models.functions import Substr
from django.utils import timezone

from claims.models import Alias, Claim, Source, Speaker, Stance, Topic
from claims.routers import pinned_to_primary

FORMAT = "claimdb-export"
VERSION = 1
# In the order they must appear: a row may only point to rows of an earlier section.
SECTIONS: tuple[tuple[str, type[models.Model]], ...] = (
    ("sources", Source),
    ("speakers", Speaker),
    ("aliases", Alias),
    ("topics", Topic),
    ("claims", Claim),
    ("stances", Stance),
)
HEADER = ("format", "version", "exported_at")
KEYS = (*HEADER, *(key for key, _model in SECTIONS))


class PortabilityError(Exception):
    """An export or import that cannot be done; the message says what and where, for people."""


# --- the fields of a row -------------------------------------------------------------------


def row_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields a row of ``model`` carries: every concrete one the database does not compute."""
    if model._meta.many_to_many:
        # Its rows live in another table, which version 1 does not carry: refuse to lose them.
        names = ", ".join(f.name for f in model._meta.many_to_many)
        raise PortabilityError(
            f"{model.__name__} has many-to-many fields ({names}), which export format "
            f"version {VERSION} cannot hold"
        )
    return [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


# --- export ----------------------------------------------------------------------------------


@dataclass
class ExportReport:
    exported_at: str
    counts: dict[str, int] = field(default_factory=dict)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} values cannot be exported")


def claims_export(
    *, out: TextIO, chunk_size: int = 2000, using: str = DEFAULT_DB_ALIAS
) -> ExportReport:
    """Write the six tables to ``out`` as one JSON document, each table in primary-key order.

    One transaction, so the sections agree with each other even while loaders write (on
    PostgreSQL a repeatable-read snapshot when this is the outermost transaction).
    """
    connection = connections[using]
    fields = {key: row_fields(model) for key, model in SECTIONS}
    report = ExportReport(exported_at=timezone.now().isoformat())
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        header = {"format": FORMAT, "version": VERSION, "exported_at": report.exported_at}
        out.write(json.dumps(header)[:-1] + ",")  # the object stays open for the sections
        for number, (key, model) in enumerate(SECTIONS):
            names = [f.name for f in fields[key]]
            pk_index = [f.primary_key for f in fields[key]].index(True)
            rows = (
                model._base_manager.using(using)
                .order_by("pk")
                .values_list(*(f.attname for f in fields[key]))
                .iterator(chunk_size=chunk_size)
            )
            out.write(f'\n"{key}": [')
            count = 0
            for values in rows:
                try:
                    line = json.dumps(
                        dict(zip(names, values, strict=True)),
                        ensure_ascii=False,
                        allow_nan=False,
                        default=_json_default,
                    )
                except (TypeError, ValueError) as exc:
                    raise PortabilityError(
                        f"{key}: the row with id {values[pk_index]}: {exc}"
                    ) from None
                out.write(("\n" if count == 0 else ",\n") + line)
                count += 1
            last = number == len(SECTIONS) - 1
            out.write(("\n" if count else "") + ("]}\n" if last else "],"))
            report.counts[key] = count
    return report


# --- reading the document as a stream ------------------------------------------------------

_CHUNK = 1 << 20
# The longest row the reader accepts: a 10 MB article, every character escaped.
_MAX_VALUE = 64 << 20
_JSON_TYPES = {dict: "an object", list: "a list", str: "a string", bool: "true or false"}


class _Constant(Exception):
    """NaN or Infinity: Python's json reads them, JSON has no such numbers."""


def _reject_constant(name: str) -> None:
    raise _Constant(name)


def _kind(value: Any) -> str:
    """The JSON type of a parsed value, for messages."""
    if value is None:
        return "null"
    for cls, name in _JSON_TYPES.items():
        if isinstance(value, cls):
            return name
    return "a number" if isinstance(value, int | float) else type(value).__name__


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


class _Stream:
    """One JSON object read piece by piece: its keys in order, each list item on its own.

    ``json.JSONDecoder.raw_decode`` parses each value from a buffer refilled in chunks; a
    value cut by the end of the buffer is parsed again with more text after it.
    """

    def __init__(self, file: TextIO) -> None:
        self._file = file
        self._decoder = json.JSONDecoder(parse_constant=_reject_constant)
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._line = 1  # the line of _buf[0]
        self._column = 0  # the characters on that line before _buf[0]

    def _fill(self, size: int = _CHUNK) -> bool:
        """Drop what was read, append up to ``size`` characters; False at the end of the file."""
        if self._eof:
            return False
        if self._pos:
            newlines = self._buf.count("\n", 0, self._pos)
            if newlines:
                self._line += newlines
                self._column = self._pos - self._buf.rfind("\n", 0, self._pos) - 1
            else:
                self._column += self._pos
            self._buf = self._buf[self._pos :]
            self._pos = 0
        try:
            data = self._file.read(size)
        except UnicodeDecodeError as exc:
            raise PortabilityError(
                f"not UTF-8 text: byte 0x{exc.object[exc.start]:02x} cannot be decoded "
                f"(after {self.where(-1)})"
            ) from None
        except (OSError, EOFError, zlib.error) as exc:  # a damaged or cut gzip file, a disk
            raise PortabilityError(f"cannot be read: {exc}") from None
        if not data:
            self._eof = True
            return False
        self._buf += data
        return True

    def where(self, pos: int | None = None) -> str:
        """Line and column of ``pos`` in the buffer (-1: its end), counted from 1."""
        pos = self._pos if pos is None else len(self._buf) if pos < 0 else pos
        line_start = self._buf.rfind("\n", 0, pos)
        line = self._line + self._buf.count("\n", 0, pos)
        column = pos - line_start if line_start >= 0 else self._column + pos + 1
        return f"line {line}, column {column}"

    def peek(self) -> str:
        """The next character that is not white space ("" at the end of the file)."""
        while True:
            buf, pos = self._buf, self._pos
            while pos < len(buf) and buf[pos] in " \t\r\n":
                pos += 1
            self._pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self._fill():
                return ""

    def expect(self, char: str, what: str) -> None:
        found = self.peek()
        if found != char:
            if not found:
                raise PortabilityError(f"cut short: the file ends where {what} belongs")
            raise PortabilityError(f"expected {what} at {self.where()}, found {found!r}")
        self._pos += 1

    def value(self, what: str) -> Any:
        """The next JSON value, parsed; ``what`` names it in errors."""
        if not self.peek():
            raise PortabilityError(f"cut short: the file ends where {what} belongs")
        grow = _CHUNK
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buf, self._pos)
            except _Constant as exc:
                raise PortabilityError(
                    f"{what} holds {exc}, which is not a JSON number ({self.where()})"
                ) from None
            except json.JSONDecodeError as exc:
                # Cut by the end of the buffer, or wrong: only more text tells them apart.
                cut = len(self._buf) - exc.pos < 16 or exc.msg.startswith("Unterminated")
                if cut and len(self._buf) - self._pos < _MAX_VALUE and self._fill(grow):
                    grow *= 2  # a long row is parsed again a few times, not once per chunk
                    continue
                if cut and self._eof:
                    raise PortabilityError(
                        f"cut short: the file ends in the middle of {what}"
                    ) from None
                raise PortabilityError(
                    f"not valid JSON at {self.where(exc.pos)} ({what}): {exc.msg}"
                ) from None
            if end == len(self._buf) and self._fill(grow):
                continue  # a number may go on in the next chunk
            self._pos = end
            return value

    def key(self, expected: str, *, first: bool = False) -> None:
        """Read the next key of the top-level object, which must be ``expected``."""
        following = self.peek()
        if following == "}":
            raise PortabilityError(f"the document has no {expected!r} key")
        if not first:
            self.expect(",", f"',' before {expected!r}")
        if self.peek() != '"':
            self.expect('"', f"the key {expected!r}")
        key = self.value(f"the key {expected!r}")
        if key != expected:
            if key in KEYS:
                raise PortabilityError(
                    f"the document has the key {key!r} where {expected!r} belongs: the keys "
                    f"must come in the order {', '.join(KEYS)} (export_claims writes them so)"
                )
            raise PortabilityError(
                f"the document has an unknown key {_show(key)} where {expected!r} belongs"
            )
        self.expect(":", f"':' after {key!r}")

    def items(self, section: str) -> Iterator[Any]:
        """The items of the list that is the next value, one at a time."""
        if self.peek() != "[":
            kind = _kind(self.value(f"the {section!r} section"))
            raise PortabilityError(f"{section!r} must be a list of rows, not {kind}")
        self._pos += 1
        if self.peek() == "]":
            self._pos += 1
            return
        index = 0
        while True:
            yield self.value(f"{section}[{index}]")
            if self.peek() == "]":
                self._pos += 1
                return
            self.expect(",", f"',' or ']' after {section}[{index}]")
            index += 1

    def end(self) -> None:
        following = self.peek()
        if following == ",":
            self._pos += 1
            if self.peek() == '"':
                key = self.value("a key after 'stances'")
                raise PortabilityError(f"the document has an unknown key {_show(key)}")
        self.expect("}", "the end of the document")
        if self.peek():
            raise PortabilityError(f"the document goes on after its end ({self.where()})")


# --- import: checking a row ------------------------------------------------------------------


class _Invalid(Exception):
    """One field's value is wrong; the message says how."""


_INTEGERS = frozenset(
    "AutoField BigAutoField SmallAutoField IntegerField BigIntegerField SmallIntegerField "
    "PositiveIntegerField PositiveBigIntegerField PositiveSmallIntegerField".split()
)
_STRINGS = frozenset(
    "CharField TextField SlugField URLField EmailField FilePathField FileField ImageField "
    "GenericIPAddressField".split()
)


def _converter(model_field: models.Field, vendor_ranges: dict) -> Callable[[Any], Any]:
    """A function from the JSON value of ``model_field`` to the value stored, or ``_Invalid``."""
    internal = model_field.get_internal_type()
    convert: Callable[[Any], Any]
    if model_field.is_relation:
        # A foreign key holds its target's value: an id, checked as the id field checks it.
        convert = _converter(model_field.target_field, vendor_ranges)
    elif internal in _INTEGERS:
        low, high = vendor_ranges.get(internal, (None, None))

        def convert(value):
            if isinstance(value, bool) or not isinstance(value, int):
                raise _Invalid(f"must be an integer, not {_kind(value)} ({_show(value)})")
            if low is not None and value < low:
                raise _Invalid(f"is {value}; it must be at least {low}")
            if high is not None and value > high:
                raise _Invalid(f"is {value}; it must be at most {high}")
            return value

    elif internal == "FloatField":

        def convert(value):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise _Invalid(f"must be a number, not {_kind(value)} ({_show(value)})")
            return float(value)

    elif internal == "BooleanField":

        def convert(value):
            if not isinstance(value, bool):
                raise _Invalid(f"must be true or false, not {_kind(value)} ({_show(value)})")
            return value

    elif internal in _STRINGS:
        longest = model_field.max_length

        def convert(value):
            if not isinstance(value, str):
                raise _Invalid(f"must be a string, not {_kind(value)} ({_show(value)})")
            if longest is not None and len(value) > longest:
                raise _Invalid(f"is {len(value)} characters long; at most {longest} fit")
            if "\x00" in value:
                raise _Invalid("contains a NUL character, which PostgreSQL cannot store")
            return value

    elif internal == "DateTimeField":

        def convert(value):
            try:
                parsed = dt.datetime.fromisoformat(value)
            except (TypeError, ValueError):
                parsed = None
            if parsed is None or (settings.USE_TZ and parsed.tzinfo is None):
                raise _Invalid(
                    f"must be an ISO 8601 date and time with a UTC offset, e.g. "
                    f'"2025-06-01T09:30:00.123456+00:00", not {_show(value)}'
                )
            return parsed

    elif internal == "DateField":

        def convert(value):
            try:
                return dt.date.fromisoformat(value)
            except (TypeError, ValueError):
                raise _Invalid(
                    f'must be an ISO 8601 date, e.g. "2025-06-01", not {_show(value)}'
                ) from None

    elif internal == "JSONField":

        def convert(value):
            return value

    else:  # a kind of field this module does not know yet: Django's own parsing

        def convert(value):
            try:
                return model_field.to_python(value)
            except ValidationError as exc:
                raise _Invalid(f"is {_show(value)}: {' '.join(exc.messages)}") from None

    allowed = None
    if model_field.choices:
        allowed = {value for value, _label in model_field.flatchoices}
        if model_field.blank:
            allowed.add("")
    nullable = model_field.null

    def checked(value):
        if value is None:
            if nullable:
                return None
            raise _Invalid("must not be null")
        result = convert(value)
        if allowed is not None and result not in allowed:
            listed = ", ".join(_show(choice) for choice in sorted(allowed, key=str))
            raise _Invalid(f"is {_show(value)}; it must be one of {listed}")
        return result

    return checked


@dataclass
class _Column:
    name: str
    attname: str
    convert: Callable[[Any], Any]
    target: type[models.Model] | None  # a foreign key to a model of the document


def _columns(model: type[models.Model], vendor_ranges: dict) -> list[_Column]:
    exported = {m for _key, m in SECTIONS}
    columns = []
    for f in row_fields(model):
        target = None
        if f.is_relation and f.related_model in exported and f.target_field.primary_key:
            target = f.related_model
        columns.append(_Column(f.name, f.attname, _converter(f, vendor_ranges), target))
    return columns


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
            stream.key(key)
            report.counts[key] = writer.section(stream, key, model)
        stream.end()
        writer.check_pending()
        _refuse_misquoted_claims(using)
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
            for column in columns:
                if column.name not in row:
                    raise PortabilityError(f"{where}: missing field {column.name!r}")
                try:
                    value = column.convert(row[column.name])
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


def first_line(exc: Exception) -> str:
    # PostgreSQL's DETAIL lines repeat the whole row, article text included.
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def counts_text(counts: dict[str, int]) -> str:
    """``{"sources": 5, "claims": 31}`` -> ``"5 sources, 31 claims"`` (section order)."""
    return ", ".join(f"{counts[key]} {key}" for key, _model in SECTIONS if key in counts)
