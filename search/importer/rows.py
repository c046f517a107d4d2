"""Reading and validating library input: one JSON object a line, each turned into the
row to store or a ``BadLine`` that says, in words for the file's author, what is wrong."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from cases.models import CASE_LANGUAGES
from submissions.identifiers import identifier_key

from ..models import DatePrecision, LibraryDocument

MAX_BODY_CHARS = 1_000_000
MAX_LINE_BYTES = 8 * 1024 * 1024
LANGUAGES = [code for code, _label in CASE_LANGUAGES]
MAX_LENGTHS = {
    name: LibraryDocument._meta.get_field(name).max_length
    for name in ("title", "identifier", "url", "source")
} | {"body": MAX_BODY_CHARS}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YEAR_RE = re.compile(r"^\d{4}$")
_url_validator = URLValidator(schemes=["http", "https"])

# The columns of a row, in the order they are copied to the database.
COLUMNS = [
    "identifier",
    "identifier_key",
    "title",
    "body",
    "url",
    "published_on",
    "published_on_precision",
    "source",
    "language",
    "content_hash",
]


class BadLine(ValueError):
    """Why one line cannot be loaded."""


class LongLine(bytes):
    """The start of an input line longer than ``limit``; ``size`` is its length."""

    size: int
    limit: int


def read_lines(stream, limit: int = MAX_LINE_BYTES) -> Iterator[bytes]:
    """The lines of a binary stream, never holding more than ``limit`` bytes of one line
    in memory: a longer line is yielded as a ``LongLine`` with its start and length."""
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        if len(raw) > limit and not raw.endswith(b"\n"):
            size = len(raw)
            while chunk := stream.readline(1 << 20):
                size += len(chunk)
                if chunk.endswith(b"\n"):
                    break
            long_line = LongLine(raw[:64])
            long_line.size, long_line.limit = size, limit
            raw = long_line
        yield raw


def line_size(raw: bytes | str) -> int:
    """How many bytes of input a line took."""
    if isinstance(raw, LongLine):
        return raw.size
    if isinstance(raw, bytes):
        return len(raw)
    return len(raw.encode("utf-8", "replace"))


def content_hash(title: str, body: str) -> str:
    """sha256 of the title and text, with Unicode and white space normalised: the
    identity of a document without an identifier."""
    text = " ".join(title.split()) + "\n" + " ".join(body.split())
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode()).hexdigest()


def decode_line(raw: bytes | str, number: int):
    """The JSON value of one line, ``None`` for a blank line."""
    if isinstance(raw, LongLine):
        raise BadLine(f"line too long ({raw.size:,} bytes; at most {raw.limit:,})")
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BadLine(
                f"not UTF-8 text (byte 0x{raw[error.start]:02x} at position "
                f"{error.start + 1})"
            ) from None
    if number == 1:
        raw = raw.removeprefix("\ufeff")  # the byte order mark some editors write
    raw = raw.rstrip()  # the line break, so that errors point into the line
    if not raw:
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        raise BadLine(f"malformed JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:
        raise BadLine("malformed JSON: nested too deeply") from None
    except ValueError as error:  # e.g. an integer past Python's 4,300 digits
        raise BadLine(f"malformed JSON: {error}") from None


def _json_type(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return {dict: "an object", list: "a list", str: "a string"}.get(type(value), "null")


def _text(record: dict, name: str, *, required: bool = False) -> str:
    value = record.get(name)
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        if required:
            raise BadLine(f"{name} is missing" if value is None else f"{name} is empty")
        return ""
    if not isinstance(value, str):
        raise BadLine(f"{name} must be a string, not {_json_type(value)}")
    if len(value) > MAX_LENGTHS[name]:
        raise BadLine(
            f"{name} is too long ({len(value):,} characters; "
            f"at most {MAX_LENGTHS[name]:,})"
        )
    if "\x00" in value:
        raise BadLine(f"{name} contains a NUL character (\\u0000)")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadLine(
            f"{name} contains an unpaired surrogate (\\ud800-\\udfff)"
        ) from None
    return value


def _published_on(value) -> tuple[date | None, str]:
    if value is None or value == "":
        return None, DatePrecision.DAY
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        value = value.strip()
        if YEAR_RE.match(value) and int(value) >= 1:
            return date(int(value), 1, 1), DatePrecision.YEAR
        if DATE_RE.match(value):
            try:
                return date.fromisoformat(value), DatePrecision.DAY
            except ValueError:
                raise BadLine(f"published_on is not a real date: {value!r}") from None
    shown = value if isinstance(value, str) else json.dumps(value)
    raise BadLine(
        f"published_on has an unknown date format: {shown[:40]!r} "
        '(use "2019-05-01", or a year: 2019)'
    )


def validate_record(record) -> dict:
    """The row to store for one input object (keys: ``COLUMNS``)."""
    if not isinstance(record, dict):
        raise BadLine(f"not a JSON object (found {_json_type(record)})")
    title = _text(record, "title", required=True)
    body = _text(record, "body", required=True)
    identifier = _text(record, "identifier")
    url = _text(record, "url")
    if url:
        try:
            _url_validator(url)
        except ValidationError:
            raise BadLine(f"url is not an http(s) address: {url[:80]!r}") from None
    published_on, precision = _published_on(record.get("published_on"))
    language = record.get("language") or "en"
    if language not in LANGUAGES:
        raise BadLine(
            f"unknown language {str(language)[:20]!r} "
            f"(use one of {', '.join(LANGUAGES)})"
        )
    key = identifier_key(identifier) if identifier else ""
    return {
        "identifier": identifier if key else "",
        "identifier_key": key,
        "title": title,
        "body": body,
        "url": url,
        "published_on": published_on,
        "published_on_precision": precision,
        "source": _text(record, "source"),
        "language": language,
        "content_hash": content_hash(title, body),
    }
