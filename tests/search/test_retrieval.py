"""How the engine picks and scores candidates, on real PostgreSQL: BM25 as computed from
the stored columns, document length, the title tier of broad queries, the MaxScore
expansion and when it stops, relaxing decided for the whole search, and phrases as
constraints. The stored columns themselves are tested in test_vectors.py."""

from __future__ import annotations

import math

import pytest

from search import engine
from search.engine import retrieval
from search.models import CorpusStat, TermStat
from search.sources import Filters

from .factories import evidence

pytestmark = pytest.mark.django_db


def run(q, **filters) -> engine.Results:
    return engine.search(user=None, q=q, filters=Filters(**filters), per_page=50)


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


def bm25(tf: float, length: int, idf: float, avgdl: float) -> float:
    norm = engine.K1 * (1 - engine.B + engine.B * length / avgdl)
    return idf * tf * (engine.K1 + 1) / (tf + norm)


# Scores ----------------------------------------------------------------------------


def test_the_score_is_bm25_of_the_stored_vector_and_length(
    library_document, refresh_stats
):
    """One word twice in the text and once in the title: frequency 2 + WEIGHT_A."""
    doc = library_document(title="Peltier module", body="A peltier cooler, small.")
    library_document(title="Fan", body="A fan blows air over the fins.")
    library_document(title="Heat sink", body="Fins of aluminium.")
    refresh_stats()
    corpus = CorpusStat.objects.get(doc_type="library")
    df = TermStat.objects.get(doc_type="library", lexeme="peltier").df
    idf = math.log(1 + (corpus.doc_count - df + 0.5) / (df + 0.5))
    expected = bm25(1 + engine.WEIGHT_A, doc.search_length, idf, corpus.avg_length)
    assert doc.search_length == len(doc.title) + len(doc.body)
    [hit] = run("peltier").hits
    assert hit.id == doc.pk
    assert hit.rank == pytest.approx(expected, abs=1e-3)


def test_a_short_document_beats_a_long_one_with_the_same_words(
    library_document, refresh_stats
):
    long = library_document(
        title="Report A",
        body="The peltier element. " + "Other words about the housing. " * 40,
    )
    short = library_document(title="Report B", body="The peltier element.")
    refresh_stats()
    assert titles(run("peltier")) == [short.title, long.title]


def test_each_occurrence_counts_and_a_title_counts_more(library_document):
    once = library_document(title="Note 1", body="A valve and a pump.")
    thrice = library_document(title="Note 2", body="A valve, a valve, a valve.")
    titled = library_document(title="Valve", body="A pump and a hose.")
    ranked = titles(run("valve"))
    assert ranked == [titled.title, thrice.title, once.title]


# The title tier ----------------------------------------------------------------------


@pytest.fixture
def small_cap(monkeypatch):
    """Caps small enough for a test's handful of documents."""
    monkeypatch.setattr(retrieval, "CANDIDATE_CAP", 5)
    monkeypatch.setattr(retrieval, "BOUND_DEPTH", 3)


def test_a_broad_query_ranks_the_documents_with_the_word_in_their_title(
    library_document, small_cap, refresh_stats
):
    for n in range(12):
        library_document(title=f"Field report {n}", body=f"A valve was replaced ({n}).")
    titled = [
        library_document(title="Valve seat wear", body="Seen on the bench."),
        library_document(title="A valve for hydrogen", body="Rated to 700 bar."),
    ]
    refresh_stats()
    results = run("valve")
    # Stored last, so a cap in storage order would have left them out.
    assert set(titles(results)[:2]) == {doc.title for doc in titled}
    [count] = [c for c in results.counts if c.key == "library"]
    assert count.capped and count.count == retrieval.CANDIDATE_CAP


def test_statistics_that_call_a_query_narrow_still_find_the_titles_when_the_and_fills(
    library_document, small_cap, monkeypatch, refresh_stats
):
    """The statistics are from when there were two documents; by now the AND fills
    the cap, and the tier is still taken (without the expansion's help)."""
    monkeypatch.setattr(retrieval, "EXPAND_BELOW", 3)
    library_document(title="Field report", body="A valve on a pump.")
    library_document(title="Other", body="Nothing here.")
    refresh_stats()
    for n in range(8):
        library_document(title=f"Report {n}", body=f"A pump valve ({n}).")
    titled = library_document(title="Pump valve", body="The seat.")
    assert titles(run("valve pump"))[0] == titled.title


# Expansion -------------------------------------------------------------------------


def test_a_document_lacking_a_common_word_wins_when_its_rare_words_count_more(
    library_document, refresh_stats
):
    for n in range(30):
        library_document(title=f"Service manual {n}", body="The engine of the car.")
    weak = library_document(title="Notes", body="A car engine with a thermistor.")
    strong = library_document(
        title="Thermistor bridge", body="A thermistor bridge measures the coolant."
    )
    refresh_stats()
    results = run("thermistor engine")
    assert titles(results)[:2] == [strong.title, weak.title]
    assert results.relaxed


def test_no_expansion_when_a_full_page_has_every_word_and_the_cap_would_cut(
    library_document, small_cap, refresh_stats
):
    for n in range(4):
        library_document(title=f"Both {n}", body="A gasket and a flange.")
    for n in range(12):
        library_document(title=f"Gasket {n}", body="Only the gasket.")
        library_document(title=f"Flange {n}", body="Only the flange.")
    refresh_stats()
    results = run("gasket flange")
    assert all(title.startswith("Both") for title in titles(results))
    assert not results.relaxed


def test_the_expansion_fills_a_page_the_and_leaves_short(
    library_document, small_cap, refresh_stats
):
    library_document(title="Both", body="A gasket and a flange.")
    for n in range(12):
        library_document(title=f"Gasket {n}", body="Only the gasket.")
    refresh_stats()
    results = run("gasket flange")
    assert titles(results)[0] == "Both"
    assert len(results.hits) > 1 and results.relaxed


def test_relaxing_is_decided_over_every_kind_shown(
    library_document, case_factory, monkeypatch, refresh_stats
):
    monkeypatch.setattr(retrieval, "EXPAND_BELOW", 5)
    for n in range(6):
        library_document(title=f"Manual {n}", body="The gasket of the flange.")
    case = case_factory("open")
    item = evidence(case, "Gasket kit", relevance="Shows a gasket.")
    refresh_stats()
    everything = run("gasket flange")
    assert item.title not in titles(everything)
    assert not everything.relaxed
    prior_art = run("gasket flange", types=("prior_art",))
    assert titles(prior_art) == [item.title]
    assert prior_art.relaxed


def test_the_clauses_are_the_smallest_sets_of_words_that_can_beat_a_score():
    bound = {"a": 5.0, "b": 3.0, "c": 1.0}
    assert retrieval.clauses_beating(["a", "b", "c"], bound, 4.0) == [["a"]]
    assert retrieval.clauses_beating(["a", "b", "c"], bound, 3.5) == [["a"], ["b", "c"]]
    assert retrieval.clauses_beating(["a", "b", "c"], bound, 9.0) == []


def test_too_many_clauses_is_none(monkeypatch):
    monkeypatch.setattr(retrieval, "MAX_CLAUSES", 2)
    bound = {word: 1.0 for word in "abcdef"}
    assert retrieval.clauses_beating(list("abcdef"), bound, 1.5) is None


def test_the_rarest_words_are_taken_while_their_postings_fit(monkeypatch):
    monkeypatch.setattr(retrieval, "CANDIDATE_CAP", 10)
    df = {"a": 2, "b": 5, "c": 4, "d": 50}
    assert retrieval.rarest_within_cap(list("abcd"), df) == ["a", "c"]
    assert retrieval.rarest_within_cap(["d"], df) == ["d"]  # one at least


# Phrases and exclusions ------------------------------------------------------------


def test_a_phrase_is_required_while_the_other_words_relax(library_document):
    both = library_document(title="Unit A", body="A heat exchanger of aluminium.")
    phrase = library_document(title="Unit B", body="A heat exchanger of steel.")
    library_document(title="Unit C", body="Aluminium moves heat to the exchanger.")
    results = run('"heat exchanger" aluminium')
    assert titles(results) == [both.title, phrase.title]
    assert results.query.required == '"heat exchanger"'
    assert results.relaxed


def test_a_phrase_with_or_is_the_websearch_query_alone(library_document):
    library_document(title="Unit A", body="A heat exchanger.")
    library_document(title="Unit B", body="A radiator.")
    library_document(title="Unit C", body="A fan.")
    results = run('"heat exchanger" or radiator')
    assert results.query.exact
    assert set(titles(results)) == {"Unit A", "Unit B"}


def test_a_phrase_of_stop_words_requires_nothing(library_document):
    library_document(title="Unit A", body="A heat exchanger.")
    results = run('"the" exchanger')
    assert results.query.required == ""
    assert titles(results) == ["Unit A"]
