"""A new contributor's first visit, end to end through a real browser and a live server:
sign up, confirm the address through the e-mailed link, sign in, submit prior art
mapped to two claims with a PDF, comment on a claim, rate another contributor's
evidence, then find it all on the case page and on the account page, while the public
sees only what has passed screening."""

from __future__ import annotations

import re
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings

from submissions import services
from submissions.models import Comment, PriorArt, PriorArtStatus, Vote
from tests.factories import AgencyFactory, UserFactory, make_case

# Generous rate limits with an empty counter cache, and attachments in a directory of
# this test's own: the fixtures the page tests use.
from tests.submissions.factories import (  # noqa: F401
    private_media_fixture,
    relaxed_limits_fixture,
)

expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed"
).expect

# Transactional, as the other browser tests: the live server's thread must see the
# test's rows, and the migrated data comes back before the test (see
# test_editor_publishes_case.py).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HANDLE = "carol"
EMAIL = "carol@example.org"
PASSWORD = "Thermo-pile-4711-exhaust"
TRACKING_REF = re.compile(r"^PA-[A-Z0-9]{4}-[A-Z0-9]{4}$")

BOB_TITLE = "Exhaust-mounted Peltier generator for vehicle batteries"
CAROL_TITLE = "Bismuth telluride modules on a motorcycle exhaust"
CAROL_RELEVANCE = (
    "Describes a charger with bismuth telluride thermoelectric modules clamped to an "
    "exhaust pipe, years before the priority date."
)
EXPLANATIONS = {
    1: "Figure 2 shows the thermoelectric module on the exhaust pipe.",
    2: "Section 3 names bismuth telluride as the module material.",
}
COMMENT = "Claim 2 only narrows the material; bismuth telluride is the usual choice."
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def case(transactional_db):
    agency = AgencyFactory(name="Northland Patent Office", slug="patent-office")
    return make_case(agency=agency, state="open", claims=3, reference="NP 2026/000555")


@pytest.fixture
def bob_evidence(case, private_media):
    """Another verified contributor's public submission on the case: screening of new
    contributors is off for this one call, as if bob had been vetted before."""
    bob = UserFactory(username="bob")
    EmailAddress.objects.create(user=bob, email=bob.email, verified=True, primary=True)
    with override_settings(OPENDOCKET_SCREEN_NEW_CONTRIBUTORS=False):
        prior_art = services.prior_art_submit(
            case=case,
            author=bob,
            data={
                "kind": "patent",
                "title": BOB_TITLE,
                "identifier": "US 5,000,001 A",
                "relevance": "Shows a Peltier generator on an exhaust pipe.",
            },
            mappings=[services.MappingInput(1, "Column 2 shows the module.")],
        )
    assert prior_art.is_public
    return prior_art


@contextmanager
def screenshots_on_failure(pages: list, name: str):
    """On failure, a full-page screenshot of every page opened, in /tmp."""
    try:
        yield
    except BaseException:
        for index, page in enumerate(pages):
            # A page that cannot be captured must not hide the original failure.
            with suppress(Exception):
                page.screenshot(path=f"/tmp/{name}-{index}.png", full_page=True)
        raise


def status(page, text: str):
    """The status message (role=status) that says ``text``; allauth adds its own
    messages next to the page's."""
    return page.get_by_role("status").filter(has_text=text)


def confirmation_url(address: str) -> str:
    sent = [message for message in mail.outbox if address in message.to]
    assert len(sent) == 1, [message.subject for message in mail.outbox]
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+", sent[0].body)
    assert match, sent[0].body
    return match.group(0)


def test_new_contributor_signs_up_submits_comments_rates_and_sees_it_all(
    live_server, case, bob_evidence, relaxed_limits, new_page, tmp_path
):
    base = live_server.url
    case_url = f"{base}/cases/{case.pk}/"
    pdf = tmp_path / "exhaust-charger.pdf"
    pdf.write_bytes(PDF)
    pages = []
    page = new_page()
    pages.append(page)

    with screenshots_on_failure(pages, "contributor-journey"):
        sign_up_and_confirm(page, base)
        sign_in(page, base)
        ref = submit_prior_art(page, case_url, pdf)
        comment_on_claim_2(page, case_url)
        rate_bobs_evidence(page, case_url)

        # The owner's case page: both submissions (hers marked as waiting for
        # screening) and the comment.
        page.goto(case_url)
        evidence = page.get_by_role("region", name="Evidence submitted")
        carols = evidence.get_by_role("listitem").filter(has_text=CAROL_TITLE)
        expect(carols).to_contain_text("Waiting for screening")
        expect(carols).to_contain_text(f"by {HANDLE}")
        bobs = evidence.get_by_role("listitem").filter(has_text=BOB_TITLE)
        expect(bobs).to_contain_text("1 rating, average 4.0 out of 5")
        expect(bobs).not_to_contain_text("Waiting for screening")
        discussion = page.get_by_role("region", name="Discussion")
        expect(discussion.get_by_text(COMMENT)).to_be_visible()

        # The account page lists the submission with its status and reference.
        page.get_by_role("link", name="Your account").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(HANDLE)
        yours = page.get_by_role("region", name="Your submissions")
        row = yours.get_by_role("row").filter(has_text=CAROL_TITLE)
        expect(row.get_by_role("link", name=ref)).to_be_visible()
        expect(row).to_contain_text("Submitted")
        expect(row).to_contain_text("Waiting for screening")
        expect(row).to_contain_text(case.reference)

        # The public: bob's evidence and the comment, not carol's held submission.
        public = new_page()
        pages.append(public)
        public.goto(case_url)
        public_evidence = public.get_by_role("region", name="Evidence submitted")
        expect(public_evidence.get_by_role("link", name=BOB_TITLE)).to_be_visible()
        expect(public_evidence.get_by_text(CAROL_TITLE)).to_have_count(0)
        expect(public.get_by_text("Waiting for screening")).to_have_count(0)
        public_discussion = public.get_by_role("region", name="Discussion")
        expect(public_discussion.get_by_text(COMMENT)).to_be_visible()
        response = public.goto(f"{base}/evidence/{ref}/")
        assert response is not None and response.status == 404

    prior_art = PriorArt.objects.get(tracking_ref=ref)
    assert prior_art.author.username == HANDLE
    assert prior_art.status == PriorArtStatus.SUBMITTED
    assert prior_art.held_for_screening is True
    assert {
        mapping.claim.number: mapping.explanation
        for mapping in prior_art.mappings.select_related("claim")
    } == EXPLANATIONS
    assert [a.original_name for a in prior_art.attachments.all()] == [pdf.name]
    comment = Comment.objects.get(author=prior_art.author)
    assert (comment.claim.number, comment.body) == (2, COMMENT)
    vote = Vote.objects.get(voter=prior_art.author)
    assert (vote.prior_art_id, vote.rating) == (bob_evidence.pk, 4)


def sign_up_and_confirm(page, base: str) -> None:
    page.goto(f"{base}/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Public handle").fill(HANDLE)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    # The spam trap: off screen and hidden from assistive technology, left empty.
    expect(page.locator("input[name=website]")).to_have_value("")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    expect(
        status(page, "We have sent you an e-mail with a link to confirm your address.")
    ).to_be_visible()

    page.goto(confirmation_url(EMAIL))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Confirm your e-mail address"
    )
    expect(page.get_by_role("main")).to_contain_text(
        f"Confirm that {EMAIL} is the e-mail address of the OpenDocket account {HANDLE}."
    )
    page.get_by_role("button", name="Confirm e-mail address").click()
    expect(page.get_by_role("status").filter(has_text="confirmed")).to_be_visible()


def sign_in(page, base: str) -> None:
    # Confirming in the browser that signed up signs the person in
    # (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION): they land on their account page.
    expect(page).to_have_url(f"{base}/account/")
    expect(page.get_by_role("heading", level=1)).to_have_text(HANDLE)
    # Signing out and in again works with the password chosen at sign-up.
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Public handle or e-mail address").fill(HANDLE)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/account/")


def submit_prior_art(page, case_url: str, pdf: Path) -> str:
    """Submit carol's evidence from the case page; returns the tracking reference."""
    page.goto(case_url)
    page.get_by_role("link", name="Submit prior art").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit prior art")

    page.get_by_role("radio", name="Publication (paper, book, thesis)").check()
    page.get_by_label("Title", exact=True).fill(CAROL_TITLE)
    page.get_by_label("Authors or owner").fill("A. Jensen, K. Okafor")
    page.get_by_label("Publication date").fill("2014-03-27")
    page.get_by_label("Identifier").fill("10.1000/teg.2014.327")
    page.get_by_label("Concise description of relevance").fill(CAROL_RELEVANCE)
    for number, explanation in EXPLANATIONS.items():
        page.get_by_role("checkbox", name=re.compile(rf"^Claim {number}\b")).check()
        page.get_by_label(f"How does it bear on claim {number}?").fill(explanation)
    page.get_by_label("Attach files").set_input_files(pdf)
    page.get_by_role("button", name="Submit evidence").click()

    expect(status(page, "Thank you: your evidence has been submitted.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(CAROL_TITLE)
    receipt = page.get_by_role("region", name="Your receipt")
    tracking_ref = receipt.get_by_text(re.compile(r"^PA-"))
    expect(tracking_ref).to_have_text(TRACKING_REF)
    expect(receipt).to_contain_text("waiting for a reviewer's screening")
    mappings = page.get_by_role("region", name="Claims it bears on")
    for number, explanation in EXPLANATIONS.items():
        expect(mappings.get_by_role("link", name=f"Claim {number}")).to_be_visible()
        expect(mappings.get_by_text(explanation)).to_be_visible()
    files = page.get_by_role("region", name="Attached files")
    expect(files.get_by_role("link", name=pdf.name)).to_be_visible()
    return tracking_ref.inner_text()


def comment_on_claim_2(page, case_url: str) -> None:
    page.goto(case_url)
    page.get_by_role("link", name="Comment on this claim (claim 2)").click()
    expect(page.get_by_label("What is it about?")).to_have_value("2")
    page.get_by_label("Your comment").fill(COMMENT)
    page.get_by_role("button", name="Post comment").click()

    # The comment's own address: the page of the discussion that holds it.
    expect(page).to_have_url(
        re.compile(rf"^{re.escape(case_url)}\?comment=(\d+)#comment-\1$")
    )
    expect(status(page, "Your comment has been posted.")).to_be_visible()
    comment = (
        page.get_by_role("region", name="Discussion")
        .get_by_role("listitem")
        .filter(has_text=COMMENT)
    )
    expect(comment).to_contain_text(HANDLE)
    expect(comment.get_by_role("link", name="on claim 2")).to_be_visible()


def rate_bobs_evidence(page, case_url: str) -> None:
    page.goto(case_url)
    page.get_by_role("region", name="Evidence submitted").get_by_role(
        "link", name=BOB_TITLE
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BOB_TITLE)
    ratings = page.get_by_role("region", name="Ratings")
    expect(ratings).to_contain_text("Not rated yet")
    ratings.get_by_role("radio", name="4 – very relevant").check()
    ratings.get_by_role("button", name="Save my rating").click()

    expect(status(page, "Thank you: your rating has been saved.")).to_be_visible()
    ratings = page.get_by_role("region", name="Ratings")
    expect(ratings).to_contain_text("1 rating, average 4.0 out of 5")
    expect(ratings).to_contain_text("Your rating: 4 out of 5.")
    expect(ratings.get_by_role("radio", name="4 – very relevant")).to_be_checked()
