"""The search page: one box, results by kind with counts, highlighted snippets, paging
that keeps the filters, the page when nothing matches, bad input shown beside its field,
the case-scoped search, and a number of queries that does not grow with the data."""

from __future__ import annotations

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from search.models import LibraryDocument
from tests.factories import TechnologyAreaFactory
from tests.submissions.factories import login, verified_user

from .factories import comment_on, content_hash, evidence

pytestmark = pytest.mark.django_db

URL = reverse("search:search")


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def hit_titles(response) -> list[str]:
    return [hit.title for hit in response.context["results"].hits]


def bulk_library(count: int, body: str = "A thermoelectric module.", start: int = 0):
    LibraryDocument.objects.bulk_create(
        LibraryDocument(
            title=f"Module report {n}",
            body=f"{body} Report {n}.",
            content_hash=content_hash(f"Module report {n}", body),
        )
        for n in range(start, start + count)
    )


@pytest.fixture
def corpus(case_factory, library_document):
    """One open case (its claims say "thermoelectric module"), a submission on it, a
    comment and a library document that say so too."""
    case = case_factory("open", title="Exhaust charger", reference="NP 2026/000777")
    item = evidence(case, "Peltier modules on a van", kind="patent")
    comment = comment_on(case, "Is a thermoelectric module on the exhaust new?")
    doc = library_document(
        title="Bismuth telluride generators",
        body="A thermoelectric module clamped to an exhaust pipe.",
        identifier="doi:10.1000/teg.2011",
        source="Journal of Exhaust Studies",
    )
    return {"case": case, "item": item, "comment": comment, "doc": doc}


def test_without_a_query_the_page_shows_the_box_only(client):
    html = get(client).text
    assert 'role="search"' in html
    assert '<label for="id_q">Search for</label>' in html
    assert "search-results" not in html and "There is a problem" not in html
    assert 'class="header-search"' not in html  # one search box on the search page


def test_results_of_every_kind_with_counts_snippets_and_meta(client, corpus):
    response = get(client, q="thermoelectric")
    html = response.text
    assert set(hit_titles(response)) == {
        "NP 2026/000777: Exhaust charger",
        "Peltier modules on a van",
        "Comment on NP 2026/000777",
        "Bismuth telluride generators",
    }
    assert "4 results for “thermoelectric”" in html
    for label in ("Everything", "Cases", "Prior art", "Comments", "Library"):
        assert label in html
    assert 'aria-current="page">Everything <span class="search-tabs__count">(4)' in html
    assert "<mark>thermoelectric</mark>" in html
    item = corpus["item"]
    assert f'href="{item.get_absolute_url()}"' in html
    assert item.tracking_ref in html and "Patent" in html
    assert f'href="{corpus["case"].get_absolute_url()}">NP 2026/000777</a>' in html
    assert "Open for review" in html
    assert f'href="/library/{corpus["doc"].pk}/"' in html
    assert "doi:10.1000/teg.2011" in html and "Journal of Exhaust Studies" in html
    assert f"#comment-{corpus['comment'].pk}" in html


def test_a_tab_shows_one_kind_and_keeps_the_filters(client, corpus):
    html = get(client, q="thermoelectric", status="open").text
    tab = "?q=thermoelectric&amp;status=open&amp;type=prior_art"
    assert f'href="{URL}{tab}"' in html
    response = get(client, **dict(q="thermoelectric", status="open", type="prior_art"))
    assert hit_titles(response) == ["Peltier modules on a van"]
    assert 'aria-current="page">Prior art' in response.text
    assert "Cases <span" in response.text  # the other kinds stay one click away


def test_a_kind_without_hits_is_not_a_link(client, library_document):
    library_document(title="Peltier cooler", body="A cooler.")
    html = get(client, q="peltier").text
    assert (
        '<span class="search-tabs__empty">Cases <span class="search-tabs__count">(0)'
        in html
    )


def test_pages_of_results_keep_every_filter(client):
    bulk_library(25)
    first = get(client, q="thermoelectric", language="en")
    assert len(hit_titles(first)) == 20
    html = first.text
    assert "Page 1 of 2" in html
    assert f'href="{URL}?q=thermoelectric&amp;language=en&amp;page=2"' in html
    second = get(client, q="thermoelectric", language="en", page="2")
    assert len(hit_titles(second)) == 5
    assert set(hit_titles(first)).isdisjoint(hit_titles(second))
    assert 'start="21"' in second.text
    assert f'rel="prev" href="{URL}?q=thermoelectric&amp;language=en"' in second.text


def test_a_page_number_that_is_not_one_is_handled(client):
    bulk_library(25)
    assert len(hit_titles(get(client, q="thermoelectric", page="abc"))) == 20
    assert len(hit_titles(get(client, q="thermoelectric", page="-3"))) == 20
    html = get(client, q="thermoelectric", page="99999").text
    assert "There are only 2 pages of results." in html
    assert f'href="{URL}?q=thermoelectric&amp;page=2">Go to the last page' in html


def test_counts_past_the_cap_say_so(client):
    bulk_library(1005)
    html = get(client, q="thermoelectric").text
    assert "More than 1,000 results for “thermoelectric”" in html
    assert 'Library <span class="search-tabs__count">(1,000+)' in html


def test_relaxed_results_carry_a_note(client, library_document):
    for n in range(5):
        library_document(title=f"Manual {n}", body="The engine and the battery.")
    wanted = library_document(
        title="Exhaust heat charges a battery", body="A thermoelectric module."
    )
    response = get(client, q="a battery that charges from the heat of the engine")
    assert hit_titles(response)[0] == wanted.title
    assert "the results include documents with only some of them" in (response.text)
    assert "only some of them" not in get(client, q="thermoelectric module").text


def test_nothing_found_suggests_and_lists_filters_to_remove(client, corpus, agency_a):
    html = get(client, q="zeppelin", agency=agency_a.slug, status="open").text
    assert "Nothing matches your search." in html
    assert "Use fewer words" in html and "Check the spelling" in html
    assert "Leave out quotes" not in html  # no operators were used
    remove_agency = f'href="{URL}?q=zeppelin&amp;status=open"'
    remove_status = f'href="{URL}?q=zeppelin&amp;agency={agency_a.slug}"'
    assert remove_agency in html and remove_status in html
    assert f"Remove Agency: {agency_a.name}" in html
    assert "Remove Case status: Open for review" in html


def test_operators_that_find_nothing_suggest_leaving_them_out(client, corpus):
    html = get(client, q='"thermoelectric zeppelin"').text
    assert "Leave out quotes" in html


def test_a_query_of_common_words_only_says_so(client, corpus):
    html = get(client, q="the and of").text
    assert "only very common words" in html
    html = get(client, q="-thermoelectric").text
    assert "no word to look for (a word after a minus sign is left out)" in html


def test_bad_filter_values_are_shown_beside_their_fields(client, corpus):
    response = get(
        client,
        q="thermoelectric",
        date_from="31/02/2020",
        type="bogus",
        agency="nowhere",
    )
    html = unescape(response.text)
    assert "There is a problem" in html
    assert "Enter a date as year-month-day" in html
    assert "“bogus” is not one of the choices" in html
    assert "There is no such choice" in html
    assert 'value="31/02/2020"' in html  # what the user typed stays in the form
    assert 'aria-describedby="id_date_from_error id_date_from_helptext"' in html
    assert 'href="#id_date_from"' in html
    # The search still runs, without what needs correcting.
    assert len(hit_titles(response)) == 4
    assert "The search below leaves out what needs correcting." in html


def test_a_date_range_that_ends_before_it_starts_is_refused(client, corpus):
    html = get(
        client, q="thermoelectric", date_from="2020-01-01", date_to="2019-01-01"
    ).text
    assert "The end of the date range must not be before its start." in html


def test_a_query_that_is_too_long_is_refused_and_kept(client, corpus):
    q = "thermoelectric " * 80
    response = get(client, q=q)
    assert response.context["results"] is None
    assert "at most 1000 characters" in response.text
    assert q.strip()[:200] in response.text


def test_filters_without_a_query_ask_for_one(client, corpus):
    html = get(client, kind="patent").text
    assert "Type a word, a phrase or a question in the box to search." in html


def test_user_text_is_escaped_everywhere(client, corpus):
    q = '<script>alert("x")</script> thermoelectric'
    html = get(client, q=q).text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_case_scoped_search(client, corpus, case_factory):
    case = corpus["case"]
    other = case_factory("open", title="Another charger")
    evidence(other, "Thermoelectric paper on another case")
    response = get(client, q="thermoelectric", case=case.pk)
    assert set(hit_titles(response)) == {
        "Peltier modules on a van",
        "Comment on NP 2026/000777",
    }
    html = response.text
    assert "Searching within" in html and "NP 2026/000777: Exhaust charger" in html
    assert f'href="{URL}?q=thermoelectric">Search everything instead' in html
    assert f'<input type="hidden" name="case" value="{case.pk}">' in html
    assert "Search this case's evidence and comments" in html


@pytest.mark.parametrize("value", ["999999", "abc", "-1"])
def test_a_case_that_does_not_exist_is_not_found(client, value):
    assert client.get(URL, {"q": "charger", "case": value}).status_code == 404


def test_the_case_page_has_a_search_box_scoped_to_the_case(client, corpus):
    case = corpus["case"]
    html = client.get(case.get_absolute_url()).text
    assert f'action="{URL}"' in html
    assert (
        '<label for="case-search-q">Search this case\'s evidence and comments' in html
    )
    assert f'<input type="hidden" name="case" value="{case.pk}">' in html


def test_every_page_links_to_search_and_open_data(client):
    html = client.get(reverse("cases:list")).text
    assert f'<a href="{URL}">Search</a>' in html
    assert 'class="header-search"' in html and 'for="header-search-q"' in html
    assert f'href="{reverse("search:open_data")}">Open data</a>' in html


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_number_of_queries_does_not_grow_with_the_hits(
    client, corpus, case_factory, signed_in
):
    if signed_in:
        login(client, verified_user("searcher"))
    params = {"q": "thermoelectric", "area": ""}
    small = _queries(client, **params)
    assert small <= 50  # four kinds, each a few bounded queries
    area = TechnologyAreaFactory(slug="energy")
    for n in range(4):
        case = case_factory("open", title=f"Charger {n}", areas=[area])
        for m in range(4):
            evidence(case, f"Thermoelectric evidence {n}.{m}")
            comment_on(case, f"Thermoelectric remark {n}.{m}")
    bulk_library(40)
    response = client.get(URL, params)
    assert len(hit_titles(response)) == 20
    assert _queries(client, **params) <= small
    assert _queries(client, **params, page="2") <= small


ODD_QUERIES = [
    '"',
    '""',
    "-",
    "- -",
    "or",
    "or or",
    "-or",
    '-"',
    "'",
    "\\",
    "&|!():*<>",
    "thermo:*",
    "thermoelectric & !module",
    "'thermoelectric' | 'x'",
    '"thermoelectric',
    "ü ß 電池",
    "x" * 999,
    "-thermoelectric",
    "thermoelectric -",
]


@pytest.mark.parametrize("q", ODD_QUERIES)
def test_odd_queries_never_fail(client, corpus, q):
    response = client.get(URL, {"q": q, "case": corpus["case"].pk})
    assert response.status_code == 200
    assert client.get(URL, {"q": q}).status_code == 200


def test_a_null_character_is_refused_with_a_message(client):
    response = get(client, q="thermo\x00electric")
    assert response.context["results"] is None
    assert "Null characters are not allowed." in response.text


def test_past_the_rate_limit_the_page_answers_429_and_keeps_the_search(
    client, settings, library_document
):
    """The page runs the same engine as the API, so it has a limit too (per address
    here; per user when signed in)."""
    from django.core.cache import cache

    settings.OPENDOCKET_RATE_LIMITS = {
        **settings.OPENDOCKET_RATE_LIMITS,
        "search": "2/m",
    }
    cache.clear()
    for _ in range(2):
        assert client.get(reverse("search:search"), {"q": "exhaust"}).status_code == 200
    # Without words there is no search, so nothing counts.
    assert client.get(reverse("search:search")).status_code == 200

    response = client.get(reverse("search:search"), {"q": "exhaust battery"})

    assert response.status_code == 429
    assert response.context["results"] is None
    assert "You have made more than 2 searches in a minute." in unescape(response.text)
    assert 'value="exhaust battery"' in response.text
    assert 'class="search-hit' not in response.text
    # Another address has its own count.
    other = client.get(
        reverse("search:search"), {"q": "exhaust"}, REMOTE_ADDR="192.0.2.7"
    )
    assert other.status_code == 200
    cache.clear()
