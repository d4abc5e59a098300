"""Reading article files: what a file must be to become a source. No database writes."""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from claims.extraction import ArticleError, ParsedArticle, parse_article
from claims.extraction.normalize import slugify
from claims.models import Source

MAX_FILE_BYTES = 10 * 1024 * 1024


class SourceFileError(Exception):
    """A file that cannot be loaded; ``reason`` is for people."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


_HTML_PAGE = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]",
    re.IGNORECASE | re.DOTALL,
)


def unreadable_reason(path: Path, exc: OSError) -> str:
    """Why ``path`` cannot be opened, in words for the person who gave it."""
    if isinstance(exc, FileNotFoundError):
        return "is a symbolic link to nothing" if path.is_symlink() else "does not exist"
    if isinstance(exc, PermissionError):
        return "cannot be read: permission denied"
    if exc.errno == errno.ELOOP:
        return "is a symbolic link that loops back on itself"
    return f"cannot be read: {exc.strerror or exc}"


def _too_big(path: Path, size: int) -> SourceFileError:
    return SourceFileError(
        path,
        f"is {size / 2**20:.1f} MB; articles over {MAX_FILE_BYTES / 2**20:.0f} MB are refused",
    )


def read_article_file(path: Path) -> str:
    """Read a text file as UTF-8 (with or without BOM) or BOM-marked UTF-16; explain failures.

    Line ends are kept: ``parse_article`` makes CRLF and CR into LF before offsets exist.
    """
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise SourceFileError(path, "is a directory, expected a .txt file")
        if not stat.S_ISREG(info.st_mode):
            # A device or a pipe may never end (/dev/zero): only plain files are read.
            raise SourceFileError(path, "is not a regular file (a device, pipe or socket)")
        if info.st_size > MAX_FILE_BYTES:
            raise _too_big(path, info.st_size)
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)  # bounded: it may have grown since stat()
            if len(data) > MAX_FILE_BYTES:
                raise _too_big(path, os.fstat(file.fileno()).st_size)
    except OSError as exc:
        raise SourceFileError(path, unreadable_reason(path, exc)) from None
    if not data:
        raise SourceFileError(path, "is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SourceFileError(
                path, f"has a UTF-16 mark but is not valid UTF-16 ({exc.reason})"
            ) from None
    elif b"\x00" in data:
        raise SourceFileError(path, "looks like a binary file (it contains NUL bytes), not text")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SourceFileError(
                path,
                f"is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "convert it to UTF-8 and load it again",
            ) from None
    if not text.strip():
        raise SourceFileError(path, "contains only whitespace")
    if "\x00" in text:  # UTF-16 of binary data; PostgreSQL refuses NUL in text anyway
        raise SourceFileError(path, "looks like a binary file (it contains NUL bytes), not text")
    if _HTML_PAGE.match(text):
        raise SourceFileError(
            path, "is an HTML page, not a plain-text article; save the article's text instead"
        )
    return text


def source_key_for(path: Path) -> str:
    """The stable key of a file: its name without ``.txt`` (slugified when it must be)."""
    stem = path.stem
    if stem and all(c.isascii() and (c.isalnum() or c in "-_") for c in stem):
        return stem
    return slugify(stem) or "source"


@dataclass(frozen=True)
class PreparedFile:
    """A readable article file, parsed, waiting for the NLP pipeline."""

    path: Path
    key: str
    parsed: ParsedArticle


def prepare_file(path: Path) -> PreparedFile:
    """Read and parse one file; ``SourceFileError`` says why it cannot be loaded."""
    key = source_key_for(path)
    longest = Source._meta.get_field("key").max_length
    if len(key) > longest:
        raise SourceFileError(
            path, f"its name makes a source key of {len(key)} characters (at most {longest})"
        )
    raw = read_article_file(path)
    try:
        parsed = parse_article(raw)
    except ArticleError as exc:
        raise SourceFileError(path, str(exc)) from None
    return PreparedFile(path=path, key=key, parsed=parsed)
