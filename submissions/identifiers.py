"""Normalising document identifiers, so one document always has one key.

``identifier_key("US 7,654,321 B2") == identifier_key("us7654321")`` — duplicate detection
compares these keys. Each key is prefixed by its scheme: ``patent:``, ``doi:``, ``isbn:``,
``url:``, or ``other:`` for anything unrecognised (compared case- and space-insensitively).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

DOI_RE = re.compile(
    r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$", re.I
)
# Country code, serial number (with optional separators), optional kind code (A1, B2, ...).
PATENT_RE = re.compile(
    r"^(?P<cc>[A-Z]{2})[\s-]*(?P<num>[0-9][0-9,./\s-]*[0-9])[\s-]*(?P<kind>[A-Z][0-9]?)?$"
)
TRACKING_PARAMS = re.compile(r"^(utm_|fbclid$|gclid$|mc_cid$|mc_eid$)")


def _clean(value: str) -> str:
    value = unicodedata.normalize("NFKC", value or "")
    return "".join(ch for ch in value if unicodedata.category(ch)[0] != "C").strip()


def normalise_isbn(value: str) -> str | None:
    digits = re.sub(r"[^0-9Xx]", "", value.removeprefix("ISBN").removeprefix("isbn"))
    if len(digits) == 10 and re.fullmatch(r"[0-9]{9}[0-9Xx]", digits):
        total = sum(
            (10 - i) * (10 if c in "Xx" else int(c)) for i, c in enumerate(digits)
        )
        if total % 11:
            return None
        core = "978" + digits[:9]
    elif len(digits) == 13 and digits.isdigit():
        core = digits[:12]
    else:
        return None
    check = (
        10 - sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(core)) % 10
    ) % 10
    isbn13 = core + str(check)
    if len(digits) == 13 and isbn13 != digits:
        return None
    return isbn13


def normalise_url(value: str) -> str | None:
    try:
        parts = urlsplit(value.strip())
        port_number = parts.port
    except ValueError:  # "http://[oops", a port that is no number or out of range
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
    port = f":{port_number}" if port_number and port_number not in (80, 443) else ""
    path = re.sub(r"/+$", "", parts.path) or ""
    query = urlencode(
        sorted(
            (k, v) for k, v in parse_qsl(parts.query) if not TRACKING_PARAMS.match(k)
        )
    )
    return urlunsplit(("", host + port, path, query, "")).lstrip("/")


MAX_KEY_LENGTH = 300


def identifier_key(value: str, url: str = "") -> str:
    """The comparison key of a submission's identifier (or, failing that, its URL); keys
    longer than ``MAX_KEY_LENGTH`` are replaced by their scheme and a SHA-256 digest."""
    key = _identifier_key(value, url)
    if len(key) > MAX_KEY_LENGTH:
        scheme = key.split(":", 1)[0]
        key = f"{scheme}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"
    return key


def _identifier_key(value: str, url: str = "") -> str:
    value = _clean(value)
    if value:
        if match := DOI_RE.match(value):
            return "doi:" + match.group(1).lower().rstrip(".")
        looks_like_isbn = value.upper().startswith("ISBN") or re.fullmatch(
            r"[0-9Xx\s-]{10,17}", value
        )
        if looks_like_isbn and (isbn := normalise_isbn(value)):
            return "isbn:" + isbn
        if match := PATENT_RE.match(value.upper()):
            number = re.sub(r"[^0-9]", "", match.group("num"))
            return f"patent:{match.group('cc')}{number.lstrip('0') or '0'}"
        if url_key := normalise_url(value):
            return "url:" + url_key
        return "other:" + re.sub(r"\s+", "", value).lower()
    if url and (url_key := normalise_url(_clean(url))):
        return "url:" + url_key
    return ""


def text_fingerprint(*texts: str) -> str:
    """Case-, accent-, punctuation- and spacing-insensitive digest of a text: two
    submissions with the same fingerprint say the same thing."""
    joined = " ".join(_clean(t) for t in texts if t)
    folded = unicodedata.normalize("NFKD", joined.casefold())
    words = re.findall(
        r"\w+", "".join(c for c in folded if not unicodedata.combining(c))
    )
    if len(words) < 5:  # too short to call anything a duplicate by its text
        return ""
    return hashlib.sha256(" ".join(words).encode()).hexdigest()
