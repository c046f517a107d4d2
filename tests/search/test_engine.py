"""The search engine on real PostgreSQL: BM25 ranked order, relaxed AND for natural
language, highlights, websearch syntax, the case's language, and the filters.
Visibility is in test_visibility.py."""

from __future__ import annotations

from datetime import date

import pytest

from search import engine
from search.sources import Filters
from submissions.models import PriorArt
from tests.factories import AgencyFactory, TechnologyAreaFactory
from tests.submissions.factories import close_case

from .factories import comment_on, evidence, search_titles, set_language

pytestmark = pytest.mark.django_db


def run(q, user=None, **filters) -> engine.Results:
    return engine.search(user=user, q=q, filters=Filters(**filters), per_page=50)


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


def fillers(library_document, body: str, count: int, title: str = "Field report"):
    for n in range(count):
        library_document(title=f"{title} {n}", body=f"{body} (report {n})")


# Ranking ---------------------------------------------------------------------------


def test_a_rare_word_in_the_title_beats_a_common_word_in_the_body(
    library_document, refresh_stats
):
    fillers(library_document, "The battery pack of a delivery van.", 12)
    in_title = library_document(
        title="Peltier element", body="It cools a battery pack in summer."
    )
    in_body = library_document(
        title="Workshop notes",
        body="Battery, battery, battery: the peltier cell sits next to the battery.",
    )
    refresh_stats()
    assert titles(run("peltier battery"))[:2] == [in_title.title, in_body.title]


def test_a_document_with_all_the_words_beats_one_with_some(
    library_document, refresh_stats
):
    fillers(library_document, "An exhaust pipe.", 3)
    fillers(library_document, "A battery.", 3)
    fillers(library_document, "A thermoelectric module.", 3)
    some = library_document(
        title="Heat notes", body="A thermoelectric module on the exhaust pipe."
    )
    every = library_document(
        title="Charger notes",
        body="A thermoelectric module on the exhaust pipe charges the battery.",
    )
    refresh_stats()
    ranked = titles(run("thermoelectric exhaust battery"))
    assert ranked[0] == every.title
    assert ranked.index(every.title) < ranked.index(some.title)


def test_natural_language_query_relaxes_and_finds_the_right_document_first(
    library_document, refresh_stats
):
    for n in range(30):
        library_document(
            title=f"Service manual {n}",
            body="The engine and the battery of the car need checking every year.",
        )
    for n in range(5):
        library_document(title=f"Heat shield {n}", body="An engine heat shield.")
    wanted = library_document(
        title="Recovering exhaust heat to charge a battery",
        body="A thermoelectric module on the exhaust pipe feeds the charger.",
    )
    refresh_stats()
    query = "a battery that charges from the heat of the engine"
    results = run(query)
    assert results.query.terms == ["batteri", "charg", "heat", "engin"]
    assert not results.query.strict
    assert results.relaxed
    assert titles(results)[0] == wanted.title
    # Strict syntax does not relax: no document has all of these words.
    assert run(f'"{query}"').empty


def test_results_are_relaxed_when_few_documents_have_every_word(library_document):
    """Relaxed: the AND found fewer than RELAX_BELOW documents, so documents with only
    some of the words were added (the page says "few or no documents have all your
    words"); an AND that finds enough is not relaxed."""
    fillers(library_document, "The battery pack of a delivery van.", 5)
    library_document(title="Peltier element", body="Cools a battery.")
    results = run("peltier battery")
    assert results.hits[0].title == "Peltier element"
    assert len(results.hits) == 6  # the battery-only reports were added
    assert results.relaxed
    fillers(
        library_document,
        "A peltier module beside the battery.",
        engine.RELAX_BELOW,
        title="Module note",
    )
    assert not run("peltier battery").relaxed


def test_ranking_is_the_same_before_the_statistics_are_refreshed(library_document):
    """New lexemes are counted live, so a fresh index ranks without waiting an hour."""
    fillers(library_document, "The battery pack of a delivery van.", 8)
    wanted = library_document(title="Peltier element", body="Cools a battery.")
    assert titles(run("peltier battery"))[0] == wanted.title


# Highlights ------------------------------------------------------------------------


def test_snippets_mark_the_matched_words_and_their_inflections(library_document):
    library_document(
        title="Exhaust charger",
        body="The unit charges a battery from exhaust heat while the van is moving.",
    )
    (hit,) = run("charging").hits
    assert "<mark>charges</mark>" in hit.snippet
    assert "<mark>battery</mark>" not in hit.snippet
    assert "battery" in hit.snippet


def test_user_text_in_snippets_is_escaped(library_document):
    library_document(
        title="Seebeck <b>generator</b>",
        body='A Seebeck generator & a <i>pipe</i>: "<img src=x onerror=alert(1)>", '
        "<script>alert(2)</script> x<y Seebeck.",
    )
    (hit,) = run("seebeck").hits
    assert "<mark>Seebeck</mark>" in hit.snippet
    for raw in ("<img", "<script", "<i>", "x<y"):
        assert raw not in hit.snippet
    assert "&quot;&lt;img src=x onerror=alert" in hit.snippet
    assert "&amp;" in hit.snippet and "x&lt;y" in hit.snippet


# Websearch syntax ------------------------------------------------------------------


def test_quotes_match_a_phrase_only(library_document):
    phrase = library_document(title="Notes 1", body="A heat exchanger on the exhaust.")
    library_document(title="Notes 2", body="The exchanger moves heat to the cabin.")
    assert search_titles(q='"heat exchanger"') == [phrase.title]
    assert len(search_titles(q="heat exchanger")) == 2


def test_or_matches_either_word(library_document):
    peltier = library_document(title="Peltier module", body="A cooler.")
    seebeck = library_document(title="Seebeck generator", body="A source.")
    library_document(title="Heat pump", body="Moves heat.")
    results = engine.search(user=None, q="peltier or seebeck")
    assert results.query.strict
    assert {hit.title for hit in results.hits} == {peltier.title, seebeck.title}


def test_minus_excludes_a_word(library_document):
    library_document(title="Lithium battery pack", body="Cells in series.")
    lead = library_document(title="Lead battery pack", body="Cells in series.")
    assert search_titles(q="battery -lithium") == [lead.title]
    assert len(search_titles(q="battery")) == 2


# Languages -------------------------------------------------------------------------


def test_a_german_case_is_searched_in_german(case_factory):
    case = set_language(case_factory("open", title="Ladegerät"), "de")
    item = evidence(
        case,
        "Ladegerät für Lieferwagen",
        relevance="Die Batterie wird mit der Abwärme des Motors geladen.",
    )
    # "Batterien" and "Batterie" are one word in German, two in English.
    assert search_titles(q="Batterien", case=case) == [item.title]
    assert item.title not in search_titles(q="Batterien")


def test_an_english_stem_matches_other_forms(case_factory, library_document):
    case = case_factory("open", title="Charger")
    item = evidence(case, "Van charger", relevance="The module charges the battery.")
    doc = library_document(title="Exhaust module", body="It charges the battery.")
    assert set(search_titles(q="charging")) >= {item.title, doc.title}
    assert search_titles(q="charging", case=case) == [item.title]


def test_library_language_filter_parses_the_query_in_that_language(library_document):
    german = library_document(
        title="Abgasanlage", body="Die Batterie wird geladen.", language="de"
    )
    library_document(title="Exhaust", body="Batterien werden geladen.", language="en")
    assert search_titles(q="Batterien", language="de") == [german.title]


# Filters ---------------------------------------------------------------------------


@pytest.fixture
def filtered_corpus(case_factory, agency_a, library_document):
    """Two cases of two agencies, one open in an area and one closed, each with a
    patent or a web page and a comment; two library documents in two languages. Every
    text holds "telluride"."""
    agency_b = AgencyFactory(name="Energy Regulator", slug="energy-regulator")
    area = TechnologyAreaFactory(name="Energy", slug="energy")
    alpha = case_factory("open", title="Alpha telluride charger", areas=[area])
    beta = case_factory("open", title="Beta telluride charger", agency=agency_b)
    data = {
        "alpha": alpha,
        "beta": beta,
        "area": area,
        "agency_b": agency_b,
        "alpha_patent": evidence(
            alpha,
            "Alpha patent",
            kind="patent",
            published_on=date(2015, 5, 1),
            relevance="Bismuth telluride modules.",
        ),
        "beta_page": evidence(
            beta,
            "Beta web page",
            kind="web_page",
            published_on=date(2020, 1, 1),
            relevance="Bismuth telluride modules.",
        ),
        "alpha_comment": comment_on(alpha, "Alpha: the telluride module."),
        "beta_comment": comment_on(beta, "Beta: the telluride module."),
        "library_en": library_document(
            title="Alpha library",
            body="A bismuth telluride generator.",
            published_on=date(2012, 1, 1),
        ),
        "library_de": library_document(
            title="Beta Bibliothek",
            body="Ein Generator aus Bismuttellurid und Telluride.",
            language="de",
            published_on=date(2019, 6, 1),
        ),
    }
    close_case(beta)
    return data


def by_kind(results) -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = {}
    for hit in results.hits:
        kinds.setdefault(hit.type, set()).add(hit.title)
    return kinds


def counts(results) -> dict[str, int]:
    return {c.key: c.count for c in results.counts}


def test_no_filter_finds_every_kind(filtered_corpus):
    results = run("telluride")
    assert counts(results) == {"case": 2, "prior_art": 2, "comment": 2, "library": 2}
    assert results.total == 8


def test_agency_filter(filtered_corpus):
    c = filtered_corpus
    results = run("telluride", agency=c["agency_b"].slug)
    assert by_kind(results) == {
        "case": {str(c["beta"])},
        "prior_art": {"Beta web page"},
        "comment": {f"Comment on {c['beta'].reference}"},
    }
    assert "library" not in counts(results)  # the library has no agency


def test_area_filter(filtered_corpus):
    c = filtered_corpus
    results = run("telluride", area="energy")
    assert by_kind(results) == {
        "case": {str(c["alpha"])},
        "prior_art": {"Alpha patent"},
        "comment": {f"Comment on {c['alpha'].reference}"},
    }


def test_case_status_filter(filtered_corpus):
    c = filtered_corpus
    results = run("telluride", status="closed")
    assert by_kind(results) == {
        "case": {str(c["beta"])},
        "prior_art": {"Beta web page"},
        "comment": {f"Comment on {c['beta'].reference}"},
    }
    assert run("telluride", status="decided").empty


def test_kind_of_evidence_filter_shows_prior_art_only(filtered_corpus):
    results = run("telluride", kind="patent")
    assert by_kind(results) == {"prior_art": {"Alpha patent"}}
    assert counts(results) == {"prior_art": 1}


def test_date_range_filters_each_kind_by_its_own_date(filtered_corpus):
    later = by_kind(run("telluride", date_from=date(2016, 1, 1)))
    assert later["prior_art"] == {"Beta web page"}
    assert later["library"] == {"Beta Bibliothek"}
    assert len(later["case"]) == 2 and len(later["comment"]) == 2  # opened, posted now
    earlier = by_kind(run("telluride", date_to=date(2016, 1, 1)))
    assert earlier == {"prior_art": {"Alpha patent"}, "library": {"Alpha library"}}
    window = by_kind(
        run("telluride", date_from=date(2014, 1, 1), date_to=date(2016, 1, 1))
    )
    assert window == {"prior_art": {"Alpha patent"}}


def test_language_filter_shows_the_library_only(filtered_corpus):
    results = run("telluride", language="de")
    assert by_kind(results) == {"library": {"Beta Bibliothek"}}


def test_case_scope_shows_that_case_evidence_and_comments(filtered_corpus):
    c = filtered_corpus
    results = run("telluride", case=c["alpha"])
    assert by_kind(results) == {
        "prior_art": {"Alpha patent"},
        "comment": {f"Comment on {c['alpha'].reference}"},
    }


def test_type_filter_shows_one_kind_and_still_counts_every_kind(filtered_corpus):
    results = run("telluride", types=("comment",))
    assert set(by_kind(results)) == {"comment"}
    assert counts(results) == {"case": 2, "prior_art": 2, "comment": 2, "library": 2}
    assert results.total == 2


def test_hits_carry_what_the_page_shows(filtered_corpus):
    c = filtered_corpus
    hits = {hit.type: hit for hit in run("telluride", area="energy").hits}
    assert hits["case"].url == c["alpha"].get_absolute_url()
    assert hits["case"].meta["status"] == "Open for review"
    patent = PriorArt.objects.get(title="Alpha patent")
    assert hits["prior_art"].url == patent.get_absolute_url()
    assert hits["prior_art"].meta["case"] == c["alpha"].reference
    assert hits["prior_art"].meta["date"] == date(2015, 5, 1)
    assert hits["comment"].url.endswith(f"#comment-{c['alpha_comment'].pk}")
    assert all(hit.rank > 0 for hit in hits.values())


def test_paging_walks_through_every_hit_once(library_document):
    fillers(library_document, "A thermoelectric module.", 45)
    seen = []
    for page in (1, 2, 3):
        results = engine.search(user=None, q="thermoelectric", page=page, per_page=20)
        assert results.num_pages == 3
        seen += [hit.id for hit in results.hits]
    assert len(seen) == len(set(seen)) == 45


def test_an_empty_or_stop_word_query_finds_nothing(library_document):
    library_document(title="The thing", body="The and of.")
    assert run("").empty and run("   ").empty
    results = run("the of and")
    assert results.empty and results.query.terms == []
