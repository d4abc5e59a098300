"""No module of the service grows past 600 lines: past it, split it by what it does."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 600


def test_every_module_of_the_service_is_at_most_600_lines():
    sizes = {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for folder in ("claims", "project")
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
    }
    assert len(sizes) > 50  # the walk found the code
    assert {path: lines for path, lines in sizes.items() if lines > LIMIT} == {}
