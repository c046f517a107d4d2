"""Bulk loading of the prior-art library from JSON Lines.

One JSON object a line: ``title`` and ``body`` required; ``identifier``, ``url``,
``published_on`` (``"2019-05-01"``, or a year: ``2019`` / ``"2019"``), ``source`` and
``language`` optional; other keys are ignored; blank lines are skipped. A bad line is
reported with its number and reason (``rows``) and the good lines still load.

Loading is idempotent. A document with an identifier is the document of that
identifier's ``identifier_key`` (``US 7,654,321 B2`` and ``us7654321`` are one
document); one without is the document of its ``content_hash``. Loading the same input
again creates and changes nothing; the same identifier with other content updates the
document, which keeps the agency and the person that first loaded it. A load for an
agency changes only that agency's documents; a line that would change another
agency's, or a shared document of no agency (the operators'), is reported, and the
document left as it is.

Each batch is validated in Python and stored with COPY and a few set-based statements
(``store``) in a transaction of its own (a savepoint inside a caller's transaction), so
an interrupted import keeps the batches done and running it again finishes the rest. If
the database refuses a batch for one document's content (a text too large to index),
the batch is stored row by row and only the refused lines are reported.

The term statistics are not refreshed here: callers do that when ``report.changed``.
Entry points: ``import_lines`` (a file, a request body), ``import_records`` (an API list
body), ``run_import_job`` (an admin upload, from the Celery task).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from . import store, writers
from .rows import (
    BadLine,
    content_hash,
    decode_line,
    line_size,
    read_lines,
    validate_record,
)

__all__ = [
    "ImportReport",
    "LineError",
    "content_hash",
    "import_lines",
    "import_records",
    "read_lines",
    "run_import_job",
]

MAX_ERRORS = 1000  # errors a report keeps; error_count counts them all
BATCH_SIZE = 5000


@dataclass
class LineError:
    line: int
    reason: str


@dataclass
class ImportReport:
    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[LineError] = field(default_factory=list)  # the first MAX_ERRORS

    def add_error(self, line: int, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(LineError(line, reason))

    @property
    def changed(self) -> bool:
        """Whether anything was created or updated (the statistics need a refresh)."""
        return bool(self.created or self.updated)


def import_lines(
    lines: Iterable[bytes | str],
    *,
    agency=None,
    user=None,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Load JSON Lines into the library for ``agency``, added by ``user``.

    ``lines`` are split on ``\\n`` only (a file opened in binary mode, ``read_lines``,
    ``body.split(b"\\n")``): a JSON string may hold other line separators.
    ``progress(lines, bytes)`` is called after each batch with what was read so far."""
    report = ImportReport()

    def on_batch(read: int) -> None:
        progress(report.lines, read)

    items = ((number, raw, line_size(raw)) for number, raw in enumerate(lines, start=1))
    return _load(
        items,
        report,
        agency=agency,
        user=user,
        batch_size=batch_size,
        on_batch=on_batch if progress else None,
    )


def import_records(records: list, *, agency=None, user=None) -> ImportReport:
    """Load already-parsed records (an API list body): record i is line i + 1, and a
    record that is not an object is reported like a bad line."""
    return _load(
        ((number, record, 0) for number, record in enumerate(records, start=1)),
        ImportReport(),
        agency=agency,
        user=user,
        batch_size=BATCH_SIZE,
        parsed=True,
    )


def run_import_job(import_id: int) -> None:
    """Run one uploaded file, a ``LibraryImport`` (see ``jobs.run``)."""
    from .jobs import run

    run(import_id)


def _load(
    items: Iterator[tuple[int, object, int]],
    report: ImportReport,
    *,
    agency,
    user,
    batch_size: int,
    parsed: bool = False,
    on_batch: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate and store ``(line number, raw line, bytes)`` items, or ``(line number,
    JSON value, 0)`` items when ``parsed``; ``on_batch(bytes read)`` after each batch,
    with the report counting the batches stored so far."""
    writer = writers.open_writer(
        {
            "agency_id": agency.pk if agency is not None else None,
            "user_id": getattr(user, "pk", None),
        }
    )
    seen: dict[str, int] = {}  # key -> the line that used it first
    batch: list[tuple[int, dict]] = []
    read = 0
    try:
        for number, item, size in items:
            report.lines = number
            read += size
            try:
                row = _row(item, number, parsed, seen)
            except BadLine as error:
                report.add_error(number, str(error))
                continue
            if row is None:
                continue
            batch.append((number, row))
            if len(batch) >= batch_size:
                writer.submit(batch)
                batch = []
                _collect(writer, report)
                if on_batch:
                    on_batch(read)
        if batch:
            writer.submit(batch)
    except BaseException:
        writer.close(abort=True)
        _collect(writer, report)
        raise
    writer.close()
    _collect(writer, report)
    if report.changed:
        store.clean_pending_list()
    if on_batch:
        on_batch(read)
    report.errors.sort(key=lambda error: error.line)  # refused rows are known late
    return report


def _row(item, number: int, parsed: bool, seen: dict[str, int]) -> dict | None:
    """The row to store for one line (``None`` for a blank line), or ``BadLine``."""
    value = item if parsed else decode_line(item, number)
    if value is None:
        return None
    row = validate_record(value)
    key = row["identifier_key"] or "content:" + row["content_hash"]
    if (first := seen.setdefault(key, number)) != number:
        if row["identifier_key"]:
            raise BadLine(
                f"identifier {row['identifier']!r} was already used on line {first}"
            )
        raise BadLine(f"the same title and text as line {first}")
    return row


def _collect(writer, report: ImportReport) -> None:
    for stored in writer.results():
        report.created += stored.created
        report.updated += stored.updated
        report.unchanged += stored.unchanged
        for line, reason in stored.refused:
            report.add_error(line, reason)
