"""``/api/v1/library/``: the list and its filters, one document, and loading documents
(who may, JSON Lines and JSON lists, bad lines, idempotency, size, the statistics)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cases import services as case_services
from config.celery import app as celery_app
from search import engine
from search.models import CorpusStat, LibraryDocument
from search.sources import Filters
from tests.factories import AgencyFactory
from tests.submissions.factories import login

from .factories import make_library_document

URL = "/api/v1/library/"
NDJSON = "application/x-ndjson"


@pytest.fixture
def api():
    return APIClient()


def jsonl(*records) -> bytes:
    return b"".join(
        (record if isinstance(record, bytes) else json.dumps(record).encode()) + b"\n"
        for record in records
    )


def post_lines(api, body: bytes, content_type: str = NDJSON, **params):
    query = "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
    return api.post(URL + query, body, content_type=content_type)


# --- Reading ---------------------------------------------------------------------------


def test_the_list_is_newest_first_without_the_text(api, db, agency_a):
    older = make_library_document(title="Older", agency=agency_a)
    newer = make_library_document(
        title="Newer",
        body="Other text.",
        identifier="US 7,654,321 B2",
        published_on=date(2019, 1, 1),
        published_on_precision="year",
    )

    answer = api.get(URL).json()

    assert answer["count"] == 2
    assert [doc["id"] for doc in answer["results"]] == [newer.pk, older.pk]
    first = answer["results"][0]
    assert "body" not in first
    assert first["identifier_key"] == "patent:US7654321"
    assert first["published_on"] == "2019-01-01"
    assert first["published_on_precision"] == "year"
    assert first["agency"] is None
    assert answer["results"][1]["agency"] == "patent-office"
    assert first["url_html"] == f"http://testserver/library/{newer.pk}/"


def test_the_list_filters_by_source_language_and_identifier(api, db):
    ieee = make_library_document(title="A", source="IEEE", identifier="US 7,654,321")
    german = make_library_document(title="B", body="Wärme.", language="de")
    make_library_document(title="C", body="Other.", source="ACM")

    def ids(**params):
        return [doc["id"] for doc in api.get(URL, params).json()["results"]]

    assert ids(source="IEEE") == [ieee.pk]
    assert ids(language="de") == [german.pk]
    assert ids(identifier="us7654321") == [ieee.pk]
    assert ids(identifier="US 1") == []
    bad = api.get(URL, {"language": "xx"})
    assert bad.status_code == 400 and "language" in bad.json()


def test_the_list_costs_the_same_queries_whatever_its_length(api, db, agency_a):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert api.get(URL).status_code == 200
        return len(captured)

    make_library_document(title="One", agency=agency_a)
    small = queries()
    for n in range(30):
        make_library_document(title=f"Doc {n}", body=f"Text {n}.", agency=agency_a)

    assert queries() == small <= 3


def test_one_document_with_its_text(api, db):
    document = make_library_document(title="Peltier", body="The whole text.")

    answer = api.get(f"{URL}{document.pk}/").json()

    assert answer["id"] == document.pk and answer["body"] == "The whole text."
    for missing in (f"{document.pk + 1}", "abc", "1.0", "99999999999999999999"):
        response = api.get(f"{URL}{missing}/")
        assert response.status_code == 404
        assert response.json() == {"detail": "No such library document."}


# --- Who may load documents ------------------------------------------------------------

GOOD = {
    "title": "Heat pipe",
    "body": "A sealed heat pipe.",
    "identifier": "US 1,234,567",
}


def test_anonymous_clients_and_contributors_may_not_load(api, db, contributor):
    assert post_lines(api, jsonl(GOOD)).status_code == 401

    login(api, contributor)
    refused = post_lines(api, jsonl(GOOD))

    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "Only agency editors can add documents to the library."
    }
    assert not LibraryDocument.objects.exists()


def test_an_editor_loads_for_their_agency_and_no_other(api, editor_a, agency_b):
    login(api, editor_a)

    other = post_lines(api, jsonl(GOOD), agency="energy-regulator")
    unknown = post_lines(api, jsonl(GOOD), agency="no-such-agency")
    loaded = post_lines(api, jsonl(GOOD))

    assert other.status_code == 403
    assert unknown.status_code == 400 and "agency" in unknown.json()
    assert loaded.status_code == 201
    document = LibraryDocument.objects.get()
    assert (document.agency.slug, document.added_by) == ("patent-office", editor_a)


def test_an_editor_of_several_agencies_says_which(api, editor_a, agency_b):
    case_services.agency_appoint_editor(agency=agency_b, user=editor_a)
    login(api, editor_a)

    ambiguous = post_lines(api, jsonl(GOOD))
    chosen = post_lines(api, jsonl(GOOD), agency="energy-regulator")

    assert ambiguous.status_code == 400
    assert "several agencies" in ambiguous.json()["agency"][0]
    assert chosen.status_code == 201
    assert LibraryDocument.objects.get().agency == agency_b


def test_a_site_admin_loads_for_any_agency_or_none(api, admin_user, agency_a):
    AgencyFactory(slug="second")
    login(api, admin_user)

    assert post_lines(api, jsonl(GOOD)).status_code == 201
    assert LibraryDocument.objects.get().agency is None
    second = {**GOOD, "identifier": "US 2,222,222"}
    assert post_lines(api, jsonl(second), agency="second").status_code == 201
    assert (
        LibraryDocument.objects.get(identifier="US 2,222,222").agency.slug == "second"
    )


# --- What is loaded --------------------------------------------------------------------


@pytest.fixture
def editor_api(api, editor_a):
    return login(api, editor_a)


def test_json_lines_load_the_good_lines_and_report_the_bad(editor_api):
    body = (
        jsonl(GOOD, {"title": "No text"})
        + b"{not json\n\n"
        + jsonl({"title": "Dated", "body": "Text.", "published_on": "May 2019"})
        + jsonl({"title": "Second", "body": "Another text.", "published_on": 2019})
        + b'{"title": "Latin-1 \xe9", "body": "x"}\n'
    )

    response = post_lines(editor_api, body)

    assert response.status_code == 201
    report = response.json()
    assert (report["created"], report["updated"], report["unchanged"]) == (2, 0, 0)
    assert report["error_count"] == 4
    assert [error["line"] for error in report["errors"]] == [2, 3, 5, 7]
    assert all(error["reason"] for error in report["errors"])
    assert set(LibraryDocument.objects.values_list("title", flat=True)) == {
        "Heat pipe",
        "Second",
    }


def test_the_same_body_again_changes_nothing(editor_api):
    body = jsonl(GOOD, {"title": "Other", "body": "Another text."})
    assert post_lines(editor_api, body).status_code == 201

    again = post_lines(editor_api, body, content_type="application/jsonl")

    assert again.status_code == 200
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 2)
    edited = post_lines(editor_api, jsonl({**GOOD, "body": "A new text."}))
    assert (edited.status_code, edited.json()["updated"]) == (200, 1)
    assert LibraryDocument.objects.count() == 2


def test_a_json_list_loads_like_lines(editor_api):
    records = [GOOD, "not an object", {"title": "", "body": "x"}]

    response = editor_api.post(URL, records, format="json")

    assert response.status_code == 201
    report = response.json()
    assert (report["lines"], report["created"], report["error_count"]) == (3, 1, 2)
    assert [error["line"] for error in report["errors"]] == [2, 3]


def test_nothing_good_answers_400_with_the_report(editor_api):
    response = post_lines(editor_api, b"{oops\n" + jsonl({"body": "no title"}))

    assert response.status_code == 400
    assert response.json()["error_count"] == 2
    assert [error["line"] for error in response.json()["errors"]] == [1, 2]
    assert not LibraryDocument.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"", NDJSON),
        (b"\n\n", NDJSON),
        (b"[]", "application/json"),
        (b'{"title": "An object, not a list", "body": "x"}', "application/json"),
    ],
)
def test_a_body_without_documents_answers_400(editor_api, body, content_type):
    response = post_lines(editor_api, body, content_type=content_type)

    assert response.status_code == 400
    assert "JSON Lines" in response.json()["non_field_errors"][0]


def test_malformed_json_and_other_media_types_are_refused(editor_api):
    assert post_lines(
        editor_api, b"[{", content_type="application/json"
    ).status_code == (400)
    assert (
        post_lines(editor_api, b"title=x", content_type="text/csv").status_code == 415
    )


def test_json_nested_too_deeply_or_numbers_too_long_answer_400_or_a_bad_line(
    editor_api,
):
    """Python's json refuses both with errors other than a decoding error: a body is a
    400, a line of JSON Lines a reported bad line, never a server error."""
    nested = b"[" * 100_000 + b"]" * 100_000
    response = post_lines(editor_api, nested, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]

    huge = b'{"title": "Huge", "body": "x", "n": ' + b"9" * 5000 + b"}\n"
    response = post_lines(editor_api, jsonl(GOOD) + huge + b"[" * 100_000 + b"\n")
    assert response.status_code == 201
    assert [(e["line"], e["reason"][:14]) for e in response.json()["errors"]] == [
        (2, "malformed JSON"),
        (3, "malformed JSON"),
    ]
    assert list(LibraryDocument.objects.values_list("title", flat=True)) == [
        "Heat pipe"
    ]
    # Elsewhere in the API too.
    answer = editor_api.post(
        "/api/v1/auth/token/", nested, content_type="application/json"
    )
    assert answer.status_code == 400


def test_a_body_over_ten_megabytes_answers_413_and_loads_nothing(editor_api):
    line = json.dumps({"title": "Big", "body": "x" * 1_000_000}).encode() + b"\n"
    body = jsonl(GOOD) + line * 11

    response = post_lines(editor_api, body)

    assert response.status_code == 413
    assert "admin" in response.json()["detail"]
    assert not LibraryDocument.objects.exists()


@pytest.fixture
def eager_tasks():
    """Run enqueued tasks in this process, so the test sees their effect."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


def test_a_load_that_changed_something_refreshes_the_statistics(
    editor_api, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post_lines(editor_api, jsonl(GOOD))
    assert len(callbacks) == 1
    assert CorpusStat.objects.get(doc_type="library").doc_count == 1
    results = engine.search(user=None, q="heat pipe", filters=Filters())
    assert [hit.title for hit in results.hits] == ["Heat pipe"]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post_lines(editor_api, jsonl(GOOD))
    assert callbacks == []
