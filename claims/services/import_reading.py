"""Reading an export document as a stream: one row at a time, each value checked and
converted to its column. No database writes."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from claims.services.portability import (
    KEYS,
    SECTIONS,
    PortabilityError,
    row_fields,
)

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
