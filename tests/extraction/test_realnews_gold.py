"""The real-news evaluation set as committed: addresses, offsets and hashes, no text.

The texts are third-party and git-ignored, so these tests check what the repository holds
(the split, the gold's shape, the sizes the set promises) and how the loader treats a
local copy, on a small made-up copy of the layout.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

import pytest

from claims.extraction.gold import GoldError, check_real_news, load_gold_sets

REALNEWS = Path(__file__).resolve().parents[2] / "evaluation" / "realnews"


# The first split's articles: annotator A's rn001-rn034, annotator B's rn101-rn141.
FIRST_SPLIT = [*range(1, 35), *range(101, 142)]


def _read(name: str):
    return json.loads((REALNEWS / name).read_text(encoding="utf-8"))


def _gold() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text("utf-8")) for p in (REALNEWS / "gold").glob("*.json")}


def test_the_set_covers_what_it_promises():
    articles = _read("articles.json")
    quotes = [q for g in _gold().values() for q in g["quotes"] if not q["fragment"]]
    assert len(articles) == 131
    assert len({a["outlet"] for a in articles}) == 105
    assert len({a["subject"] for a in articles}) == 17
    assert sum(q["kind"] == "direct" for q in quotes) == 575
    assert sum(q["kind"] == "indirect" for q in quotes) == 300
    assert all(re.fullmatch(r"https?://\S+", a["url"]) for a in articles)


def test_the_split_is_the_seeded_shuffle_and_never_changed():
    split = _read("split.json")
    # The first 75 articles were split once; each batch added later is split the same
    # way on its own, so no article ever changes half.
    batches = [{"seed": split["seed"], "ids": [f"rn{n:03d}" for n in FIRST_SPLIT]}]
    batches += [{"seed": b["seed"], "ids": b["dev"] + b["test"]} for b in split["added"]]
    dev, test = [], []
    for batch in batches:
        ids = sorted(batch["ids"])
        random.Random(batch["seed"]).shuffle(ids)
        half = len(ids) // 2
        dev += sorted(ids[:half])
        test += sorted(ids[half:])
    assert (dev, test) == (split["dev"], split["test"])
    # The seeds are the ones drawn, and each added batch keeps the halves it was given.
    assert [split["seed"], *(b["seed"] for b in split["added"])] == [20261202, 20261204, 20261205]
    for batch in split["added"]:
        ids = sorted(batch["dev"] + batch["test"])
        random.Random(batch["seed"]).shuffle(ids)
        half = len(ids) // 2
        assert (sorted(ids[:half]), sorted(ids[half:])) == (batch["dev"], batch["test"])
    assert sorted(dev + test) == sorted(a["id"] for a in _read("articles.json"))
    assert (len(split["dev"]), len(split["test"])) == (65, 66)


def test_every_gold_file_is_offsets_and_hash_without_text():
    articles = {a["id"]: a for a in _read("articles.json")}
    gold = _gold()
    assert set(gold) == set(articles)
    for ident, entry in gold.items():
        assert (entry["sha256"], entry["chars"]) == (
            articles[ident]["sha256"],
            articles[ident]["chars"],
        ), ident
        for quote in entry["quotes"]:
            assert "text" not in quote, ident  # the words stay out of the repository
            assert 0 <= quote["start"] < quote["end"] <= entry["chars"], (ident, quote)
            assert quote["kind"] in {"direct", "indirect"}, (ident, quote)
            assert quote["speaker"] is None or quote["speaker"].strip(), (ident, quote)


def _layout(tmp_path: Path, texts: dict[str, str]) -> Path:
    """A real-news folder of two made-up articles: one per half."""
    root = tmp_path / "realnews"
    (root / "gold").mkdir(parents=True)
    (root / "texts").mkdir()
    entries = []
    for ident, text in texts.items():
        data = text.encode()
        sha = hashlib.sha256(data).hexdigest()
        (root / "texts" / f"{ident}.txt").write_bytes(data)
        start = text.index("«") + 2
        end = text.index("»") - 1
        quote = {
            "start": start,
            "end": end,
            "kind": "direct",
            "fragment": False,
            "speaker": "Anne Morel",
        }
        gold = {"id": ident, "sha256": sha, "chars": len(text), "quotes": [quote]}
        (root / "gold" / f"{ident}.json").write_text(json.dumps(gold), encoding="utf-8")
        entries.append({"id": ident, "url": f"https://example.org/{ident}", "sha256": sha})
    (root / "articles.json").write_text(json.dumps(entries), encoding="utf-8")
    split = {"seed": 1, "dev": ["a1"], "test": ["a2"]}
    (root / "split.json").write_text(json.dumps(split), encoding="utf-8")
    return root


TEXTS = {
    "a1": "« Nous tiendrons nos engagements jusqu'au bout », a déclaré Anne Morel.",
    "a2": "« Rien ne sera décidé avant la fin du mois », a dit Anne Morel lundi.",
}


def test_the_halves_load_from_offsets_and_only_dev_misses_are_readable(tmp_path):
    dev, test = load_gold_sets(_layout(tmp_path, TEXTS))
    assert (dev.name.endswith("(dev)"), test.name.endswith("(test)")) == (True, True)
    assert (dev.misses_readable, test.misses_readable) == (True, False)
    assert [q["text"] for q in dev.articles[0].quotes] == [
        "Nous tiendrons nos engagements jusqu'au bout"
    ]
    assert [q["text"] for q in test.articles[0].quotes] == [
        "Rien ne sera décidé avant la fin du mois"
    ]


def test_a_missing_or_changed_text_is_named_and_stops_scoring(tmp_path):
    root = _layout(tmp_path, TEXTS)
    (root / "texts" / "a1.txt").unlink()
    (root / "texts" / "a2.txt").write_text(TEXTS["a2"] + " Modifié.", encoding="utf-8")
    problems = check_real_news(root)
    assert [p.split(":")[0] for p in problems] == ["a1", "a2"]
    assert "is missing; rebuild it from https://example.org/a1" in problems[0]
    assert "the gold was made on" in problems[1]
    with pytest.raises(GoldError, match=r"2 article text\(s\) missing or changed"):
        load_gold_sets(root)
