"""The demo library: technical disclosures, papers and notes on the demo cases' topics
(``demo_library.jsonl``, fictitious, with example.org links and 10.5555 example DOIs),
loaded by ``manage.py seed_demo``."""

from __future__ import annotations

from pathlib import Path

from django.db.models import Q

from .importer import ImportReport, import_lines
from .importer.rows import decode_line, validate_record
from .models import LibraryDocument

PATH = Path(__file__).with_name("demo_library.jsonl")


def _rows() -> list[dict]:
    with PATH.open("rb") as lines:
        return [
            validate_record(value)
            for number, raw in enumerate(lines, start=1)
            if (value := decode_line(raw, number)) is not None
        ]


def demo_library_present() -> bool:
    """Whether every demo document is in the library with its current text (one
    query)."""
    rows = _rows()
    keys = [row["identifier_key"] for row in rows if row["identifier_key"]]
    hashes = [row["content_hash"] for row in rows]
    found = LibraryDocument.objects.filter(
        Q(identifier_key__in=keys, content_hash__in=hashes)
        | Q(identifier_key="", content_hash__in=hashes)
    ).count()
    return found >= len(rows)


def load_demo_library() -> ImportReport | None:
    """Load the demo documents unless they are all there already (then ``None``).
    Idempotent, like every import; the caller refreshes the term statistics."""
    if demo_library_present():
        return None
    with PATH.open("rb") as lines:
        return import_lines(lines)
