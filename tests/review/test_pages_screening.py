"""The reviewers' screening pages: the queue (filters, markers, bulk actions), one
submission's page (decision, reviewer rating), who may see them, what bad input does,
and the queue's query budget. Reports, ranking and forwarding are in
test_pages_screening_board.py."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services as case_services
from cms.models import HomePage, StandardPage
from review import services
from review.models import ReviewerRating
from submissions import services as submission_services
from submissions.models import AuditEvent, PriorArt, PriorArtStatus
from tests.factories import TechnologyAreaFactory, UserFactory
from tests.submissions.factories import (
    close_case,
    login,
    make_prior_art,
    pdf_upload,
    private_media_fixture,  # noqa: F401 - fixture
    relaxed_limits_fixture,  # noqa: F401 - fixture
    set_state,
    verified_user,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("relaxed_limits", "private_media"),
]

QUEUE = reverse("review:queue")
BULK = reverse("review:bulk")


@pytest.fixture
def case(case_factory):
    return case_factory("open", claims=3, reference="CASE-ONE")


@pytest.fixture
def screener(case):
    user = verified_user("screener")
    case_services.case_appoint_reviewer(case=case, user=user)
    return user


@pytest.fixture
def alice(db):
    return verified_user("alice-s")


@pytest.fixture
def other_reviewer(case_factory, agency_b):
    user = verified_user("elsewhere")
    other = case_factory("open", agency=agency_b, reference="CASE-OTHER")
    case_services.case_appoint_reviewer(case=other, user=user)
    return user


def item_url(prior_art, name="item"):
    return reverse(f"review:{name}", args=[prior_art.tracking_ref])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Queue -------------------------------------------------------------------------------


def test_queue_shows_each_waiting_item_with_markers_and_ratings(
    client, case, screener, alice
):
    held = make_prior_art(case, alice, public=False, title="Held survey", claims=(1, 3))
    public = make_prior_art(
        case, alice, title="Rated survey", identifier="US 1,234,567"
    )
    make_prior_art(case, alice, title="Same patent", identifier="US1234567")
    bob, carol = verified_user("bob-s"), verified_user("carol-s")
    submission_services.vote_set(prior_art=public, voter=bob, rating=5)
    submission_services.vote_set(prior_art=public, voter=carol, rating=4)
    services.reviewer_rating_set(prior_art=public, reviewer=screener, rating=2)
    submission_services.flag_create(reporter=bob, prior_art=public, reason="spam")
    vetted = set_state(make_prior_art(case, alice, title="Old news"), "vetted")

    page = login(client, screener).get(QUEUE)

    assert page.status_code == 200
    text = page.text
    for item in (held, public):
        assert item.tracking_ref in text
    assert vetted.tracking_ref not in text  # the default view is what waits
    assert "CASE-ONE" in text and "alice-s" in text
    assert "Held for screening" in text and "Suspected duplicate" in text
    assert "1 open report" in text
    assert "Community: 2 ratings, mean 4.5" in text
    assert "Reviewers: 1 rating, mean 2.0" in text
    assert re.search(r"<td>1, 3</td>", text)
    assert f'name="prior_art" value="{held.pk}"' in text
    assert 'name="next" value="/review/"' in text


def test_queue_filters_by_case_claim_status_and_markers(
    client, case, case_factory, screener, alice
):
    second = case_factory("open", claims=2, reference="CASE-TWO")
    case_services.case_appoint_reviewer(case=second, user=screener)
    on_two = make_prior_art(case, alice, title="About claim two", claims=(2,))
    on_one = make_prior_art(case, alice, title="About claim one", claims=(1,))
    elsewhere = make_prior_art(second, alice, title="Second case item")
    late = set_state(make_prior_art(case, alice, title="Later vetted"), "vetted")
    login(client, screener)

    def refs(**query):
        response = client.get(QUEUE, query)
        assert response.status_code == 200
        return {
            ref
            for ref in (on_two, on_one, elsewhere, late)
            if ref.tracking_ref in response.text
        }, response

    assert refs()[0] == {on_two, on_one, elsewhere}
    assert refs(case=second.pk)[0] == {elsewhere}
    assert refs(case=case.pk, claim=2)[0] == {on_two}
    assert refs(status="vetted")[0] == {late}
    assert refs(status="all", case=case.pk)[0] == {on_two, on_one, late}
    assert refs(flagged="on")[0] == set()
    found, response = refs(case=case.pk, claim=9)
    assert "Case CASE-ONE has no claim 9." in response.text
    assert found == {on_two, on_one}  # an invalid filter filters nothing
    found, response = refs(claim=1)
    assert "Choose a case to filter by claim." in response.text
    # Cases the reviewer does not review are not even a choice.
    assert refs(case=999999)[1].context["filter_form"].errors["case"]


def test_who_may_open_the_queue(client, case, screener, alice, other_reviewer):
    item = make_prior_art(case, alice)
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/accounts/login/" in response.url

    refused = login(client, alice).get(QUEUE)
    assert refused.status_code == 403
    assert "You are not a reviewer" in refused.text

    empty = login(client, other_reviewer).get(QUEUE)
    assert empty.status_code == 200
    assert item.tracking_ref not in empty.text
    assert "Nothing is waiting for screening" in empty.text

    area = TechnologyAreaFactory(name="Engines", slug="engines")
    area_case = make_area_case(case, area)
    area_item = make_prior_art(area_case, alice, title="Area evidence")
    area_reviewer = verified_user("area-reviewer")
    case_services.area_appoint_reviewer(area=area, user=area_reviewer)
    page = login(client, area_reviewer).get(QUEUE)
    assert area_item.tracking_ref in page.text
    assert item.tracking_ref not in page.text


def make_area_case(case, area):
    from tests.factories import make_case

    return make_case(agency=case.agency, state="open", areas=[area], reference="AREA")


def test_queue_runs_a_constant_number_of_queries(client, case, screener, alice):
    login(client, screener)
    voters = [verified_user(f"voter-{n}") for n in range(3)]

    def add(n):
        for i in range(n):
            item = make_prior_art(
                case, alice, title=f"Evidence {i} {PriorArt.objects.count()}"
            )
            for voter in voters:
                submission_services.vote_set(prior_art=item, voter=voter, rating=4)
            services.reviewer_rating_set(prior_art=item, reviewer=screener, rating=3)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE, {"case": case.pk, "claim": 1}).status_code == 200
        return len(queries)

    add(2)
    small = count()
    add(12)
    assert count() == small


# --- Bulk actions ------------------------------------------------------------------------


def csrf_token_from(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)[1]


def test_bulk_vet_needs_the_csrf_token_and_keeps_the_filters(case, screener, alice):
    items = [make_prior_art(case, alice, title=f"Bulk {n}") for n in range(2)]
    client = login(Client(enforce_csrf_checks=True), screener)
    data = {"prior_art": [i.pk for i in items], "decision": "vet", "reason": ""}
    assert client.post(BULK, data).status_code == 403
    assert PriorArt.objects.filter(status=PriorArtStatus.VETTED).count() == 0

    token = csrf_token_from(client.get(QUEUE, {"case": case.pk}))
    next_url = f"{QUEUE}?case={case.pk}&status=submitted"
    response = client.post(
        BULK, {**data, "next": next_url, "csrfmiddlewaretoken": token}, follow=True
    )
    assert response.redirect_chain[-1][0] == next_url
    assert "2 vetted." in messages_of(response)
    assert PriorArt.objects.filter(status=PriorArtStatus.VETTED).count() == 2
    assert AuditEvent.objects.filter(action="vet", actor=screener).count() == 2


def test_bulk_names_each_submission_it_could_not_change(
    client, case, screener, alice, case_factory
):
    waiting = make_prior_art(case, alice, title="Still waiting")
    done = set_state(make_prior_art(case, alice, title="Already vetted"), "vetted")
    foreign = make_prior_art(case_factory("open", reference="NOT-MINE"), alice)
    response = login(client, screener).post(
        BULK,
        {
            "prior_art": [waiting.pk, done.pk, foreign.pk],
            "decision": "reject",
            "reason": "Published after the priority date.",
            "next": "https://evil.example/steal",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == QUEUE  # an outside address is ignored
    shown = messages_of(response)
    assert "1 rejected." in shown
    assert any(
        m.startswith(f"{done.tracking_ref} was not changed: ") and "cannot be" in m
        for m in shown
    )
    assert f"Submission {foreign.pk} was not changed: no such submission." in shown
    assert not any(foreign.tracking_ref in m for m in shown)
    waiting.refresh_from_db()
    assert waiting.status_reason == "Published after the priority date."


def test_bulk_reject_without_a_reason_redisplays_the_queue_with_the_selection(
    client, case, screener, alice
):
    first, second = (make_prior_art(case, alice, title=f"Pick {n}") for n in (1, 2))
    response = login(client, screener).post(
        BULK,
        {
            "prior_art": [first.pk],
            "decision": "needs_changes",
            "reason": "   ",
            "next": f"{QUEUE}?case={case.pk}",
        },
    )
    assert response.status_code == 200
    assert "Give the contributor a reason" in response.text
    assert re.search(
        rf'value="{first.pk}" id="select-{first.pk}" checked', response.text
    )
    assert not re.search(
        rf'value="{second.pk}" id="select-{second.pk}" checked', response.text
    )
    assert response.context["filter_form"].cleaned_data["case"] == case
    assert f'name="next" value="{QUEUE}?case={case.pk}"' in response.text
    nothing = client.post(BULK, {"decision": "vet", "next": QUEUE})
    assert "Select at least one submission." in nothing.text
    assert PriorArt.objects.filter(status=PriorArtStatus.SUBMITTED).count() == 2


# --- One submission ----------------------------------------------------------------------


def test_item_page_shows_the_whole_submission_and_its_history(
    client, case, screener, alice
):
    guidelines = HomePage.objects.first().add_child(
        instance=StandardPage(
            title="Guidelines for contributors",
            slug="guidelines-contributors",
            body="<p>Cite properly.</p>",
        )
    )
    item = make_prior_art(
        case,
        alice,
        claims=(2,),
        identifier="DOI 10.1000/xyz123",
        excerpt="The module sits in the exhaust.",
        files=[pdf_upload("scan.pdf")],
    )
    twin = make_prior_art(case, alice, title="Twin", identifier="10.1000/XYZ123")
    bob = verified_user("bob-i")
    submission_services.flag_create(
        reporter=bob, prior_art=item, reason="copyright", details="Scanned book"
    )
    other = verified_user("second-reviewer")
    case_services.case_appoint_reviewer(case=case, user=other)
    services.reviewer_rating_set(
        prior_art=item, reviewer=other, rating=5, note="Decisive figure 3."
    )
    page = login(client, screener).get(item_url(item))
    assert page.status_code == 200
    text = page.text
    assert "The module sits in the exhaust." in text
    assert "Claim 2 text: a thermoelectric module" in text
    assert "Claim 2 is shown in section 2." in text
    attachment = item.attachments.get()
    assert reverse("submissions:attachment", args=[attachment.pk]) in text
    assert "Copyright infringement" in text and "Scanned book" in text
    assert "Decisive figure 3." in text and "second-reviewer" in text
    assert twin.tracking_ref in text  # a possible duplicate
    assert f'<option value="{twin.pk}">' in text  # and a choice of original
    assert "Rated by a reviewer" in text and "Submitted" in text
    assert guidelines.url in text
    events = [e.label for e in page.context["events"]]
    assert events == ["Submitted", "Rated by a reviewer"]


def test_item_page_lists_near_identical_texts_and_the_same_library_document(
    client, case, screener, alice
):
    from search.models import LibraryDocument

    doc = LibraryDocument.objects.create(
        title="Exhaust generator note", body="A note.", content_hash="n1"
    )
    excerpt = (
        "A bismuth telluride module clamped to the exhaust manifold charges the "
        "starter battery while the engine runs"
    )
    item = make_prior_art(
        case, alice, title="Exhaust heat charger", excerpt=excerpt, library_document=doc
    )
    near = make_prior_art(
        case,
        verified_user("near-twin"),
        title="Exhaust heat charger.",
        excerpt=excerpt.replace("starter", "the starter"),
    )
    cited = make_prior_art(
        case, verified_user("cites-too"), title="Other words", library_document=doc
    )
    unrelated = make_prior_art(case, verified_user("someone"), title="Unrelated")
    page = login(client, screener).get(item_url(item))
    duplicates = page.context["duplicates"]
    assert {other.pk for other in duplicates} == {near.pk, cited.pk}
    panel = page.text.split("Possible duplicates")[1].split("</section>")[0]
    assert near.tracking_ref in panel and cited.tracking_ref in panel
    assert unrelated.tracking_ref not in panel


def test_who_may_open_a_submission(
    client, case, screener, alice, other_reviewer, editor_a
):
    item = make_prior_art(case, alice)
    url = item_url(item)
    assert "/accounts/login/" in client.get(url).url
    # They may all see this public submission, so screening it is refused (403);
    # a held one is not theirs to know of (404, see test_page_permissions.py).
    for outsider in (alice, other_reviewer, editor_a):
        assert login(client, outsider).get(url).status_code == 403
        assert login(client, outsider).post(item_url(item, "decide")).status_code == 403
    missing = reverse("review:item", args=["PA-NONE-NONE"])
    assert login(client, screener).get(missing).status_code == 404

    closed = close_case(case)
    assert "decision_form" in login(client, screener).get(url).context
    assert (
        client.get(url).context["decision_form"] is not None
    )  # closed: still screened

    set_state(item, "vetted")
    services.case_forward(case_id=closed.pk, actor=screener)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["decision_form"] is None and page.context["rating_form"] is None
    assert "this page is read-only" in page.text
    refused = client.post(item_url(item, "decide"), {"decision": "vet"})
    assert refused.status_code == 403 and "Screening is over" in refused.text


def test_decide_vets_and_moves_on_to_the_next_waiting_item(
    client, case, screener, alice
):
    first, second = (make_prior_art(case, alice, title=f"Next {n}") for n in (1, 2))
    login(client, screener)
    response = client.post(item_url(first, "decide"), {"decision": "vet"})
    assert response.status_code == 302 and response.url == item_url(second)
    first.refresh_from_db()
    assert first.status == PriorArtStatus.VETTED
    response = client.post(
        item_url(second, "decide"),
        {"decision": "duplicate", "duplicate_of": first.pk, "reason": ""},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == QUEUE
    assert f"{second.tracking_ref} marked as a duplicate of {first.tracking_ref}." in (
        messages_of(response)
    )


def test_decide_keeps_what_was_typed_when_refused(client, case, screener, alice):
    item = make_prior_art(case, alice)
    login(client, screener)
    typed = "Compare <b>figure 2</b> with claim 1."
    response = client.post(
        item_url(item, "decide"), {"decision": "duplicate", "reason": typed}
    )
    assert response.status_code == 200
    assert "Say which submission this one duplicates." in response.text
    assert "Compare &lt;b&gt;figure 2&lt;/b&gt; with claim 1." in response.text
    assert 'value="duplicate" id="id_decision_3" required checked' in response.text

    no_reason = client.post(item_url(item, "decide"), {"decision": "reject"})
    assert "Give the contributor a reason" in no_reason.text

    # Refused by the service (vetting is only from "submitted"): the error on the form.
    set_state(item, "needs_changes")
    refused = client.post(
        item_url(item, "decide"), {"decision": "vet", "reason": typed}
    )
    assert refused.status_code == 200
    assert "cannot be" in refused.text and "figure 2" in refused.text
    item.refresh_from_db()
    assert item.status == PriorArtStatus.NEEDS_CHANGES


def test_reviewer_rating_is_saved_and_bad_input_keeps_the_note(
    client, case, screener, alice
):
    item = make_prior_art(case, alice)
    login(client, screener)
    bad = client.post(item_url(item, "rate"), {"rating": "9", "note": "Strong."})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.text and ">\nStrong.</textarea>" in bad.text
    assert not ReviewerRating.objects.exists()

    good = client.post(item_url(item, "rate"), {"rating": "4", "note": "Strong."})
    assert good.status_code == 302 and good.url.endswith("#rating")
    rating = ReviewerRating.objects.get()
    assert (rating.reviewer, rating.rating, rating.note) == (screener, 4, "Strong.")
    again = client.get(item_url(item))
    assert "You rated it 4 out of 5." in again.text


def test_header_links_to_the_queue_only_for_reviewers(client, case, screener, alice):
    assert f'href="{QUEUE}"' in login(client, screener).get("/cases/").text
    assert f'href="{QUEUE}"' not in login(client, alice).get("/cases/").text
    assert 'aria-current="page">Review<' in login(client, screener).get(QUEUE).text
    UserFactory(username="unused")  # no role: nothing to show, nothing to break
