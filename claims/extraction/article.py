"""Turn a plain-text news file into an article body: date line, page chrome, title.

The body keeps the article's own words byte for byte (apart from line ends and trailing
spaces); everything a claim's offsets refer to is in it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["ArticleError", "ParsedArticle", "parse_article"]

_DATE_PREFIX = re.compile(r"\A[ \t\ufeff]*date[ \t]+(\S+)[ \t]*")
_DATE_VALUE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")

# A line that ends the article: what follows is the site's footer.
_FOOTER = re.compile(
    r"^(stay connected|more updates|you might also enjoy|partager cet article|share this article|"
    r"sur le m[êe]me sujet|articles? similaires?|dans la m[êe]me rubrique|related (articles|posts)|"
    r"[àa] lire [ée]galement|newsletter|suivez-nous|follow us)\s*:?$",
    re.IGNORECASE,
)
# Whole lines of page furniture: share buttons, related links, prompts.
_CHROME_LINE = re.compile(
    r"^(share( post| this)?|partager|partagez|tweet(er)?|imprimer|print|e-?mail|commenter)\s*:?\s*$"
    r"|^.{0,80}\b(partagez cette histoire|share this story)\b.{0,20}$",
    re.IGNORECASE,
)
_RELATED = re.compile(
    r"^(aussi sur|[àa] lire aussi|lire aussi|voir aussi|read also|see also|read more|lire la suite)\b"
    r"\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_DOMAIN = re.compile(r"^[\w.-]+\.[a-z]{2,}$", re.IGNORECASE)
# A photo caption ends with a credit in parentheses: "(AFP photo)", "(Archives)", "(Reuters)".
_CAPTION = re.compile(
    r"\((?:[^()]{0,40}\b(?:photos?|archives?|afp|reuters|ap|getty|cr[ée]dits?|illustration)\b"
    r"[^()]{0,40})\)\s*\.?\s*$|^(photo|cr[ée]dit photo|illustration)\s*:",
    re.IGNORECASE,
)
_SOURCE_LINE = re.compile(r"^source\s*:\s*(?P<outlet>.+?)\s*$", re.IGNORECASE)
_BREADCRUMB_SEP = re.compile(r"\s+[/|>»]\s+")
# Subscription prompts pasted into the last paragraph; the paragraph is cut from there.
_PROMO = re.compile(
    r"(?:(?<=[.!?»\"”])\s+|^)(?=[^.!?]*\b(?:en vous abonnant|abonnez-vous|subscribe now|"
    r"galerie photo|cliquez pour agrandir)\b)",
    re.IGNORECASE,
)
_SPACES_ONLY = re.compile(r"^[\s\u00a0\u202f]*$")
_BLANK_RUNS = re.compile(r"\n{3,}")


class ArticleError(ValueError):
    """The file is not a usable article; the message says why."""


@dataclass(frozen=True)
class ParsedArticle:
    """An article ready to store: ``body`` is the text claim offsets refer to."""

    body: str
    title: str
    published: dt.date | None
    precision: str  # "year", "month", "day" or "" when no date
    outlet: str


def _parse_date(token: str) -> tuple[dt.date, str]:
    match = _DATE_VALUE.fullmatch(token)
    if not match:
        raise ArticleError(f"the date line has {token!r}, expected YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        date = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ArticleError(
            f"the date line has {token!r}, which is not a real date ({exc})"
        ) from None
    precision = "day" if day else "month" if month else "year"
    return date, precision


def _is_nav(line: str) -> bool:
    # Breadcrumbs ("Infos / A La Une / Europe") or a lone menu word ("TV").
    parts = _BREADCRUMB_SEP.split(line)
    if len(parts) >= 3 and all(len(p.split()) <= 5 for p in parts):
        return True
    words = line.split()
    return len(words) <= 2 and line.isupper() and not line.endswith((".", "!", "?"))


def _drop_promo(line: str) -> str:
    match = _PROMO.search(line)
    if match and match.start() > len(line) // 3:
        return line[: match.start()].rstrip()
    return line


def parse_article(raw: str) -> ParsedArticle:
    """Parse a plain-text article.

    >>> a = parse_article(" date 2021-06 Erdogan a parlé.\\n\\nShare Post:\\n")
    >>> (a.body, a.published.isoformat(), a.precision)
    ('Erdogan a parlé.', '2021-06-01', 'month')
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    published, precision = None, ""
    match = _DATE_PREFIX.match(text)
    if match:
        published, precision = _parse_date(match.group(1))
        text = text[match.end() :]

    outlet = ""
    for line in text.split("\n"):
        source = _SOURCE_LINE.match(line.strip())
        if source and len(line.strip()) < 80:
            outlet = source.group("outlet")
    kept: list[str] = []
    skip_teaser = False
    seen_content = False
    for raw_line in text.split("\n"):
        line = raw_line.rstrip()
        if _SPACES_ONLY.match(line):
            kept.append("")
            continue
        stripped = line.strip()
        if skip_teaser:
            skip_teaser = False
            continue
        if _SOURCE_LINE.match(stripped) and len(stripped) < 80:
            continue
        if _FOOTER.match(stripped):
            break
        related = _RELATED.match(stripped)
        if related:
            rest = related.group("rest").strip()
            skip_teaser = not rest or bool(_DOMAIN.match(rest))
            continue
        if _CHROME_LINE.match(stripped) or _CAPTION.search(stripped):
            continue
        if not seen_content and _is_nav(stripped):
            continue
        seen_content = True
        kept.append(_drop_promo(line))

    body = _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip()
    if not body:
        raise ArticleError("there is no article text" + (" after the date line" if match else ""))
    return ParsedArticle(
        body=body, title=_title(body), published=published, precision=precision, outlet=outlet
    )


def _title(body: str) -> str:
    first = body.split("\n", 1)[0].strip()
    if len(first) <= 200 and not first.endswith((".", "!", "?", "»", '"', "”", ":")):
        return first
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    if len(sentence) <= 160:
        return sentence
    return sentence[:157].rsplit(" ", 1)[0] + "…"
