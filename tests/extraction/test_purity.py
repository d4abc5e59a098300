"""claims/extraction is pure Python: it must never import Django or the ORM."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "claims" / "extraction"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(
                node.module.split(".")[0] if not node.module.startswith("claims.") else node.module
            )
    return names


def test_extraction_imports_no_django():
    offenders = {
        path.name: sorted(
            n
            for n in _imports(path)
            if n == "django"
            or n in {"rest_framework"}
            or (n.startswith("claims.") and not n.startswith("claims.extraction"))
        )
        for path in sorted(PACKAGE.glob("*.py"))
    }
    assert {name: bad for name, bad in offenders.items() if bad} == {}
    assert len(offenders) >= 6
