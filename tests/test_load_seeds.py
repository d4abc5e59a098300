"""The loader as a user runs it: counts, idempotence, curators' edits, bad files, dry run."""

from __future__ import annotations

import datetime
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.choices import Method, ReviewStatus
from claims.models import Alias, Claim, Source, Speaker, Stance, Topic
from claims.services import curation

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

pytestmark = pytest.mark.django_db


def load(*paths, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_seeds", *[str(p) for p in paths], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def state() -> list[tuple]:
    """Everything the loader writes, as comparable values."""
    claims = list(
        Claim.objects.order_by("source__key", "start").values_list(
            "source__key", "start", "end", "text", "speaker__slug", "status", "cue", "confidence"
        )
    )
    stances = list(
        Stance.objects.order_by("claim__source__key", "claim__start", "topic__slug").values_list(
            "claim__start", "topic__slug", "stance", "method"
        )
    )
    sources = list(Source.objects.order_by("key").values_list("key", "content_hash", "title"))
    return [claims, stances, sources, Speaker.objects.count(), Alias.objects.count()]


def test_load_seeds_first_run_creates_everything():
    out, err = load()
    assert err == ""
    assert out.strip() == (
        "5 files read, 0 failed. Sources: 5 created, 0 updated, 0 unchanged. Claims: 40 created, "
        "0 updated, 0 unchanged, 0 removed, 0 kept for curators. Speakers: 0 created."
    )
    assert Source.objects.count() == 5
    assert Claim.objects.filter(kind="direct").count() == 16
    assert Claim.objects.filter(kind="indirect").count() == 24
    # Kept with no speaker, for a curator: what anonymous sources said.
    assert Claim.objects.filter(speaker=None).count() == 4
    assert Topic.objects.count() == 5
    assert Speaker.objects.filter(origin="reference").count() == 29


def test_load_seeds_erdogan_claims_are_attributed():
    load()
    claims = Claim.objects.filter(speaker__slug="recep-tayyip-erdogan")
    claims = claims.order_by("source__key", "start")
    assert [(c.source.key, c.kind, c.text[:40]) for c in claims] == [
        ("002_57541e28d119a98b", "indirect", "il achètera l’arme qu’il veut, puisque W"),
        ("002_57541e28d119a98b", "direct", "Nous achetons les armes que nous voulons"),
        ("002_57541e28d119a98b", "indirect", "l’ancien président Donald Trump le chef "),
        ("002_57541e28d119a98b", "indirect", "Ankara « n’aurait pas été contrainte d’a"),
        ("002_57541e28d119a98b", "direct", "n’aurait pas été contrainte d’acheter"),
        ("002_57541e28d119a98b", "direct", "Nous pouvons renforcer notre défense com"),
        ("003_dab20d11591470dc", "indirect", "l’invasion était inacceptable"),
        ("004_af019c62235211ad", "indirect", "lancer une ligne de production\xa0conjointe"),
        ("004_af019c62235211ad", "direct", "La Russie nous a octroyé un crédit pour "),
    ]


def test_load_seeds_every_claim_text_equals_its_source_span():
    load()
    for claim in Claim.objects.select_related("source"):
        assert claim.source.text[claim.start : claim.end] == claim.text


def test_load_seeds_second_run_changes_nothing():
    load()
    before = state()
    out, _ = load()
    assert (
        "Sources: 0 created, 0 updated, 5 unchanged. Claims: 0 created, 0 updated, 40 unchanged"
        in out
    )
    assert state() == before


def test_load_seeds_refreshes_automatic_claims_but_keeps_curated_ones():
    load()
    confirmed = Claim.objects.get(text__startswith="Nous achetons les armes")
    curation.claims_set_status(claims=[confirmed], status=ReviewStatus.CONFIRMED)
    edited = Claim.objects.get(text__startswith="Nous pouvons renforcer")
    curation.claim_update(claim=edited, speaker=Speaker.objects.get(slug="donald-trump"))
    rejected = Claim.objects.get(text__startswith="Ils ont parlé")
    curation.claims_set_status(claims=[rejected], status=ReviewStatus.REJECTED)
    stance = Stance.objects.filter(claim__text__startswith="Nos\u00a0objectifs").get()
    curation.stance_set(claim=stance.claim, topic=stance.topic, stance="against")
    # Automatic data a better extractor would change: simulate by damaging it.
    auto = Claim.objects.get(text__startswith="D'autres projets")
    Claim.objects.filter(pk=auto.pk).update(confidence=0.01, cue="")
    Claim.objects.filter(pk=confirmed.pk).update(confidence=0.02)

    out, _ = load()

    # The damaged claim is refreshed, and, being Poutine's other claim on the topic, now
    # meets his reviewed stance. Kept: the confirmed, edited and rejected claims, and the
    # one with a manual stance.
    assert "2 updated" in out and "4 kept for curators" in out
    auto.refresh_from_db()
    assert (auto.confidence, auto.cue) == (0.75, "a-t-il ajouté")
    confirmed.refresh_from_db()
    assert (confirmed.status, confirmed.confidence) == ("confirmed", 0.02)
    edited.refresh_from_db()
    assert edited.speaker.slug == "donald-trump"
    rejected.refresh_from_db()
    assert rejected.status == "rejected"
    stance.refresh_from_db()
    assert (stance.stance, stance.method) == ("against", Method.MANUAL)


def test_load_seeds_never_overwrites_an_edited_reference_speaker():
    load()
    speaker = Speaker.objects.get(slug="hulusi-akar")
    speaker.role = "ministre de la Défense (rôle corrigé)"
    curation.speaker_save(speaker=speaker)
    load()
    speaker.refresh_from_db()
    assert speaker.role == "ministre de la Défense (rôle corrigé)"


def test_load_seeds_bad_files_are_reported_and_good_ones_still_load(tmp_path):
    shutil.copy(SEEDS / "002_57541e28d119a98b.txt", tmp_path / "good.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\t\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "latin1.txt").write_bytes("« Déjà vu », a dit Pierre Durand.".encode("latin-1"))
    (tmp_path / "baddate.txt").write_text(" date 2021-13 Texte.", encoding="utf-8")
    missing = tmp_path / "missing.txt"

    with pytest.raises(CommandError) as failure:
        load(tmp_path, missing)

    assert str(failure.value) == "6 file(s) could not be loaded; see above."
    assert failure.value.returncode == 1
    assert list(Source.objects.values_list("key", flat=True)) == ["good"]
    assert Claim.objects.filter(source__key="good").count() == 8


def test_load_seeds_bad_file_messages_name_path_and_reason(tmp_path):
    (tmp_path / "binary.txt").write_bytes(b"abc\x00def")
    (tmp_path / "latin1.txt").write_bytes("Déjà".encode("latin-1"))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "load_seeds", str(tmp_path), str(tmp_path / "nope.txt"), stdout=StringIO(), stderr=err
        )
    lines = [line for line in err.getvalue().splitlines() if line]
    assert lines == [
        f"{tmp_path / 'nope.txt'}: does not exist",
        f"{tmp_path / 'binary.txt'}: looks like a binary file (it contains NUL bytes), not text",
        f"{tmp_path / 'latin1.txt'}: is not UTF-8 (byte 0xe9 at offset 1); "
        "convert it to UTF-8 and load it again",
    ]


def test_load_seeds_folder_without_txt_files_fails(tmp_path):
    (tmp_path / "notes.md").write_text("rien", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_seeds", str(tmp_path), stdout=StringIO(), stderr=err)
    assert err.getvalue().strip() == f"{tmp_path}: is a folder with no .txt files"


def test_load_seeds_utf16_and_bom_files_load(tmp_path):
    text = "« Nous tiendrons bon jusqu'au bout », a déclaré Vladimir Poutine."
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "bom.txt").write_bytes(text.encode("utf-8-sig"))
    load(tmp_path)
    assert sorted(Claim.objects.values_list("source__key", "speaker__slug")) == [
        ("bom", "vladimir-poutine"),
        ("utf16", "vladimir-poutine"),
    ]


def test_load_seeds_dry_run_writes_nothing_and_reports():
    out, _ = load(dry_run=True)
    assert out.strip().startswith("Dry run, nothing written. Would have: 5 files read, 0 failed.")
    assert "Claims: 40 created" in out
    assert (Source.objects.count(), Claim.objects.count(), Stance.objects.count()) == (0, 0, 0)


def test_load_seeds_unknown_person_becomes_speaker_to_review(tmp_path):
    (tmp_path / "art.txt").write_text(
        "« Les marchés restent très nerveux cette semaine », a déclaré Camille Fontaine, analyste.",
        encoding="utf-8",
    )
    out, _ = load(tmp_path)
    speaker = Speaker.objects.get(slug="camille-fontaine")
    assert (speaker.name, speaker.needs_review, speaker.origin) == (
        "Camille Fontaine",
        True,
        "extracted",
    )
    assert list(speaker.aliases.values_list("name", flat=True)) == ["Fontaine"]
    assert "Speakers: 1 created." in out
    assert Claim.objects.get().speaker == speaker


def test_load_seeds_changed_text_moves_curated_claim_to_its_words(tmp_path):
    path = tmp_path / "art.txt"
    path.write_text(
        "« Nous tiendrons bon jusqu'au bout », a déclaré Vladimir Poutine.", encoding="utf-8"
    )
    load(tmp_path)
    claim = Claim.objects.get()
    curation.claims_set_status(claims=[claim], status=ReviewStatus.CONFIRMED)
    path.write_text(
        "Moscou, lundi.\n\n« Nous tiendrons bon jusqu'au bout », a déclaré Vladimir Poutine.",
        encoding="utf-8",
    )
    load(tmp_path)
    claim.refresh_from_db()
    assert (claim.start, claim.status) == (18, "confirmed")
    assert claim.source.text[claim.start : claim.end] == claim.text
    assert Claim.objects.count() == 1


def test_load_seeds_refuses_new_text_that_loses_a_curated_claim(tmp_path):
    path = tmp_path / "art.txt"
    original = "« Nous tiendrons bon jusqu'au bout », a déclaré Vladimir Poutine."
    path.write_text(original, encoding="utf-8")
    load(tmp_path)
    curation.claims_set_status(claims=Claim.objects.all(), status=ReviewStatus.CONFIRMED)
    path.write_text("Un tout autre texte, sans la citation.", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_seeds", str(tmp_path), stdout=StringIO(), stderr=err)
    assert "no longer contains curated claim" in err.getvalue()
    assert Source.objects.get().text == original
    assert Claim.objects.get().status == "confirmed"


def test_load_seeds_rejects_bad_language_option():
    with pytest.raises(CommandError) as error:
        load(language="French")
    assert str(error.value) == "--language 'French': give a two-letter ISO 639-1 code, e.g. fr"


def test_load_seeds_with_two_workers_matches_one_worker():
    load(workers=2)
    two = state()
    Stance.objects.all().delete()
    Claim.objects.all().delete()
    Source.objects.all().delete()
    load()
    assert state() == two


def test_load_seeds_without_nlp_still_finds_the_seed_claims():
    load(no_nlp=True)
    assert Claim.objects.count() == 31


def test_load_seeds_rejects_bad_worker_count():
    with pytest.raises(CommandError) as error:
        load(workers=0)
    assert str(error.value) == "--workers and --batch-size must be at least 1"


def test_load_seeds_reports_where_time_goes():
    out, _ = load(verbosity=2)
    timing = [line for line in out.splitlines() if line.startswith("Time: ")]
    assert len(timing) == 1
    assert timing[0].endswith("s reading, extracting and writing.")


def test_load_seeds_flags_a_stance_against_the_speakers_reviewed_history(tmp_path):
    load()
    # Erdogan's reviewed record: against the purchase (a curator says so, twice).
    topic = Topic.objects.get(slug="achat-s400-turquie")
    for claim in Claim.objects.filter(speaker__slug="recep-tayyip-erdogan", kind="direct")[:2]:
        curation.stance_set(claim=claim, topic=topic, stance="against")
    (tmp_path / "new.txt").write_text(
        "« Nous allons acheter encore des S-400 et les conserver », a déclaré Recep Tayyip Erdogan.",
        encoding="utf-8",
    )
    load(tmp_path)
    stance = Stance.objects.get(claim__source__key="new", topic=topic)
    assert (stance.stance, stance.contradicts_history) == ("favor", True)
    assert stance.evidence.endswith("contradicts 2 reviewed against")


def test_claims_carry_their_source_date_and_follow_its_change(tmp_path):
    path = tmp_path / "art.txt"
    path.write_text(
        " date 2021-06 « Nous tiendrons bon jusqu'au bout », a déclaré Vladimir Poutine.",
        encoding="utf-8",
    )
    load(tmp_path)
    claim = Claim.objects.get()
    assert claim.published == datetime.date(2021, 6, 1)
    curation.claims_set_status(claims=[claim], status=ReviewStatus.CONFIRMED)
    path.write_text(
        " date 2022-03-15 « Nous tiendrons bon jusqu'au bout », a déclaré Vladimir Poutine.",
        encoding="utf-8",
    )
    load(tmp_path)
    claim.refresh_from_db()
    # A curated claim keeps the curator's work; the date is the article's and follows it.
    assert (claim.status, claim.published) == ("confirmed", datetime.date(2022, 3, 15))
