"""Loaders running at the same time end with exactly the rows one load makes."""

from __future__ import annotations

import re
import threading
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction

from claims.extraction import SpeakerRef
from claims.extraction.normalize import slugify
from claims.models import Alias, Claim, Source, Speaker, Stance
from claims.services import article_files, loading, reference, speakers
from tests.loader_processes import NEW_PEOPLE, ChildDatabase, clean_state, write_corpus

COUNT = 40
SUMMARY = re.compile(
    r"(?P<files>\d+) files read, 0 failed\. Sources: (?P<created>\d+) created, 0 updated, "
    r"(?P<unchanged>\d+) unchanged\..* Speakers: (?P<speakers>\d+) created\.\n\Z"
)


def run_together(child: ChildDatabase, *loads: list[str]) -> list[dict[str, int]]:
    """Start the loads at once, wait for all; each one's summary counts."""
    processes = [child.start("load_seeds", *paths, "--no-nlp") for paths in loads]
    summaries = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert (process.returncode, err) == (0, ""), err
        summary = SUMMARY.fullmatch(out.splitlines()[-1] + "\n")
        assert summary is not None, out
        summaries.append({k: int(v) for k, v in summary.groupdict().items()})
    return summaries


@pytest.mark.django_db(transaction=True)
def test_two_loaders_on_the_same_files_make_the_rows_of_one(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, COUNT)
    child = ChildDatabase.for_test(tmp_path)
    clean = clean_state(child, corpus)

    # From an empty database: both install the reference data and race for every article.
    first, second = run_together(child, [str(corpus)], [str(corpus)])

    assert (first["files"], second["files"]) == (COUNT, COUNT)
    # Each article is created by one loader and found unchanged by the other.
    assert first["created"] + second["created"] == COUNT
    assert first["unchanged"] + second["unchanged"] == COUNT
    assert first["speakers"] + second["speakers"] == len(NEW_PEOPLE)
    assert child.state() == clean


@pytest.mark.django_db(transaction=True)
def test_two_loaders_meeting_the_same_new_people_create_each_once(tmp_path):
    corpus = tmp_path / "corpus"
    paths = [str(p) for p in write_corpus(corpus, COUNT)]
    child = ChildDatabase.for_test(tmp_path)
    clean = clean_state(child, corpus)

    # Articles 2k and 2k+1 quote the same new person: the two loaders meet them together.
    first, second = run_together(child, paths[0::2], paths[1::2])

    assert (first["created"], second["created"]) == (COUNT // 2, COUNT // 2)
    assert first["speakers"] + second["speakers"] == len(NEW_PEOPLE)
    state = child.state()
    assert [row for row in state["speakers"] if row[2] == "extracted"] == sorted(
        [slugify(name), name, "extracted", "True", "person", ""] for name in NEW_PEOPLE
    )
    assert state == clean


def wait_until_blocked(*, timeout: float = 10) -> None:
    """Return once some other session of this database waits for a lock (PostgreSQL)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("the second loader never waited for the first")


def in_thread(target, results: dict, name: str) -> threading.Thread:
    def run() -> None:
        try:
            results[name] = target()
        except Exception as exc:  # handed to the test, which fails on it
            results[name] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def join(threads: list[threading.Thread], results: dict) -> None:
    for thread in threads:
        thread.join(20)
    failed = {name: value for name, value in results.items() if isinstance(value, Exception)}
    assert failed == {}


ARTICLE = (
    "Le ministre Pierre Durand a déclaré : « Nous ne céderons pas sur ce point essentiel. »\n\n"
    "« Nous tiendrons bon jusqu'au bout », a déclaré Vladimir Poutine.\n"
)


@pytest.mark.django_db(transaction=True)
def test_a_loader_that_loses_the_race_for_an_article_keeps_the_winners_rows(tmp_path):
    path = tmp_path / "art.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    reference.reference_install()
    if connection.vendor != "postgresql":
        # SQLite: a loader's transaction takes the write lock when it begins, so a second
        # loader waits at BEGIN and never writes alongside the first.
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        call_command("load_seeds", str(path), "--no-nlp", stdout=StringIO())
        call_command("load_seeds", str(path), "--no-nlp", stdout=StringIO())
        assert Claim.objects.count() == 2
        return
    winner_wrote, release = threading.Event(), threading.Event()
    results: dict = {}

    def winner() -> loading.LoadResult:
        with transaction.atomic():
            result = loading.source_load_prepared(
                prepared=article_files.prepare_file(path), context=loading.LoadContext()
            )
            winner_wrote.set()
            release.wait(10)  # committed only once the loser is stuck behind it
        return result

    def loser() -> list:
        context = loading.LoadContext()
        return list(loading.sources_load(paths=[path], context=context, use_nlp=False))

    threads = [in_thread(winner, results, "winner")]
    assert winner_wrote.wait(10)
    threads.append(in_thread(loser, results, "loser"))
    wait_until_blocked()  # on the source key the winner has not committed yet
    release.set()
    join(threads, results)

    assert (results["winner"].source, results["winner"].claims_created) == ("created", 2)
    [lost] = results["loser"]
    assert (lost.source, lost.claims_created, lost.claims_unchanged) == ("unchanged", 0, 2)
    assert list(Source.objects.values_list("key", flat=True)) == ["art"]
    assert sorted(Claim.objects.values_list("text", "speaker__slug")) == [
        ("Nous ne céderons pas sur ce point essentiel.", "pierre-durand"),
        ("Nous tiendrons bon jusqu'au bout", "vladimir-poutine"),
    ]
    assert Speaker.objects.filter(name="Pierre Durand").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_new_person_made_by_two_loaders_at_once_is_one_speaker(tmp_path):
    ref = SpeakerRef(key=None, name="Pierre Durand", how="name", confidence=0.9, role="ministre")
    if connection.vendor != "postgresql":
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        first = speakers.speaker_for_ref(ref=ref)
        assert speakers.speaker_for_ref(ref=ref) == first
        return
    winner_wrote, release = threading.Event(), threading.Event()
    results: dict = {}

    def winner() -> Speaker:
        with transaction.atomic():
            speaker = speakers.speaker_for_ref(ref=ref)
            winner_wrote.set()
            release.wait(10)
        return speaker

    def loser() -> tuple[Speaker, loading.LoadResult]:
        result = loading.LoadResult(path="other.txt")
        with transaction.atomic():
            return speakers.speaker_for_ref(ref=ref, result=result), result

    threads = [in_thread(winner, results, "winner")]
    assert winner_wrote.wait(10)
    threads.append(in_thread(loser, results, "loser"))
    wait_until_blocked()  # on the slug the winner has not committed yet
    release.set()
    join(threads, results)

    speaker, result = results["loser"]
    assert speaker.pk == results["winner"].pk
    assert result.speakers_created == []  # the winner made it
    assert list(Speaker.objects.filter(name="Pierre Durand").values_list("slug", flat=True)) == [
        "pierre-durand"
    ]
    assert list(Alias.objects.filter(speaker=speaker).values_list("name", flat=True)) == ["Durand"]


@pytest.mark.django_db(transaction=True)
def test_an_article_that_lost_a_race_is_written_again_whole(tmp_path, monkeypatch):
    # The first attempt collides once after writing its claims; the retry starts afresh.
    path = tmp_path / "art.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    reference.reference_install()
    bulk_create = Stance.objects.bulk_create
    collisions: list[int] = []

    def collide_once(stances, *args, **kwargs):
        made = bulk_create(stances, *args, **kwargs)
        if not collisions:
            collisions.append(Claim.objects.count())
            raise IntegrityError(
                'duplicate key value violates unique constraint "claims_source_key"'
            )
        return made

    monkeypatch.setattr(Stance.objects, "bulk_create", collide_once)
    out = StringIO()
    call_command("load_seeds", str(path), "--no-nlp", "-v", "2", stdout=out)

    assert collisions == [2]
    assert out.getvalue().splitlines()[0] == (
        f"{path}: source created; claims +2 ~0 =0 -0; new speakers to review: Pierre Durand"
    )
    assert (Source.objects.count(), Claim.objects.count()) == (1, 2)
    assert Speaker.objects.filter(name="Pierre Durand").count() == 1
