"""export_claims / import_claims: a round trip gives the same API bytes; a bad file changes nothing."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection

from claims.choices import ReviewStatus
from claims.models import Alias, Claim, Source, Speaker, Stance, Topic
from claims.services import curation, portability
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    SourceFactory,
    SpeakerFactory,
    StanceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MODELS = [Source, Speaker, Alias, Topic, Claim, Stance]
LISTS = [
    "/api/claims/?page_size=7",
    "/api/claims/?page_size=5&ordering=-created",
    "/api/claims/?status=rejected",
    "/api/speakers/?page_size=10",
    "/api/sources/?page_size=2",
    "/api/topics/?page_size=2",
]
# Makes "kept as exported" different from "set by the import" for every timestamp.
LONG_AGO = dt.datetime(2020, 3, 4, 5, 6, 7, 891011, tzinfo=dt.UTC)


def export() -> str:
    out, err = StringIO(), StringIO()
    call_command("export_claims", "-", stdout=out, stderr=err)
    assert err.getvalue().startswith("Exported ")
    return out.getvalue()


def run_import(path: Path) -> str:
    out = StringIO()
    call_command("import_claims", str(path), stdout=out)
    return out.getvalue()


def wipe() -> None:
    """Empty the six tables and restart their ids, as in a database just migrated."""
    for model in reversed(MODELS):
        model.objects.all().delete()
    if connection.vendor == "sqlite":
        tables = ", ".join(f"'{m._meta.db_table}'" for m in MODELS)
        statements = [f"DELETE FROM sqlite_sequence WHERE name IN ({tables})"]
    else:  # on empty tables this restarts each sequence at 1
        statements = connection.ops.sequence_reset_sql(no_style(), MODELS)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def rows() -> dict[str, list[tuple]]:
    """Every stored value of the six tables, in id order."""
    return {
        m.__name__: list(
            m.objects.order_by("pk").values_list(*(f.attname for f in m._meta.concrete_fields))
        )
        for m in MODELS
    }


def empty() -> dict[str, list]:
    return {m.__name__: [] for m in MODELS}


def api_responses(client) -> dict[str, bytes]:
    """The body of every page of every list, and of every item's detail."""
    bodies: dict[str, bytes] = {}
    for url in LISTS:
        while url:
            response = client.get(url)
            assert response.status_code == 200, response.content
            bodies[url] = response.content
            for item in response.json()["results"]:
                detail = client.get(item["url"])
                assert detail.status_code == 200, detail.content
                bodies[item["url"]] = detail.content
            url = response.json()["next"]
    return bodies


@pytest.fixture
def curated(db):
    """The seeds (without spaCy), some odd values, and a curator's day of work."""
    call_command("load_seeds", "--no-nlp", stdout=StringIO())
    undated = SourceFactory(key="undated", published=None, published_precision="", url="")
    odd = ClaimFactory(
        source=undated,
        speaker=SpeakerFactory(name="Zoé Ünal", wikidata_id="Q42", gender="f"),
        confidence=0.1 + 0.2,  # 0.30000000000000004 must come back bit for bit
        cue="a dit\u00a0: « oui »",
    )
    StanceFactory(claim=odd, topic=TopicFactory(keywords=["éolien", "nucléaire"]))
    AliasFactory(speaker=odd.speaker, name="Z. Ünal")
    Claim.objects.update(created_at=LONG_AGO)
    Source.objects.update(updated_at=LONG_AGO)

    claims = list(Claim.objects.order_by("pk"))
    curation.claims_set_status(claims=claims[:2], status=ReviewStatus.REJECTED)
    curation.claims_set_status(claims=[claims[2]], status=ReviewStatus.CONFIRMED)
    other = Speaker.objects.exclude(pk=claims[3].speaker_id).order_by("slug").first()
    curation.claim_update(claim=claims[3], speaker=other)
    topic = Topic.objects.order_by("slug").first()
    curation.stance_set(claim=claims[4], topic=topic, stance="against")
    speaker = Speaker.objects.get(slug=other.slug)
    speaker.role = "ancien ministre"
    curation.speaker_save(speaker=speaker)
    source = Source.objects.get(pk=claims[5].source_id)
    source.title = "Titre corrigé"
    curation.source_save(source=source)


# --- the round trip ------------------------------------------------------------------------


def test_round_trip_gives_every_api_response_byte_for_byte(curated, api_client, tmp_path):
    before_api, before_rows = api_responses(api_client), rows()
    document = export()
    (tmp_path / "export.json").write_text(document, encoding="utf-8")
    wipe()
    assert rows() == empty()

    out = run_import(tmp_path / "export.json")

    exported_at = json.loads(document)["exported_at"]
    assert out == (
        "Imported 6 sources, 30 speakers, 115 aliases, 6 topics, 32 claims, 55 stances, "
        "0 stance_dismissals, 0 stance_models "
        f"from {tmp_path / 'export.json'} (exported at {exported_at}).\n"
    )
    assert api_responses(api_client) == before_api
    assert rows() == before_rows
    assert len(before_api) == 96  # list pages and details: the comparison covered them
    assert Claim.objects.filter(status="rejected").count() == 2
    assert Claim.objects.exclude(curator_edited_at=None).count() == 4
    assert Stance.objects.filter(method="manual").count() == 1
    assert Claim.objects.get(confidence=0.1 + 0.2).created_at == LONG_AGO


def test_round_trip_keeps_the_curators_work(curated, tmp_path):
    def curated_claims() -> list[tuple]:
        return list(
            Claim.objects.exclude(curator_edited_at=None)
            .order_by("pk")
            .values_list("status", "speaker__slug", "version", "curator_edited_at")
        )

    before = curated_claims()
    (tmp_path / "export.json").write_text(export(), encoding="utf-8")
    wipe()

    run_import(tmp_path / "export.json")

    assert curated_claims() == before
    assert [status for status, *_ in before] == ["rejected", "rejected", "confirmed", "unreviewed"]
    assert Speaker.objects.get(role="ancien ministre").curator_edited_at is not None
    assert Source.objects.get(title="Titre corrigé").curator_edited_at is not None
    assert list(Stance.objects.filter(method="manual").values_list("stance", flat=True)) == [
        "against"
    ]


def test_second_export_equals_the_first_apart_from_exported_at(curated, tmp_path):
    first = export()
    (tmp_path / "export.json").write_text(first, encoding="utf-8")
    wipe()
    run_import(tmp_path / "export.json")

    second = export()

    first_doc, second_doc = json.loads(first), json.loads(second)
    del first_doc["exported_at"], second_doc["exported_at"]
    assert second_doc == first_doc
    assert second.split("\n")[1:] == first.split("\n")[1:]  # and line for line


def test_export_document_has_the_documented_keys_and_every_concrete_field(curated):
    document = json.loads(export())

    assert list(document) == [*portability.HEADER, *(key for key, _ in portability.SECTIONS)]
    assert (document["format"], document["version"]) == ("claimdb-export", 1)
    for key, model in portability.SECTIONS:
        names = [f.name for f in model._meta.concrete_fields]
        assert [list(row) for row in document[key]] == [names] * model.objects.count()
    assert [len(document[key]) for key, _ in portability.SECTIONS] == [6, 30, 115, 6, 32, 55, 0, 0]


def test_round_trip_through_a_gzip_file(curated, tmp_path):
    before = rows()
    out = StringIO()
    call_command("export_claims", str(tmp_path / "export.json.gz"), stdout=out)
    assert out.getvalue() == (
        "Exported 6 sources, 30 speakers, 115 aliases, 6 topics, 32 claims, 55 stances, "
        "0 stance_dismissals, 0 stance_models "
        f"to {tmp_path / 'export.json.gz'}.\n"
    )
    assert list(tmp_path.iterdir()) == [tmp_path / "export.json.gz"]  # no partial file left
    wipe()

    run_import(tmp_path / "export.json.gz")

    assert rows() == before


def test_import_reads_a_reformatted_document(curated, tmp_path):
    """The reader needs the keys in order, not export_claims's layout."""
    before = rows()
    document = json.loads(export())
    (tmp_path / "pretty.json").write_text(json.dumps(document, indent=3), encoding="utf-8")
    wipe()

    run_import(tmp_path / "pretty.json")

    assert rows() == before


def test_new_rows_after_an_import_get_new_ids(curated, tmp_path):
    (tmp_path / "export.json").write_text(export(), encoding="utf-8")
    highest = {m: m.objects.order_by("-pk").values_list("pk", flat=True)[0] for m in MODELS}
    wipe()  # the ids start at 1 again, as in a new database
    run_import(tmp_path / "export.json")

    # Without the sequence reset PostgreSQL would hand out id 1 again: IntegrityError.
    stance = StanceFactory(claim=ClaimFactory(), topic=TopicFactory())
    alias = AliasFactory(speaker=stance.claim.speaker)

    made = {
        Source: stance.claim.source,
        Speaker: stance.claim.speaker,
        Alias: alias,
        Topic: stance.topic,
        Claim: stance.claim,
        Stance: stance,
    }
    assert {m: obj.pk for m, obj in made.items()} == {m: highest[m] + 1 for m in MODELS}


# --- an import that is refused ---------------------------------------------------------------


@pytest.fixture
def small(db, tmp_path):
    """A small export as a dict, taken from a database that is then emptied."""
    source = SourceFactory()
    speakers = [SpeakerFactory(), SpeakerFactory()]
    AliasFactory(speaker=speakers[0])
    claims = [
        ClaimFactory(source=source, speaker=speakers[0]),
        ClaimFactory(source=source, speaker=speakers[1], quote="La coopération doit continuer"),
    ]
    StanceFactory(claim=claims[1], topic=TopicFactory())
    document = json.loads(export())
    wipe()
    return document


def refused(tmp_path: Path, text: str | bytes) -> str:
    """Import ``text``; the message of the refusal, with the database left empty."""
    path = tmp_path / "bad.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run_import(path)
    assert caught.value.returncode == 1
    assert rows() == empty()
    prefix = f"{path}: nothing imported: "
    assert str(caught.value).startswith(prefix)
    return str(caught.value).removeprefix(prefix)


def edited(document: dict, change) -> str:
    document = json.loads(json.dumps(document))
    change(document)
    return json.dumps(document, ensure_ascii=False)


def keyed(document: dict, pairs) -> str:
    """The document with its keys in the order of ``pairs``; values default to the document's."""
    return json.dumps({key: document.get(key, value) for key, value in pairs})


def test_import_refuses_an_empty_file(small, tmp_path):
    assert refused(tmp_path, "  \n") == "the file is empty"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "expected a JSON object (an export_claims file) at line 1, column 1, found '['"),
        ("hello", "expected a JSON object (an export_claims file) at line 1, column 1, found 'h'"),
        ('{"format": "claimdb-export", "version": 1', "cut short: the file ends where ',' before 'exported_at' belongs"),
        ('{"version": 1}', "the document has the key 'version' where 'format' belongs: the keys must come in the order format, version, exported_at, sources, speakers, aliases, topics, claims, stances, stance_dismissals, stance_models (export_claims writes them so)"),
        ('{"format": "other"}', "the document is not a claims export: 'format' is \"other\", not 'claimdb-export'"),
        ('{"format": "claimdb-export", "version": 2}', "the document is export format version 2; this program reads version 1"),
        ('{"format": "claimdb-export", "version": "1"}', "'version' must be an integer, not a string"),
        ('{"format": "claimdb-export", "version": 1, "exported_at": "2025-06-01T09:30:00"}', "'exported_at' must be an ISO 8601 date and time with a UTC offset, not \"2025-06-01T09:30:00\""),
        ('{"format": "claimdb-export", "version": 1, "exported_at": "2025-06-01T09:30:00Z"}', "the document has no 'sources' key"),
    ],
)  # fmt: skip
def test_import_refuses_a_bad_header(small, tmp_path, text, message):
    assert refused(tmp_path, text) == message


def test_import_refuses_a_missing_section(small, tmp_path):
    without_claims = {k: v for k, v in small.items() if k != "claims"}
    assert refused(tmp_path, json.dumps(without_claims)) == (
        "the document has the key 'stances' where 'claims' belongs: the keys must come in the "
        "order format, version, exported_at, sources, speakers, aliases, topics, claims, "
        "stances, stance_dismissals, stance_models (export_claims writes them so)"
    )
    small = {k: v for k, v in small.items() if k != "stances"}
    for key in ("stance_dismissals", "stance_models"):
        small.pop(key, None)
    assert refused(tmp_path, json.dumps(small)) == "the document has no 'stances' key"


def test_import_takes_a_document_written_before_stance_learning(small, tmp_path):
    # As export_claims wrote it before migration 0011: no dismissals or models, and
    # stances without model_version and suggestion.
    for key in ("stance_dismissals", "stance_models"):
        small.pop(key)
    for row in small["stances"]:
        del row["model_version"], row["suggestion"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(small), encoding="utf-8")
    run_import(path)
    assert list(Stance.objects.values_list("model_version", "suggestion", "stance")) == [
        ("", False, small["stances"][0]["stance"])
    ]


def test_import_refuses_sections_out_of_order(small, tmp_path):
    order = ["format", "version", "exported_at", "sources", "aliases", "speakers"]
    text = keyed(small, [(key, None) for key in order])
    assert refused(tmp_path, text) == (
        "the document has the key 'aliases' where 'speakers' belongs: the keys must come in "
        "the order format, version, exported_at, sources, speakers, aliases, topics, claims, "
        "stances, stance_dismissals, stance_models (export_claims writes them so)"
    )


def test_import_refuses_unknown_keys(small, tmp_path):
    inserted = keyed(small, [("format", 0), ("version", 0), ("exported_at", 0), ("notes", "")])
    appended = json.dumps({**small, "notes": ""})

    assert refused(tmp_path, inserted) == (
        "the document has an unknown key \"notes\" where 'sources' belongs"
    )
    assert refused(tmp_path, appended) == 'the document has an unknown key "notes"'


def ids(document: dict, key: str) -> list:
    return [row["id"] for row in document[key]]


def test_import_refuses_a_row_with_a_wrong_field(small, tmp_path):
    """Each mistake is named by section, row, id and field; the database stays empty."""
    claim_ids, speaker_ids = ids(small, "claims"), ids(small, "speakers")
    source_id, stance_id = ids(small, "sources")[0], ids(small, "stances")[0]
    first, second = f"claims[0] (id {claim_ids[0]})", f"claims[1] (id {claim_ids[1]})"
    cases = [
        (lambda d: d.update(claims={}), "'claims' must be a list of rows, not an object"),
        (lambda d: d["claims"].insert(0, [1]), "claims[0] must be an object, not a list"),
        (lambda d: d["claims"][1].pop("status"), f"{second}: missing field 'status'"),
        (lambda d: d["claims"][0].update(statut="x"), f'{first}: unknown field "statut"'),
        (
            lambda d: d["claims"][0].update(start="12"),
            f"{first}: field 'start' must be an integer, not a string (\"12\")",
        ),
        (
            lambda d: d["claims"][0].update(start=-1),
            f"{first}: field 'start' is -1; it must be at least 0",
        ),
        (
            lambda d: d["stances"][0].update(confidence=True),
            f"stances[0] (id {stance_id}): field 'confidence' must be a number, "
            "not true or false (true)",
        ),
        (
            lambda d: d["speakers"][1].update(name=5),
            f"speakers[1] (id {speaker_ids[1]}): field 'name' must be a string, not a number (5)",
        ),
        (
            lambda d: d["speakers"][0].update(needs_review="no"),
            f"speakers[0] (id {speaker_ids[0]}): field 'needs_review' must be true or false, "
            'not a string ("no")',
        ),
        (lambda d: d["claims"][0].update(text=None), f"{first}: field 'text' must not be null"),
        (
            lambda d: d["claims"][0].update(status="rejectd"),
            f'{first}: field \'status\' is "rejectd"; it must be one of "confirmed", '
            '"rejected", "unreviewed"',
        ),
        (
            lambda d: d["claims"][0].update(cue="x" * 301),
            f"{first}: field 'cue' is 301 characters long; at most 300 fit",
        ),
        (
            lambda d: d["claims"][1].update(created_at="2025-06-01T09:30:00"),
            f"{second}: field 'created_at' must be an ISO 8601 date and time with a UTC "
            'offset, e.g. "2025-06-01T09:30:00.123456+00:00", not "2025-06-01T09:30:00"',
        ),
        (
            lambda d: d["sources"][0].update(published="2021-13-01"),
            f"sources[0] (id {source_id}): field 'published' must be an ISO 8601 date, "
            'e.g. "2025-06-01", not "2021-13-01"',
        ),
        (
            lambda d: d["claims"][0].update(speaker=999999),
            f"{first}: field 'speaker' is 999999, which is not the id of any row in speakers",
        ),
        (
            lambda d: d["claims"][1].update(id=claim_ids[0]),
            f"claims[1] (id {claim_ids[0]}): another row of claims has id {claim_ids[0]}",
        ),
        (
            lambda d: d["claims"][0].update(text="x\x00y"),
            f"{first}: field 'text' contains a NUL character, which PostgreSQL cannot store",
        ),
    ]
    for change, message in cases:
        assert refused(tmp_path, edited(small, change)) == message


def test_import_refuses_what_the_database_constraints_refuse(small, tmp_path):
    """Unique and check constraints are the database's; the refused row is still named."""
    claim_ids, speaker_ids = ids(small, "claims"), ids(small, "speakers")
    span = {k: small["claims"][0][k] for k in ("start", "end", "text")}
    cases = [
        (
            lambda d: d["speakers"][1].update(slug=d["speakers"][0]["slug"]),
            f"speakers[1] (id {speaker_ids[1]}): Speaker with this Slug already exists.",
        ),
        (
            lambda d: d["claims"][1].update(span),
            f"claims[1] (id {claim_ids[1]}): Claim with this Source, Start and End already exists.",
        ),
        (
            lambda d: d["claims"][0].update(end=d["claims"][0]["start"]),
            f"claims[0] (id {claim_ids[0]}): Constraint “claim_end_after_start” is violated.",
        ),
        (
            lambda d: [s.update(wikidata_id="Q42") for s in d["speakers"]],
            f"speakers[1] (id {speaker_ids[1]}): Constraint “speaker_wikidata_id_unique” "
            "is violated.",
        ),
    ]
    for change, message in cases:
        assert refused(tmp_path, edited(small, change)) == message


def test_import_refuses_a_dangling_reference_in_the_last_section(small, tmp_path):
    """Found after five sections were written: they are rolled back."""
    text = edited(small, lambda d: d["stances"][0].update(claim=999999))
    assert refused(tmp_path, text) == (
        f"stances[0] (id {small['stances'][0]['id']}): field 'claim' is 999999, which is not "
        "the id of any row in claims"
    )


def test_import_refuses_a_claim_whose_text_is_not_at_its_offsets(small, tmp_path):
    claim = small["claims"][1]
    moved = edited(small, lambda d: d["claims"][1].update(start=claim["start"] + 1))
    reworded = edited(small, lambda d: d["claims"][1].update(text=claim["text"].upper()))

    for text in (moved, reworded):
        assert refused(tmp_path, text) == (
            f"claims (id {claim['id']}): field 'text' is not the text of source "
            f"{claim['source']} between 'start' {claim['start'] + (text is moved)} and "
            f"'end' {claim['end']}"
        )


def test_import_refuses_a_document_that_is_not_json(small, tmp_path):
    text = json.dumps(small, ensure_ascii=False, indent=1)
    broken = text.replace('"kind": "direct"', '"kind": "direct",,', 1)
    line = broken[: broken.index(",,")].count("\n") + 1
    column = broken.index(",,") - broken.rfind("\n", 0, broken.index(",,")) + 1

    assert refused(tmp_path, broken) == (
        f"not valid JSON at line {line}, column {column} (claims[0]): "
        "Expecting property name enclosed in double quotes"
    )


def test_import_refuses_a_cut_or_padded_file(small, tmp_path):
    text = json.dumps(small)
    cut = text[: text.index('"claims": [') + 40]
    nan = edited(small, lambda d: d["claims"][1].update(confidence=float("nan")))

    assert refused(tmp_path, cut) == "cut short: the file ends in the middle of claims[0]"
    assert refused(tmp_path, text + "\n{}") == (
        "the document goes on after its end (line 2, column 1)"
    )
    row = nan.index(f'{{"id": {small["claims"][1]["id"]},', nan.index('"claims": ['))
    assert refused(tmp_path, nan) == (
        f"claims[1] holds NaN, which is not a JSON number (line 1, column {row + 1})"
    )
    assert refused(tmp_path, b'{"format": "claimdb-\xff"}') == (
        "not UTF-8 text: byte 0xff cannot be decoded (after line 1, column 1)"
    )
    assert refused(tmp_path, gzip.compress(text.encode())[:-20]) == (
        "cannot be read: Compressed file ended before the end-of-stream marker was reached"
    )


def test_import_into_a_database_with_claims_data_changes_nothing(small, tmp_path):
    document = json.dumps(small)
    topic = TopicFactory()
    before = rows()

    assert refused_keeping(tmp_path, document) == (
        "the database already holds claims data (the table claims_topic has rows); "
        "import_claims only fills an empty database"
    )
    assert rows() == before
    assert list(Topic.objects.all()) == [topic]


def test_import_into_the_database_it_came_from_changes_nothing(curated, tmp_path):
    document = export()
    before = rows()

    assert refused_keeping(tmp_path, document) == (
        "the database already holds claims data (the table claims_source has rows); "
        "import_claims only fills an empty database"
    )
    assert rows() == before


def refused_keeping(tmp_path: Path, text: str) -> str:
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run_import(path)
    return str(caught.value).removeprefix(f"{path}: nothing imported: ")


def test_import_of_a_missing_file_says_so(db, tmp_path):
    with pytest.raises(CommandError) as caught:
        run_import(tmp_path / "nowhere.json")
    assert str(caught.value) == f"{tmp_path / 'nowhere.json'}: does not exist"


def test_export_to_a_missing_folder_says_so(db, tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("export_claims", str(tmp_path / "no" / "export.json"))
    assert str(caught.value) == (
        f"{tmp_path / 'no' / 'export.json'}: cannot be written: "
        f"the folder {tmp_path / 'no'} does not exist"
    )


def manage(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_command_on_a_bad_file_prints_one_line_and_exits_1(tmp_path):
    """As a user runs it: no traceback. Refused before anything is written."""
    path = tmp_path / "fixture.json"
    path.write_text('[{"model": "claims.claim", "pk": 1}]', encoding="utf-8")

    from_file = manage("import_claims", str(path))
    from_stdin = manage("import_claims", "-", stdin='{"format": "claimdb-export", "version": 7}')

    assert (from_file.returncode, from_file.stdout, from_file.stderr) == (
        1,
        "",
        f"CommandError: {path}: nothing imported: expected a JSON object (an export_claims "
        "file) at line 1, column 1, found '['\n",
    )
    assert (from_stdin.returncode, from_stdin.stdout, from_stdin.stderr) == (
        1,
        "",
        "CommandError: standard input: nothing imported: the document is export format "
        "version 7; this program reads version 1\n",
    )
