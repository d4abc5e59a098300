import html
import re

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, Source, Stance, StanceDismissal, Topic
from claims.services import curation
from tests.admin_forms import claim_form_data
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    SourceFactory,
    SpeakerFactory,
    StanceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

SECOND_QUOTE = "La coopération doit continuer"
CLAIMS_URL = "/admin/claims/claim/"


@pytest.fixture
def admin(client):
    user = User(username="admin", is_staff=True, is_superuser=True)
    user.set_unusable_password()  # no password hashing: the test only needs a session
    user.save()
    client.force_login(user)
    return client


def listed(response) -> list[int]:
    """The primary keys on a changelist page, in display order."""
    assert response.status_code == 200
    return [obj.pk for obj in response.context["cl"].result_list]


def listed_rows(response) -> list:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def marks(response) -> list[str]:
    return re.findall(r"<mark [^>]*>(.*?)</mark>", response.content.decode(), flags=re.S)


# --- pages render -----------------------------------------------------------------------


def test_admin_source_changelist_lists_sources(admin):
    b = SourceFactory(key="b")
    a = SourceFactory(key="a")

    assert listed(admin.get("/admin/claims/source/")) == [a.pk, b.pk]


def test_admin_source_change_marks_each_claim_in_the_body(admin):
    source = SourceFactory()
    ClaimFactory(source=source, speaker=SpeakerFactory(name="Jean Dupont"))
    ClaimFactory(source=source, speaker=SpeakerFactory(name="Marie Curie"), quote=SECOND_QUOTE)

    response = admin.get(f"/admin/claims/source/{source.pk}/change/")

    assert response.status_code == 200
    assert response.context["original"] == source
    assert marks(response) == ["Nous irons jusqu&#x27;au bout de ce dossier", SECOND_QUOTE]
    assert re.findall(r'<mark [^>]*title="([^"]*)"', response.content.decode()) == [
        "Jean Dupont (Unreviewed)",
        "Marie Curie (Unreviewed)",
    ]


def test_admin_speaker_changelist_lists_speakers(admin):
    curie = SpeakerFactory(name="Marie Curie")
    dupont = SpeakerFactory(name="Jean Dupont")

    assert listed(admin.get("/admin/claims/speaker/")) == [dupont.pk, curie.pk]


def test_admin_speaker_change_shows_the_speaker_and_aliases(admin):
    dupont = SpeakerFactory(name="Jean Dupont")
    AliasFactory(speaker=dupont, name="Dupont")

    response = admin.get(f"/admin/claims/speaker/{dupont.pk}/change/")

    assert response.status_code == 200
    assert response.context["original"] == dupont
    alias_forms = response.context["inline_admin_formsets"][0].formset.forms
    assert [form.initial.get("name") for form in alias_forms] == ["Dupont", None]


def test_admin_speaker_search_finds_an_alias(admin):
    dupont = SpeakerFactory(name="Jean Dupont")
    AliasFactory(speaker=dupont, name="Tchavouchoglou")
    SpeakerFactory(name="Marie Curie")

    assert listed(admin.get("/admin/claims/speaker/?q=tchavou")) == [dupont.pk]


def test_admin_speaker_search_ignores_accents(admin):
    erdogan = SpeakerFactory(name="Recep Tayyip Erdogan")
    SpeakerFactory(name="Marie Curie")

    assert listed(admin.get("/admin/claims/speaker/?q=Erdoğan")) == [erdogan.pk]


def test_admin_speaker_search_keeps_claim_counts(admin):
    dupont = SpeakerFactory(name="Jean Dupont")
    AliasFactory(speaker=dupont, name="Dupont")
    AliasFactory(speaker=dupont, name="J. Dupont")
    source = SourceFactory()
    ClaimFactory(source=source, speaker=dupont)
    ClaimFactory(source=source, speaker=dupont, quote=SECOND_QUOTE)

    response = admin.get("/admin/claims/speaker/?q=dupont")

    assert [(s.pk, s.claim_count) for s in response.context["cl"].result_list] == [(dupont.pk, 2)]


def test_admin_claim_changelist_lists_claims(admin):
    source = SourceFactory()
    second = ClaimFactory(source=source, quote=SECOND_QUOTE)
    first = ClaimFactory(source=source)

    assert listed(admin.get(CLAIMS_URL)) == [first.pk, second.pk]


def test_admin_claim_change_marks_the_quote_in_its_paragraph(admin):
    claim = ClaimFactory(speaker=SpeakerFactory(name="Marie Curie"), quote=SECOND_QUOTE)

    response = admin.get(f"{CLAIMS_URL}{claim.pk}/change/")

    assert response.status_code == 200
    assert response.context["original"] == claim
    assert marks(response) == [SECOND_QUOTE]
    assert re.findall(r'<mark [^>]*title="([^"]*)"', response.content.decode()) == ["Marie Curie"]
    paragraph = re.search(
        r'<div style="white-space:pre-wrap[^>]*>(.*?)</div>', response.content.decode()
    )
    assert re.sub(r"<[^>]+>", "", paragraph.group(1)) == (
        "« La coopération doit continuer », a ajouté Marie Curie."
    )


def test_admin_claim_change_of_a_quote_with_no_speaker_shows_it_unattributed(admin):
    claim = ClaimFactory(speaker=None, quote=SECOND_QUOTE)

    response = admin.get(f"{CLAIMS_URL}{claim.pk}/change/")

    assert response.status_code == 200
    assert marks(response) == [SECOND_QUOTE]
    assert re.findall(r'<mark [^>]*title="([^"]*)"', response.content.decode()) == [
        "no speaker yet"
    ]


def test_admin_claim_change_shows_a_window_of_a_huge_paragraph(admin):
    long = "mot " * 5000
    source = SourceFactory(text=f"{long}« Nous irons jusqu'au bout de ce dossier », dit-il. {long}")
    claim = ClaimFactory(source=source)

    response = admin.get(f"{CLAIMS_URL}{claim.pk}/change/")

    paragraph = re.search(
        r'<div style="white-space:pre-wrap[^>]*>(.*?)</div>', response.content.decode(), re.S
    )
    shown = html.unescape(re.sub(r"<[^>]+>", "", paragraph.group(1)))
    assert "« Nous irons jusqu'au bout de ce dossier »" in shown
    assert len(shown) <= len(claim.text) + 2 * 400 + 2  # CONTEXT_CHARS on each side


def test_admin_topic_changelist_counts_claims(admin):
    nato = TopicFactory(name="OTAN")
    TopicFactory(name="Sanctions")
    StanceFactory(topic=nato)
    StanceFactory(topic=nato)

    response = admin.get("/admin/claims/topic/")

    assert [(t.name, t.claim_count) for t in response.context["cl"].result_list] == [
        ("OTAN", 2),
        ("Sanctions", 0),
    ]


def test_admin_topic_change_shows_the_topic(admin):
    topic = TopicFactory(name="OTAN")

    response = admin.get(f"/admin/claims/topic/{topic.pk}/change/")

    assert response.status_code == 200
    assert response.context["original"] == topic


# --- claim changelist -------------------------------------------------------------------


def claim_changelist_queries(admin, count: int) -> int:
    topics = [TopicFactory(), TopicFactory()]
    for _ in range(count):
        claim = ClaimFactory()
        for topic in topics:
            StanceFactory(claim=claim, topic=topic)
    with CaptureQueriesContext(connection) as queries:
        assert len(listed(admin.get(CLAIMS_URL))) == count
    return len(queries)


def test_admin_claim_changelist_query_count_does_not_grow(admin):
    one = claim_changelist_queries(admin, 1)
    Stance.objects.all().delete()
    Claim.objects.all().delete()
    three = claim_changelist_queries(admin, 3)

    assert one == three


def test_admin_claim_changelist_filters_by_status(admin):
    source = SourceFactory()
    confirmed = ClaimFactory(source=source, status="confirmed")
    ClaimFactory(source=source, quote=SECOND_QUOTE)

    assert listed(admin.get(f"{CLAIMS_URL}?status__exact=confirmed")) == [confirmed.pk]


def test_admin_claim_changelist_filters_by_speaker(admin):
    source = SourceFactory()
    ClaimFactory(source=source)
    other = ClaimFactory(source=source, quote=SECOND_QUOTE)

    response = admin.get(f"{CLAIMS_URL}?speaker__id__exact={other.speaker_id}")

    assert listed(response) == [other.pk]


def test_admin_claim_changelist_filters_by_topic(admin):
    nato = TopicFactory(name="OTAN")
    source = SourceFactory()
    on_nato = ClaimFactory(source=source)
    StanceFactory(claim=on_nato, topic=nato)
    StanceFactory(claim=on_nato)
    StanceFactory(claim=ClaimFactory(source=source, quote=SECOND_QUOTE))

    assert listed(admin.get(f"{CLAIMS_URL}?stances__topic__id__exact={nato.pk}")) == [on_nato.pk]


def test_admin_claim_search_by_alias_ignores_accents(admin):
    erdogan = SpeakerFactory(name="Recep Tayyip Erdogan")
    AliasFactory(speaker=erdogan, name="Erdogan")
    source = SourceFactory()
    claim = ClaimFactory(source=source, speaker=erdogan)
    ClaimFactory(source=source, quote=SECOND_QUOTE)

    assert listed(admin.get(f"{CLAIMS_URL}?q=Erdoğan")) == [claim.pk]


def test_admin_claim_search_by_alias_only(admin):
    cavusoglu = SpeakerFactory(name="Mevlut Cavusoglu")
    AliasFactory(speaker=cavusoglu, name="Tchavouchoglou")
    source = SourceFactory()
    claim = ClaimFactory(source=source, speaker=cavusoglu)
    ClaimFactory(source=source, quote=SECOND_QUOTE)

    assert listed(admin.get(f"{CLAIMS_URL}?q=tchavouchoglou")) == [claim.pk]


# --- actions ----------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "status"), [("confirm", "confirmed"), ("reject", "rejected")])
def test_admin_claim_action_sets_status_and_marks_edited(admin, action, status):
    source = SourceFactory()
    chosen = ClaimFactory(source=source)
    untouched = ClaimFactory(source=source, quote=SECOND_QUOTE)

    response = admin.post(CLAIMS_URL, {"action": action, "_selected_action": [chosen.pk]})

    assert response.status_code == 302
    chosen.refresh_from_db()
    untouched.refresh_from_db()
    assert chosen.status == status
    assert chosen.curator_edited_at is not None
    assert (untouched.status, untouched.curator_edited_at) == ("unreviewed", None)


def test_admin_claim_reject_keeps_the_rows(admin):
    source = SourceFactory()
    claims = [ClaimFactory(source=source), ClaimFactory(source=source, quote=SECOND_QUOTE)]

    admin.post(CLAIMS_URL, {"action": "reject", "_selected_action": [c.pk for c in claims]})

    assert list(Claim.objects.order_by("start").values_list("pk", "status")) == [
        (claims[0].pk, "rejected"),
        (claims[1].pk, "rejected"),
    ]


# --- change form ------------------------------------------------------------------------


def test_admin_claim_save_marks_curator_edited(admin):
    claim = ClaimFactory()

    response = admin.post(f"{CLAIMS_URL}{claim.pk}/change/", claim_form_data(claim, cue="a dit"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert claim.cue == "a dit"
    assert claim.curator_edited_at is not None
    assert claim.method == "auto"


def test_admin_claim_save_of_an_unedited_page_marks_nothing(admin):
    claim = ClaimFactory()

    response = admin.post(f"{CLAIMS_URL}{claim.pk}/change/", claim_form_data(claim))

    assert response.status_code == 302, response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert (claim.version, claim.curator_edited_at, claim.method) == (1, None, "auto")


def test_admin_claim_save_rejects_text_that_is_not_the_source(admin):
    claim = ClaimFactory()

    response = admin.post(
        f"{CLAIMS_URL}{claim.pk}/change/", claim_form_data(claim, text="Autre chose")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "text": ["The text must equal the source text between the start and end offsets."]
    }
    claim.refresh_from_db()
    assert claim.curator_edited_at is None


def test_admin_claim_inline_stance_edit_becomes_manual(admin):
    claim = ClaimFactory()
    edited = StanceFactory(claim=claim, stance="favor")
    kept = StanceFactory(claim=claim, stance="neutral")
    data = claim_form_data(claim)
    index = 0 if edited.pk < kept.pk else 1
    data[f"stances-{index}-stance"] = "against"

    response = admin.post(f"{CLAIMS_URL}{claim.pk}/change/", data)

    assert response.status_code == 302
    edited.refresh_from_db()
    kept.refresh_from_db()
    assert (edited.stance, edited.method) == ("against", "manual")
    assert (kept.stance, kept.method) == ("neutral", "auto")


def test_admin_claim_add_is_manual(admin):
    source = SourceFactory()
    speaker = SpeakerFactory()
    data = claim_form_data(ClaimFactory.build(source=source, speaker=speaker))

    response = admin.post(f"{CLAIMS_URL}add/", data)

    assert response.status_code == 302
    claim = Claim.objects.get()
    assert (claim.method, claim.text) == ("manual", "Nous irons jusqu'au bout de ce dossier")
    assert claim.curator_edited_at is not None


def test_admin_claim_add_page_renders(admin):
    response = admin.get(f"{CLAIMS_URL}add/")

    assert response.status_code == 200
    assert response.context["original"] is None


def test_admin_speaker_autocomplete_ignores_accents(admin):
    erdogan = SpeakerFactory(name="Recep Tayyip Erdogan")
    SpeakerFactory(name="Marie Curie")

    response = admin.get(
        "/admin/autocomplete/",
        {"app_label": "claims", "model_name": "claim", "field_name": "speaker", "term": "Erdoğan"},
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(erdogan.pk), "text": "Recep Tayyip Erdogan"}]


@pytest.mark.parametrize(
    ("model_name", "field_name"),
    [("claim", "speaker"), ("claim", "source"), ("stance", "topic")],
)
def test_admin_autocomplete_is_ordered(admin, model_name, field_name):
    # The admins annotate counts, which drops Meta.ordering; unordered pages would warn.
    response = admin.get(
        "/admin/autocomplete/",
        {"app_label": "claims", "model_name": model_name, "field_name": field_name},
    )

    assert response.status_code == 200
    assert response.json() == {"results": [], "pagination": {"more": False}}


# --- adding a source ----------------------------------------------------------------------

SOURCES_URL = "/admin/claims/source/"
PASTED = (
    " date 2024-03-05\n"
    "Le maire répond\n\n"
    "« Nous ne fermerons pas cette école », a déclaré Jean Dupont devant le conseil."
)


def test_admin_source_add_extracts_the_pasted_article(admin):
    response = admin.post(
        f"{SOURCES_URL}add/",
        {
            "key": "maire-ecole",
            "title": "",
            "outlet": "La Gazette",
            "url": "https://x.example/a",
            "language": "fr",
            "published": "",
            "text": PASTED,
        },
        follow=True,
    )

    assert response.status_code == 200
    [source] = Source.objects.all()
    assert (source.key, source.title, source.outlet, source.url, str(source.published)) == (
        "maire-ecole",
        "Le maire répond",
        "La Gazette",
        "https://x.example/a",
        "2024-03-05",
    )
    assert source.text.startswith("Le maire répond") and source.curator_edited_at is not None
    assert list(source.claims.values_list("text", "speaker__slug")) == [
        ("Nous ne fermerons pas cette école", "jean-dupont")
    ]
    assert [str(m) for m in response.context["messages"]] == [
        "1 claim(s) extracted; new speakers to review: Jean Dupont.",
        f'The source “<a href="{SOURCES_URL}{source.pk}/change/">Le maire répond</a>” was '
        "added successfully.",
    ]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"key": "", "text": ""},
            {"key": ["This field is required."], "text": ["This field is required."]},
        ),
        (
            {"key": "x", "text": " date 2021-06\n"},
            {"text": ["This is not an article: there is no article text after the date line."]},
        ),
        (
            {"key": "bad key!", "text": PASTED},
            {
                "key": [
                    "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."
                ]
            },
        ),
    ],
)
def test_admin_source_add_without_a_usable_key_or_text_stores_nothing(admin, data, errors):
    # It stored a row with key "" and text "" (the second one was a 500).
    response = admin.post(f"{SOURCES_URL}add/", {"title": "Un titre", "language": "fr", **data})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == errors
    assert Source.objects.count() == 0


def test_admin_source_add_with_a_key_taken_is_refused(admin):
    SourceFactory(key="pris")

    response = admin.post(f"{SOURCES_URL}add/", {"key": "pris", "language": "fr", "text": PASTED})

    assert response.context["adminform"].form.errors == {
        "key": ["Source with this Key already exists."]
    }
    assert Source.objects.count() == 1


# --- stances, dismissals and topics, as a curator sees them ------------------------------

STANCES_URL = "/admin/claims/stance/"
DISMISSALS_URL = "/admin/claims/stancedismissal/"


@pytest.fixture
def cora(db) -> User:
    user = User.objects.create_user("cora", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="curators"))
    return user


@pytest.fixture
def curator(client, cora):
    """A staff member of the curators group, signed in to the admin."""
    client.force_login(cora)
    return client


def stance_history(stance_id: int) -> list[tuple]:
    rows = Stance.history.filter(id=stance_id).order_by("history_date", "history_id")
    return [(r.history_type, r.history_user.username if r.history_user else None) for r in rows]


def test_admin_stance_inline_shows_what_set_the_stance_read_only(curator):
    stance = StanceFactory(method="model", model_version="model-4", suggestion=True)

    response = curator.get(f"{CLAIMS_URL}{stance.claim_id}/change/")

    inline = response.context["inline_admin_formsets"][0]
    assert sorted(inline.formset.forms[0].fields) == [
        "DELETE", "claim", "confidence", "id", "stance", "topic", "version",
    ]  # fmt: skip
    assert inline.readonly_fields == [
        "method", "model_version", "suggestion", "evidence", "contradicts_history",
    ]  # fmt: skip
    assert "model-4" in response.content.decode()


def test_admin_stance_saved_on_its_claims_page_is_no_longer_a_suggestion(curator):
    stance = StanceFactory(stance="favor", method="model", model_version="m-1", suggestion=True)
    data = claim_form_data(stance.claim)
    # Read-only fields posted anyway are not taken.
    data |= {"stances-0-stance": "against", "stances-0-suggestion": "on"}

    response = curator.post(f"{CLAIMS_URL}{stance.claim_id}/change/", data)

    assert response.status_code == 302
    assert Stance.objects.values_list("stance", "method", "model_version", "suggestion").get() == (
        "against",
        "manual",
        "",
        False,
    )


def test_admin_stance_changelist_filters_by_suggestion_and_method(curator):
    suggested = StanceFactory(method="model", suggestion=True)
    by_rules = StanceFactory(method="auto")
    StanceFactory(method="manual")

    assert listed(curator.get(f"{STANCES_URL}?suggestion__exact=1")) == [suggested.pk]
    assert listed(curator.get(f"{STANCES_URL}?method__exact=auto")) == [by_rules.pk]
    assert listed(curator.get(f"{STANCES_URL}?method__exact=model&suggestion__exact=0")) == []


def test_admin_claim_changelist_filters_claims_with_a_suggested_stance(curator):
    suggested = StanceFactory(suggestion=True)
    StanceFactory(suggestion=False)

    assert listed(curator.get(f"{CLAIMS_URL}?stances__suggestion__exact=1")) == [suggested.claim_id]


def test_admin_stance_change_page_shows_what_set_it_read_only(curator):
    stance = StanceFactory(method="model", model_version="model-4", suggestion=True)

    response = curator.get(f"{STANCES_URL}{stance.pk}/change/")

    assert response.status_code == 200
    assert list(response.context["adminform"].form.fields) == ["stance", "confidence", "version"]


def test_admin_stance_deleted_on_its_page_is_dismissed_by_the_curator(curator, cora):
    stance = StanceFactory()
    stance_id, claim_id, topic_id = stance.pk, stance.claim_id, stance.topic_id

    response = curator.post(f"{STANCES_URL}{stance_id}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert Stance.objects.count() == 0
    assert list(StanceDismissal.objects.values_list("claim", "topic", "dismissed_by")) == [
        (claim_id, topic_id, "cora")
    ]
    assert stance_history(stance_id) == [("+", None), ("-", "cora")]


def test_admin_stance_deleted_on_its_claims_page_is_dismissed_by_the_curator(curator, cora):
    stance = StanceFactory()
    data = claim_form_data(stance.claim) | {"stances-0-DELETE": "on"}

    response = curator.post(f"{CLAIMS_URL}{stance.claim_id}/change/", data)

    assert response.status_code == 302
    assert list(StanceDismissal.objects.values_list("claim", "topic", "dismissed_by")) == [
        (stance.claim_id, stance.topic_id, "cora")
    ]
    assert Stance.objects.count() == 0


def test_admin_stances_deleted_together_are_each_dismissed_by_the_curator(curator, cora):
    stances = [StanceFactory(), StanceFactory()]
    StanceFactory()

    response = curator.post(
        STANCES_URL,
        {"action": "delete_selected", "_selected_action": [s.pk for s in stances], "post": "yes"},
    )

    assert response.status_code == 302
    assert sorted(StanceDismissal.objects.values_list("claim", "topic", "dismissed_by")) == sorted(
        (s.claim_id, s.topic_id, "cora") for s in stances
    )
    assert Stance.objects.count() == 1


def dismissals_page_queries(curator, user: User, count: int) -> int:
    for _ in range(count):
        curation.stance_delete(stance=StanceFactory(), user=user)
    with CaptureQueriesContext(connection) as queries:
        assert len(listed(curator.get(DISMISSALS_URL))) == count
    return len(queries)


def test_admin_dismissals_list_who_dismissed_what_and_when(curator, cora):
    stances = [StanceFactory(topic=TopicFactory(name="OTAN")), StanceFactory()]
    for stance in stances:
        curation.stance_delete(stance=stance, user=cora)

    response = curator.get(DISMISSALS_URL)

    # Newest first.
    assert [(d.claim_id, d.topic.name, d.dismissed_by) for d in listed_rows(response)] == [
        (stances[1].claim_id, stances[1].topic.name, "cora"),
        (stances[0].claim_id, "OTAN", "cora"),
    ]
    assert response.context["cl"].list_display == [
        "action_checkbox", "claim_excerpt", "topic", "dismissed_by", "created_at",
    ]  # fmt: skip


def test_admin_dismissals_list_query_count_does_not_grow(curator, cora):
    one = dismissals_page_queries(curator, cora, 1)
    StanceDismissal.objects.all().delete()
    three = dismissals_page_queries(curator, cora, 3)

    assert one == three


def test_admin_dismissal_is_read_only_and_a_curator_may_undo_it(curator, cora):
    stance = StanceFactory()
    curation.stance_delete(stance=stance, user=cora)
    dismissal = StanceDismissal.objects.get()

    pages = {
        "view": curator.get(f"{DISMISSALS_URL}{dismissal.pk}/change/").status_code,
        "edit": curator.post(f"{DISMISSALS_URL}{dismissal.pk}/change/", {}).status_code,
        "add": curator.get(f"{DISMISSALS_URL}add/").status_code,
    }
    undone = curator.post(f"{DISMISSALS_URL}{dismissal.pk}/delete/", {"post": "yes"})

    assert pages == {"view": 200, "edit": 403, "add": 403}
    assert undone.status_code == 302
    assert StanceDismissal.objects.count() == 0


def test_admin_curator_adds_a_topic_with_its_keywords(curator):
    response = curator.post(
        "/admin/claims/topic/add/",
        {
            "name": "Élargissement de l'OTAN",
            "slug": "elargissement-otan",
            "description": "L'adhésion de nouveaux membres à l'Alliance atlantique.",
            "keywords": '["OTAN", "adhésion", "Alliance atlantique"]',
            "stance_cues": '{"favor": ["adhérer"], "against": ["refuser"]}',
            "version": "1",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    topic = Topic.objects.get()
    assert (topic.name, topic.slug, topic.description, topic.keywords, topic.stance_cues) == (
        "Élargissement de l'OTAN",
        "elargissement-otan",
        "L'adhésion de nouveaux membres à l'Alliance atlantique.",
        ["OTAN", "adhésion", "Alliance atlantique"],
        {"favor": ["adhérer"], "against": ["refuser"]},
    )
    assert [(r.history_type, r.history_user.username) for r in topic.history.all()] == [
        ("+", "cora")
    ]


def test_admin_topic_add_page_asks_for_name_slug_description_and_keywords(curator):
    response = curator.get("/admin/claims/topic/add/")

    assert response.status_code == 200
    assert list(response.context["adminform"].form.fields) == [
        "name", "slug", "description", "keywords", "stance_cues", "version",
    ]  # fmt: skip
