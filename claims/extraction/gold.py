"""Gold sets for the evaluation: where their articles and annotations come from.

Two layouts (evaluation/README.md):

- **composed**: a folder of ``<name>.json`` gold files, each with its article beside it
  (``<name>.txt``) or named by ``"article"``; quotes are given by their words.
- **real news** (``split.json`` in the folder): third-party articles that are never
  committed. ``articles.json`` lists each one's address and the sha256 of its text; the
  text lives in ``texts/<id>.txt`` (git-ignored, rebuilt from the address); ``gold/<id>.json``
  gives each quote as character offsets into that text. ``split.json`` cuts the set once,
  at random, into a ``dev`` half (read its misses, improve) and a ``test`` half (scored,
  never read).

Pure Python, no Django.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from claims.extraction.article import ArticleError, parse_article

__all__ = ["GoldArticle", "GoldError", "GoldSet", "check_real_news", "load_gold_sets"]


class GoldError(ValueError):
    """A gold file or article that cannot be used; the message names it."""


@dataclass(frozen=True)
class GoldArticle:
    """One article: its body as the loader stores it, and its gold quotes.

    Each quote is a dict with ``text``, ``kind``, ``speaker`` (or None), and optionally
    ``speaker_type`` ("named", "role", "organisation", "unknown"), ``fragment`` and
    ``stances``.
    """

    name: str
    body: str
    quotes: list[dict]
    topics: frozenset[str] | None  # the topics its stances are scored on; None: all given


@dataclass(frozen=True)
class GoldSet:
    """Articles scored together: a composed folder, or one half of the real-news set."""

    name: str
    articles: list[GoldArticle]
    topics_file: Path | None  # topics.json defining this set's evaluation topics
    misses_readable: bool = True  # False for the test half: its misses are not printed


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldError(f"{path}: cannot be read as JSON ({exc})") from None


def _body(path: Path, raw: str) -> str:
    try:
        return parse_article(raw).body
    except ArticleError as exc:
        raise GoldError(f"{path}: is not an article ({exc})") from None


def load_gold_sets(directory: Path) -> list[GoldSet]:
    """The gold sets in ``directory``: one for a composed folder, dev and test for real news."""
    if not directory.is_dir():
        raise GoldError(f"{directory}: is not a folder")
    if (directory / "split.json").exists():
        return _real_news(directory)
    return [_composed(directory)]


def _composed(directory: Path) -> GoldSet:
    files = sorted(p for p in directory.glob("*.json") if p.name != "topics.json")
    if not files:
        raise GoldError(f"{directory}: has no gold .json files")
    articles = []
    for path in files:
        gold = _read_json(path)
        article_path = path.parent / gold.get("article", path.with_suffix(".txt").name)
        try:
            raw = article_path.read_text(encoding="utf-8")
        except OSError as exc:
            raise GoldError(f"{path}: its article {article_path} cannot be read ({exc})") from None
        quotes = gold.get("quotes")
        if not isinstance(quotes, list) or not all(
            isinstance(q, dict) and "text" in q for q in quotes
        ):
            raise GoldError(f'{path}: needs a "quotes" list of objects with a "text"')
        topics = frozenset(gold["topics"]) if "topics" in gold else None
        articles.append(GoldArticle(path.stem, _body(path, raw), quotes, topics))
    topics_file = directory / "topics.json"
    return GoldSet(str(directory), articles, topics_file if topics_file.exists() else None)


def check_real_news(directory: Path) -> list[str]:
    """What is wrong with the local copy of the real-news texts, one line per article.

    Empty when every text listed in ``articles.json`` is in ``texts/`` with its sha256.
    """
    problems = []
    for entry in _read_json(directory / "articles.json"):
        path = directory / "texts" / f"{entry['id']}.txt"
        if not path.exists():
            problems.append(
                f"{entry['id']}: {path} is missing; rebuild it from {entry['url']} "
                f"(evaluation/realnews/ANNOTATION.md, 'Texts')"
            )
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != entry["sha256"]:
            problems.append(
                f"{entry['id']}: {path} has sha256 {digest[:12]}…, the gold was made on "
                f"{entry['sha256'][:12]}…; rebuild it from {entry['url']}"
            )
    return problems


def _real_news(directory: Path) -> list[GoldSet]:
    problems = check_real_news(directory)
    if problems:
        raise GoldError(
            f"{directory}: {len(problems)} article text(s) missing or changed:\n  "
            + "\n  ".join(problems)
        )
    split = _read_json(directory / "split.json")
    topics_file = directory / "topics.json"
    sets = []
    for half in ("dev", "test"):
        articles = []
        for ident in split[half]:
            raw = (directory / "texts" / f"{ident}.txt").read_text(encoding="utf-8")
            gold_path = directory / "gold" / f"{ident}.json"
            gold = _read_json(gold_path)
            quotes = []
            for quote in gold["quotes"]:
                text = raw[quote["start"] : quote["end"]]
                if not text.strip():
                    raise GoldError(f"{gold_path}: a quote at {quote['start']} is empty")
                quotes.append({**quote, "text": text})
            topics = frozenset(gold.get("topics", []))
            articles.append(GoldArticle(ident, _body(gold_path, raw), quotes, topics))
        sets.append(
            GoldSet(
                f"{directory} ({half})",
                articles,
                topics_file if topics_file.exists() else None,
                misses_readable=half != "test",
            )
        )
    return sets
