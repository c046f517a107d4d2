"""``GET /api/v1/search/``: the answer's shape, ranking, visibility, filters, validation,
paging, its query budget and the anonymous rate limit, on real PostgreSQL."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import TechnologyAreaFactory, make_case
from tests.submissions.factories import login, verified_user, verify

from .factories import comment_on, evidence, make_library_document

URL = "/api/v1/search/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def corpus(db, agency_a, refresh_stats):
    """One document of each kind holding "thermoelectric", on a published case."""
    area = TechnologyAreaFactory(name="Energy storage", slug="energy-storage")
    case = make_case(agency=agency_a, state="open", areas=[area], reference="NP 1/1")
    prior_art = evidence(
        case,
        "Bismuth telluride thermoelectric generator",
        kind="patent",
        published_on=date(2001, 6, 1),
    )
    comment = comment_on(case, "A thermoelectric module was sold for cars in 1999.")
    document = make_library_document(
        title="Thermoelectric exhaust charger handbook",
        body="Thermoelectric modules clamped to the exhaust charge a battery.",
        identifier="doi:10.1000/handbook",
        source="Handbook of waste heat",
        published_on=date(2001, 1, 1),
        published_on_precision="year",
    )
    refresh_stats()
    return {"case": case, "prior_art": prior_art, "comment": comment, "doc": document}


def by_type(answer: dict) -> dict[str, dict]:
    return {hit["type"]: hit for hit in answer["results"]}


def test_each_kind_of_hit_carries_its_fields_and_an_absolute_url(api, corpus):
    answer = api.get(URL, {"q": "thermoelectric"}).json()

    hits = by_type(answer)
    assert set(hits) == {"case", "prior_art", "comment", "library"}
    assert answer["count"] == 4
    assert answer["counts"]["library"] == {"count": 1, "capped": False}
    case, prior_art = corpus["case"], corpus["prior_art"]
    assert hits["case"]["id"] == case.pk
    assert hits["case"]["reference"] == "NP 1/1"
    assert hits["case"]["agency"] == "patent-office"
    assert hits["case"]["status"] == "open"
    assert hits["case"]["url"] == f"http://testserver/cases/{case.pk}/"
    assert hits["prior_art"]["tracking_ref"] == prior_art.tracking_ref
    assert hits["prior_art"]["case"] == case.pk
    assert hits["prior_art"]["kind"] == "patent"
    assert hits["prior_art"]["status"] == "submitted"
    assert hits["comment"]["case_reference"] == "NP 1/1"
    assert hits["comment"]["claim"] is None
    assert hits["comment"]["url"].endswith(f"#comment-{corpus['comment'].pk}")
    library = hits["library"]
    assert library["id"] == corpus["doc"].pk
    assert library["identifier"] == "doi:10.1000/handbook"
    assert library["published_on"] == "2001-01-01"
    assert library["published_on_precision"] == "year"
    assert library["url"] == f"http://testserver/library/{corpus['doc'].pk}/"
    assert library["snippet"].startswith("<mark>Thermoelectric</mark> modules")
    assert all(isinstance(hit["rank"], float) for hit in answer["results"])


def test_hits_come_best_first(api, db, refresh_stats):
    body = "A report on engines. " * 5
    make_library_document(title="Engine maintenance notes", body=body + "peltier.")
    best = make_library_document(title="Peltier cooling", body=body)
    refresh_stats()

    answer = api.get(URL, {"q": "peltier"}).json()

    assert [hit["id"] for hit in answer["results"]][0] == best.pk
    ranks = [hit["rank"] for hit in answer["results"]]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] > ranks[1]


def test_user_text_comes_back_escaped_with_only_our_marks(api, db):
    make_library_document(
        title="Injected",
        body='Thermocouple: 3 < 5 & "R&D" <script>alert("x")</script> notes.',
    )

    snippet = api.get(URL, {"q": "thermocouple"}).json()["results"][0]["snippet"]

    assert "3 &lt; 5 &amp; &quot;R&amp;D&quot;" in snippet
    assert set(re.findall(r"<[^>]*>", snippet)) == {"<mark>", "</mark>"}


def test_what_the_user_may_not_see_is_neither_found_nor_counted(
    api, corpus, agency_b, contributor
):
    draft = make_case(agency=agency_b, state="draft", title="Thermoelectric draft")
    held = evidence(
        corpus["case"],
        "Thermoelectric held item",
        public=False,
        author=verify(contributor),
    )
    assert draft.pk and held.held_for_screening

    anonymous = api.get(URL, {"q": "thermoelectric"}).json()
    assert anonymous["counts"]["case"]["count"] == 1
    assert anonymous["counts"]["prior_art"]["count"] == 1
    titles = [hit["title"] for hit in anonymous["results"]]
    assert not any("draft" in title or "held" in title for title in titles)

    login(api, contributor)
    own = api.get(URL, {"q": "thermoelectric", "type": "prior_art"}).json()
    assert {hit["id"] for hit in own["results"]} == {corpus["prior_art"].pk, held.pk}


def test_type_narrows_the_hits_but_the_counts_cover_every_kind(api, corpus):
    answer = api.get(URL, {"q": "thermoelectric", "type": "library"}).json()

    assert [hit["type"] for hit in answer["results"]] == ["library"]
    assert answer["count"] == 1
    assert answer["counts"]["case"]["count"] == 1
    assert answer["counts"]["comment"]["count"] == 1


@pytest.mark.parametrize(
    ("params", "kinds"),
    [
        ({"agency": "patent-office"}, {"case", "prior_art", "comment"}),
        ({"area": "energy-storage"}, {"case", "prior_art", "comment"}),
        ({"status": "open"}, {"case", "prior_art", "comment"}),
        ({"status": "closed"}, set()),
        ({"kind": "patent"}, {"prior_art"}),
        ({"kind": "software"}, set()),
        ({"language": "en"}, {"library"}),
        ({"language": "de"}, set()),
        (
            {"date_from": "2001-01-01", "date_to": "2001-12-31"},
            {"prior_art", "library"},
        ),
        ({"date_to": "2000-12-31"}, set()),
    ],
)
def test_filters(api, corpus, params, kinds):
    answer = api.get(URL, {"q": "thermoelectric", **params}).json()

    assert {hit["type"] for hit in answer["results"]} == kinds
    assert answer["count"] == len(kinds)


def test_case_scopes_the_search_to_its_evidence_and_comments(api, corpus, agency_a):
    other = make_case(agency=agency_a, state="open", reference="NP 2/2")
    comment_on(other, "Another thermoelectric remark.")

    answer = api.get(URL, {"q": "thermoelectric", "case": corpus["case"].pk}).json()

    assert {(hit["type"], hit["id"]) for hit in answer["results"]} == {
        ("prior_art", corpus["prior_art"].pk),
        ("comment", corpus["comment"].pk),
    }


def test_a_case_the_user_may_not_see_is_not_found(api, db, agency_a):
    draft = make_case(agency=agency_a, state="draft")

    for case_id in (draft.pk, draft.pk + 1000):
        response = api.get(URL, {"q": "heat", "case": case_id})
        assert response.status_code == 404
        assert response.json() == {"detail": "No such case."}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 1001}, "q"),
        ({"q": "heat", "type": "dossier"}, "type"),
        ({"q": "heat", "status": "draft"}, "status"),
        ({"q": "heat", "kind": "rumour"}, "kind"),
        ({"q": "heat", "language": "xx"}, "language"),
        ({"q": "heat", "date_from": "01/02/2020"}, "date_from"),
        ({"q": "heat", "date_to": "2020-02-30"}, "date_to"),
        ({"q": "heat", "date_from": "2021-01-01", "date_to": "2020-01-01"}, "date_to"),
        ({"q": "heat", "agency": "no-such-agency"}, "agency"),
        ({"q": "heat", "area": "no-such-area"}, "area"),
        ({"q": "heat", "case": "abc"}, "case"),
        ({"q": "heat", "page": "0"}, "page"),
        ({"q": "heat", "page": "abc"}, "page"),
        ({"q": "heat\x00"}, "q"),
    ],
)
def test_bad_parameters_answer_400_naming_the_field(api, db, params, field):
    response = api.get(URL, params)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert response.json()[field][0]


def test_empty_optional_parameters_count_as_absent(api, corpus):
    params = {"q": "thermoelectric", "type": "", "agency": "", "date_from": ""}

    response = api.get(URL, params)

    assert response.status_code == 200
    assert response.json()["count"] == 4


def test_a_query_of_stop_words_finds_nothing(api, corpus):
    answer = api.get(URL, {"q": "the of and"}).json()

    assert answer["results"] == [] and answer["count"] == 0


def test_relaxed_when_no_document_holds_every_word(api, db, refresh_stats):
    make_library_document(title="Stirling engine", body="A closed-cycle heat engine.")
    make_library_document(title="Gas turbine", body="An open-cycle heat engine.")
    refresh_stats()

    answer = api.get(URL, {"q": "stirling turbine"}).json()

    assert answer["relaxed"] is True
    assert answer["count"] == 2


def test_pages_of_twenty_link_to_their_neighbours(api, db):
    for n in range(25):
        make_library_document(title=f"Heat pipe design {n}", body=f"Heat pipe {n}.")

    first = api.get(URL, {"q": "heat pipe", "type": "library"}).json()
    assert (first["count"], first["num_pages"], len(first["results"])) == (25, 2, 20)
    assert first["previous"] is None
    link = urlsplit(first["next"])
    assert link.netloc == "testserver" and link.path == URL
    assert parse_qs(link.query) == {
        "q": ["heat pipe"],
        "type": ["library"],
        "page": ["2"],
    }

    second = api.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None
    assert parse_qs(urlsplit(second["previous"]).query) == {
        "q": ["heat pipe"],
        "type": ["library"],
    }
    seen = {hit["id"] for hit in first["results"] + second["results"]}
    assert len(seen) == 25

    beyond = api.get(URL, {"q": "heat pipe", "page": 3})
    assert beyond.status_code == 404
    assert beyond.json() == {"detail": "Invalid page."}


def _queries(api, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(URL, params).status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_the_data(api, db, agency_a, refresh_stats):
    case = make_case(agency=agency_a, state="open")

    def add(start, stop):
        for i in range(start, stop):
            evidence(case, f"Thermoelectric generator {i}", author=verified_user("f"))
            comment_on(case, f"Thermoelectric remark {i}.")
            make_library_document(title=f"Thermoelectric note {i}", body=f"Note {i}.")
        refresh_stats()

    add(0, 2)
    params = {"q": "thermoelectric"}
    small = _queries(api, params)
    add(2, 40)
    large = _queries(api, params)

    # A page of 20 hits may hold fewer kinds than a page of 8, so fewer queries; never
    # more: nothing is fetched per hit.
    assert large <= small <= 40


@pytest.fixture
def search_anon_rate(settings):
    """A small anonymous search rate, and fresh counters before and after."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "search_anon": "3/min",
        },
    }
    cache.clear()
    yield
    cache.clear()


def test_anonymous_searches_are_rate_limited(api, db, search_anon_rate):
    answers = [api.get(URL, {"q": "heat"}) for _ in range(4)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert int(answers[-1]["Retry-After"]) > 0
    # Other anonymous API requests keep the general limit.
    assert api.get("/api/v1/cases/").status_code == 200


def test_signed_in_users_keep_the_general_limit(api, db, search_anon_rate):
    login(api, verified_user("searcher"))

    answers = [api.get(URL, {"q": "heat"}).status_code for _ in range(5)]

    assert answers == [200] * 5
