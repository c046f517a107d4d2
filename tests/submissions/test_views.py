"""The public contribution pages: submitting prior art (with duplicate warnings, rate
limits and uploads), the receipt, editing and withdrawing, rating, reporting, comments
and moderation, attachment downloads, and bad input through every text field."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Notification
from cases import services as case_services
from submissions import uploads
from submissions.models import (
    Attachment,
    AuditEvent,
    ClaimMapping,
    Comment,
    Flag,
    PriorArt,
    PriorArtStatus,
    Vote,
)
from tests.factories import TechnologyAreaFactory, UserFactory

from .factories import (
    PDF,
    close_case,
    login,
    make_prior_art,
    pdf_upload,
    private_media_fixture,  # noqa: F401 - fixture
    relaxed_limits_fixture,  # noqa: F401 - fixture
    set_state,
    stored_files,
    verified_user,
    verify,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("relaxed_limits", "private_media"),
]


@pytest.fixture
def case(case_factory):
    return case_factory("open", claims=3)


@pytest.fixture
def alice(db):
    return verified_user("alice-c")


@pytest.fixture
def bob(db):
    return verified_user("bob-c")


@pytest.fixture
def reviewer_of(db):
    def appoint(case):
        user = verified_user(f"reviewer-{case.pk}")
        case_services.case_appoint_reviewer(case=case, user=user)
        return user

    return appoint


# Refusals the pages give, word for word.
STAFF_CANNOT_SUBMIT = (
    "You review or examine this case, so you cannot submit evidence on it."
)
STAFF_CANNOT_RATE = (
    "You review or examine this case, so you cannot rate evidence on it."
)
NOT_PUBLIC = "Only what the public can see can be reported, and this is not public."


def form_data(**overrides) -> dict:
    data = {
        "kind": "publication",
        "title": "Exhaust heat recovery with bismuth telluride modules",
        "authors": "K. Matsubara",
        "published_on": "2001-06-01",
        "published_on_precision": "day",
        "identifier": "10.1109/ICT.2001.979608",
        "url": "https://example.org/matsubara-2001",
        "excerpt": "A thermoelectric generator on the exhaust pipe charges the battery.",
        "relevance": "Shows the charger of claims 1 and 2 twenty years before.",
        "claims": ["1", "2"],
        "explanation_1": "The module sits on the exhaust pipe (figure 2).",
        "explanation_2": "Its output charges the battery (page 4).",
    }
    data.update(overrides)
    return data


def submit_url(case) -> str:
    return reverse("submissions:submit", args=[case.pk])


def comment_url(case) -> str:
    return reverse("submissions:comment_post", args=[case.pk])


def detail_url(prior_art) -> str:
    return reverse("submissions:detail", args=[prior_art.tracking_ref])


def is_checked(html: str, name: str, value: str) -> bool:
    """Whether the page has the radio or checkbox ``name=value`` ticked."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return " checked" in tag
    raise AssertionError(f"no input {name}={value}")


def nothing_saved(private_root) -> bool:
    return (
        not PriorArt.objects.exists()
        and not ClaimMapping.objects.exists()
        and not Attachment.objects.exists()
        and not stored_files(private_root)
    )


# --- Submitting --------------------------------------------------------------------------


def test_submit_page_lists_every_claim_with_its_own_explanation(client, case, alice):
    login(client, alice)
    response = client.get(submit_url(case))
    html = response.text
    assert response.status_code == 200
    for n in (1, 2, 3):
        assert f'id="id_claims_{n - 1}"' in html
        assert f'<label for="id_explanation_{n}">' in html
    assert 'type="file"' in html and "multiple" in html
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_title">' in html
    assert 'type="date"' in html


def test_anonymous_visitors_are_sent_to_sign_in(client, case):
    response = client.get(submit_url(case))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=" in response.url


def test_unverified_account_gets_an_explanation_not_the_form(client, case):
    login(client, UserFactory(username="unconfirmed"))
    response = client.get(submit_url(case))
    assert response.status_code == 403
    assert "Confirm your e-mail address" in response.text
    assert 'name="title"' not in response.text


def test_case_not_open_gets_an_explanation_not_the_form(client, case_factory, alice):
    scheduled = case_factory("scheduled")
    login(client, alice)
    response = client.get(submit_url(scheduled))
    assert response.status_code == 403
    assert "not open for review" in response.text


def test_submit_with_two_claims_and_a_pdf_gives_a_receipt(
    client, case, alice, private_media
):
    login(client, alice)
    response = client.post(
        submit_url(case), form_data(attachments=[pdf_upload("Matsubara 2001.pdf")])
    )
    assert response.status_code == 302
    prior_art = PriorArt.objects.get()
    assert response.url == prior_art.get_absolute_url()
    assert prior_art.author == alice and prior_art.case == case
    assert prior_art.title == "Exhaust heat recovery with bismuth telluride modules"
    assert prior_art.identifier_key == "doi:10.1109/ict.2001.979608"
    assert [(m.claim.number, m.explanation) for m in prior_art.mappings.all()] == [
        (1, "The module sits on the exhaust pipe (figure 2)."),
        (2, "Its output charges the battery (page 4)."),
    ]
    attachment = prior_art.attachments.get()
    assert attachment.original_name == "Matsubara 2001.pdf"
    assert attachment.content_type == "application/pdf"
    assert len(stored_files(private_media)) == 1

    receipt = client.get(response.url)
    html = receipt.text
    assert receipt.status_code == 200
    assert "Your receipt" in html and "Keep this reference" in html
    assert f'<strong class="tracking-ref">{prior_art.tracking_ref}</strong>' in html
    assert "Thank you: your evidence has been submitted." in html
    assert "Waiting for screening" in html  # a first submission is held
    assert "Matsubara 2001.pdf" in html
    assert reverse("submissions:attachment", args=[attachment.pk]) in html
    assert "Its output charges the battery (page 4)." in html


def test_errors_are_summarised_linked_and_the_input_kept(client, case, alice):
    login(client, alice)
    response = client.post(
        submit_url(case),
        form_data(title="", explanation_2="", identifier="US 7,654,321 B2"),
    )
    html = response.text
    assert response.status_code == 200
    assert not PriorArt.objects.exists()
    assert "There is a problem" in html
    assert '<a href="#id_title">This field is required.</a>' in html
    assert 'aria-invalid="true"' in html
    # The explanation of a ticked claim is the service's rule, mapped onto its field.
    assert 'href="#id_explanation_1"' not in html
    # Title errors are found before the service runs; fix them and the next round
    # shows the claim rule.
    response = client.post(
        submit_url(case), form_data(explanation_2="", identifier="US 7,654,321 B2")
    )
    html = response.text
    assert response.status_code == 200
    assert (
        '<a href="#id_explanation_2">Explain how this evidence bears on claim 2.</a>'
        in html
    )
    assert 'id="id_explanation_2_error"' in html
    assert 'value="US 7,654,321 B2"' in html
    assert "Shows the charger of claims 1 and 2 twenty years before." in html
    assert is_checked(html, "claims", "1") and is_checked(html, "claims", "2")
    assert not is_checked(html, "claims", "3")
    assert is_checked(html, "kind", "publication")


def test_ticking_no_claim_is_an_error_linked_to_the_checklist(client, case, alice):
    login(client, alice)
    response = client.post(submit_url(case), form_data(claims=[]))
    assert response.status_code == 200
    assert (
        '<a href="#id_claims_0">Tick at least one claim this evidence bears on.</a>'
        in response.text
    )
    assert not PriorArt.objects.exists()


def test_likely_duplicate_is_shown_then_submitted_when_confirmed(
    client, case, alice, bob
):
    original = make_prior_art(case, bob, identifier="US 7,654,321 B2")
    login(client, alice)
    response = client.post(
        submit_url(case),
        form_data(identifier="us7654321", attachments=[pdf_upload()]),
    )
    html = response.text
    assert response.status_code == 200
    assert PriorArt.objects.count() == 1
    assert "This may have been submitted already" in html
    assert f'href="{original.get_absolute_url()}"' in html
    assert "select your files again" in html
    assert 'name="confirm_not_duplicate"' in html
    assert 'value="us7654321"' in html  # the input is kept

    response = client.post(
        submit_url(case),
        form_data(identifier="us7654321", confirm_not_duplicate="on"),
    )
    assert response.status_code == 302
    assert PriorArt.objects.count() == 2


def test_duplicate_the_user_cannot_see_is_not_linked(client, case, alice, bob):
    hidden = make_prior_art(case, bob, public=False, identifier="ISBN 0-306-40615-2")
    login(client, alice)
    response = client.post(submit_url(case), form_data(identifier="9780306406157"))
    html = response.text
    assert response.status_code == 200
    assert "a submission you cannot see yet" in html
    assert hidden.tracking_ref not in html and hidden.title not in html


def test_a_rejected_duplicate_is_named_only_to_those_who_may_see_it(
    client, case, alice, bob
):
    """It will never be public, so the warning would only tell a contributor what
    was turned down; its author still sees it."""
    rejected = make_prior_art(case, bob, identifier="ISBN 0-306-40615-2")
    set_state(rejected, "rejected", reason="Not prior art.")
    login(client, alice)
    response = client.post(submit_url(case), form_data(identifier="9780306406157"))
    assert response.status_code == 302  # no warning: submitted
    assert PriorArt.objects.filter(author=alice).count() == 1

    login(client, bob)
    response = client.post(submit_url(case), form_data(identifier="9780306406157"))
    assert response.status_code == 200
    assert "This may have been submitted already" in response.text
    assert f'href="{rejected.get_absolute_url()}"' in response.text


def test_rate_limit_gives_429_and_keeps_the_input(client, case, alice, settings):
    settings.OPENDOCKET_RATE_LIMITS = {
        **settings.OPENDOCKET_RATE_LIMITS,
        "submit": "1/h",
    }
    login(client, alice)
    assert client.post(submit_url(case), form_data()).status_code == 302
    response = client.post(
        submit_url(case),
        form_data(title="A second document", identifier="", url=""),
    )
    assert response.status_code == 429
    assert "limit of 1 an hour" in response.text
    assert 'value="A second document"' in response.text
    assert PriorArt.objects.count() == 1


def test_evidence_dated_after_the_priority_date_is_accepted_and_marked(
    client, case, alice
):
    later = (case.priority_date + timedelta(days=40)).isoformat()
    login(client, alice)
    response = client.post(submit_url(case), form_data(published_on=later))
    assert response.status_code == 302
    assert "Dated after the priority date" in client.get(response.url).text


# --- Receipt and status ------------------------------------------------------------------


def test_public_page_shows_citation_claims_and_ratings_but_no_receipt(
    client, case, alice, bob
):
    prior_art = make_prior_art(case, alice, claims=(1, 3))
    Vote.objects.create(prior_art=prior_art, voter=bob, rating=4)
    html = client.get(detail_url(prior_art)).text
    assert prior_art.title in html and prior_art.tracking_ref in html
    assert "Your receipt" not in html
    assert "1 rating, average 4.0 out of 5" in html
    assert "Claim 1 is shown in section 1." in html
    assert "Claim 3 is shown in section 3." in html
    assert reverse("submissions:edit", args=[prior_art.tracking_ref]) not in html
    assert "Sign in to rate" in html


def test_owner_sees_reviewers_message_and_status_history(client, case, alice):
    prior_art = make_prior_art(case, alice)
    set_state(
        prior_art,
        PriorArtStatus.NEEDS_CHANGES,
        reason="Please quote the passage about the heat exchanger.",
    )
    login(client, alice)
    html = client.get(detail_url(prior_art)).text
    assert "Message from the reviewers" in html
    assert "Please quote the passage about the heat exchanger." in html
    assert "Status history" in html
    assert "Changes requested" in html


def test_unknown_reference_is_404(client):
    assert client.get("/evidence/PA-NOPE-NOPE/").status_code == 404


# --- Editing and withdrawing -------------------------------------------------------------


def test_owner_edits_mappings_and_attachments_and_resubmits(
    client, case, alice, private_media, django_capture_on_commit_callbacks
):
    prior_art = make_prior_art(case, alice, files=[pdf_upload("old.pdf")])
    set_state(prior_art, PriorArtStatus.NEEDS_CHANGES, reason="Add claim 3.")
    old = prior_art.attachments.get()
    login(client, alice)
    url = reverse("submissions:edit", args=[prior_art.tracking_ref])
    page = client.get(url)
    assert page.status_code == 200
    assert f'value="{prior_art.title}"' in page.text
    assert "Claim 1 is shown in section 1." in page.text  # the explanation, prefilled
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            form_data(
                title="Corrected title",
                claims=["3"],
                explanation_3="Claim 3's converter is in figure 5.",
                remove_attachments=[str(old.pk)],
                attachments=[pdf_upload("new.pdf")],
            ),
        )
    assert response.status_code == 302
    prior_art.refresh_from_db()
    assert prior_art.title == "Corrected title"
    assert prior_art.status == PriorArtStatus.SUBMITTED
    assert [m.claim.number for m in prior_art.mappings.all()] == [3]
    assert [a.original_name for a in prior_art.attachments.all()] == ["new.pdf"]
    assert len(stored_files(private_media)) == 1


def test_after_the_window_closes_a_submission_is_read_only(client, case, alice):
    prior_art = make_prior_art(case, alice)
    close_case(case)
    login(client, alice)
    for name in ("edit", "withdraw"):
        response = client.get(
            reverse(f"submissions:{name}", args=[prior_art.tracking_ref])
        )
        assert response.status_code == 403
        assert "read-only" in response.text
    response = client.post(
        reverse("submissions:edit", args=[prior_art.tracking_ref]),
        form_data(title="Too late"),
    )
    assert response.status_code == 403
    prior_art.refresh_from_db()
    assert prior_art.title != "Too late"


def test_rejected_submission_cannot_be_edited(client, case, alice):
    prior_art = make_prior_art(case, alice)
    set_state(prior_art, PriorArtStatus.REJECTED, reason="Not prior art.")
    login(client, alice)
    response = client.get(reverse("submissions:edit", args=[prior_art.tracking_ref]))
    assert response.status_code == 403
    assert "rejected" in response.text


def test_withdraw_asks_then_withdraws(client, case, alice):
    prior_art = make_prior_art(case, alice)
    url = reverse("submissions:withdraw", args=[prior_art.tracking_ref])
    login(client, alice)
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Withdraw your evidence?" in confirm.text
    response = client.post(url, {"reason": "Found a better reference."})
    assert response.status_code == 302
    prior_art.refresh_from_db()
    assert prior_art.status == PriorArtStatus.WITHDRAWN
    event = AuditEvent.objects.get(prior_art=prior_art, action="withdraw")
    assert event.reason == "Found a better reference."
    client.logout()
    assert client.get(detail_url(prior_art)).status_code == 404


# --- Ratings and reports -----------------------------------------------------------------


def test_rating_once_then_changing_it(client, case, alice, bob):
    prior_art = make_prior_art(case, alice)
    url = reverse("submissions:rate", args=[prior_art.tracking_ref])
    login(client, bob)
    assert client.post(url, {"rating": "4"}).status_code == 302
    assert client.post(url, {"rating": "2"}).status_code == 302
    vote = Vote.objects.get(prior_art=prior_art)
    assert (vote.voter, vote.rating) == (bob, 2)
    html = client.get(detail_url(prior_art)).text
    assert "1 rating, average 2.0 out of 5" in html
    assert "Your rating: 2 out of 5." in html
    assert is_checked(html, "rating", "2") and not is_checked(html, "rating", "4")


def test_rating_out_of_range_is_a_form_error(client, case, alice, bob):
    prior_art = make_prior_art(case, alice)
    login(client, bob)
    response = client.post(
        reverse("submissions:rate", args=[prior_art.tracking_ref]), {"rating": "9"}
    )
    assert response.status_code == 200
    assert 'href="#id_rating_0"' in response.text
    assert not Vote.objects.exists()


def test_nobody_rates_their_own_evidence(client, case, alice):
    prior_art = make_prior_art(case, alice)
    login(client, alice)
    response = client.post(
        reverse("submissions:rate", args=[prior_art.tracking_ref]), {"rating": "5"}
    )
    assert response.status_code == 403
    assert "own evidence" in response.text
    assert not Vote.objects.exists()


def test_enough_reports_hide_a_submission(client, case, alice, settings):
    settings.OPENDOCKET_FLAG_HIDE_THRESHOLD = 2
    prior_art = make_prior_art(case, alice)
    url = reverse("submissions:flag", args=[prior_art.tracking_ref])
    for name in ("flagger-1", "flagger-2"):
        client.logout()
        login(client, verified_user(name))
        response = client.post(url, {"reason": "spam", "details": "An advert."})
        assert response.status_code == 302
    prior_art.refresh_from_db()
    assert prior_art.hidden_by_flags
    assert Flag.objects.filter(prior_art=prior_art).count() == 2
    client.logout()
    assert client.get(detail_url(prior_art)).status_code == 404
    login(client, alice)
    assert client.get(detail_url(prior_art)).status_code == 200


def test_reporting_twice_is_a_message_not_an_error(client, case, alice, bob):
    prior_art = make_prior_art(case, alice)
    url = reverse("submissions:flag", args=[prior_art.tracking_ref])
    login(client, bob)
    assert client.post(url, {"reason": "spam"}).status_code == 302
    response = client.post(url, {"reason": "spam"})
    assert response.status_code == 200
    assert "You have already reported this" in response.text


@pytest.mark.parametrize("state", ["held", PriorArtStatus.REJECTED])
def test_reporting_what_the_public_cannot_see_is_refused(
    client, case, alice, reviewer_of, state
):
    prior_art = make_prior_art(case, alice, public=state != "held")
    if state == PriorArtStatus.REJECTED:
        set_state(prior_art, state, reason="Not prior art.")
    url = reverse("submissions:flag", args=[prior_art.tracking_ref])

    login(client, reviewer_of(case))  # staff see it, but may not report it
    page = client.get(detail_url(prior_art))
    assert page.status_code == 200
    assert url not in page.text
    response = client.post(url, {"reason": "spam"})
    assert response.status_code == 403
    assert NOT_PUBLIC in response.text

    client.logout()
    login(client, verified_user("passer-by"))  # the public does not see it at all
    assert client.post(url, {"reason": "spam"}).status_code == 404
    assert not Flag.objects.exists()


# --- Comments ----------------------------------------------------------------------------


def test_comment_on_a_claim_then_a_threaded_reply_notifies_the_author(
    client, case, alice, bob
):
    login(client, alice)
    response = client.post(
        comment_url(case),
        {"body": "Claim 2 reads on the 1998 Toyota patent.", "claim": 2},
    )
    assert response.status_code == 302
    first = Comment.objects.get()
    assert first.claim.number == 2
    assert response.url.endswith(f"#comment-{first.pk}")

    client.logout()
    login(client, bob)
    response = client.post(
        comment_url(case), {"body": "Which figure?", "parent": first.pk}
    )
    assert response.status_code == 302
    reply = Comment.objects.exclude(pk=first.pk).get()
    assert reply.parent == first and reply.claim == first.claim
    notification = Notification.objects.get(recipient=alice)
    assert notification.key == f"reply:{reply.pk}"

    html = client.get(reverse("cases:detail", args=[case.pk])).text
    assert f'id="comment-{first.pk}" class="comment comment--depth-0"' in html
    assert f'id="comment-{reply.pk}" class="comment comment--depth-1"' in html
    assert html.index(f'id="comment-{first.pk}"') < html.index(
        f'id="comment-{reply.pk}"'
    )
    assert "on claim 2" in html and "alice-c" in html


def test_comment_on_evidence_shows_on_its_page(client, case, alice, bob):
    prior_art = make_prior_art(case, alice)
    login(client, bob)
    response = client.post(
        comment_url(case),
        {
            "body": "See also the 2003 follow-up paper.",
            "prior_art": prior_art.tracking_ref,
        },
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.prior_art == prior_art
    assert response.url == f"{prior_art.get_absolute_url()}#comment-{comment.pk}"
    assert (
        "See also the 2003 follow-up paper." in client.get(detail_url(prior_art)).text
    )


def test_comment_page_for_a_claim_preselects_it(client, case, alice):
    login(client, alice)
    response = client.get(comment_url(case), {"claim": "3"})
    assert response.status_code == 200
    assert '<option value="3" selected>' in response.text


def test_empty_comment_is_an_error_on_the_comment_page(client, case, alice):
    login(client, alice)
    response = client.post(comment_url(case), {"body": ""})
    assert response.status_code == 200
    assert '<a href="#id_body">' in response.text
    assert not Comment.objects.exists()


def test_comment_links_are_urlized_with_nofollow(client, case, alice):
    login(client, alice)
    client.post(comment_url(case), {"body": "Read https://example.org/paper first"})
    html = client.get(reverse("cases:detail", args=[case.pk])).text
    assert '<a href="https://example.org/paper" rel="nofollow">' in html


def test_moderator_hides_a_comment_with_a_reason(client, case, alice, reviewer_of):
    reviewer = reviewer_of(case)
    login(client, alice)
    client.post(comment_url(case), {"body": "Buy cheap watches at spam.example"})
    comment = Comment.objects.get()
    client.logout()
    login(client, reviewer)
    url = reverse("submissions:comment_hide", args=[comment.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 200  # a reason is required
    response = client.post(url, {"reason": "Advertising."})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden and comment.hidden_reason == "Advertising."
    assert AuditEvent.objects.filter(comment=comment, action="comment_hide").exists()
    client.logout()
    html = client.get(reverse("cases:detail", args=[case.pk])).text
    assert "This comment was hidden by a moderator: Advertising." in html
    assert "cheap watches" not in html


def test_contributors_cannot_hide_comments(client, case, alice, bob):
    login(client, alice)
    client.post(comment_url(case), {"body": "A fair point."})
    comment = Comment.objects.get()
    client.logout()
    login(client, bob)
    url = reverse("submissions:comment_hide", args=[comment.pk])
    assert client.post(url, {"reason": "I disagree"}).status_code == 403
    comment.refresh_from_db()
    assert not comment.hidden


def test_comment_edit_within_the_window_then_not(client, case, alice, settings):
    login(client, alice)
    client.post(comment_url(case), {"body": "Claim 1 is anticipated."})
    comment = Comment.objects.get()
    url = reverse("submissions:comment_edit", args=[comment.pk])
    assert 'value="Claim 1' not in client.get(url).text  # a textarea, prefilled
    assert "Claim 1 is anticipated." in client.get(url).text
    assert (
        client.post(url, {"body": "Claim 1 is anticipated by D1."}).status_code == 302
    )
    comment.refresh_from_db()
    assert comment.body == "Claim 1 is anticipated by D1." and comment.edited_at
    assert "(edited)" in client.get(reverse("cases:detail", args=[case.pk])).text

    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=60)
    )
    response = client.post(url, {"body": "Changed much later."})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Claim 1 is anticipated by D1."


def test_reporting_a_comment(client, case, alice, bob):
    login(client, alice)
    client.post(comment_url(case), {"body": "Off-topic rant."})
    comment = Comment.objects.get()
    client.logout()
    login(client, bob)
    url = reverse("submissions:comment_flag", args=[comment.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "off_topic"}).status_code == 302
    assert Flag.objects.filter(comment=comment, reporter=bob).exists()


def test_comment_rate_limit_gives_429_and_keeps_the_text(client, case, alice, settings):
    settings.OPENDOCKET_RATE_LIMITS = {
        **settings.OPENDOCKET_RATE_LIMITS,
        "comment": "1/h",
    }
    login(client, alice)
    assert client.post(comment_url(case), {"body": "First."}).status_code == 302
    response = client.post(comment_url(case), {"body": "Second thoughts."})
    assert response.status_code == 429
    assert "Second thoughts." in response.text
    assert Comment.objects.count() == 1


# --- Attachments -------------------------------------------------------------------------


def test_attachment_download_is_private_and_never_rendered(
    client, case, alice, bob, reviewer_of
):
    prior_art = make_prior_art(case, alice, files=[pdf_upload("Paper <1>.pdf")])
    attachment = prior_art.attachments.get()
    url = reverse("submissions:attachment", args=[attachment.pk])

    assert client.get(url).status_code == 404  # anonymous
    login(client, bob)
    assert client.get(url).status_code == 404  # another contributor
    client.logout()

    for user in (alice, reviewer_of(case)):
        login(client, user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Paper" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        client.logout()
    assert client.get("/attachments/999999/").status_code == 404


def test_public_page_lists_attachments_without_links(client, case, alice):
    prior_art = make_prior_art(case, alice, files=[pdf_upload("figures.pdf")])
    attachment = prior_art.attachments.get()
    html = client.get(detail_url(prior_art)).text
    assert "figures.pdf" in html
    assert reverse("submissions:attachment", args=[attachment.pk]) not in html


# --- Uploads refused ---------------------------------------------------------------------

GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40


@pytest.mark.parametrize(
    ("files", "message"),
    [
        pytest.param(
            [("x.pdf", b"<html><script>alert(1)</script></html>")],
            "x.pdf is not a PDF, PNG, JPEG or plain text file",
            id="renamed-html",
        ),
        pytest.param(
            [
                (
                    "figure.png",
                    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                )
            ],
            "figure.png is not a PDF, PNG, JPEG or plain text file",
            id="svg-with-script",
        ),
        pytest.param(
            [("paper.pdf", GIF)],
            "paper.pdf is not a PDF, PNG, JPEG or plain text file",
            id="gif-named-pdf",
        ),
        pytest.param(
            [("paper.pdf", ZIP)],
            "paper.pdf is not a PDF, PNG, JPEG or plain text file",
            id="zip-named-pdf",
        ),
        pytest.param([("empty.pdf", b"")], "empty.pdf is empty.", id="empty"),
        pytest.param(
            [("big.pdf", PDF + b"0" * 200)], "big.pdf is 0.0 MB", id="oversized"
        ),
        pytest.param(
            [(f"f{i}.pdf", PDF) for i in range(11)],
            "You can attach at most 10 files to one submission.",
            id="eleven-files",
        ),
        pytest.param(
            [("ok.pdf", PDF), ("evil.pdf", b"<html><body>hi</body></html>")],
            "evil.pdf is not a PDF",
            id="one-bad-among-good",
        ),
    ],
)
def test_refused_uploads_save_nothing(
    client, case, alice, private_media, monkeypatch, files, message
):
    monkeypatch.setattr(uploads, "MAX_ATTACHMENT_BYTES", 150)
    login(client, alice)
    uploads_ = [SimpleUploadedFile(name, body) for name, body in files]
    response = client.post(submit_url(case), form_data(attachments=uploads_))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert escape(message) in response.text
    assert 'href="#id_attachments"' in response.text
    assert "select your files again" in response.text
    assert nothing_saved(private_media)


def test_plain_text_attachment_is_accepted(client, case, alice, private_media):
    login(client, alice)
    upload = SimpleUploadedFile("notes.pdf", "Plain notes, naïve café.\n".encode())
    response = client.post(submit_url(case), form_data(attachments=[upload]))
    assert response.status_code == 302
    assert Attachment.objects.get().content_type == "text/plain"


# --- Bad input ---------------------------------------------------------------------------

HOSTILE = {
    "script": "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "template": "Total {{ 7*7 }} items {% debug %} {# note #}",
    "sql": "'; DROP TABLE submissions_priorart; --",
    "rtl-combining-emoji": "مرحبا بالعالم e\u0301 \u202eevil\u202c 👩\u200d🔬🧪",
    "control": "bell\x07 escape\x1b[31m unit\x1f vertical\x0btab\x0c end",
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_text_in_every_submit_field_is_stored_exactly_and_escaped(
    client, case, alice, kind
):
    text = HOSTILE[kind]
    login(client, alice)
    fields = ("title", "authors", "identifier", "excerpt", "relevance")
    data = form_data(
        **{field: f"{field}: {text}" for field in fields},
        explanation_1=f"explanation: {text}",
        explanation_2=f"explanation two: {text}",
        url="",
    )
    response = client.post(submit_url(case), data)
    assert response.status_code == 302, response.text[:2000]
    prior_art = PriorArt.objects.get()
    for field in fields:
        assert getattr(prior_art, field) == f"{field}: {text}"
    assert prior_art.mappings.get(claim__number=1).explanation == f"explanation: {text}"

    html = client.get(detail_url(prior_art)).text
    assert escape(f"relevance: {text}") in html
    assert escape(f"explanation: {text}") in html
    assert "<script>alert" not in html and "<img src=x" not in html
    if kind == "template":
        assert "{{ 7*7 }}" in html and "Total 49 items" not in html
    case_html = client.get(reverse("cases:detail", args=[case.pk])).text
    assert escape(f"title: {text}") in case_html


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_text_in_a_comment_is_stored_exactly_and_escaped(
    client, case, alice, kind
):
    text = HOSTILE[kind]
    login(client, alice)
    response = client.post(comment_url(case), {"body": text})
    assert response.status_code == 302
    assert Comment.objects.get().body == text
    html = client.get(reverse("cases:detail", args=[case.pk])).text
    assert escape(text) in html
    assert "<script>alert" not in html
    if kind == "template":
        assert "Total 49 items" not in html


def test_very_long_strings_are_form_errors(client, case, alice):
    login(client, alice)
    response = client.post(
        submit_url(case),
        form_data(
            title="T" * 501,
            relevance="R" * 5001,
            excerpt="E" * 20001,
            explanation_1="X" * 5001,
            identifier="I" * 301,
        ),
    )
    assert response.status_code == 200
    html = response.text
    for field in ("title", "relevance", "excerpt", "explanation_1", "identifier"):
        assert f'href="#id_{field}"' in html
    assert "Ensure this value has at most 500 characters (it has 501)." in html
    assert not PriorArt.objects.exists()

    response = client.post(comment_url(case), {"body": "C" * 5001})
    assert response.status_code == 200
    assert "at most 5000 characters" in response.text
    assert not Comment.objects.exists()


def test_nul_characters_are_refused_with_a_message(client, case, alice):
    login(client, alice)
    response = client.post(submit_url(case), form_data(title="bad\x00title"))
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.text
    response = client.post(comment_url(case), {"body": "nul\x00body"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.text
    assert not PriorArt.objects.exists() and not Comment.objects.exists()


def test_malformed_references_and_ids_are_form_errors_not_500(client, case, alice):
    login(client, alice)
    for data in (
        {"body": "x", "prior_art": "'; DROP TABLE x; --"},
        {"body": "x", "parent": "abc"},
        {"body": "x", "parent": "999999999"},
        {"body": "x", "claim": "99"},
        {"body": "x", "claim": "<script>"},
    ):
        response = client.post(comment_url(case), data)
        assert response.status_code == 200, data
        assert "There is a problem" in response.text
    response = client.post(submit_url(case), form_data(claims=["1", "99"]))
    assert response.status_code == 200
    response = client.post(submit_url(case), form_data(published_on="2001-02-30"))
    assert response.status_code == 200 and 'href="#id_published_on"' in response.text
    assert not Comment.objects.exists() and not PriorArt.objects.exists()


# --- Conflict of interest: the case's own staff ------------------------------------------

STAFF_ROLES = ("reviewer", "area reviewer", "examiner", "editor")


@pytest.fixture
def staffed(case_factory, editor_a):
    """``staffed(role)``: an open case in a technology area, and a verified user who is
    its ``role`` (the agency editor, a reviewer of the case or of its area, or its
    examiner)."""

    def make(role: str):
        area = TechnologyAreaFactory(slug="staffed-area", name="Staffed area")
        case = case_factory("open", claims=3, areas=[area])
        if role == "editor":
            return case, verify(editor_a)
        user = verified_user(f"staff-{role.replace(' ', '-')}")
        if role == "reviewer":
            case_services.case_appoint_reviewer(case=case, user=user)
        elif role == "area reviewer":
            case_services.area_appoint_reviewer(area=area, user=user)
        else:
            case_services.case_appoint_examiner(case=case, user=user)
        return case, user

    return make


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_case_staff_cannot_submit_on_their_case_and_are_told_why(client, staffed, role):
    case, user = staffed(role)
    login(client, user)

    page = client.get(reverse("cases:detail", args=[case.pk])).text
    assert STAFF_CANNOT_SUBMIT in page
    assert submit_url(case) not in page
    assert "Review is not open" not in page
    assert 'id="comment-form"' in page  # the discussion stays open to them

    form = client.get(submit_url(case))
    assert form.status_code == 403
    assert STAFF_CANNOT_SUBMIT in form.text
    assert "not open for review" not in form.text
    assert 'name="title"' not in form.text
    posted = client.post(submit_url(case), form_data())
    assert posted.status_code == 403
    assert STAFF_CANNOT_SUBMIT in posted.text
    assert not PriorArt.objects.exists()


def test_a_reviewer_of_another_case_submits_on_this_one(
    client, case, case_factory, reviewer_of
):
    reviewer = reviewer_of(case_factory("open"))
    login(client, reviewer)
    page = client.get(reverse("cases:detail", args=[case.pk])).text
    assert submit_url(case) in page and STAFF_CANNOT_SUBMIT not in page
    response = client.post(submit_url(case), form_data())
    assert response.status_code == 302
    assert PriorArt.objects.get().author == reviewer


def test_superusers_can_still_submit(client, case, admin_user):
    login(client, verify(admin_user))
    assert STAFF_CANNOT_SUBMIT not in client.get(submit_url(case)).text
    assert client.post(submit_url(case), form_data()).status_code == 302
    assert PriorArt.objects.get().author == admin_user


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_case_staff_cannot_rate_evidence_on_their_case_and_are_told_why(
    client, staffed, alice, role
):
    case, user = staffed(role)
    prior_art = make_prior_art(case, alice)
    rate_url = reverse("submissions:rate", args=[prior_art.tracking_ref])
    login(client, user)

    page = client.get(detail_url(prior_art)).text
    assert STAFF_CANNOT_RATE in page
    assert rate_url not in page
    response = client.post(rate_url, {"rating": "5"})
    assert response.status_code == 403
    assert STAFF_CANNOT_RATE in response.text
    assert not Vote.objects.exists()


def test_a_reviewer_of_another_case_rates_evidence_on_this_one(
    client, case, case_factory, alice, reviewer_of
):
    prior_art = make_prior_art(case, alice)
    login(client, reviewer_of(case_factory("open")))
    assert STAFF_CANNOT_RATE not in client.get(detail_url(prior_art)).text
    response = client.post(
        reverse("submissions:rate", args=[prior_art.tracking_ref]), {"rating": "4"}
    )
    assert response.status_code == 302
    assert Vote.objects.get().rating == 4


# --- The case page -----------------------------------------------------------------------


def test_case_page_lists_evidence_and_invites_contribution(client, case, alice, bob):
    late = case.priority_date + timedelta(days=10)
    prior_art = make_prior_art(case, alice, claims=(1, 2), published_on=late)
    Vote.objects.create(prior_art=prior_art, voter=bob, rating=5)
    hidden = make_prior_art(case, bob, public=False, title="Not yet screened at all")
    url = reverse("cases:detail", args=[case.pk])

    html = client.get(url).text
    assert "Evidence submitted" in html
    assert f'href="{prior_art.get_absolute_url()}"' in html
    assert hidden.title not in html
    assert "by alice-c" in html and "1 rating, average 5.0 out of 5" in html
    assert "Dated after the priority date" in html
    assert "Sign in to submit prior art" in html
    assert "Comment on this claim" not in html

    login(client, UserFactory(username="unconfirmed-2"))
    assert "Confirm your e-mail address" in client.get(url).text
    client.logout()

    login(client, bob)
    html = client.get(url).text
    assert reverse("submissions:submit", args=[case.pk]) in html
    assert "Submit prior art" in html
    assert f"{reverse('submissions:comment_post', args=[case.pk])}?claim=2" in html
    assert 'id="comment-form"' in html
    assert hidden.title in html  # bob's own, waiting for screening
    assert "Waiting for screening" in html


def test_closed_case_page_says_review_is_not_open(client, case, alice):
    make_prior_art(case, alice)
    close_case(case)
    login(client, alice)
    html = client.get(reverse("cases:detail", args=[case.pk])).text
    assert "Review is not open" in html
    assert 'id="comment-form"' not in html
    assert reverse("submissions:submit", args=[case.pk]) not in html


# --- Query budget ------------------------------------------------------------------------

DETAIL_PAGE_BUDGET = 35  # mostly permission checks, each a few guardian queries


def test_evidence_page_query_count_does_not_grow_with_claims_files_or_comments(
    client, case_factory, alice, bob, django_assert_max_num_queries
):
    small_case, big_case = (
        case_factory("open", claims=1),
        case_factory("open", claims=8),
    )
    small = make_prior_art(small_case, alice, claims=(1,))
    big = make_prior_art(
        big_case,
        alice,
        claims=tuple(range(1, 9)),
        files=[pdf_upload(f"part-{i}.pdf") for i in range(6)],
    )
    for i in range(30):
        parent = Comment.objects.filter(prior_art=big).last() if i % 2 else None
        Comment.objects.create(
            case=big_case, prior_art=big, author=bob, body=f"c{i}", parent=parent
        )
    Vote.objects.create(prior_art=big, voter=bob, rating=3)
    counts = {}
    for user in (None, bob, alice):
        client.logout()
        if user is not None:
            login(client, user)
        client.get(detail_url(small))  # warms per-process caches
        for item in (small, big):
            with django_assert_max_num_queries(DETAIL_PAGE_BUDGET) as captured:
                assert client.get(detail_url(item)).status_code == 200
            counts[(user, item.pk)] = len(captured.captured_queries)
        assert counts[(user, small.pk)] == counts[(user, big.pk)], user
