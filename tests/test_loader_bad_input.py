"""The loader meets bad files: each one loads correctly or is named on stderr with a reason."""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import Claim, Source
from claims.services import article_files, loading
from tests.loader_processes import ChildDatabase

ARTICLE = (
    " date 2021-06-14\n"
    "Le Kremlin répond à Ankara\n\n"
    "« Nous tiendrons bon jusqu'au bout », a déclaré Vladimir Poutine.\n\n"
    "Le ministre Pierre Durand a déclaré : « Nous ne céderons pas sur ce point essentiel. »\n"
)
BODY = (
    "Le Kremlin répond à Ankara\n\n"
    "« Nous tiendrons bon jusqu'au bout », a déclaré Vladimir Poutine.\n\n"
    "Le ministre Pierre Durand a déclaré : « Nous ne céderons pas sur ce point essentiel. »"
)
ARTICLE_CLAIMS = [
    ("Nous tiendrons bon jusqu'au bout", 30, 62, "vladimir-poutine"),
    ("Nous ne céderons pas sur ce point essentiel.", 135, 179, "pierre-durand"),
]
# An unclosed « ends at its paragraph; a stray " and scare quotes are not claims.
UNBALANCED = (
    "Vladimir Poutine a déclaré : « Nous ne céderons pas sur ce point.\n\n"
    'Le texte continue, « ici » et « là encore », sans fin " ouvert.\n\n'
    "« Le dialogue reste possible avec tous nos partenaires », a ajouté Vladimir Poutine.\n"
)
# Quotes inside quotes, the French way and the English way.
NESTED = (
    "« Il m'a dit “ nous ne céderons pas ” et il avait raison », a déclaré Vladimir Poutine.\n\n"
    "“Il m'a dit ‘nous tiendrons’ et il a tenu parole”, a déclaré Vladimir Poutine.\n"
)
UNBALANCED_CLAIMS = [
    ("Nous ne céderons pas sur ce point.", 31, 65, "vladimir-poutine"),
    ("Le dialogue reste possible avec tous nos partenaires", 134, 186, "vladimir-poutine"),
]
NESTED_CLAIMS = [
    ("Il m'a dit “ nous ne céderons pas ” et il avait raison", 2, 56, "vladimir-poutine"),
    ("Il m'a dit ‘nous tiendrons’ et il a tenu parole", 90, 137, "vladimir-poutine"),
]

pytestmark = pytest.mark.django_db


def load(*paths) -> tuple[str, str]:
    """Run the loader in this process; any exception but ``CommandError`` fails the test."""
    out, err = StringIO(), StringIO()
    try:
        call_command("load_seeds", *map(str, paths), "--no-nlp", stdout=out, stderr=err)
    except CommandError as exc:
        assert exc.returncode == 1
    return out.getvalue(), err.getvalue()


def claims_of(key: str) -> list[tuple[str, int, int, str]]:
    return list(
        Claim.objects.filter(source__key=key)
        .order_by("start")
        .values_list("text", "start", "end", "speaker__slug")
    )


def write_bad_corpus(folder: Path) -> None:
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "bom8.txt").write_bytes(ARTICLE.encode("utf-8-sig"))
    (folder / "bom16le.txt").write_bytes(b"\xff\xfe" + ARTICLE.encode("utf-16-le"))
    (folder / "bom16be.txt").write_bytes(b"\xfe\xff" + ARTICLE.encode("utf-16-be"))
    (folder / "crlf.txt").write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    (folder / "unbalanced.txt").write_text(UNBALANCED, encoding="utf-8")
    (folder / "nested.txt").write_text(NESTED, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("  \n\t\r\n\u00a0 \n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "latin1.txt").write_bytes(ARTICLE.encode("latin-1"))
    with (folder / "big.txt").open("wb") as big:  # 20 MB, of good text
        big.write(ARTICLE.encode("utf-8") * (20 * 2**20 // len(ARTICLE.encode("utf-8")) + 1))
    (folder / "onlydate.txt").write_text(" date 2021-06\n", encoding="utf-8")
    (folder / "baddate.txt").write_text(" date 2021-13-45\n" + BODY, encoding="utf-8")
    (folder / "page.txt").write_text(
        "<!DOCTYPE html>\n<html><head><title>Kremlin</title></head>"
        f"<body><p>{BODY}</p></body></html>\n",
        encoding="utf-8",
    )
    (folder / "loop_a.txt").symlink_to(folder / "loop_b.txt")
    (folder / "loop_b.txt").symlink_to(folder / "loop_a.txt")


BAD_REASONS = {
    "baddate.txt": "the date line has '2021-13-45', which is not a real date "
    "(month must be in 1..12)",
    "big.txt": "is 20.0 MB; articles over 10 MB are refused",
    "binary.txt": "looks like a binary file (it contains NUL bytes), not text",
    "blank.txt": "contains only whitespace",
    "empty.txt": "is empty",
    "latin1.txt": "is not UTF-8 (byte 0xe9 at offset 29); convert it to UTF-8 and load it again",
    "loop_a.txt": "is a symbolic link that loops back on itself",
    "loop_b.txt": "is a symbolic link that loops back on itself",
    "onlydate.txt": "there is no article text after the date line",
    "page.txt": "is an HTML page, not a plain-text article; save the article's text instead",
}
LOADED = ["bom16be", "bom16le", "bom8", "crlf", "good", "nested", "unbalanced"]


@pytest.mark.django_db(transaction=True)
def test_load_seeds_process_reports_each_bad_file_and_loads_the_good_ones(tmp_path):
    corpus, no_txt = tmp_path / "corpus", tmp_path / "notes"
    write_bad_corpus(corpus)
    no_txt.mkdir()
    (no_txt / "readme.md").write_text("rien", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    child = ChildDatabase.for_test(tmp_path)

    done = child.manage(
        "load_seeds", str(corpus), str(no_txt), str(missing), "/dev/zero", "--no-nlp"
    )

    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{no_txt}: is a folder with no .txt files",
        f"{missing}: does not exist",
        *(f"{corpus / name}: {reason}" for name, reason in sorted(BAD_REASONS.items())),
        "/dev/zero: is not a regular file (a device, pipe or socket)",
        "CommandError: 13 file(s) could not be loaded; see above.",
    ]
    assert done.stdout.splitlines() == [
        "1 file(s) in the folders skipped: not .txt (-v 2 lists them)",
        "20 files read, 13 failed. Sources: 7 created, 0 updated, 0 unchanged. Claims: 14 "
        "created, 0 updated, 0 unchanged, 0 removed, 0 kept for curators. Speakers: 1 created.",
    ]
    state = child.state()
    assert [row[0] for row in state["sources"]] == LOADED
    assert [row[:5] for row in state["claims"]] == sorted(
        [key, text, str(start), str(end), speaker]
        for key, claims in [
            *((name, ARTICLE_CLAIMS) for name in ["bom16be", "bom16le", "bom8", "crlf", "good"]),
            ("nested", NESTED_CLAIMS),
            ("unbalanced", UNBALANCED_CLAIMS),
        ]
        for text, start, end, speaker in claims
    )


def test_load_seeds_reads_upper_case_txt_and_names_the_files_it_skips(tmp_path):
    # "A.TXT" was skipped without a word, and a folder of only A.TXT had "no .txt files".
    (tmp_path / "A.TXT").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.Txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "notes.md").write_text("rien", encoding="utf-8")
    out = StringIO()

    call_command("load_seeds", str(tmp_path), "--no-nlp", "-v", "2", stdout=out)

    assert sorted(Source.objects.values_list("key", flat=True)) == ["A", "b"]
    assert claims_of("A") == ARTICLE_CLAIMS
    lines = out.getvalue().splitlines()
    assert lines[:2] == [
        "1 file(s) in the folders skipped: not .txt",
        f"    skipped, not .txt: {tmp_path / 'notes.md'}",
    ]
    assert lines[-1].startswith("2 files read, 0 failed. Sources: 2 created")


def test_load_seeds_decodes_boms_and_line_ends_to_the_same_text_and_offsets(tmp_path):
    write_bad_corpus(tmp_path / "corpus")
    names = ["good", "bom8", "bom16le", "bom16be", "crlf"]
    (tmp_path / "corpus" / "cr.txt").write_bytes(ARTICLE.replace("\n", "\r").encode("utf-8"))

    load(*(tmp_path / "corpus" / f"{name}.txt" for name in [*names, "cr"]))

    for source in Source.objects.all():
        assert (source.key, source.text, source.published.isoformat()) == (
            source.key,
            BODY,
            "2021-06-14",
        )
        assert claims_of(source.key) == ARTICLE_CLAIMS
        for claim in source.claims.all():
            assert source.text[claim.start : claim.end] == claim.text
    assert sorted(Source.objects.values_list("key", flat=True)) == sorted([*names, "cr"])


def test_load_seeds_keeps_going_past_unbalanced_and_nested_quote_marks(tmp_path):
    (tmp_path / "unbalanced.txt").write_text(UNBALANCED, encoding="utf-8")
    (tmp_path / "nested.txt").write_text(NESTED, encoding="utf-8")

    _out, err = load(tmp_path)

    assert err == ""
    assert claims_of("unbalanced") == UNBALANCED_CLAIMS
    assert claims_of("nested") == NESTED_CLAIMS
    for claim in Claim.objects.select_related("source"):
        assert claim.source.text[claim.start : claim.end] == claim.text


def test_load_seeds_reports_a_file_it_may_not_read(tmp_path, monkeypatch):
    locked = tmp_path / "locked.txt"
    locked.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    real_open = Path.open

    def open_denied(self, *args, **kwargs):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    # Root reads a mode-000 file anyway, so the refusal is made by hand here.
    with monkeypatch.context() as patch:
        patch.setattr(Path, "open", open_denied)
        _out, err = load(tmp_path)

    assert err.splitlines() == [f"{locked}: cannot be read: permission denied"]
    assert list(Source.objects.values_list("key", flat=True)) == ["good"]


def test_load_seeds_mode_000_file_is_refused_unless_run_as_root(tmp_path):
    locked = tmp_path / "locked.txt"
    locked.write_text(ARTICLE, encoding="utf-8")
    locked.chmod(0)
    try:
        _out, err = load(locked)
    finally:
        locked.chmod(0o600)

    if os.geteuid() == 0:  # the superuser may read any file: it loads
        assert (err, claims_of("locked")) == ("", ARTICLE_CLAIMS)
    else:
        assert (err.splitlines(), Source.objects.count()) == (
            [f"{locked}: cannot be read: permission denied"],
            0,
        )


def test_load_seeds_refuses_two_files_that_would_be_one_source(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "same.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b" / "same.txt").write_text(UNBALANCED, encoding="utf-8")

    _out, err = load(tmp_path / "a", tmp_path / "b", tmp_path / "a" / "same.txt")

    assert err.splitlines() == [
        f"{tmp_path / 'b' / 'same.txt'}: has the same source key 'same' as "
        f"{tmp_path / 'a' / 'same.txt'}; rename one"
    ]
    assert claims_of("same") == ARTICLE_CLAIMS  # the same file named twice is no conflict


def test_load_seeds_refuses_a_file_name_too_long_for_a_key(tmp_path):
    long = tmp_path / ("k" * 201 + ".txt")
    long.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")

    _out, err = load(tmp_path)

    assert err.splitlines() == [
        f"{long}: its name makes a source key of 201 characters (at most 200)"
    ]
    assert list(Source.objects.values_list("key", flat=True)) == ["good"]


def test_read_article_file_refuses_a_file_that_grew_past_the_limit(tmp_path, monkeypatch):
    path = tmp_path / "growing.txt"
    path.write_bytes(b"x" * (3 * 2**20))
    real_stat = Path.stat

    def stat_before_it_grew(self, *args, **kwargs):
        info = real_stat(self, *args, **kwargs)
        if self != path:
            return info
        return os.stat_result((info.st_mode, *info[1:6], 10, *info[7:10]))

    monkeypatch.setattr(article_files, "MAX_FILE_BYTES", 2**20)
    monkeypatch.setattr(Path, "stat", stat_before_it_grew)
    with pytest.raises(article_files.SourceFileError) as refused:
        article_files.read_article_file(path)
    assert refused.value.reason == "is 3.0 MB; articles over 1 MB are refused"


def test_load_seeds_reports_an_article_the_models_refuse(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "refused.txt").write_text(ARTICLE, encoding="utf-8")
    source_upsert = loading.source_upsert

    def refuse(*, key, **kwargs):
        if key == "refused":
            raise ValidationError({"title": ["Ensure this value has at most 500 characters."]})
        return source_upsert(key=key, **kwargs)

    monkeypatch.setattr(loading, "source_upsert", refuse)
    _out, err = load(tmp_path)

    assert err.splitlines() == [
        f"{tmp_path / 'refused.txt'}: was refused: Ensure this value has at most 500 characters."
    ]
    assert list(Source.objects.values_list("key", flat=True)) == ["good"]
