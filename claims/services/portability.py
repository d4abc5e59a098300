"""Export the claims database to one JSON document, and import it into an empty database.

The document (README.md, "Export and import")::

    {"format": "claimdb-export", "version": 1, "exported_at": "2025-06-01T09:30:00+00:00",
    "sources": [
    {"id": 1, "version": 1, "key": "erdogan-2021", ...},
    ...
    ],
    "speakers": [...], "aliases": [...], "topics": [...], "claims": [...], "stances": [...],
    "stance_dismissals": [...], "stance_models": [...]}

A row holds every concrete field of its model under the field's name (a foreign key holds
the primary key it points to), timestamps included, so the API shows the same bytes after
an import. Fields come from ``Model._meta.concrete_fields``: a field added to a model is
exported and imported with no change here. The history tables of django-simple-history are
not part of version 1.

Both directions stream: the export reads each table in chunks and the import parses one
row at a time, so neither holds a whole table in memory. Here: the document's format and
the export; ``import_reading`` reads a document, ``importing`` writes it.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils import timezone

from claims.models import (
    Alias,
    Claim,
    Source,
    Speaker,
    Stance,
    StanceDismissal,
    StanceModel,
    Topic,
)

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
    ("stance_dismissals", StanceDismissal),
    ("stance_models", StanceModel),
)
# Added within version 1: a document without them (written before) still imports.
LATER_SECTIONS = frozenset({"stance_dismissals", "stance_models"})
# Fields added within version 1, and the value a row written before them takes.
# A speaker's claim_count is recounted on import whatever the document says (the counts
# services keep are never taken on trust).
LATER_FIELDS = {
    "stances": {"model_version": "", "suggestion": False},
    "speakers": {"claim_count": 0},
}
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


def first_line(exc: Exception) -> str:
    # PostgreSQL's DETAIL lines repeat the whole row, article text included.
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def counts_text(counts: dict[str, int]) -> str:
    """``{"sources": 5, "claims": 31}`` -> ``"5 sources, 31 claims"`` (section order)."""
    return ", ".join(f"{counts[key]} {key}" for key, _model in SECTIONS if key in counts)
