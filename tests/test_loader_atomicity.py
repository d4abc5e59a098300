"""A load that dies midway leaves whole articles only, and the next load completes the rest."""

from __future__ import annotations

import signal
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError

from claims.models import Claim, Source, Speaker, Stance
from tests.loader_processes import ChildDatabase, clean_state, write_corpus

# Dies by SIGKILL inside the fifth article's transaction, once its claims and stances are
# written: nothing of that article was committed, nothing after it was begun.
KILL_INSIDE_FIFTH_ARTICLE = """
import os, signal, sys, django
django.setup()
from django.core.management import call_command
from django.db import connection
from claims.models import Claim, Stance

bulk_create = Stance.objects.bulk_create
articles = 0

def bulk_create_then_die(stances, *args, **kwargs):
    global articles
    made = bulk_create(stances, *args, **kwargs)
    articles += 1
    if articles == 5:
        source = stances[0].claim.source
        claims = Claim.objects.filter(source=source).count()
        print(f"in a transaction: {connection.in_atomic_block}; {source.key} has "
              f"{claims} claims and {len(made)} stances written", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    return made

Stance.objects.bulk_create = bulk_create_then_die
call_command("load_seeds", sys.argv[1], "--no-nlp")
"""


def keys(state: dict) -> list[str]:
    return [row[0] for row in state["sources"]]


def of_sources(state: dict, wanted: list[str]) -> dict:
    """The claims and stances of ``wanted`` sources only."""
    return {
        name: [row for row in state[name] if row[0] in wanted] for name in ("claims", "stances")
    }


@pytest.mark.django_db(transaction=True)
def test_load_killed_inside_an_article_keeps_none_of_it_and_a_rerun_completes(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 40)
    child = ChildDatabase.for_test(tmp_path)
    clean = clean_state(child, corpus)
    fifth = of_sources(clean, ["art_004"])

    killed = child.python(KILL_INSIDE_FIFTH_ARTICLE, str(corpus))

    assert killed.returncode == -signal.SIGKILL
    assert killed.stdout == (
        f"in a transaction: True; art_004 has {len(fifth['claims'])} claims "
        f"and {len(fifth['stances'])} stances written\n"
    )
    after = child.state()
    first_four = ["art_000", "art_001", "art_002", "art_003"]
    assert keys(after) == first_four
    assert of_sources(after, first_four) == of_sources(clean, first_four)
    assert (len(after["claims"]), len(after["stances"])) == (
        len(of_sources(clean, first_four)["claims"]),
        len(of_sources(clean, first_four)["stances"]),
    )

    rerun = child.manage("load_seeds", str(corpus), "--no-nlp")

    assert (rerun.returncode, rerun.stderr) == (0, "")
    assert "Sources: 36 created, 0 updated, 4 unchanged." in rerun.stdout
    assert child.state() == clean


@pytest.mark.django_db(transaction=True)
def test_load_killed_at_any_moment_leaves_whole_articles_and_a_rerun_matches(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 40)
    child = ChildDatabase.for_test(tmp_path)
    clean = clean_state(child, corpus)

    process = child.start("load_seeds", str(corpus), "--no-nlp")
    deadline = time.monotonic() + 60
    while child.source_count() < 3:
        assert process.poll() is None, "the load ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    process.kill()
    process.communicate(timeout=30)

    assert process.returncode == -signal.SIGKILL
    after = child.state()
    loaded = keys(after)
    # Files load in name order, each committed whole: a prefix of them, nothing else.
    assert 3 <= len(loaded) < 40
    assert loaded == [f"art_{i:03d}" for i in range(len(loaded))]
    assert of_sources(after, loaded) == of_sources(clean, loaded)
    assert len(after["claims"]) == len(of_sources(clean, loaded)["claims"])

    rerun = child.manage("load_seeds", str(corpus), "--no-nlp")

    assert (rerun.returncode, rerun.stderr) == (0, "")
    assert child.state() == clean


@pytest.mark.django_db
def test_database_error_inside_an_article_rolls_back_all_of_it(tmp_path, monkeypatch):
    paths = write_corpus(tmp_path, 4)
    bulk_create = Stance.objects.bulk_create
    written: list[int] = []

    def fail_in_art_002(stances, *args, **kwargs):
        made = bulk_create(stances, *args, **kwargs)
        source = stances[0].claim.source
        if source.key == "art_002":
            written.append(Claim.objects.filter(source=source).count())
            raise DatabaseError("could not extend file: No space left on device")
        return made

    monkeypatch.setattr(Stance.objects, "bulk_create", fail_in_art_002)
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("load_seeds", str(tmp_path), "--no-nlp", stdout=StringIO(), stderr=err)

    assert failed.value.returncode == 1
    assert err.getvalue().splitlines() == [
        f"{paths[2]}: could not be stored: could not extend file: No space left on device"
    ]
    assert written == [6]  # its claims were written (one still needing a speaker), then undone
    assert list(Source.objects.order_by("key").values_list("key", flat=True)) == [
        "art_000",
        "art_001",
        "art_003",
    ]
    assert Claim.objects.filter(source__key="art_002").count() == 0
    # art_002 and art_003 quote the same new person: made once, by art_003's transaction.
    assert Speaker.objects.filter(slug="margaux-delorme").count() == 1
