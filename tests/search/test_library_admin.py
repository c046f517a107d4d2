"""The library upload in the Wagtail admin and the import job it starts: permissions,
the form's checks, the job's progress page, and the job itself (``run_import_job``, as
the Celery task runs it; tests/search/test_library_worker.py runs it on a real worker).
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from search import admin_forms, importer
from search.importer import jobs
from search.models import CorpusStat, ImportStatus, LibraryDocument, LibraryImport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("search_library_imports")
UPLOAD = reverse("search_library_upload")


def job_url(job) -> str:
    return reverse("search_library_import", args=[job.pk])


def jsonl(*records) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in records)


GOOD = jsonl(
    {"identifier": "NTDB 2009-0412", "title": "Exhaust TEG", "body": "Modules."},
    {"title": "Beam prediction", "body": "Predicts the RSRP of unmeasured beams."},
)
WITH_BAD_LINES = (
    GOOD
    + b'{"title": "cut\n'
    + jsonl(
        {
            "title": "<script>alert(1)</script>",
            "body": "x",
            "url": "javascript:alert(1)",
        }
    )
)


@pytest.fixture(autouse=True)
def private_uploads(settings, tmp_path, monkeypatch):
    """Uploads of this test in a private directory of its own."""
    root = tmp_path / "private-media"
    root.mkdir()
    settings.PRIVATE_MEDIA_ROOT = root
    monkeypatch.setattr(
        LibraryImport._meta.get_field("file"),
        "storage",
        FileSystemStorage(location=root),
    )
    return root


def upload(client, data: bytes, *, name="library.jsonl", agency=None, capture=None):
    payload = {"file": SimpleUploadedFile(name, data)}
    if agency is not None:
        payload["agency"] = agency.pk
    return client.post(UPLOAD, payload)


def make_job(agency, *, data: bytes = GOOD, user=None, **fields) -> LibraryImport:
    job = LibraryImport(
        original_name="library.jsonl",
        size=len(data),
        agency=agency,
        uploaded_by=user,
        **fields,
    )
    job.file.save("library.jsonl", ContentFile(data), save=False)
    job.save()
    return job


@pytest.fixture
def admin_only_user(db):
    """Signed in to the admin, but neither an agency editor nor a site admin."""
    user = UserFactory(username="staff-without-agency")
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    return user


# --- Who may come in -------------------------------------------------------------------


def test_anonymous_visitors_and_contributors_are_sent_to_the_login(client, contributor):
    for url in (INDEX, UPLOAD):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(contributor)
    for url in (INDEX, UPLOAD):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    response = upload(client, GOOD)
    assert response.status_code == 302 and "login" in response["Location"]
    assert not LibraryImport.objects.exists()


def test_admin_users_who_edit_no_agency_are_refused(client, admin_only_user, agency_a):
    client.force_login(admin_only_user)
    job = make_job(agency_a)
    for url in (INDEX, UPLOAD, job_url(job)):
        response = client.get(url)
        assert response.status_code == 403
        assert "Only agency editors and site admins" in response.content.decode()
    assert upload(client, GOOD, agency=agency_a).status_code == 403
    assert LibraryImport.objects.count() == 1
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert INDEX not in home  # no menu item


def test_editors_see_the_menu_item_and_only_their_agencys_uploads(
    client, editor_a, agency_a, agency_b
):
    own, other = make_job(agency_a), make_job(agency_b)
    other.original_name = "energy-regulator-secrets.jsonl"
    other.save(update_fields=["original_name"])
    client.force_login(editor_a)

    assert INDEX in client.get(reverse("wagtailadmin_home")).content.decode()
    page = client.get(INDEX).content.decode()
    assert job_url(own) in page
    assert job_url(other) not in page and "energy-regulator-secrets" not in page
    assert client.get(job_url(own)).status_code == 200
    assert client.get(job_url(other)).status_code == 404
    assert client.post(job_url(other)).status_code == 404


def test_an_editor_cannot_upload_for_another_agency(client, editor_a, agency_b):
    client.force_login(editor_a)
    response = upload(client, GOOD, agency=agency_b)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not LibraryImport.objects.exists()


# --- Uploading -------------------------------------------------------------------------


def test_an_editor_uploads_a_file_which_is_stored_privately_and_queued(
    client,
    editor_a,
    agency_a,
    private_uploads,
    settings,
    django_capture_on_commit_callbacks,
):
    client.force_login(editor_a)
    form = client.get(UPLOAD).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'for="id_file"' in form

    with django_capture_on_commit_callbacks() as callbacks:
        response = upload(client, GOOD, agency=agency_a)

    job = LibraryImport.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert (job.agency, job.uploaded_by, job.status) == (agency_a, editor_a, "pending")
    assert (job.original_name, job.size) == ("library.jsonl", len(GOOD))
    assert len(callbacks) == 1  # search.import_library, once the upload commits
    stored = Path(private_uploads, job.file.name)
    assert stored.read_bytes() == GOOD
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))
    assert job.file.name.startswith("library-imports/") and "library" not in Path(
        job.file.name
    ).name.removesuffix(".jsonl")  # a name of our own, not the uploader's
    assert client.get(settings.MEDIA_URL + job.file.name).status_code == 404

    page = client.get(job_url(job)).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress id="import-progress" max="100" value="0">' in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.txt", GOOD, "Choose a JSON Lines file"),
        ("empty.jsonl", b"", "The submitted file is empty"),
        (
            "prose.jsonl",
            b"Dear editor,\nhere are documents\n",
            "line 1: malformed JSON",
        ),
        ("list.jsonl", b"\n[1, 2]\n", "line 2: it is not a JSON object"),
        ("blank.jsonl", b"\n  \n", "the file holds only blank lines"),
        ("latin1.jsonl", '{"title": "caf\xe9"}\n'.encode("latin-1"), "not UTF-8 text"),
    ],
)
def test_a_file_that_is_not_json_lines_is_refused_on_the_form(
    client, editor_b, agency_b, name, data, message
):
    client.force_login(editor_b)
    response = upload(client, data, name=name, agency=agency_b)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'href="#id_file"' in page  # the error summary links to the field
    assert f'<option value="{agency_b.pk}" selected>' in page  # the choice is kept
    assert not LibraryImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, editor_a, agency_a, monkeypatch):
    monkeypatch.setattr(admin_forms, "MAX_UPLOAD_BYTES", 100)
    client.force_login(editor_a)
    response = upload(client, GOOD + GOOD, agency=agency_a)
    assert "the limit is 0.0 MB" in response.content.decode()
    assert not LibraryImport.objects.exists()


def test_site_admins_see_every_upload_and_may_upload_for_no_agency(
    client, admin_user, agency_a, agency_b, django_capture_on_commit_callbacks
):
    make_job(agency_a), make_job(agency_b)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks():
        response = upload(client, GOOD)
    assert response.status_code == 302
    assert LibraryImport.objects.filter(agency=None).count() == 1
    page = client.get(INDEX).content.decode()
    assert all(job_url(job) in page for job in LibraryImport.objects.all())
    assert LibraryImport.objects.count() == 3


def test_the_uploads_page_costs_the_same_queries_for_many_uploads(
    client, editor_a, agency_a, django_assert_max_num_queries
):
    client.force_login(editor_a)
    make_job(agency_a, user=editor_a)
    with django_assert_max_num_queries(18) as few:
        assert client.get(INDEX).status_code == 200
    for _ in range(30):
        make_job(agency_a, user=editor_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(INDEX).content.decode()
    assert page.count("editor-a") >= 31


# --- The job ---------------------------------------------------------------------------


def test_the_job_loads_the_file_and_its_page_shows_the_figures_and_bad_lines(
    client, editor_a, agency_a
):
    job = make_job(agency_a, data=WITH_BAD_LINES, user=editor_a)

    importer.run_import_job(job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.finished_at is not None
    assert (job.lines_read, job.bytes_read, job.percent) == (
        4,
        len(WITH_BAD_LINES),
        100,
    )
    assert (job.created_count, job.updated_count, job.unchanged_count) == (2, 0, 0)
    assert job.error_count == 2
    assert [error["line"] for error in job.errors] == [3, 4]
    assert set(LibraryDocument.objects.values_list("agency", "added_by")) == {
        (agency_a.pk, editor_a.pk)
    }
    assert CorpusStat.objects.get(doc_type="library").doc_count == 2

    client.force_login(editor_a)
    page = client.get(job_url(job)).content.decode()
    assert 'http-equiv="refresh"' not in page  # finished: no more reloading
    assert '<progress id="import-progress" max="100" value="100">' in page
    assert "<td>3</td><td>malformed JSON" in page
    assert "url is not an http(s) address: &#x27;javascript:alert(1)&#x27;" in page
    assert "<script>alert" not in page


def test_running_a_finished_job_again_does_nothing(agency_a):
    job = make_job(agency_a)
    importer.run_import_job(job.pk)
    done = LibraryImport.objects.values().get(pk=job.pk)
    LibraryDocument.objects.all().delete()

    importer.run_import_job(job.pk)

    assert LibraryImport.objects.values().get(pk=job.pk) == done
    assert not LibraryDocument.objects.exists()


def test_a_job_whose_file_is_gone_is_marked_failed_with_a_message(agency_a):
    job = make_job(agency_a)
    job.file.delete(save=False)

    importer.run_import_job(job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.finished_at is not None
    assert job.message == "The uploaded file is missing from storage; upload it again."


def test_a_job_another_worker_holds_is_left_alone(agency_a):
    job = make_job(agency_a)
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:
        key = (jobs.LOCK_CLASS, job.pk)
        other.execute("SELECT pg_advisory_lock(%s, %s)", key)
        importer.run_import_job(job.pk)
        other.execute("SELECT pg_advisory_unlock(%s, %s)", key)

    assert LibraryImport.objects.get(pk=job.pk).status == ImportStatus.PENDING
    importer.run_import_job(job.pk)  # the lock is free again
    assert LibraryImport.objects.get(pk=job.pk).status == ImportStatus.DONE


def test_a_job_interrupted_while_running_runs_again_from_the_start(agency_a):
    job = make_job(agency_a, status=ImportStatus.RUNNING, lines_read=1, created_count=1)
    importer.import_lines(GOOD.splitlines(keepends=True)[:1])  # what it had stored

    importer.run_import_job(job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.unchanged_count) == (1, 1)
    assert job.message.startswith("Restarted after an interruption")


def test_a_waiting_job_can_be_queued_again_from_its_page(
    client, editor_a, agency_a, django_capture_on_commit_callbacks
):
    job = make_job(agency_a)
    client.force_login(editor_a)
    assert "Ask for the import again" not in client.get(job_url(job)).content.decode()
    LibraryImport.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    assert "Ask for the import again" in client.get(job_url(job)).content.decode()

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(job_url(job))
    assert response.status_code == 302 and len(callbacks) == 1

    importer.run_import_job(job.pk)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(job_url(job))
    assert callbacks == []  # a finished job is not queued again


# The beat sweep: uploads whose task was lost -----------------------------------------


@pytest.fixture
def sent(monkeypatch):
    """The job ids sent to the broker (a real worker runs them in test_library_worker)."""
    from search import tasks

    ids = []
    monkeypatch.setattr(
        tasks.import_library, "apply_async", lambda args, **options: ids.extend(args)
    )
    return ids


def test_the_sweep_queues_again_a_job_waiting_too_long_and_one_whose_worker_died(
    agency_a, django_capture_on_commit_callbacks, sent
):
    old = timezone.now() - jobs.STALE_AFTER - timedelta(seconds=1)
    waiting = make_job(agency_a)
    LibraryImport.objects.filter(pk=waiting.pk).update(created_at=old)
    fresh = make_job(agency_a)
    died = make_job(agency_a, status=ImportStatus.RUNNING)
    done = make_job(agency_a, status=ImportStatus.DONE)
    LibraryImport.objects.filter(pk__in=[died.pk, done.pk]).update(created_at=old)

    with django_capture_on_commit_callbacks(execute=True):
        queued = jobs.library_imports_requeue_stale()

    assert sorted(queued) == sorted(sent) == sorted([waiting.pk, died.pk])
    for pk in sent:  # as the worker does
        importer.run_import_job(pk)
    statuses = dict(LibraryImport.objects.values_list("pk", "status"))
    assert statuses[waiting.pk] == statuses[died.pk] == ImportStatus.DONE
    assert statuses[fresh.pk] == ImportStatus.PENDING  # its task may still come
    assert statuses[done.pk] == ImportStatus.DONE


def test_the_sweep_leaves_a_job_a_worker_is_running(agency_a):
    job = make_job(agency_a, status=ImportStatus.RUNNING)
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    ) as worker:
        key = (jobs.LOCK_CLASS, job.pk)
        worker.execute("SELECT pg_advisory_lock(%s, %s)", key)
        assert jobs.library_imports_requeue_stale() == []
        worker.execute("SELECT pg_advisory_unlock(%s, %s)", key)
    assert jobs.library_imports_requeue_stale() == [job.pk]


def test_the_sweep_is_in_the_beat_schedule(settings):
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "search.requeue_imports" in entries
