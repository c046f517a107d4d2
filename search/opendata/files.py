"""The files of an open data export: writing them under temporary names with their
counts and checksums, and reading back what the last export published (the manifest),
for the Open data page and its downloads."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
from datetime import datetime
from pathlib import Path

from django.conf import settings

from review.claim_chart import csv_safe

MANIFEST = "manifest.json"
# Files an export is still writing have names that start so; they are never served.
TEMP_PREFIX = ".export-"
CONTENT_TYPES = {
    ".jsonl": "application/x-ndjson",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
}


# --- Writing ---------------------------------------------------------------------------


class OutputFile:
    """One file being written under a temporary name: counts rows and bytes and hashes
    what it writes, so the manifest needs no second read. ``write`` takes text, so a
    ``csv.writer`` can write straight into it."""

    def __init__(self, directory: Path, name: str, description: str = "", fields=()):
        self.name = name
        self.description = description
        self.fields = list(fields)
        self.target = directory / name
        fd, temp = tempfile.mkstemp(dir=directory, prefix=f"{TEMP_PREFIX}{name}.")
        self.temp = Path(temp)
        self.file = os.fdopen(fd, "wb")
        self.sha256 = hashlib.sha256()
        self.bytes = 0
        self.rows = 0

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.sha256.update(data)
        self.bytes += len(data)
        self.file.write(data)

    def json_row(self, obj: dict) -> None:
        self.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.rows += 1

    def close(self) -> None:
        if not self.file.closed:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()

    def discard(self) -> None:
        self.file.close()
        self.temp.unlink(missing_ok=True)

    def publish(self) -> Path:
        os.chmod(self.temp, 0o644)  # mkstemp makes it 0600; the web server reads it
        os.replace(self.temp, self.target)
        return self.target

    def entry(self) -> dict:
        """What the manifest says of this file."""
        return {
            "name": self.name,
            "description": str(self.description),
            "rows": self.rows,
            "bytes": self.bytes,
            "sha256": self.sha256.hexdigest(),
            "fields": self.fields,
        }


class CsvFile(OutputFile):
    """A CSV file with a header row; text cells are defused against formula injection
    (``review.claim_chart.csv_safe``), numbers and dates written as they are."""

    def __init__(self, directory: Path, name: str, description: str = "", fields=()):
        super().__init__(directory, name, description, fields)
        self.writer = csv.writer(self)
        self.writer.writerow(self.fields)

    def csv_row(self, values: list) -> None:
        self.writer.writerow([_cell(value) for value in values])
        self.rows += 1


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_safe(value)
    return str(value)


# --- Reading ---------------------------------------------------------------------------


def read_manifest(directory: Path | None = None) -> dict | None:
    """The manifest of the last export, or None when there is none (or it is unreadable:
    the page then says nothing has been exported yet rather than failing)."""
    directory = Path(directory or settings.OPENDOCKET_OPEN_DATA_DIR)
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        files = [
            entry
            for entry in data["files"]
            if isinstance(entry, dict) and isinstance(entry.get("name"), str)
        ]
        generated_at = datetime.fromisoformat(data["generated_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return {**data, "generated_at": generated_at, "files": files}


def file_path(name: str, directory: Path | None = None) -> Path | None:
    """The path of ``name`` if the manifest lists it (or it is the manifest itself) and
    it exists; None for anything else, so no name can reach outside the directory."""
    directory = Path(directory or settings.OPENDOCKET_OPEN_DATA_DIR)
    if not name or name != Path(name).name or name.startswith("."):
        return None
    manifest = read_manifest(directory)
    if manifest is None:
        return None
    listed = {entry["name"] for entry in manifest["files"]} | {MANIFEST}
    path = directory / name
    return path if name in listed and path.is_file() else None


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(Path(name).suffix, "application/octet-stream")
