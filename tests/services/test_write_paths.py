"""Every write goes through ``claims.services``: a module elsewhere that saves, deletes,
updates, bulk-creates or sends write SQL fails this test (migrations are exempt)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKED = [ROOT / "claims", ROOT / "project"]
EXEMPT = [ROOT / "claims" / "services", ROOT / "claims" / "migrations"]
WRITE_METHODS = frozenset(
    {
        "save",
        "delete",
        "update",
        "create",
        "get_or_create",
        "update_or_create",
        "bulk_create",
        "bulk_update",
        "executemany",
        "create_user",
        "create_superuser",
    }
)
WRITE_SQL = re.compile(
    r"^\s*(INSERT|UPDATE|DELETE|MERGE|ALTER|DROP|CREATE|TRUNCATE|COPY|VACUUM|ANALYZE)\b",
)  # statements are written in capitals; prose that starts "Create ..." is not one
# Calls that look like writes and are not, each with its reason: (module, receiver, method).
ALLOWED = {
    # The version guard itself: Model.save keeps it, and nothing else.
    ("claims/models.py", "super()", "save"),
    ("claims/models.py", "super()", "delete"),
    ("claims/models.py", "rows", "update"),
    # save(commit=False) only builds the instances, which the services then save.
    ("claims/admin/base.py", "formset", "save"),
    # dict.update
    ("claims/admin/sources.py", "obj.__dict__", "update"),
    ("claims/api/schema.py", "schema", "update"),
    ("claims/extraction/evaluate.py", "matched", "update"),
    ("project/settings.py", "_config.setdefault('OPTIONS', {})", "update"),
}


def writes_in(path: Path, source: str) -> list[str]:
    """The write calls and write SQL in one module's source, as "path:line: what"."""
    where = path.relative_to(ROOT).as_posix() if path.is_absolute() else path.as_posix()
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method, receiver = node.func.attr, ast.unparse(node.func.value)
            if method in WRITE_METHODS and (where, receiver, method) not in ALLOWED:
                found.append(f"{where}:{node.lineno}: {receiver}.{method}(…)")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and WRITE_SQL.match(node.value)
        ):
            found.append(f"{where}:{node.lineno}: SQL {node.value.split()[0]!r}")
    return sorted(found, key=lambda item: int(item.split(":")[1]))


def test_no_module_outside_services_writes():
    found = []
    for folder in CHECKED:
        for path in sorted(folder.rglob("*.py")):
            if any(path.is_relative_to(exempt) for exempt in EXEMPT):
                continue
            found += writes_in(path, path.read_text(encoding="utf-8"))
    assert found == []


def test_the_check_sees_each_kind_of_write():
    source = (
        "claim.save()\n"
        "Stance.objects.filter(pk=1).update(stance='favor')\n"
        "Claim.objects.bulk_create(rows)\n"
        "stance.delete()\n"
        "cursor.execute('DELETE FROM claims_claim')\n"
        "cursor.execute('SELECT 1')\n"
        "options.update(more)\n"
    )
    assert writes_in(Path("claims/elsewhere.py"), source) == [
        "claims/elsewhere.py:1: claim.save(…)",
        "claims/elsewhere.py:2: Stance.objects.filter(pk=1).update(…)",
        "claims/elsewhere.py:3: Claim.objects.bulk_create(…)",
        "claims/elsewhere.py:4: stance.delete(…)",
        "claims/elsewhere.py:5: SQL 'DELETE'",
        "claims/elsewhere.py:7: options.update(…)",
    ]
