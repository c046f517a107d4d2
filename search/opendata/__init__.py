"""Open data: the public record of the site as JSON Lines and CSV files, with a manifest.

``export()`` writes published cases with their claims, the vetted and forwarded evidence
the public can see (with the examiner's public outcome), and the library; the nightly
beat task ``search.export_open_data`` and ``manage.py export_open_data`` call it, and the
Open data page (``search.views.opendata``) serves what the manifest lists. What each file
holds is in ``records``, how files are written and read back in ``files``; the fields are
described in ``docs/open-data.md``.

Invariants:

- Only what the public pages show (see ``records``).
- Memory stays flat whatever the size: every table is read with ``.iterator()`` in chunks
  of ``CHUNK_SIZE``, related rows prefetched per chunk (a fixed number of queries per
  chunk), and rows are written out as they come.
- A download never sees half a file: each file is written under a temporary name in the
  same directory and moved into place with ``os.replace`` once every file is complete,
  the manifest last. One export at a time per directory (a PostgreSQL advisory lock), all
  files read from one snapshot of the database.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import override

from .files import (
    CONTENT_TYPES,
    MANIFEST,
    TEMP_PREFIX,
    CsvFile,
    OutputFile,
    content_type,
    file_path,
    read_manifest,
)
from .records import (
    CHUNK_SIZE,
    FILES,
    LICENCE,
    Progress,
    instant,
    write_cases,
    write_evidence,
    write_library,
)

__all__ = [
    "CHUNK_SIZE",
    "CONTENT_TYPES",
    "FILES",
    "LICENCE",
    "MANIFEST",
    "content_type",
    "export",
    "file_path",
    "read_manifest",
]


@contextmanager
def _one_export_at_a_time(directory: Path):
    """A PostgreSQL advisory lock per directory: a second export (the nightly task while
    an operator runs the command) waits, then writes fresher files over the first's."""
    digest = hashlib.sha256(f"opendocket-open-data:{directory}".encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


@contextmanager
def _snapshot():
    """Every file from the same moment, so no evidence names a case the cases file lacks.
    Inside a caller's transaction (the tests) that transaction's snapshot is used."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
        yield


def export(
    directory: Path | None = None, *, progress: Progress | None = None
) -> list[Path]:
    """Write every open data file and the manifest into ``directory`` (by default
    ``settings.OPENDOCKET_OPEN_DATA_DIR``) and return their paths, the manifest last.

    Idempotent: running it again rewrites the files from the data as it is then. Until
    every file is complete the previous files stay in place untouched; if anything
    fails, the temporary files are removed and the previous export is still served.
    ``progress(dataset, done, total)``, when given, is called after each chunk.
    """
    directory = Path(directory or settings.OPENDOCKET_OPEN_DATA_DIR).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    with _one_export_at_a_time(directory):
        # Left over by an export that was killed; nobody else writes here now.
        for stale in directory.glob(f"{TEMP_PREFIX}*"):
            stale.unlink(missing_ok=True)
        out: dict[str, OutputFile] = {}
        try:
            for name, (description, fields) in FILES.items():
                kind = CsvFile if name.endswith(".csv") else OutputFile
                out[name] = kind(directory, name, description, fields)
            with _snapshot():
                write_cases(out, progress)
                write_evidence(out, progress)
                write_library(out, progress)
            with override("en"):
                manifest_data = {
                    "generated_at": instant(timezone.now()),
                    "licence": LICENCE,
                    "files": [file.entry() for file in out.values()],
                }
            manifest = OutputFile(directory, MANIFEST)
            out[MANIFEST] = manifest
            manifest.write(json.dumps(manifest_data, indent=2, ensure_ascii=False))
            for file in out.values():
                file.close()
        except BaseException:
            for file in out.values():
                file.discard()
            raise
        return [file.publish() for file in out.values()]
