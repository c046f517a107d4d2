"""A library document's page: its citation (a year alone when only the year is known),
an external link that passes no ranking, its text escaped in paragraphs, and the
submissions citing it that the reader may see, in a constant number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from submissions.models import PriorArt
from tests.submissions.factories import login, set_state, verified_user

from .factories import evidence

pytestmark = pytest.mark.django_db


def cite(prior_art, document):
    PriorArt.objects.filter(pk=prior_art.pk).update(library_document=document)


@pytest.fixture
def document(library_document):
    return library_document(
        title="Exhaust-mounted thermoelectric generator",
        body='First paragraph <script>alert("x")</script>.\n\nSecond & last.',
        identifier="US 4,500,000 A",
        url="https://archive.example.org/disclosures/4500000",
        published_on=date(1985, 1, 1),
        published_on_precision="year",
        source="Northland Disclosure Archive",
        language="de",
    )


def test_the_page_shows_the_citation_and_the_escaped_text(client, document):
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    html = response.text
    assert "<h1" in html and "Exhaust-mounted thermoelectric generator" in html
    assert "US 4,500,000 A" in html and "Northland Disclosure Archive" in html
    assert '<time datetime="1985-01-01">1985</time>' in html  # not "1 January 1985"
    assert "German" in html
    assert (
        '<a href="https://archive.example.org/disclosures/4500000" '
        'rel="nofollow noopener">' in html
    )
    assert "<script>alert" not in html
    assert (
        "<p>First paragraph &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;.</p>"
        in html
    )
    assert "<p>Second &amp; last.</p>" in html


def test_a_day_precise_date_shows_the_day(client, library_document):
    doc = library_document(title="Dated", published_on=date(2011, 3, 9))
    assert (
        '<time datetime="2011-03-09">9 March 2011</time>'
        in client.get(doc.get_absolute_url()).text
    )


def test_an_undated_document_without_link_says_so(client, library_document):
    doc = library_document(title="Undated")
    html = client.get(doc.get_absolute_url()).text
    assert "Date unknown" in html and "nofollow" not in html


def test_an_unknown_document_is_not_found(client):
    assert (
        client.get(reverse("search:library_detail", args=[987654])).status_code == 404
    )


def test_citing_submissions_are_listed_as_the_reader_may_see_them(
    client, document, case_factory
):
    case = case_factory("open", title="Charger")
    author = verified_user("author")
    public = evidence(case, "Public citation", author=author)
    held = evidence(case, "Held citation", author=author, public=False)
    rejected = evidence(case, "Rejected citation", author=author)
    set_state(rejected, "rejected", reason="Not prior art.")
    evidence(case, "Uncited evidence", author=author)
    for item in (public, held, rejected):
        cite(item, document)

    html = client.get(document.get_absolute_url()).text
    assert "Public citation" in html and public.tracking_ref in html
    assert "Held citation" not in html and "Rejected citation" not in html
    assert "Uncited evidence" not in html
    assert f'href="{case.get_absolute_url()}"' in html

    login(client, author)
    html = client.get(document.get_absolute_url()).text
    assert "Held citation" in html and "Rejected citation" in html

    login(client, verified_user("bystander"))
    assert "Held citation" not in client.get(document.get_absolute_url()).text


def test_a_document_nobody_cites_says_so(client, document):
    assert "No evidence you can see cites this document yet." in (
        client.get(document.get_absolute_url()).text
    )


def test_the_number_of_queries_does_not_grow_with_the_citations(
    client, document, case_factory, django_assert_max_num_queries
):
    case = case_factory("open", title="Charger")
    cite(evidence(case, "First citation"), document)
    login(client, verified_user("reader"))
    with django_assert_max_num_queries(20) as captured:
        client.get(document.get_absolute_url())
    budget = len(captured)
    for n in range(12):
        cite(evidence(case, f"Citation {n}"), document)
    with django_assert_max_num_queries(budget):
        html = client.get(document.get_absolute_url()).text
    assert html.count('class="evidence-card"') == 13
