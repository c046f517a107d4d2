"""Citing a library document from a submission: the picker on the submit and edit pages
without JavaScript (find, choose, submit), the fields a cited document fills in, the
``?library=`` link, the detail page, and the duplicate warning."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from submissions.models import PriorArt
from tests.search.factories import make_library_document

from .factories import (
    login,
    make_prior_art,
    private_media_fixture,  # noqa: F401 - fixture
    relaxed_limits_fixture,  # noqa: F401 - fixture
    verified_user,
)
from .library_helpers import (  # noqa: F401 - fixtures
    HANDBOOK_BODY,
    alice_fixture,
    case_fixture,
    handbook_fixture,
    has_radio,
    radio,
    submit_url,
    typed,
    unrelated_fixture,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("relaxed_limits", "private_media"),
]

# --- The picker, without JavaScript ------------------------------------------------------


def test_find_keeps_what_was_typed_and_offers_matching_documents(
    client, case, alice, handbook, unrelated
):
    login(client, alice)
    response = client.post(
        submit_url(case),
        typed(
            title="My own title",
            library_query="thermoelectric exhaust",
            find_library="1",
        ),
    )
    html = response.text
    assert response.status_code == 200
    assert not PriorArt.objects.exists()
    # Everything typed is still there, and nothing unfinished is an error yet.
    assert 'value="My own title"' in html
    assert 'value="J. Smith"' in html
    assert "Shows the exhaust charger of claim 1." in html
    assert "The generator on the manifold is the module of claim 1." in html
    assert " checked" in radio(html, "kind", "publication")
    assert " checked" in radio(html, "claims", "1")
    assert 'value="thermoelectric exhaust"' in html
    assert "There is a problem" not in html
    # The matching document as a choice, with its identifier, year and a snippet.
    assert " checked" not in radio(html, "library_document", handbook.pk)
    assert "Exhaust heat recovery handbook" in html
    assert "ISBN 978-0-306-40615-7" in html and "1998" in html
    assert "<mark>thermoelectric</mark>" in html.lower()
    assert f'href="{handbook.get_absolute_url()}"' in html
    assert has_radio(html, "library_document", "")  # "none"
    assert not has_radio(html, "library_document", unrelated.pk)
    assert "One document in the library matches" in html


def test_choose_then_submit_stores_the_citation_and_shows_it(
    client, case, alice, handbook
):
    login(client, alice)
    response = client.post(
        submit_url(case),
        typed(
            title="Exhaust heat recovery handbook, chapter 4",
            library_query="thermoelectric exhaust",
            library_searched="thermoelectric exhaust",
            library_document=str(handbook.pk),
        ),
    )
    assert response.status_code == 302
    prior_art = PriorArt.objects.get()
    assert prior_art.library_document == handbook
    page = client.get(prior_art.get_absolute_url()).text
    assert "Cites library document" in page
    assert f'<a href="{handbook.get_absolute_url()}">{handbook.title}</a>' in page


def test_blank_citation_fields_are_taken_from_the_document(
    client, case, alice, handbook
):
    login(client, alice)
    response = client.post(submit_url(case), typed(library_document=handbook.pk))
    assert response.status_code == 302
    prior_art = PriorArt.objects.get()
    assert prior_art.title == handbook.title
    assert prior_art.identifier == handbook.identifier
    assert prior_art.identifier_key == "isbn:9780306406157"
    assert prior_art.url == handbook.url
    assert prior_art.published_on == date(1998, 1, 1)
    assert prior_art.published_on_precision == "year"
    assert prior_art.excerpt == HANDBOOK_BODY
    assert prior_art.authors == "J. Smith"  # what was typed stays


def test_what_was_typed_wins_over_the_document(client, case, alice, handbook):
    login(client, alice)
    client.post(
        submit_url(case),
        typed(
            library_document=handbook.pk,
            title="Handbook, second edition",
            excerpt="Only the passage on page 41.",
            published_on="2001-06-01",
        ),
    )
    prior_art = PriorArt.objects.get()
    assert prior_art.title == "Handbook, second edition"
    assert prior_art.excerpt == "Only the passage on page 41."
    assert prior_art.published_on == date(2001, 6, 1)
    assert prior_art.published_on_precision == "day"
    assert prior_art.url == handbook.url  # left blank: from the document


def test_without_a_document_the_title_is_still_required(client, case, alice):
    login(client, alice)
    response = client.post(submit_url(case), typed(library_document=""))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert not PriorArt.objects.exists()


def test_enter_in_the_library_box_searches_and_elsewhere_submits(
    client, case, alice, handbook
):
    login(client, alice)
    # Enter presses the hidden default button: new words in the box mean "find".
    response = client.post(
        submit_url(case),
        typed(title="Typed", default_action="1", library_query="exhaust manifold"),
    )
    assert response.status_code == 200
    assert has_radio(response.text, "library_document", handbook.pk)
    assert 'name="library_searched" value="exhaust manifold"' in response.text
    assert not PriorArt.objects.exists()
    # The same words already searched: Enter submits, as on any form.
    response = client.post(
        submit_url(case),
        typed(
            title="Typed",
            default_action="1",
            library_query="exhaust manifold",
            library_searched="exhaust manifold",
            library_document=handbook.pk,
        ),
    )
    assert response.status_code == 302
    assert PriorArt.objects.get().library_document == handbook


def test_find_with_no_words_says_what_to_do_and_keeps_the_input(client, case, alice):
    login(client, alice)
    response = client.post(
        submit_url(case), typed(title="Kept", library_query="  ", find_library="1")
    )
    html = response.text
    assert response.status_code == 200
    assert "Type words from the document" in html
    assert 'href="#id_library_query"' in html  # the error summary links the box
    assert 'value="Kept"' in html
    assert not PriorArt.objects.exists()


def test_find_with_no_match_says_so(client, case, alice, handbook):
    login(client, alice)
    response = client.post(
        submit_url(case), typed(library_query="zeppelin", find_library="1")
    )
    assert "Nothing in the library matches “zeppelin”" in response.text
    assert not has_radio(response.text, "library_document", handbook.pk)


def test_a_chosen_document_stays_offered_and_chosen_after_another_search(
    client, case, alice, handbook, unrelated
):
    login(client, alice)
    response = client.post(
        submit_url(case),
        typed(library_document=handbook.pk, library_query="caravan", find_library="1"),
    )
    html = response.text
    assert " checked" in radio(html, "library_document", handbook.pk)
    assert " checked" not in radio(html, "library_document", unrelated.pk)


def test_an_unknown_document_is_a_form_error_that_keeps_the_input(client, case, alice):
    login(client, alice)
    for bad in ("999999999", "abc", "-3", "99999999999999999999999"):
        response = client.post(
            submit_url(case), typed(title="Kept", library_document=bad)
        )
        assert response.status_code == 200, bad
        assert "That document is not in the library" in response.text
        assert 'value="Kept"' in response.text
    assert not PriorArt.objects.exists()


def test_library_link_preselects_the_document(client, case, alice, handbook):
    login(client, alice)
    html = client.get(f"{submit_url(case)}?library={handbook.pk}").text
    assert " checked" in radio(html, "library_document", handbook.pk)
    assert "Exhaust heat recovery handbook" in html
    for bad in ("999999", "abc", "", "1e9", "-1"):
        response = client.get(f"{submit_url(case)}?library={bad}")
        assert response.status_code == 200, bad
        assert not has_radio(response.text, "library_document", handbook.pk)


def test_document_text_is_escaped_in_the_picker(client, case, alice):
    make_library_document(
        title='<script>alert("t")</script> exhaust',
        body="<img src=x onerror=alert(1)> exhaust generator",
        identifier="<b>id</b>",
    )
    login(client, alice)
    html = client.post(
        submit_url(case), typed(library_query="exhaust", find_library="1")
    ).text
    assert '<script>alert("t")</script>' not in html
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html and "<b>id</b>" not in html


FIND_PAGE_BUDGET = 45  # the form page's own queries, and a bounded search


def test_find_page_queries_do_not_grow_with_the_library(client, case, alice):
    login(client, alice)
    data = typed(library_query="exhaust generator", find_library="1")
    made = 0
    counts, offered = [], []
    for total in (25, 60):
        while made < total:
            make_library_document(
                title=f"Exhaust generator {made}", body=f"Exhaust generator no. {made}."
            )
            made += 1
        client.post(submit_url(case), data)  # warms per-process caches
        with CaptureQueriesContext(connection) as seen:
            response = client.post(submit_url(case), data)
        counts.append(len(seen.captured_queries))
        offered.append(response.text.count('name="library_document"'))
    assert offered == [10 + 1, 10 + 1]  # at most ten hits, and "none"
    assert counts[0] == counts[1] <= FIND_PAGE_BUDGET


# --- Editing -------------------------------------------------------------------------------


def test_edit_shows_the_citation_and_can_change_or_drop_it(
    client, case, alice, handbook, unrelated
):
    prior_art = make_prior_art(case, alice, library_document=handbook)
    edit_url = reverse("submissions:edit", args=[prior_art.tracking_ref])
    login(client, alice)
    html = client.get(edit_url).text
    assert " checked" in radio(html, "library_document", handbook.pk)

    data = typed(
        title=prior_art.title, excerpt="Kept excerpt.", library_query="caravan"
    )
    response = client.post(edit_url, {**data, "find_library": "1"})
    assert has_radio(response.text, "library_document", unrelated.pk)
    assert 'value="Kept excerpt."' in response.text or "Kept excerpt." in response.text
    prior_art.refresh_from_db()
    assert prior_art.library_document == handbook  # nothing saved by "find"

    response = client.post(edit_url, {**data, "library_document": unrelated.pk})
    assert response.status_code == 302
    prior_art.refresh_from_db()
    assert prior_art.library_document == unrelated
    assert prior_art.excerpt == "Kept excerpt."

    response = client.post(edit_url, {**data, "library_document": ""})
    assert response.status_code == 302
    prior_art.refresh_from_db()
    assert prior_art.library_document is None


def test_a_second_citation_of_the_same_document_warns_first(
    client, case, alice, handbook
):
    bob = verified_user("bob-l")
    original = make_prior_art(
        case, bob, library_document=handbook, title="Bob's handbook"
    )
    login(client, alice)
    response = client.post(
        submit_url(case), typed(title="Alice's handbook", library_document=handbook.pk)
    )
    html = response.text
    assert "This may have been submitted already" in html
    assert f'href="{original.get_absolute_url()}"' in html
    assert "cites the same library document" in html
    assert " checked" in radio(html, "library_document", handbook.pk)
    response = client.post(
        submit_url(case),
        typed(
            title="Alice's handbook",
            library_document=handbook.pk,
            confirm_not_duplicate="on",
        ),
    )
    assert response.status_code == 302
    assert PriorArt.objects.filter(library_document=handbook).count() == 2


def test_a_copy_of_the_documents_text_warns_through_the_prefilled_excerpt(
    client, case, alice, handbook
):
    bob = verified_user("bob-l")
    original = make_prior_art(
        case, bob, title=handbook.title, excerpt=HANDBOOK_BODY.replace("4.", "four.")
    )
    login(client, alice)
    response = client.post(submit_url(case), typed(library_document=handbook.pk))
    assert "This may have been submitted already" in response.text
    assert f'href="{original.get_absolute_url()}"' in response.text
    assert "nearly the same title and excerpt" in response.text
