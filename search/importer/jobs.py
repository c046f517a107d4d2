"""Uploaded library files: who may upload and see them, creating a ``LibraryImport``
(which enqueues the Celery task ``search.import_library``), and running it."""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.notifications import enqueue_on_commit
from cases.permissions import agencies_for_user

from .. import stats
from ..models import ImportStatus, LibraryImport
from . import BATCH_SIZE, ImportReport, _load
from .rows import line_size, read_lines

logger = logging.getLogger(__name__)

LOCK_CLASS = 0x4C49  # the advisory lock class of import jobs ("LI")
PROGRESS_INTERVAL = 1.0  # seconds between two writes of a job's progress
PROGRESS_FIELDS = [
    "bytes_read",
    "lines_read",
    "created_count",
    "updated_count",
    "unchanged_count",
    "error_count",
    "errors",
]


# --- Permissions: agency editors and site admins ---------------------------------------


def user_can_import_library(user) -> bool:
    """Site admins, and editors of at least one agency."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_active:
        return False
    return user.is_superuser or agencies_for_user(user).exists()


def user_can_import_for(user, agency) -> bool:
    """Site admins for any agency or none; editors for their own agencies."""
    if not user_can_import_library(user):
        return False
    if user.is_superuser:
        return True
    return agency is not None and agencies_for_user(user).filter(pk=agency.pk).exists()


def library_imports_for_user(user) -> QuerySet[LibraryImport]:
    """The uploads ``user`` may see: all for site admins, their agencies' for editors."""
    if not user_can_import_library(user):
        return LibraryImport.objects.none()
    if user.is_superuser:
        return LibraryImport.objects.all()
    return LibraryImport.objects.filter(agency__in=agencies_for_user(user))


# --- Creating and running jobs ---------------------------------------------------------


def library_import_create(*, upload, agency, user) -> LibraryImport:
    """Store an uploaded file (in private storage) as a pending ``LibraryImport`` and
    enqueue ``search.import_library`` for it once the transaction commits. Raises
    ``PermissionDenied`` when ``user`` may not load documents for ``agency``."""
    from ..tasks import import_library

    if not user_can_import_for(user, agency):
        raise PermissionDenied("You cannot load library documents for this agency.")
    with transaction.atomic():
        job = LibraryImport(
            original_name=upload.name[:255],
            size=upload.size,
            agency=agency,
            uploaded_by=user,
        )
        job.file.save(upload.name, upload, save=False)
        try:
            job.save()
        except Exception:
            job.file.delete(save=False)
            raise
        enqueue_on_commit(import_library, job.pk)
    return job


def library_import_requeue(*, job: LibraryImport, user) -> bool:
    """Enqueue a job that is still waiting again (its task was lost: the broker was
    down when it was uploaded). Returns whether it was waiting. Running a job twice is
    harmless: the second run finds it taken or finished."""
    if not library_imports_for_user(user).filter(pk=job.pk).exists():
        raise PermissionDenied("You cannot see this upload.")
    from ..tasks import import_library

    if job.status != ImportStatus.PENDING:
        return False
    enqueue_on_commit(import_library, job.pk)
    return True


# An upload still waiting after this long lost its task (the broker was down when it was
# made, or the message was lost): the sweep enqueues it again.
STALE_AFTER = timedelta(minutes=5)


def library_imports_requeue_stale(*, now=None) -> list[int]:
    """The beat sweep (``search.requeue_imports``): enqueue again every upload waiting
    for longer than ``STALE_AFTER``, and every one marked running that no worker holds
    (its worker died). Returns their ids. Harmless when a task was only slow: a job runs
    once, the second task finds it taken or finished."""
    from ..tasks import import_library

    now = now or timezone.now()
    waiting = LibraryImport.objects.filter(
        status=ImportStatus.PENDING, created_at__lte=now - STALE_AFTER
    )
    running = LibraryImport.objects.filter(status=ImportStatus.RUNNING)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT objid FROM pg_locks WHERE locktype = 'advisory' "
            "AND classid = %s AND granted",
            [LOCK_CLASS],
        )
        held = {row[0] for row in cursor.fetchall()}
    ids = list(waiting.values_list("pk", flat=True)) + [
        pk for pk in running.values_list("pk", flat=True) if pk % 2**31 not in held
    ]
    for pk in ids:
        enqueue_on_commit(import_library, pk)
    return ids


@contextmanager
def _job_lock(import_id: int):
    """A session advisory lock on the job: yields whether it was taken. It is released
    when the block ends or when the connection dies with its worker."""
    key = (LOCK_CLASS, import_id % 2**31)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        (locked,) = cursor.fetchone()
    try:
        yield locked
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)


def _record(job: LibraryImport, report: ImportReport, read: int) -> None:
    job.bytes_read = read
    job.lines_read = report.lines
    job.created_count = report.created
    job.updated_count = report.updated
    job.unchanged_count = report.unchanged
    job.error_count = report.error_count
    job.errors = [{"line": e.line, "reason": e.reason} for e in report.errors]


def run(import_id: int) -> None:
    """Import the job's file, recording its progress (at most once a second, and after
    the last batch), then mark it done, or failed with a message if it raised.

    Idempotent: a job that is done or failed, or that another worker is running (it
    holds the job's advisory lock), is left alone. A job still marked running whose lock
    is free was interrupted (its worker died; the broker delivers the task again): it
    runs again from the start, and documents stored before count as unchanged. The term
    statistics are refreshed when documents were created or updated."""
    with _job_lock(import_id) as locked:
        if not locked:
            return
        job = LibraryImport.objects.select_related("agency", "uploaded_by")
        job = job.filter(pk=import_id).first()
        if job is None or job.status in (ImportStatus.DONE, ImportStatus.FAILED):
            return
        restarted = job.status == ImportStatus.RUNNING
        report = ImportReport()
        _record(job, report, 0)
        job.status = ImportStatus.RUNNING
        job.started_at = timezone.now()
        job.message = (
            "Restarted after an interruption: documents stored before it count as "
            "unchanged."
            if restarted
            else ""
        )
        job.save(update_fields=PROGRESS_FIELDS + ["status", "started_at", "message"])
        read, last_write = 0, time.monotonic()

        def on_batch(bytes_read: int) -> None:
            nonlocal read, last_write
            read = bytes_read
            if time.monotonic() - last_write >= PROGRESS_INTERVAL:
                _record(job, report, read)
                job.save(update_fields=PROGRESS_FIELDS)
                last_write = time.monotonic()

        try:
            with job.file.open("rb") as stream:
                items = (
                    (number, raw, line_size(raw))
                    for number, raw in enumerate(read_lines(stream), start=1)
                )
                _load(
                    items,
                    report,
                    agency=job.agency,
                    user=job.uploaded_by,
                    batch_size=BATCH_SIZE,
                    on_batch=on_batch,
                )
        except Exception as error:  # noqa: BLE001 - any failure is the job's outcome
            logger.exception("Library import %s failed", import_id)
            _finish(job, report, read, ImportStatus.FAILED, _failure(error, report))
            return
        if report.changed:
            try:
                stats.refresh(["library"])
            except DatabaseError:  # the hourly refresh catches up
                logger.exception("Refreshing the library statistics failed")
        _finish(job, report, read, ImportStatus.DONE, job.message)


def _failure(error: Exception, report: ImportReport) -> str:
    if isinstance(error, FileNotFoundError):
        return "The uploaded file is missing from storage; upload it again."
    detail = (str(error).splitlines() or [type(error).__name__])[0][:300]
    return (
        f"The import stopped at line {report.lines:,}: {detail}. "
        "The documents stored before that are kept; upload the file again to finish."
    )


def _finish(job, report, read, status, message) -> None:
    _record(job, report, read)
    job.status = status
    job.message = message
    job.finished_at = timezone.now()
    job.save(update_fields=PROGRESS_FIELDS + ["status", "message", "finished_at"])
