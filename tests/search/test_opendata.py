"""Open data export: what the files hold and leave out, the CSV's safety, the manifest,
the atomic replacement of the files and the query budget, on real PostgreSQL."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from search import opendata
from tests.factories import TechnologyAreaFactory
from tests.search.opendata_world import (
    BASE,
    DATA_FILES,
    ERASED,
    NOTE,
    add_evidence,
    csv_rows,
    jsonl,
    library_doc,
    out_dir_fixture,  # noqa: F401 - fixture
    read,
    staffed,
    world_fixture,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db


# --- What is exported ----------------------------------------------------------------


def test_only_published_cases_are_exported_with_their_claims(world, out_dir):
    opendata.export()
    files = read(out_dir)
    cases = {row["reference"]: row for row in jsonl(files, "cases.jsonl")}
    assert set(cases) == {"OPEN-1", "FWD-1"}  # no draft, no withdrawn case
    case = cases["OPEN-1"]
    assert case["id"] == world["open_case"].pk
    assert case["technology_areas"] == ["Energy storage"]
    assert case["status"] == "open" and case["language"] == "en"
    assert case["page_url"] == BASE + world["open_case"].get_absolute_url()
    assert [c["number"] for c in case["claims"]] == [1, 2]
    assert case["claims"][1]["depends_on"] == 1
    assert {row["reference"] for row in csv_rows(files, "cases.csv")} == set(cases)
    claims = csv_rows(files, "claims.csv")
    assert [(c["case_reference"], c["number"]) for c in claims] == [
        ("OPEN-1", "1"),
        ("OPEN-1", "2"),
        ("FWD-1", "1"),
    ]
    everything = b"".join(files.values())
    assert b"Draft case never public" not in everything
    assert b"Withdrawn case title" not in everything


def test_a_withdrawn_case_published_again_is_exported_as_withdrawn(
    world, out_dir, editor_a
):
    withdrawn = Case.objects.get(reference="WD-1")
    withdrawn.save_revision(user=editor_a).publish(user=editor_a)
    opendata.export()
    cases = {row["reference"]: row for row in jsonl(read(out_dir), "cases.jsonl")}
    assert cases["WD-1"]["status"] == "withdrawn"


def test_only_vetted_and_forwarded_evidence_that_is_not_hidden(world, out_dir):
    opendata.export()
    files = read(out_dir)
    titles = {row["title"] for row in jsonl(files, "evidence.jsonl")}
    assert titles == {"Vetted survey", "Used evidence", "Awaiting evidence"}
    assert {row["title"] for row in csv_rows(files, "evidence.csv")} == titles
    everything = b"".join(files.values())
    for left_out in ("Unscreened", "Held submission", "Rejected", "Hidden after"):
        assert left_out.encode() not in everything


def test_evidence_carries_claims_ratings_library_and_partial_date(world, out_dir):
    opendata.export()
    files = read(out_dir)
    rows = {row["title"]: row for row in jsonl(files, "evidence.jsonl")}
    vetted = rows["Vetted survey"]
    assert vetted["tracking_ref"] == world["vetted"].tracking_ref
    assert vetted["case_reference"] == "OPEN-1" and vetted["status"] == "vetted"
    assert [c["number"] for c in vetted["claims"]] == [1, 2]
    assert vetted["claims"][0]["explanation"] == "Claim 1 is shown in section 1."
    assert (vetted["rating_count"], vetted["rating_average"]) == (2, 4.5)
    assert vetted["library_document_id"] == world["doc"].pk
    assert vetted["published_on"] == "2001-05"
    assert vetted["contributor"] == "alice"
    assert vetted["page_url"] == BASE + world["vetted"].get_absolute_url()
    assert vetted["dossier_rank"] is None and vetted["outcome"] is None
    mapped = csv_rows(files, "evidence_claims.csv")
    assert [
        (m["claim_number"], m["explanation"])
        for m in mapped
        if m["tracking_ref"] == vetted["tracking_ref"]
    ] == [
        ("1", "Claim 1 is shown in section 1."),
        ("2", "Claim 2 is shown in section 2."),
    ]


def test_outcome_is_public_but_the_examiners_note_never(world, out_dir):
    opendata.export()
    files = read(out_dir)
    rows = {row["title"]: row for row in jsonl(files, "evidence.jsonl")}
    assert rows["Used evidence"]["status"] == "forwarded"
    assert rows["Used evidence"]["outcome"] == "used_in_action"
    assert rows["Awaiting evidence"]["outcome"] is None
    assert {
        rows["Used evidence"]["dossier_rank"],
        rows["Awaiting evidence"]["dossier_rank"],
    } == {1, 2}
    csv_by_title = {row["title"]: row for row in csv_rows(files, "evidence.csv")}
    assert csv_by_title["Used evidence"]["outcome"] == "used_in_action"
    assert NOTE.encode() not in b"".join(files.values())


def test_an_erased_contributor_is_former_contributor(world, out_dir):
    opendata.export()
    files = read(out_dir)
    rows = {row["title"]: row for row in jsonl(files, "evidence.jsonl")}
    assert rows["Used evidence"]["contributor"] == "former contributor"
    assert ERASED.encode() not in b"".join(files.values())


def test_library_documents_are_exported(world, out_dir):
    library_doc(2, identifier="", url="https://example.org/2")
    opendata.export()
    files = read(out_dir)
    docs = jsonl(files, "library.jsonl")
    assert [d["title"] for d in docs] == [
        "Library disclosure 1",
        "Library disclosure 2",
    ]
    assert docs[0]["published_on"] == "1999" and docs[0]["identifier"] == "TD-1"
    assert docs[0]["body"].startswith("Body of disclosure 1")
    assert docs[0]["page_url"] == BASE + world["doc"].get_absolute_url()
    assert docs[1]["published_on"] is None and docs[1]["url"] == "https://example.org/2"
    assert [row["id"] for row in csv_rows(files, "library.csv")] == [
        str(d["id"]) for d in docs
    ]


def test_csv_parses_and_formula_cells_are_defused(world, out_dir):
    opendata.export()
    files = read(out_dir)
    for name in DATA_FILES:
        if name.endswith(".csv"):
            header = next(csv.reader(io.StringIO(files[name].decode())))
            assert header == opendata.FILES[name][1]
    case = next(r for r in csv_rows(files, "cases.csv") if r["reference"] == "OPEN-1")
    assert case["title"] == '\'=HYPERLINK("http://x")'
    item = next(
        r for r in csv_rows(files, "evidence.csv") if r["title"] == "Vetted survey"
    )
    assert item["authors"] == "'@SUM(1+1)"
    assert item["relevance"] == "'-1 would be a formula"
    assert item["claim_numbers"] == "1; 2"
    # JSON Lines keep the text as it was written.
    raw = next(r for r in jsonl(files, "cases.jsonl") if r["reference"] == "OPEN-1")
    assert raw["title"] == '=HYPERLINK("http://x")'


def test_manifest_describes_every_file_and_its_checksum(world, out_dir):
    paths = opendata.export()
    assert [p.name for p in paths] == [*DATA_FILES, "manifest.json"]
    files = read(out_dir)
    manifest = json.loads(files["manifest.json"])
    assert manifest["licence"]["name"] == "CC BY 4.0"
    assert manifest["generated_at"].endswith("+00:00")
    assert [entry["name"] for entry in manifest["files"]] == DATA_FILES
    for entry in manifest["files"]:
        data = files[entry["name"]]
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
        assert entry["description"]
        if entry["name"].endswith(".jsonl"):
            assert entry["rows"] == len(data.splitlines())
        else:
            assert entry["rows"] == len(csv_rows(files, entry["name"]))
    assert {e["name"]: e["rows"] for e in manifest["files"]}["evidence.jsonl"] == 3


# --- Replacing the files whole ---------------------------------------------------------


def test_reexport_replaces_the_files_whole_and_leaves_no_temporary_file(
    world, out_dir, case_factory
):
    opendata.export()
    before = read(out_dir)
    reader = (out_dir / "cases.jsonl").open("rb")  # a download in progress
    (out_dir / ".export-cases.jsonl.killed").write_bytes(b"half")  # a killed export
    case_factory("open", reference="NEW-1", title="Published since")
    seen = []

    def progress(dataset, done, total):
        # Mid-export: the served files are still the previous ones, whole.
        seen.append(dataset)
        assert (out_dir / "cases.jsonl").read_bytes() == before["cases.jsonl"]

    opendata.export(progress=progress)
    assert seen == ["cases", "evidence", "library"]
    assert reader.read() == before["cases.jsonl"]
    reader.close()
    after = read(out_dir)
    assert set(after) == set(before)  # no temporary file left, the stale one removed
    assert b"Published since" in after["cases.jsonl"]
    manifest = json.loads(after["manifest.json"])
    cases = next(e for e in manifest["files"] if e["name"] == "cases.jsonl")
    assert cases["sha256"] == hashlib.sha256(after["cases.jsonl"]).hexdigest()


def test_a_failed_export_keeps_the_previous_files(world, out_dir, case_factory):
    opendata.export()
    before = read(out_dir)
    case_factory("open", reference="NEW-2", title="Not yet exported")

    def progress(dataset, done, total):
        if dataset == "library":
            raise OSError("disk full")

    with pytest.raises(OSError):
        opendata.export(progress=progress)
    assert read(out_dir) == before


# --- Query budget ----------------------------------------------------------------------


def count_queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        opendata.export()
    return len(queries)


def test_queries_do_not_grow_with_the_data(world, case_factory, reviewer, examiner):
    few = count_queries()
    people = world["people"]
    add_evidence(world["open_case"], reviewer, people, 6)
    for n in range(3):
        case = staffed(
            case_factory(
                "open", claims=4, reference=f"MORE-{n}", areas=[TechnologyAreaFactory()]
            ),
            reviewer,
            examiner,
        )
        add_evidence(case, reviewer, people, 2, offset=10 * (n + 1))
    for n in range(10, 30):
        library_doc(n)
    assert count_queries() == few
