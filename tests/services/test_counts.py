"""Each speaker's stored claim count equals its claims after every write path, kept by the
writes themselves: no test here recounts before it compares (except the recount's own)."""

from __future__ import annotations

import importlib
import json
import threading
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from claims.choices import ReviewStatus
from claims.models import Claim, EditConflict, Source, Speaker
from claims.services import corpus, counts, curation
from tests.admin_forms import claim_form_data
from tests.factories import ARTICLE, ClaimFactory, SourceFactory, SpeakerFactory
from tests.services.test_portability import export, wipe

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ERDOGAN = "Nous ne renoncerons jamais aux S-400, c'est notre droit souverain"
CAVUSOGLU = "Le dialogue avec Washington sur les S-400 doit continuer"
AKAR = "Le système sera activé selon nos besoins"
ARTICLE_S400 = (
    "La Turquie maintient son choix.\n\n"
    f"« {ERDOGAN} », a déclaré Recep Tayyip Erdogan.\n\n"
    f"« {CAVUSOGLU} », a ajouté Mevlut Cavusoglu."
)
DUPONT_QUOTE = "Nous irons jusqu'au bout de ce dossier"
CURIE_QUOTE = "La coopération doit continuer"


def stored() -> dict[str, int]:
    """Every speaker's stored count, by slug."""
    return dict(Speaker.objects.order_by("slug").values_list("slug", "claim_count"))


def counted() -> dict[str, int]:
    """Every speaker's claims, counted."""
    return {
        slug: Claim.objects.filter(speaker__slug=slug).count()
        for slug in Speaker.objects.order_by("slug").values_list("slug", flat=True)
    }


def quoted() -> dict[str, int]:
    """The stored counts of the speakers with claims, once they are proven exact."""
    assert stored() == counted()
    return {slug: n for slug, n in stored().items() if n}


def load(*paths: Path | str) -> str:
    out, err = StringIO(), StringIO()
    try:
        call_command("load_seeds", *map(str, paths), "--no-nlp", stdout=out, stderr=err)
    except CommandError as exc:
        assert exc.returncode == 1
    return err.getvalue()


# --- loads ---------------------------------------------------------------------------------


def test_counts_after_loading_the_seeds_and_loading_them_again():
    assert load(SEEDS) == ""
    first = quoted()
    assert first == {
        "aaron-stein": 2,
        "dmitri-peskov": 1,
        "gouvernement-turc": 4,
        "hulusi-akar": 1,
        "jake-sullivan": 3,
        "mevlut-cavusoglu": 10,
        "recep-tayyip-erdogan": 7,
        "vladimir-poutine": 2,
        "wendy-sherman": 1,
    }

    assert load(SEEDS) == ""

    assert quoted() == first


def test_counts_follow_a_reload_that_changes_removes_and_adds_claims(tmp_path):
    path = tmp_path / "s400.txt"
    path.write_text(ARTICLE_S400, encoding="utf-8")
    load(path)
    assert quoted() == {"mevlut-cavusoglu": 1, "recep-tayyip-erdogan": 1}

    # Shifted text; Erdogan's words now Akar's, Cavusoglu's gone, one claim new.
    path.write_text(
        "Ankara, mardi.\n\n"
        f"« {ERDOGAN} », a déclaré Hulusi Akar.\n\n"
        f"« {AKAR} », a ajouté Recep Tayyip Erdogan.",
        encoding="utf-8",
    )
    assert load(path) == ""

    assert quoted() == {"hulusi-akar": 1, "recep-tayyip-erdogan": 1}
    assert Claim.objects.get(text=ERDOGAN).speaker.slug == "hulusi-akar"


def test_counts_after_a_curated_claim_moves_onto_an_automatic_claims_span(tmp_path):
    twice = (
        f"« {CAVUSOGLU} », a déclaré Mevlut Cavusoglu.\n\n"
        f"« {CAVUSOGLU} », a répété Mevlut Cavusoglu."
    )
    path = tmp_path / "twice.txt"
    path.write_text(twice, encoding="utf-8")
    load(path)
    _first, second = Claim.objects.order_by("start")
    curation.claims_set_status(claims=[second], status=ReviewStatus.CONFIRMED)
    assert quoted() == {"mevlut-cavusoglu": 2}

    path.write_text(f"« {CAVUSOGLU} », a déclaré Mevlut Cavusoglu.", encoding="utf-8")
    assert load(path) == ""

    assert quoted() == {"mevlut-cavusoglu": 1}


def test_a_dry_run_leaves_the_counts_alone(tmp_path):
    path = tmp_path / "s400.txt"
    path.write_text(ARTICLE_S400, encoding="utf-8")
    call_command("load_seeds", str(path), "--no-nlp", "--dry-run", stdout=StringIO())

    assert quoted() == {}


# --- curation ------------------------------------------------------------------------------


@pytest.fixture
def two_speakers():
    source = SourceFactory(text=ARTICLE)
    dupont = SpeakerFactory(name="Jean Dupont")
    curie = SpeakerFactory(name="Marie Curie")
    claim = ClaimFactory(source=source, speaker=dupont, quote=DUPONT_QUOTE)
    ClaimFactory(source=source, speaker=curie, quote=CURIE_QUOTE)
    return claim, dupont, curie


def test_counts_after_a_curator_reassigns_a_claim_through_the_api(curator_client, two_speakers):
    claim, _dupont, _curie = two_speakers

    response = curator_client.patch(
        f"/api/claims/{claim.pk}/", {"speaker": "marie-curie"}, format="json", HTTP_IF_MATCH="*"
    )

    assert response.status_code == 200
    assert quoted() == {"marie-curie": 2}
    # The same speaker again writes nothing, and counts nothing.
    curator_client.patch(
        f"/api/claims/{claim.pk}/", {"speaker": "marie-curie"}, format="json", HTTP_IF_MATCH="*"
    )
    assert quoted() == {"marie-curie": 2}


def test_counts_after_a_curator_takes_a_claims_speaker_away(two_speakers):
    claim, _dupont, _curie = two_speakers

    curation.claim_update(claim=claim, speaker=None)

    assert quoted() == {"marie-curie": 1}


def test_an_edit_conflict_moves_no_count(two_speakers):
    claim, _dupont, curie = two_speakers
    stale = Claim.objects.get(pk=claim.pk)
    curation.claim_update(claim=claim, cue="a dit")

    with pytest.raises(EditConflict):
        curation.claim_update(claim=stale, speaker=curie)

    assert quoted() == {"jean-dupont": 1, "marie-curie": 1}


@pytest.fixture
def admin(client):
    user = User(username="admin", is_staff=True, is_superuser=True)
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    return client


def test_counts_after_a_curator_reassigns_a_claim_in_the_admin(admin, two_speakers):
    claim, _dupont, curie = two_speakers

    response = admin.post(
        f"/admin/claims/claim/{claim.pk}/change/", claim_form_data(claim, speaker=curie.pk)
    )

    assert response.status_code == 302
    assert quoted() == {"marie-curie": 2}


def test_counts_after_a_curator_adds_a_claim_in_the_admin(admin, two_speakers):
    claim, _dupont, _curie = two_speakers
    source = SourceFactory(text=ARTICLE)
    data = claim_form_data(claim, source=source.pk, version=1)

    response = admin.post("/admin/claims/claim/add/", data)

    assert response.status_code == 302
    assert quoted() == {"jean-dupont": 2, "marie-curie": 1}


def test_counts_after_curators_delete_claims_one_and_several(admin, two_speakers):
    claim, _dupont, curie = two_speakers
    ClaimFactory(speaker=curie)

    response = admin.post(f"/admin/claims/claim/{claim.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert quoted() == {"marie-curie": 2}

    ids = list(Claim.objects.values_list("pk", flat=True))
    response = admin.post(
        "/admin/claims/claim/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert (quoted(), Claim.objects.count()) == ({}, 0)


def test_rejected_claims_still_count(two_speakers):
    claim, _dupont, _curie = two_speakers

    curation.claims_set_status(claims=[claim], status=ReviewStatus.REJECTED)

    assert quoted() == {"jean-dupont": 1, "marie-curie": 1}


def test_a_curators_save_of_a_speaker_read_before_a_load_keeps_the_count(two_speakers):
    _claim, dupont, _curie = two_speakers
    read_before = Speaker.objects.get(pk=dupont.pk)  # as the admin's form holds it
    ClaimFactory(speaker=dupont)

    read_before.role = "ministre"
    curation.speaker_save(speaker=read_before)

    assert quoted() == {"jean-dupont": 2, "marie-curie": 1}
    assert Speaker.objects.get(pk=dupont.pk).role == "ministre"


def test_counts_after_a_load_reassigns_a_curators_speaker(tmp_path, curator_client):
    # A curator's claim is the curator's; the load then changes other claims of the speakers.
    path = tmp_path / "s400.txt"
    path.write_text(ARTICLE_S400, encoding="utf-8")
    load(path)
    erdogan = Claim.objects.get(text=ERDOGAN)
    curator_client.patch(
        f"/api/claims/{erdogan.pk}/",
        {"speaker": "mevlut-cavusoglu"},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert quoted() == {"mevlut-cavusoglu": 2}

    path.write_text(ARTICLE_S400.replace("Mevlut Cavusoglu", "Recep Tayyip Erdogan"), "utf-8")
    assert load(path) == ""

    assert quoted() == {"mevlut-cavusoglu": 1, "recep-tayyip-erdogan": 1}


# --- sources -------------------------------------------------------------------------------


def test_a_source_with_claims_cannot_be_deleted_and_the_counts_stay(two_speakers):
    claim, _dupont, _curie = two_speakers

    with pytest.raises(ProtectedError):
        curation.row_delete(obj=claim.source)
    with pytest.raises(ProtectedError):
        curation.rows_delete(queryset=Source.objects.all())

    assert quoted() == {"jean-dupont": 1, "marie-curie": 1}


def test_counts_after_a_source_is_deleted_with_its_claims(admin, two_speakers):
    claim, _dupont, _curie = two_speakers
    other = ClaimFactory(speaker=claim.speaker)
    curation.rows_delete(queryset=Claim.objects.filter(source=claim.source))

    curation.row_delete(obj=claim.source)

    assert quoted() == {"jean-dupont": 1}
    assert list(Claim.objects.all()) == [other]


# --- bulk writes ---------------------------------------------------------------------------


def test_counts_after_an_export_is_imported(tmp_path, two_speakers):
    _claim, dupont, _curie = two_speakers
    ClaimFactory(speaker=dupont)
    ClaimFactory(speaker=None)
    before = quoted()
    path = tmp_path / "export.json"
    path.write_text(export(), encoding="utf-8")
    wipe()

    call_command("import_claims", str(path), stdout=StringIO())

    assert quoted() == before == {"jean-dupont": 2, "marie-curie": 1}


def test_an_imported_count_is_recounted_whatever_the_document_says(tmp_path, two_speakers):
    document = json.loads(export())
    for row in document["speakers"]:
        row["claim_count"] = 99
    del document["speakers"][0]["claim_count"]  # written before the count existed
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    wipe()

    call_command("import_claims", str(path), stdout=StringIO())

    assert quoted() == {"jean-dupont": 1, "marie-curie": 1}


def test_counts_after_the_synthetic_corpus_is_generated(two_speakers):
    if connection.vendor == "postgresql":
        # The corpus alters the claims table, which PostgreSQL refuses while the foreign
        # key checks of the claims just made wait for the test's commit.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    report = corpus.generate(claims=300, seed=4)
    corpus.generate(claims=120, seed=5)

    counts_now = quoted()
    assert report.claims == 300
    assert sum(counts_now.values()) == 300 + 120 + 2
    assert (counts_now["jean-dupont"], counts_now["marie-curie"]) == (1, 1)


# --- the recount, the migration ------------------------------------------------------------


def test_the_recount_repairs_and_says_how_many_were_wrong(two_speakers):
    _claim, dupont, _curie = two_speakers
    Speaker.objects.filter(pk=dupont.pk).update(claim_count=5)  # a broken count, on purpose

    assert counts.claim_counts_recount() == 1
    assert counts.claim_counts_recount() == 0
    assert quoted() == {"jean-dupont": 1, "marie-curie": 1}


def test_the_recount_command_reports_what_it_repaired(two_speakers):
    _claim, dupont, _curie = two_speakers
    Speaker.objects.filter(pk=dupont.pk).update(claim_count=0)
    out = StringIO()

    call_command("recount_claims", stdout=out)

    assert out.getvalue() == "1 speaker count(s) corrected.\n"
    assert quoted() == {"jean-dupont": 1, "marie-curie": 1}


def test_the_migration_fills_the_counts_from_the_claims_stored(two_speakers):
    Speaker.objects.update(claim_count=0)  # as the new column starts
    migration = importlib.import_module("claims.migrations.0013_speaker_claim_count")

    migration.fill(apps, SimpleNamespace(connection=connection))

    assert quoted() == {"jean-dupont": 1, "marie-curie": 1}


def test_a_count_never_goes_below_zero_unnoticed(two_speakers):
    _claim, dupont, _curie = two_speakers

    with pytest.raises(IntegrityError), transaction.atomic():
        counts.claim_counts_adjust({dupont.pk: -2})


# --- concurrent writers --------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writers never overlap")
@pytest.mark.django_db(transaction=True)
def test_counts_stay_exact_with_two_loads_and_a_curator_writing_at_once(tmp_path):
    load(SEEDS)  # the reference speakers; the seeds' counts are the starting point
    folders = []
    for name, (first, second) in {
        "a": ("Recep Tayyip Erdogan", "Mevlut Cavusoglu"),
        "b": ("Mevlut Cavusoglu", "Recep Tayyip Erdogan"),
    }.items():
        folder = tmp_path / name
        folder.mkdir()
        for i in range(12):
            text = (
                f"Article {name}{i}.\n\n« Première phrase {name}{i} sur les S-400 », a déclaré "
                f"{first}.\n\n« Seconde phrase {name}{i} sur le dialogue », a ajouté {second}."
            )
            (folder / f"concurrent-{name}-{i:02d}.txt").write_text(text, encoding="utf-8")
        folders.append(folder)
    erdogan = Speaker.objects.get(slug="recep-tayyip-erdogan")
    cavusoglu = Speaker.objects.get(slug="mevlut-cavusoglu")
    curated = list(Claim.objects.filter(speaker__in=[erdogan, cavusoglu]).order_by("pk"))
    errors: list[str] = []

    def loader(folder: Path) -> None:
        try:
            errors.append(load(folder))
        finally:
            connection.close()

    def curator() -> None:
        try:
            for claim in curated:  # each one handed to the other speaker
                fresh = Claim.objects.get(pk=claim.pk)
                other = cavusoglu if fresh.speaker_id == erdogan.pk else erdogan
                curation.claim_update(claim=fresh, speaker=other)
        except Exception as exc:  # reported by the assertion below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=loader, args=(f,)) for f in folders]
    threads.append(threading.Thread(target=curator))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert errors == ["", ""]
    counts_now = quoted()
    seeds = {"mevlut-cavusoglu": 10, "recep-tayyip-erdogan": 7}
    assert (counts_now["recep-tayyip-erdogan"], counts_now["mevlut-cavusoglu"]) == (
        seeds["mevlut-cavusoglu"] + 24,
        seeds["recep-tayyip-erdogan"] + 24,
    )
