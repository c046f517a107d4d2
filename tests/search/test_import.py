"""Loading the prior-art library from JSON Lines: ``search.importer`` and
``manage.py import_library``, on the real database.

A file mixing good lines with every kind of bad line loads exactly the good lines,
reports each bad one with its number and reason, and loads nothing twice when run again.
"""

from __future__ import annotations

import io
import json
import random
import string
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from search import importer
from search.importer.rows import read_lines
from search.models import CorpusStat, LibraryDocument
from submissions.identifiers import identifier_key
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def line(**fields) -> bytes:
    return json.dumps(fields).encode() + b"\n"


TEG = {
    "identifier": "US 7,654,321 B2",
    "title": "Thermoelectric generator on the exhaust pipe",
    "body": "Bismuth telluride modules on the exhaust charge the 12 V battery.",
    "url": "https://ntdb.example.org/2009/0412",
    "published_on": "2009-03-17",
    "source": "Northland Technical Disclosure Bulletin",
}
BEAMS = {
    "title": "Predicting the power of unmeasured beams",
    "body": "A neural network predicts the RSRP of every beam from eight measured.",
    "published_on": 2019,
    "language": "fr",
    "some_unknown_key": "ignored",
}
COATING = {
    "identifier": "10.5555/pmc.2012.0157",
    "title": "Tung oil microcapsules",
    "body": "Capsules of tung oil heal scratches in an epoxy primer.",
    "published_on": "2012",
}

# Line by line: what is wrong (None for a good or blank line).
MIXED = [
    (line(**TEG), None),
    (line(**BEAMS), None),
    (b"\n", None),  # blank: skipped
    (b'{"title": "cut short", "body": \n', "malformed JSON"),
    (b'["a", "list"]\n', "not a JSON object (found a list)"),
    (line(body="A body without a title."), "title is missing"),
    (line(title="A title", body="   "), "body is empty"),
    (
        line(identifier="us7654321", title="Same patent", body="Other words."),
        "identifier 'us7654321' was already used on line 1",
    ),
    (
        line(title="Dated oddly", body="Text.", published_on="May 2019"),
        "published_on has an unknown date format",
    ),
    ('{"title": "Caf\xe9", "body": "Latin-1"}\n'.encode("latin-1"), "not UTF-8 text"),
    (line(title="Bad link", body="Text.", url="ftp://x.example.org/"), "url is not"),
    (line(title="Klingon", body="Text.", language="tlh"), "unknown language 'tlh'"),
    (line(title="T" * 1001, body="Text."), "title is too long (1,001 characters"),
    (line(title="Impossible", body="Text.", published_on="2019-02-30"), "not a real"),
    (line(title=7, body="Text."), "title must be a string, not a number"),
    (line(**COATING), None),
    (
        line(title=BEAMS["title"], body=BEAMS["body"]),
        "the same title and text as line 2",
    ),
]
GOOD_TITLES = {TEG["title"], BEAMS["title"], COATING["title"]}


def mixed_bytes() -> bytes:
    return b"".join(raw for raw, _ in MIXED)


def expected_errors() -> list[tuple[int, str]]:
    return [(n, why) for n, (_, why) in enumerate(MIXED, start=1) if why]


def assert_reported(report, expected):
    assert [error.line for error in report.errors] == [n for n, _ in expected]
    for error, (_, why) in zip(report.errors, expected, strict=True):
        assert why in error.reason, (error.line, error.reason)
    assert report.error_count == len(expected)


def test_a_mixed_file_loads_exactly_the_good_lines_and_reports_every_bad_one():
    report = importer.import_lines(io.BytesIO(mixed_bytes()))

    assert (report.lines, report.created, report.updated, report.unchanged) == (
        len(MIXED),
        3,
        0,
        0,
    )
    assert_reported(report, expected_errors())
    assert set(LibraryDocument.objects.values_list("title", flat=True)) == GOOD_TITLES

    teg = LibraryDocument.objects.get(title=TEG["title"])
    assert teg.identifier == "US 7,654,321 B2"
    assert teg.identifier_key == identifier_key("US 7,654,321 B2") == "patent:US7654321"
    assert (teg.published_on, teg.published_on_precision) == (date(2009, 3, 17), "day")
    assert (teg.url, teg.source, teg.language) == (TEG["url"], TEG["source"], "en")
    assert teg.content_hash == importer.content_hash(TEG["title"], TEG["body"])
    beams = LibraryDocument.objects.get(title=BEAMS["title"])
    assert (beams.identifier_key, beams.language) == ("", "fr")
    assert (beams.published_on, beams.published_on_precision) == (
        date(2019, 1, 1),
        "year",
    )
    coating = LibraryDocument.objects.get(title=COATING["title"])
    assert coating.identifier_key == "doi:10.5555/pmc.2012.0157"
    assert coating.published_on_precision == "year"


def test_loading_the_same_file_again_loads_nothing_twice():
    importer.import_lines(io.BytesIO(mixed_bytes()))
    before = list(LibraryDocument.objects.order_by("pk").values("pk", "updated_at"))

    again = importer.import_lines(io.BytesIO(mixed_bytes()))

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert_reported(again, expected_errors())
    assert (
        list(LibraryDocument.objects.order_by("pk").values("pk", "updated_at"))
        == before
    )


def test_the_same_identifier_with_other_content_updates_the_document():
    agency_a = AgencyFactory(slug="a")
    first_user = UserFactory(username="first-loader")
    importer.import_lines([line(**TEG)], agency=agency_a, user=first_user)
    document = LibraryDocument.objects.get()

    edited = dict(TEG, identifier="US7654321", body=TEG["body"] + " Now with a valve.")
    report = importer.import_lines(
        [line(**edited)], agency=agency_a, user=UserFactory(username="second-loader")
    )

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    document.refresh_from_db()
    assert document.body.endswith("Now with a valve.")
    assert document.identifier == "US7654321"
    # The document keeps the person that first loaded it.
    assert (document.agency, document.added_by) == (agency_a, first_user)
    assert LibraryDocument.objects.filter(search_vector="valve").get() == document


def test_another_agency_cannot_change_a_document_an_operator_can():
    agency_a = AgencyFactory(slug="a", name="Patent Office A")
    agency_b = AgencyFactory(slug="b")
    importer.import_lines([line(**TEG)], agency=agency_a)
    before = LibraryDocument.objects.values().get()
    edited = dict(TEG, body=TEG["body"] + " Now with a valve.")
    other = dict(TEG, identifier="US1111111", title="Another document")

    report = importer.import_lines([line(**edited), line(**other)], agency=agency_b)

    assert (report.created, report.updated, report.unchanged) == (1, 0, 0)
    [error] = report.errors
    assert error.line == 1
    assert "was loaded by Patent Office A" in error.reason
    assert LibraryDocument.objects.values().get(pk=before["id"]) == before
    # The same text again is no change, so nothing to refuse.
    same = importer.import_lines([line(**TEG)], agency=agency_b)
    assert (same.unchanged, same.errors) == (1, [])
    # An operator (the command, a site admin's upload) may change any document.
    operator = importer.import_lines([line(**edited)])
    assert (operator.updated, operator.errors) == (1, [])
    document = LibraryDocument.objects.get(pk=before["id"])
    assert document.body.endswith("Now with a valve.") and document.agency == agency_a


def test_a_shared_document_is_changed_by_operators_only():
    """A document loaded for no agency (the command, a site admin) belongs to no
    agency: an editor's load can neither rewrite it nor claim it."""
    importer.import_lines([line(**TEG)])
    before = LibraryDocument.objects.values().get()
    edited = dict(TEG, body=TEG["body"] + " Now with a valve.")

    report = importer.import_lines([line(**edited)], agency=AgencyFactory(slug="a"))

    assert (report.created, report.updated) == (0, 0)
    [error] = report.errors
    assert error.line == 1 and "is in the shared library" in error.reason
    assert LibraryDocument.objects.values().get() == before
    operator = importer.import_lines([line(**edited)])
    assert operator.updated == 1
    document = LibraryDocument.objects.get()
    assert document.body.endswith("Now with a valve.") and document.agency is None


def test_metadata_changes_update_and_white_space_changes_do_not():
    importer.import_lines([line(**TEG), line(**BEAMS)])

    spaced = dict(TEG, body="  " + TEG["body"].replace(" ", "   ") + "\n")
    assert importer.import_lines([line(**spaced)]).unchanged == 1

    moved = dict(BEAMS, url="https://example.org/beams", source="Letters")
    report = importer.import_lines([line(**moved)])
    assert (report.created, report.updated) == (0, 1)
    beams = LibraryDocument.objects.get(title=BEAMS["title"])
    assert (beams.url, beams.source) == ("https://example.org/beams", "Letters")

    # Without an identifier, other text is another document.
    reworded = dict(BEAMS, body=BEAMS["body"] + " Also for 6G.")
    assert importer.import_lines([line(**reworded)]).created == 1
    assert LibraryDocument.objects.count() == 3


def test_import_records_numbers_records_as_lines_and_refuses_non_objects():
    report = importer.import_records([TEG, "a string", 42, BEAMS, {"title": "x"}])

    assert (report.lines, report.created) == (5, 2)
    assert [(e.line, e.reason) for e in report.errors] == [
        (2, "not a JSON object (found a string)"),
        (3, "not a JSON object (found a number)"),
        (5, "body is missing"),
    ]
    again = importer.import_records([TEG, BEAMS])
    assert (again.created, again.unchanged) == (0, 2)


def test_a_line_the_database_refuses_is_reported_and_the_rest_of_its_batch_loads():
    # Half a million random words: within the length limit, but their search vector
    # is over PostgreSQL's 1 MB limit for a tsvector.
    rng = random.Random(4)
    words = (
        "".join(rng.choices(string.ascii_lowercase, k=rng.randint(6, 10)))
        for _ in range(110_000)
    )
    huge = {
        "title": "Word salad",
        "body": " ".join(words)[: importer.rows.MAX_BODY_CHARS],
    }

    report = importer.import_lines([line(**TEG), line(**huge), line(**COATING)])

    assert (report.created, report.error_count) == (2, 1)
    assert report.errors[0].line == 2
    assert "the database refused this document" in report.errors[0].reason
    assert "tsvector" in report.errors[0].reason
    assert set(LibraryDocument.objects.values_list("title", flat=True)) == {
        TEG["title"],
        COATING["title"],
    }


def test_progress_reports_lines_and_bytes_read_after_each_batch():
    data = b"".join(
        line(title=f"Document {n}", body=f"Text number {n} of the test.")
        for n in range(7)
    )
    calls = []

    report = importer.import_lines(
        io.BytesIO(data), progress=lambda *args: calls.append(args), batch_size=3
    )

    assert report.created == 7
    assert calls[-1] == (7, len(data))
    assert [lines for lines, _ in calls] == sorted(lines for lines, _ in calls)
    assert len(calls) >= 3


def test_an_overlong_line_is_reported_without_being_read_into_memory():
    data = line(**TEG) + b'{"title": "' + b"x" * 500 + b'"}\n' + line(**COATING)

    report = importer.import_lines(read_lines(io.BytesIO(data), limit=400))

    assert report.created == 2
    assert [(e.line, e.reason) for e in report.errors] == [
        (2, "line too long (514 bytes; at most 400)")
    ]


def test_a_byte_order_mark_and_windows_line_ends_are_accepted():
    data = b"\xef\xbb\xbf" + line(**TEG).replace(b"\n", b"\r\n") + line(**COATING)
    assert importer.import_lines(io.BytesIO(data)).created == 2


# --- The command -----------------------------------------------------------------------


@pytest.fixture
def mixed_file(tmp_path):
    path = tmp_path / "library.jsonl"
    path.write_bytes(mixed_bytes())
    return path


def run_command(*args, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    kwargs = {"stdin": stdin} if stdin is not None else {}
    try:
        call_command("import_library", *args, stdout=out, stderr=err, **kwargs)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_the_command_loads_the_good_lines_lists_the_bad_ones_and_fails(mixed_file):
    agency = AgencyFactory(slug="patent-office")

    out, err, error = run_command(str(mixed_file), "--agency", "patent-office")

    assert "3 created, 0 updated, 0 unchanged, 13 bad" in out
    listed = {
        int(text.split(":")[0].removeprefix("  line ")): text
        for text in err.splitlines()
        if text.startswith("  line ")
    }
    assert sorted(listed) == [number for number, _ in expected_errors()]
    for number, why in expected_errors():
        assert why in listed[number]
    assert error is not None and error.returncode == 1
    assert "13 bad lines were not loaded; the other lines were" in str(error)
    assert "lines/s" in err  # the progress line
    assert set(LibraryDocument.objects.values_list("agency", flat=True)) == {agency.pk}
    stat = CorpusStat.objects.get(doc_type="library")
    assert stat.doc_count == 3  # the statistics were refreshed

    out, err, error = run_command(str(mixed_file), "--agency", "patent-office")
    assert "0 created, 0 updated, 3 unchanged, 13 bad" in out
    assert LibraryDocument.objects.count() == 3


def test_the_command_succeeds_on_a_clean_file_read_from_standard_input():
    data = line(**TEG) + line(**BEAMS)

    out, err, error = run_command("-", stdin=io.BytesIO(data))

    assert error is None
    assert "Read 2 lines from standard input" in out and "2 created" in out
    assert LibraryDocument.objects.count() == 2


def test_the_command_refuses_what_it_cannot_read_without_a_traceback(tmp_path):
    _, _, error = run_command(str(tmp_path / "missing.jsonl"))
    assert "Cannot read" in str(error) and "No such file or directory" in str(error)

    _, _, error = run_command(str(tmp_path))
    assert "Cannot read" in str(error)

    (tmp_path / "ok.jsonl").write_bytes(line(**TEG))
    AgencyFactory(slug="energy-regulator")
    _, _, error = run_command(str(tmp_path / "ok.jsonl"), "--agency", "nope")
    assert str(error) == "No agency has the slug 'nope'. Known slugs: energy-regulator."
    assert not LibraryDocument.objects.exists()


def test_the_command_refuses_a_batch_size_below_one(tmp_path):
    with pytest.raises(CommandError, match="expected a whole number of 1 or more"):
        call_command("import_library", str(tmp_path), "--batch-size", "0")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_writer_threads_store_the_batches(tmp_path):
    """The command's own path: batches stored in parallel on connections of their own."""
    from django.db import connection

    assert not connection.in_atomic_block
    path = tmp_path / "many.jsonl"
    lines = [
        line(title=f"Disclosure {n}", body=f"Gear hash chunking variant {n}.")
        for n in range(40)
    ]
    lines[7] = b"not json\n"
    lines[20] = line(title="Disclosure 3", body="Gear hash chunking variant 3.")
    path.write_bytes(b"".join(lines))

    out, err, error = run_command(str(path), "--batch-size", "4")
    assert "38 created, 0 updated, 0 unchanged, 2 bad" in out
    assert "  line 8: malformed JSON" in err
    assert "  line 21: the same title and text as line 4" in err
    assert LibraryDocument.objects.count() == 38

    out, _, _ = run_command(str(path), "--batch-size", "4")
    assert "0 created, 0 updated, 38 unchanged, 2 bad" in out


def test_the_demo_library_loads_without_a_bad_line_and_only_once(
    django_assert_num_queries,
):
    from search.demo_library import load_demo_library

    report = load_demo_library()

    assert report.error_count == 0, report.errors
    assert report.created == report.lines == LibraryDocument.objects.count() >= 40
    assert LibraryDocument.objects.exclude(identifier_key="").count() >= 30
    with django_assert_num_queries(1):
        assert load_demo_library() is None  # all there: one query to know it


def test_seed_demo_loads_the_library_and_refreshes_the_statistics():
    call_command("seed_demo", stdout=io.StringIO())
    count = LibraryDocument.objects.count()
    assert count >= 40
    assert CorpusStat.objects.get(doc_type="library").doc_count == count
    assert CorpusStat.objects.filter(doc_type="case", doc_count__gt=0).exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert LibraryDocument.objects.count() == count
