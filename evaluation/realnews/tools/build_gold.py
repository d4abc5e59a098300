"""Turn annotators' working files (with quote texts) into committed gold (offsets only).

    python evaluation/realnews/tools/build_gold.py [ID ...]

Reads ``work/<id>.json`` and ``texts/<id>.txt``; each quote gives ``text`` and, when the
words occur more than once, ``occurrence`` (0-based) or explicit ``start``/``end``. Writes
``gold/<id>.json`` with the offsets and the text's sha256, and no ``text``: the article is
third-party and is never committed. Fails loudly on any quote not found in the text.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
KEEP = ("start", "end", "kind", "fragment", "speaker", "speaker_type", "cue", "stances")


def locate(text: str, quote: dict, where: str) -> tuple[int, int]:
    words = quote["text"]
    if "start" in quote and "end" in quote:
        start, end = quote["start"], quote["end"]
        if text[start:end] != words:
            raise SystemExit(f"{where}: text[{start}:{end}] is {text[start:end]!r}, not {words!r}")
        return start, end
    hits, at = [], text.find(words)
    while at != -1:
        hits.append(at)
        at = text.find(words, at + 1)
    if not hits:
        raise SystemExit(f"{where}: {words[:60]!r} is not in the text")
    nth = quote.get("occurrence")
    if nth is None:
        if len(hits) > 1:
            raise SystemExit(f"{where}: {words[:60]!r} occurs {len(hits)} times; add occurrence")
        nth = 0
    return hits[nth], hits[nth] + len(words)


def build(ident: str) -> dict:
    work = json.loads((HERE / "work" / f"{ident}.json").read_text(encoding="utf-8"))
    data = (HERE / "texts" / f"{ident}.txt").read_bytes()
    text = data.decode("utf-8")
    quotes = []
    for n, quote in enumerate(work["quotes"]):
        start, end = locate(text, quote, f"{ident} quote {n}")
        row = {k: quote[k] for k in KEEP if k in quote}
        row["start"], row["end"] = start, end
        row.setdefault("stances", {})
        row.setdefault("fragment", False)
        quotes.append({k: row[k] for k in KEEP if k in row})
    quotes.sort(key=lambda q: (q["start"], q["end"]))
    return {
        "id": ident,
        "sha256": hashlib.sha256(data).hexdigest(),
        "chars": len(text),
        "topics": work.get("topics", []),
        "quotes": quotes,
    }


def main(argv: list[str]) -> None:
    ids = argv or sorted(p.stem for p in (HERE / "work").glob("*.json"))
    (HERE / "gold").mkdir(exist_ok=True)
    for ident in ids:
        gold = build(ident)
        out = HERE / "gold" / f"{ident}.json"
        out.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{ident}: {len(gold['quotes'])} quotes, sha256 {gold['sha256'][:12]}")


if __name__ == "__main__":
    main(sys.argv[1:])
