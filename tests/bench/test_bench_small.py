"""The benchmarks run end to end at a tiny scale: the generator loads every table, and
the speed and findability scripts finish and write well-formed results. No timings are
asserted (bench/README.md); the figures come from the full-scale run."""

from __future__ import annotations

import json

import pytest

from bench import findability, generate, speed, tables, tune
from cases.models import Case, Claim
from search.models import CorpusStat, LibraryDocument
from submissions.models import ClaimMapping, Comment, PriorArt, Vote

# Like every transactional test here: restore the migration data first (conftest.py).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TINY = generate.Counts(
    library=300, submissions=40, cases=3, users=12, comments=30, agencies=2, areas=3
)


def quiet(message):
    pass


@pytest.fixture
def generated():
    return generate.generate(TINY, limit_text=400, log=quiet)


def test_generator_fills_every_table_with_searchable_text(generated):
    assert generated["counts"]["library"] == 300
    assert LibraryDocument.objects.count() == 300
    assert PriorArt.objects.count() == 40
    assert Comment.objects.count() == 30
    showcase = Case.objects.get(pk=generated["showcase_case_id"])
    assert Claim.objects.filter(case=showcase).count() == tables.SHOWCASE_CLAIMS
    assert PriorArt.objects.filter(case=showcase).count() == 20  # half, at this size
    assert ClaimMapping.objects.exists() and Vote.objects.exists()
    # Vectors were computed in bulk and the GIN indexes are back.
    assert not PriorArt.objects.filter(search_vector__isnull=True).exists()
    assert not Case.objects.filter(search_vector__isnull=True).exists()
    assert not Comment.objects.filter(search_vector__isnull=True).exists()
    assert CorpusStat.objects.get(doc_type="library").doc_count == 300
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE indexname = ANY(%s)",
            [
                [
                    "library_search_gin",
                    "case_search_gin",
                    "priorart_search_gin",
                    "comment_search_gin",
                ]
            ],
        )
        assert cursor.fetchone()[0] == 4
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"
    assert generated["database_bytes"] > 0
    assert set(generated["timings_s"]) >= {"search_librarydocument", "stats.refresh"}


def test_speed_writes_every_figure(generated, tmp_path):
    out = tmp_path / "speed.json"
    speed.run(repetitions=2, warmup=0, out=out, log=quiet)
    result = json.loads(out.read_text())
    assert result["library_documents"] == 300
    kinds = {query["kind"] for query in result["queries"]}
    assert kinds == {"selective", "broad", "natural", "operators"}
    for query in result["queries"]:
        assert query["api_status"] == 200, query
        for key in ("api", "engine_library", "raw_ts_rank"):
            assert set(query[key]) >= {"p50_ms", "p95_ms", "p99_ms"}, key
            assert query[key]["n"] == 2
    pages = result["case_page"]
    target = pages["target"]
    assert target["claims"] == tables.SHOWCASE_CLAIMS
    assert target["status"] == 200 and target["queries"] > 0
    assert pages["busiest"]["submissions"] >= target["submissions"]
    for label in ("busiest", "smallest", "busiest_submission", "busiest_comments_api"):
        assert pages[label]["status"] == 200, label
        assert set(pages[label]) >= {"p50_ms", "p95_ms", "queries"}, label
    assert {page["status"] for page in result["search_page"]} <= {200, 404}
    after = result["after_commit"]
    assert after["found_on_first_search"] == "10/10"
    assert not LibraryDocument.objects.filter(source="bench").exists()  # cleaned up


def test_findability_scores_both_engines(db, tmp_path):
    out = tmp_path / "findability.json"
    findability.run(queries=25, limit=60, replace=True, out=out, log=quiet)
    result = json.loads(out.read_text())
    assert result["documents"] == LibraryDocument.objects.count()
    for key in ("ours", "sqlite_fts5"):
        assert result[key]["queries"] == 25
        assert 0 <= result[key]["mrr_at_10"] <= result[key]["hits_at_10"] <= 1
    # Known items with their own summary as the query: a working engine finds most.
    assert result["ours"]["hits_at_10"] > 0.3
    assert result["sqlite_fts5"]["hits_at_10"] > 0.3


def test_tuning_scores_every_variant_on_both_halves(db, tmp_path):
    findability.run(
        queries=5, limit=60, replace=True, out=tmp_path / "f.json", log=quiet
    )
    out = tmp_path / "tune.json"
    grid = {"k1": (1.2, 1.5), "b": (0.75,), "title": (3, 6)}
    result = tune.run(out=out, grid=grid, limit=60, log=quiet)
    assert json.loads(out.read_text()) == json.loads(json.dumps(result))
    assert result["queries"] == LibraryDocument.objects.count()
    assert set(result["lengths"]) == {"distinct", "occurrences", "characters"}
    assert len(result["grid"]) == 4 and "check" in result["grid"][0]
    for half in ("tune", "check"):
        figures = result["engine"][half]
        assert 0 <= figures["mrr_at_10"] <= figures["hits_at_10"] <= 1
    # Its own summary finds most known items, whatever the parameters.
    assert result["engine"]["tune"]["hits_at_10"] > 0.3
