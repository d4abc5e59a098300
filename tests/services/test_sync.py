"""An article's text changes under stored claims: curated work is never lost, nor ids.

Found by an outside attack: a stance a curator set on the Stance page did not protect its
claim, and a sentence added before the quote deleted and re-created the claim, and the
stance with it. Two confirmed claims of the same words, in a text keeping one copy, were
refused with a raw database error after four retries.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.choices import ReviewStatus
from claims.models import Claim, Source, Stance
from claims.services import curation

pytestmark = pytest.mark.django_db

ERDOGAN = "Nous ne renoncerons jamais aux S-400, c'est notre droit souverain"
CAVUSOGLU = "Le dialogue avec Washington sur les S-400 doit continuer"
ARTICLE = (
    "La Turquie maintient son choix.\n\n"
    f"« {ERDOGAN} », a déclaré Recep Tayyip Erdogan.\n\n"
    f"« {CAVUSOGLU} », a ajouté Mevlut Cavusoglu."
)
SHIFTED = "Ankara, mardi. Une phrase ajoutée en tête.\n\n" + ARTICLE


def load(path: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("load_seeds", str(path), "--no-nlp", stdout=out, stderr=err)
    except CommandError as exc:
        assert exc.returncode == 1
    return out.getvalue(), err.getvalue()


def spans() -> list[tuple[int, int, int, str]]:
    return list(Claim.objects.order_by("start").values_list("pk", "start", "end", "speaker__slug"))


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "shift.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    load(path)
    return path


def test_a_stance_edited_on_its_own_admin_page_protects_its_claim(article, client):
    admin = User.objects.create_superuser("admin", password="pw-123-admin")
    client.force_login(admin)
    stance = Stance.objects.get(claim__text=ERDOGAN)
    page = client.get(f"/admin/claims/stance/{stance.pk}/change/").context["adminform"].form
    data = {name: page[name].value() for name in page.fields} | {"stance": "against"}
    assert client.post(f"/admin/claims/stance/{stance.pk}/change/", data).status_code == 302
    article.write_text(SHIFTED, encoding="utf-8")

    out, err = load(article)

    assert err == ""
    stance.refresh_from_db()
    assert (stance.stance, stance.method, stance.claim.text) == ("against", "manual", ERDOGAN)
    shift = len(SHIFTED) - len(ARTICLE)
    claim = stance.claim
    assert (claim.start, claim.end) == (
        ARTICLE.index(ERDOGAN) + shift,
        ARTICLE.index(ERDOGAN) + shift + len(ERDOGAN),
    )
    assert "1 kept for curators" in out


def test_a_text_shift_moves_unreviewed_claims_keeping_ids_stances_and_history(article):
    before = spans()
    stances = sorted(Stance.objects.values_list("pk", "claim_id", "topic__slug", "stance"))
    article.write_text(SHIFTED, encoding="utf-8")

    out, err = load(article)

    shift = len(SHIFTED) - len(ARTICLE)
    assert err == ""
    assert spans() == [(pk, start + shift, end + shift, who) for pk, start, end, who in before]
    assert sorted(Stance.objects.values_list("pk", "claim_id", "topic__slug", "stance")) == stances
    assert "0 created, 2 updated, 0 unchanged, 0 removed" in out
    for claim in Claim.objects.all():
        assert claim.source.text[claim.start : claim.end] == claim.text
        last = claim.history.first()
        assert (last.history_type, last.history_change_reason, last.start) == (
            "~",
            "load_seeds: moved to its words in the article's new text",
            claim.start,
        )


def test_claims_the_extractor_no_longer_finds_are_removed_with_the_loaders_name(article):
    erdogan = Claim.objects.get(text=ERDOGAN)
    stance_ids = list(erdogan.stances.values_list("pk", flat=True))
    article.write_text(ARTICLE.replace(f"« {ERDOGAN} », a déclaré Recep Tayyip Erdogan.\n\n", ""))

    load(article)

    assert not Claim.objects.filter(pk=erdogan.pk).exists()
    gone = Claim.history.filter(id=erdogan.pk, history_type="-").get()
    assert (gone.history_user, gone.history_change_reason) == (None, "load_seeds")
    removed = Stance.history.filter(id__in=stance_ids, history_type="-")
    assert sorted(removed.values_list("id", "history_change_reason")) == [
        (pk, "load_seeds") for pk in sorted(stance_ids)
    ]


def test_two_confirmed_claims_of_one_quote_need_two_copies_in_a_new_text(tmp_path):
    twice = f"« {CAVUSOGLU} », a déclaré Mevlut Cavusoglu.\n\n« {CAVUSOGLU} », a répété Mevlut Cavusoglu."
    path = tmp_path / "twice.txt"
    path.write_text(twice, encoding="utf-8")
    load(path)
    first, second = Claim.objects.order_by("start")
    curation.claims_set_status(claims=[first, second], status=ReviewStatus.CONFIRMED)
    path.write_text(f"« {CAVUSOGLU} », a déclaré Mevlut Cavusoglu.", encoding="utf-8")

    _out, err = load(path)

    # Named as the README promises: one line, the curated claims, the stored article kept.
    assert err.splitlines() == [
        f"{path}: its text changed and keeps 1 copy of the words of curated claim "
        f"#{second.pk} (“{CAVUSOGLU}”), held by curated claim(s) #{first.pk}; "
        "the stored article was kept",
    ]
    assert Source.objects.get(key="twice").text == twice
    assert spans() == [
        (first.pk, first.start, first.end, "mevlut-cavusoglu"),
        (second.pk, second.start, second.end, "mevlut-cavusoglu"),
    ]


def test_a_curated_claim_moving_onto_an_automatic_claims_span_takes_it(tmp_path):
    # The confirmed second copy must move to where the unreviewed first one sits.
    twice = f"« {CAVUSOGLU} », a déclaré Mevlut Cavusoglu.\n\n« {CAVUSOGLU} », a répété Mevlut Cavusoglu."
    path = tmp_path / "twice.txt"
    path.write_text(twice, encoding="utf-8")
    load(path)
    first, second = Claim.objects.order_by("start")
    curation.claims_set_status(claims=[second], status=ReviewStatus.CONFIRMED)
    path.write_text(f"« {CAVUSOGLU} », a déclaré Mevlut Cavusoglu.", encoding="utf-8")

    _out, err = load(path)

    assert err == ""
    assert spans() == [(second.pk, first.start, first.end, "mevlut-cavusoglu")]
    assert Claim.objects.get().status == "confirmed"
