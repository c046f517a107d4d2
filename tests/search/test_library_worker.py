"""An admin upload imported by a real Celery worker on the configured broker (the
filesystem broker on a fresh machine, Redis with ``CELERY_BROKER_URL``): the upload's
commit enqueues ``search.import_library``, the worker loads the file with its writer
threads, and the job page shows the outcome. Tasks go to a queue of the test's own
(``tests/review/test_worker.py``)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from search.models import CorpusStat, ImportStatus, LibraryDocument, LibraryImport
from tests.review.test_worker import wait_for, worker_on_private_queue
from tests.search.test_library_admin import private_uploads  # noqa: F401 - fixture

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("private_uploads"),
]


def finished(job_id: int) -> bool:
    return LibraryImport.objects.filter(
        pk=job_id, status__in=[ImportStatus.DONE, ImportStatus.FAILED]
    ).exists()


def test_an_uploaded_file_is_imported_by_the_worker(client, editor_a, agency_a):
    records = [
        {"identifier": f"NTDB 2020-{n:04d}", "title": f"Disclosure {n}", "body": "Hub."}
        for n in range(12)
    ]
    data = b"".join(json.dumps(r).encode() + b"\n" for r in records)
    data += b'{"title": "broken"\n'
    client.force_login(editor_a)

    with worker_on_private_queue():
        response = client.post(
            reverse("search_library_upload"),
            {
                "file": SimpleUploadedFile("disclosures.jsonl", data),
                "agency": agency_a.pk,
            },
        )
        job = LibraryImport.objects.get()
        assert response.status_code == 302
        assert wait_for(lambda: finished(job.pk)), "the worker did not run the import"

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.message
    assert (job.created_count, job.error_count, job.lines_read) == (12, 1, 13)
    assert job.bytes_read == len(data) and job.percent == 100
    assert LibraryDocument.objects.filter(agency=agency_a).count() == 12
    assert CorpusStat.objects.get(doc_type="library").doc_count == 12
    page = client.get(reverse("search_library_import", args=[job.pk])).content.decode()
    assert "Done" in page and "malformed JSON" in page
