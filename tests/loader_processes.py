"""Real ``load_seeds`` processes for the loader's crash and concurrency tests.

A child process cannot see pytest-django's SQLite test database (it lives in memory), so
on SQLite the children share a database file of their own; on PostgreSQL they use the
test database itself (the tests that need this use ``transaction=True``).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from claims.extraction import parse_article
from claims.models import Source

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
# People no reference data knows: every load that meets them has to create them, once.
NEW_PEOPLE = ("Aurélien Vasseur", "Margaux Delorme", "Bastien Carpentier", "Solène Marchand")

_STATE = """
import json, django
django.setup()
from claims.models import Alias, Claim, Source, Speaker, Stance
rows = {
    "sources": Source.objects.values_list(
        "key", "content_hash", "published", "published_precision", "title", "outlet"
    ),
    "claims": Claim.objects.values_list(
        "source__key", "text", "start", "end", "speaker__slug",
        "kind", "cue", "confidence", "status", "published",
    ),
    "stances": Stance.objects.values_list(
        "claim__source__key", "claim__start", "claim__end", "topic__slug",
        "stance", "method", "confidence", "contradicts_history",
    ),
    "speakers": Speaker.objects.values_list(
        "slug", "name", "origin", "needs_review", "kind", "role"
    ),
    "aliases": Alias.objects.values_list("normalized", "speaker__slug"),
}
# Sorted lists, not sets: a duplicated row must show.
print(json.dumps({k: sorted([str(v) for v in row] for row in q) for k, q in rows.items()}))
"""


def write_corpus(directory: Path, count: int) -> list[Path]:
    """``count`` articles made of the seeds' paragraphs, each quoting one of ``NEW_PEOPLE``.

    Articles 2k and 2k+1 quote the same person, so two loaders given the even and the odd
    files meet each new person at the same moment.
    """
    paragraphs = []
    for path in sorted(SEEDS.glob("*.txt")):
        body = parse_article(path.read_text(encoding="utf-8")).body
        paragraphs += [p for p in body.split("\n\n")[1:] if len(p) > 80]
    rng = random.Random(count)  # the same corpus every run
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        chosen = rng.sample(paragraphs, 6)
        said = (
            f"« Nous suivrons le dossier numéro {i} avec la plus grande attention », "
            f"a déclaré {NEW_PEOPLE[i // 2 % len(NEW_PEOPLE)]}."
        )
        lines = [f" date 2021-{i % 12 + 1:02d} Article {i} sur la défense", said, *chosen]
        path = directory / f"art_{i:03d}.txt"
        path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


@dataclass
class ChildDatabase:
    """The database that ``load_seeds`` child processes write to."""

    url: str
    sqlite_file: Path | None = None

    @classmethod
    def for_test(cls, tmp_path: Path) -> ChildDatabase:
        if connection.vendor == "postgresql":
            db = connection.settings_dict
            auth = quote(db["USER"], safe="") + (
                f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
            )
            host = db["HOST"] or "localhost"
            return cls(url=f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}")
        # Migrated once per test session, then copied.
        template = tmp_path.parent / "migrated-child.sqlite3"
        if not template.exists():
            done = cls(url=f"sqlite:///{template}").manage("migrate", "-v", "0")
            assert done.returncode == 0, done.stderr
        shutil.copy(template, tmp_path / "child.sqlite3")
        return cls(
            url=f"sqlite:///{tmp_path / 'child.sqlite3'}", sqlite_file=tmp_path / "child.sqlite3"
        )

    def env(self) -> dict[str, str]:
        env = {**os.environ, "DATABASE_URL": self.url, "DJANGO_SETTINGS_MODULE": "tests.settings"}
        env.pop("DATABASE_REPLICA_URLS", None)
        return env

    def start(self, *args: str) -> subprocess.Popen:
        """``manage.py ARGS`` in a child process, its output captured."""
        return subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        process = self.start(*args)
        out, err = process.communicate(timeout=120)
        return subprocess.CompletedProcess(process.args, process.returncode, out, err)

    def python(self, code: str, *args: str) -> subprocess.CompletedProcess:
        """Run ``code`` in a child Python on this database (Django not yet set up)."""
        return subprocess.run(
            [sys.executable, "-c", code, *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=120,
        )

    def source_count(self) -> int:
        """Committed sources, read while children write."""
        if self.sqlite_file is None:
            return Source.objects.count()
        if not self.sqlite_file.exists():
            return 0
        with sqlite3.connect(self.sqlite_file, timeout=10) as db:
            return db.execute("SELECT count(*) FROM claims_source").fetchone()[0]

    def state(self) -> dict[str, list[list[str]]]:
        """Every row the loader writes, by natural keys (ids differ between runs)."""
        done = self.python(_STATE)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def clear(self) -> None:
        """Empty the loader's tables, as before a first load."""
        done = self.python(
            "import django; django.setup()\n"
            "from claims.models import Alias, Claim, Source, Speaker, Topic\n"
            "Claim.objects.all().delete(); Source.objects.all().delete()\n"
            "Alias.objects.all().delete(); Speaker.objects.all().delete()\n"
            "Topic.objects.all().delete()\n"
        )
        assert done.returncode == 0, done.stderr


_CLEAN: dict[int, dict] = {}


def clean_state(child: ChildDatabase, corpus: Path) -> dict:
    """The state one uninterrupted load of ``corpus`` (from ``write_corpus``) leaves.

    Such a corpus depends on its size only, so each size is loaded once per session; the
    database is emptied again afterwards.
    """
    count = len(list(corpus.glob("*.txt")))
    if count not in _CLEAN:
        done = child.manage("load_seeds", str(corpus), "--no-nlp")
        assert (done.returncode, done.stderr) == (0, ""), done.stderr
        _CLEAN[count] = child.state()
        child.clear()
    assert child.source_count() == 0
    return _CLEAN[count]
