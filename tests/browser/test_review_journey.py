"""Issue #4 end to end through a real browser and a live server: a reviewer screens,
rates and ranks the evidence on a case and forwards it; the examiner decides each
forwarded item and takes the claim chart away as CSV and PDF; the contributor whose
evidence was used finds the outcome on their profile and submission page, and the
public sees the outcome, never the examiner's note."""

from __future__ import annotations

import csv
import io
import re

import pytest
from pypdf import PdfReader

from cases.models import CaseStatus
from review.models import Dossier, Outcome
from submissions.models import PriorArtStatus

# Generous rate limits with an empty counter cache, as the other page tests use.
from tests.submissions.factories import relaxed_limits_fixture  # noqa: F401

from .review_data import (
    ReviewJourney,
    assert_every_control_labelled,
    h1,
    make_review_journey,
    screenshots_on_failure,
    sign_in,
    status,
)

expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed"
).expect

# Transactional, as the other browser tests: the live server's thread must see the
# test's rows, and the migrated data (groups, root collection) comes back first.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHANGES_MESSAGE = (
    "Please add the publication date and the page where the buck converter appears."
)
EXAMINER_NOTE = (
    "Figure 3 anticipates claim 1; cited in the first office action of March."
)
REASON_REQUIRED = (
    "Give the contributor a reason: they see it when you reject or send back."
)
FORWARDED = ("alice", "bob", "dan")  # in the rank order the ratings give
OUTCOMES = {
    "alice": ("Used in an office action", Outcome.USED_IN_ACTION),
    "bob": ("Relevant", Outcome.RELEVANT),
    "dan": ("Not relevant", Outcome.NOT_RELEVANT),
}


@pytest.fixture
def journey(transactional_db, relaxed_limits) -> ReviewJourney:
    return make_review_journey()


def test_reviewer_ranks_and_forwards_examiner_decides_contributor_sees_outcome(
    live_server, journey, new_page
):
    base = live_server.url
    pages = []
    with screenshots_on_failure(pages, "review-journey"):
        reviewer = new_page()
        pages.append(reviewer)
        screen_rate_rank_and_forward(reviewer, base, journey)

        examiner = new_page()
        pages.append(examiner)
        decide_and_export(examiner, base, journey)

        contributor = new_page()
        pages.append(contributor)
        contributor_sees_outcome(contributor, base, journey)

        public = new_page()
        pages.append(public)
        public_sees_outcome_without_note(public, base, journey)

    # What the pages did is what the database holds.
    items = journey.items
    for handle in FORWARDED:
        items[handle].refresh_from_db()
        assert items[handle].status == PriorArtStatus.FORWARDED, handle
    items["erin"].refresh_from_db()
    assert items["erin"].status == PriorArtStatus.NEEDS_CHANGES
    assert items["erin"].status_reason == CHANGES_MESSAGE
    journey.case.refresh_from_db()
    assert journey.case.status == CaseStatus.DECIDED
    dossier = Dossier.objects.get(case=journey.case)
    decided = {
        item.snapshot["contributor"]: (item.rank, item.outcome, item.note)
        for item in dossier.items.all()
    }
    assert decided == {
        "alice": (1, Outcome.USED_IN_ACTION, EXAMINER_NOTE),
        "bob": (2, Outcome.RELEVANT, ""),
        "dan": (3, Outcome.NOT_RELEVANT, ""),
    }


# --- 1. The reviewer ---------------------------------------------------------------------


def screen_rate_rank_and_forward(page, base: str, journey: ReviewJourney) -> None:
    sign_in(page, base, journey.reviewer.username)
    page.get_by_role("navigation", name="Account").get_by_role(
        "link", name="Review"
    ).click()
    expect(h1(page)).to_have_text("Screening queue")
    expect(status(page, "4 submissions")).to_be_visible()
    queue = page.get_by_role("table", name="Submissions in the queue")
    for handle in journey.items:
        row = queue.get_by_role("row").filter(has_text=journey.title(handle))
        expect(row.get_by_role("link", name=journey.ref(handle))).to_be_visible()
        expect(row).to_contain_text(handle)
    held = queue.get_by_role("row").filter(has_text="Held for screening")
    expect(held).to_have_count(2)
    assert_every_control_labelled(page)

    # alice's held submission: the reviewer's own rating first, then vetting it.
    queue.get_by_role("link", name=journey.ref("alice")).click()
    expect(h1(page)).to_have_text(journey.title("alice"))
    assert_every_control_labelled(page)
    rating = page.get_by_role("region", name="Your rating")
    rating.get_by_role("radio", name="5 – decisive").check()
    rating.get_by_label("Note for the other reviewers").fill("Closest art on claim 1.")
    rating.get_by_role("button", name="Save my rating").click()
    expect(status(page, "Your rating has been saved.")).to_be_visible()
    rating = page.get_by_role("region", name="Your rating")
    expect(rating).to_contain_text("You rated it 5 out of 5.")
    expect(rating.get_by_role("radio", name="5 – decisive")).to_be_checked()
    expect(page.get_by_role("region", name="Ratings and score")).to_contain_text(
        "1 rating, mean 5.00"
    )

    vet_on_item_page(page, journey, "alice")
    # On to the next submission waiting: bob's, vetted from its page too.
    expect(h1(page)).to_have_text(journey.title("bob"))
    vet_on_item_page(page, journey, "bob")
    expect(h1(page)).to_have_text(journey.title("dan"))

    # dan's with the queue's bulk action.
    page.get_by_role("navigation", name="Account").get_by_role(
        "link", name="Review"
    ).click()
    expect(status(page, "2 submissions")).to_be_visible()
    page.get_by_role("checkbox", name=f"Select {journey.ref('dan')}").check()
    bulk = page.get_by_role("group", name="Apply a decision to the ticked submissions")
    bulk.get_by_role("radio", name="Vet", exact=True).check()
    bulk.get_by_role("button", name="Apply to the ticked submissions").click()
    expect(status(page, "1 vetted.")).to_be_visible()
    expect(status(page, "1 submission")).to_be_visible()
    queue = page.get_by_role("table", name="Submissions in the queue")
    expect(queue.get_by_text(journey.title("dan"))).to_have_count(0)

    request_changes_on_erins(page, journey)

    # Nothing waits any more; the vetted filter leads to the case's ranking board.
    expect(page.get_by_text("Nothing is waiting for screening")).to_be_visible()
    page.get_by_label("Status").select_option(label="Vetted")
    page.get_by_role("button", name="Apply filters").click()
    expect(status(page, "3 submissions")).to_be_visible()
    page.get_by_role("table", name="Submissions in the queue").get_by_role(
        "link", name=journey.case.reference
    ).first.click()
    expect(h1(page)).to_have_text(f"Ranking of {journey.case.reference}")
    check_ranking_and_forward(page, journey)


def vet_on_item_page(page, journey: ReviewJourney, handle: str) -> None:
    decision = page.get_by_role("region", name="Your decision")
    decision.get_by_role("radio", name="Vet: relevant evidence, ready to rank").check()
    decision.get_by_role("button", name="Save the decision").click()
    expect(status(page, f"{journey.ref(handle)} vetted.")).to_be_visible()


def request_changes_on_erins(page, journey: ReviewJourney) -> None:
    """The message to the contributor is required to send a submission back: first
    without one (the error summary, focused by site.js), then with it."""
    page.get_by_role("table", name="Submissions in the queue").get_by_role(
        "link", name=journey.ref("erin")
    ).click()
    expect(h1(page)).to_have_text(journey.title("erin"))
    decision = page.get_by_role("region", name="Your decision")
    changes = "Request changes: useful, but the contributor must fix it"
    decision.get_by_role("radio", name=changes).check()
    decision.get_by_role("button", name="Save the decision").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_role("alert")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.get_by_role("link", name=REASON_REQUIRED)).to_be_visible()
    # static/js/site.js moves the focus to the summary (GOV.UK pattern).
    expect(summary).to_be_focused()
    assert_every_control_labelled(page)
    # Nothing changed, and the choice made is still there to correct.
    decision = page.get_by_role("region", name="Your decision")
    expect(decision.get_by_role("radio", name=changes)).to_be_checked()
    reason = decision.get_by_label("Reason for the contributor")
    expect(reason).to_have_value("")
    # The summary's link leads to the field.
    summary.get_by_role("link", name=REASON_REQUIRED).click()
    expect(reason).to_be_focused()

    reason.fill(CHANGES_MESSAGE)
    decision.get_by_role("button", name="Save the decision").click()
    expect(
        status(page, f"{journey.ref('erin')} sent back to its contributor.")
    ).to_be_visible()
    # The last waiting submission: back to the (now empty) queue.
    expect(h1(page)).to_have_text("Screening queue")


def check_ranking_and_forward(page, journey: ReviewJourney) -> None:
    ranking = page.get_by_role("table", name="Ranking of the vetted evidence")
    rows = ranking.locator("tbody tr")
    expect(rows).to_have_count(3)
    # alice: community 3.00 (no public ratings while held) and the reviewer's 5 → 4.00;
    # bob: two ratings of 5 → 3.57; dan: one rating of 2 → 2.83.
    for position, (handle, total) in enumerate(
        zip(FORWARDED, ("4.00", "3.57", "2.83"), strict=True)
    ):
        row = rows.nth(position)
        expect(row.get_by_role("cell").first).to_have_text(str(position + 1))
        expect(row).to_contain_text(journey.title(handle))
        expect(row.get_by_role("cell").nth(4)).to_have_text(total)
    expect(rows.nth(0).get_by_role("cell").nth(3)).to_have_text("5.00 (1 rating)")
    expect(rows.nth(1).get_by_role("cell").nth(2)).to_have_text("3.57 (2 ratings)")

    coverage = page.get_by_role("table", name="Vetted evidence per claim")
    expected = {1: "2", 2: "2", 3: "None: no vetted evidence"}
    for number, shown in expected.items():
        row = coverage.locator("tbody tr").nth(number - 1)
        expect(row.get_by_role("cell").first).to_have_text(str(number))
        expect(row.get_by_role("cell").nth(2)).to_have_text(shown)

    forward = page.get_by_role("region", name="Forward to the examiner")
    expect(forward).to_contain_text("The top 3 vetted items go to the examiner")
    forward.get_by_role("checkbox", name=re.compile(r"^I understand")).check()
    forward.get_by_role("button", name="Forward now").click()
    expect(
        status(
            page,
            "Forwarded 3 items to the examiner. The review of "
            f"{journey.case.reference} has ended.",
        )
    ).to_be_visible()
    expect(
        page.get_by_role("region", name="Forwarded to the examiner")
    ).to_contain_text("3 items were forwarded on")
    expect(page.get_by_role("button", name="Forward now")).to_have_count(0)


# --- 2. The examiner ---------------------------------------------------------------------


def decide_and_export(page, base: str, journey: ReviewJourney) -> None:
    sign_in(page, base, journey.examiner.username)
    page.get_by_role("navigation", name="Account").get_by_role(
        "link", name="Examiner"
    ).click()
    expect(h1(page)).to_have_text("Examiner's inbox")
    inbox_row = page.get_by_role("row").filter(has_text=journey.case.reference)
    expect(inbox_row).to_contain_text("Awaiting decisions")
    expect(inbox_row).to_contain_text("3 items left")
    inbox_row.get_by_role("link", name=journey.case.reference).click()
    expect(h1(page)).to_have_text(f"Dossier for {journey.case.reference}")
    expect(page.get_by_role("main")).to_contain_text("0 of 3 decided")
    assert_every_control_labelled(page)

    cards = page.locator("li.evidence-card")
    expect(cards).to_have_count(3)
    for position, handle in enumerate(FORWARDED):
        expect(cards.nth(position).get_by_role("heading", level=3)).to_have_text(
            f"{position + 1}. {journey.title(handle)}"
        )

    for count, handle in enumerate(FORWARDED, start=1):
        label, _value = OUTCOMES[handle]
        card = page.locator("li.evidence-card").filter(
            has=page.get_by_role("heading", name=journey.title(handle))
        )
        expect(card).to_contain_text("Awaiting decision")
        card.get_by_role("radio", name=label, exact=True).check()
        if handle == "alice":
            card.get_by_label("Note to the contributor").fill(EXAMINER_NOTE)
        card.get_by_role("button", name="Save the decision").click()
        left = 3 - count
        if left:
            expect(status(page, f"Decision saved: {label}.")).to_contain_text(
                f"{left} item" + ("s still need" if left > 1 else " still needs")
            )
        card = page.locator("li.evidence-card").filter(
            has=page.get_by_role("heading", name=journey.title(handle))
        )
        expect(card.locator(".tag--decided")).to_have_text(label)
        expect(card.get_by_role("radio", name=label, exact=True)).to_be_checked()

    expect(
        status(
            page,
            "Every item has a decision: the case is decided.",
        )
    ).to_be_visible()
    decided_panel = page.get_by_role("status").filter(
        has=page.get_by_text("The case is decided.", exact=True)
    )
    expect(decided_panel).to_contain_text("Every forwarded item has a decision.")
    expect(page.get_by_role("main")).to_contain_text("3 of 3 decided")
    alice_card = page.locator("li.evidence-card").filter(
        has=page.get_by_role("heading", name=journey.title("alice"))
    )
    expect(alice_card).to_contain_text(f"Your note: {EXAMINER_NOTE}")

    page.get_by_role("link", name="View the claim chart").click()
    expect(h1(page)).to_have_text(f"Claim chart for {journey.case.reference}")
    chart = page.get_by_role("table", name="Claims and the forwarded evidence")
    headers = chart.locator("thead th")
    for position, handle in enumerate(FORWARDED, start=1):
        expect(headers.nth(position)).to_contain_text(journey.title(handle))
        expect(headers.nth(position)).to_contain_text(OUTCOMES[handle][0])
    expect(
        page.get_by_text("No forwarded evidence bears on this claim: 3")
    ).to_be_visible()

    with page.expect_download() as info:
        page.get_by_role("link", name="Download the claim chart (CSV)").click()
    check_csv(info.value, journey)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the claim chart (PDF)").click()
    check_pdf(info.value, journey)


def _download_bytes(download) -> bytes:
    assert download.failure() is None
    with open(download.path(), "rb") as handle:
        return handle.read()


def check_csv(download, journey: ReviewJourney) -> None:
    assert download.suggested_filename.endswith(".csv")
    text = _download_bytes(download).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["claim_number"] for row in rows} == {"1", "2", "3"}
    citations = " | ".join(row["citation"] for row in rows)
    for handle in FORWARDED:
        assert journey.title(handle) in citations, handle
    assert journey.title("erin") not in text
    # Claim 3 has nothing forwarded on it: one row, its item columns empty.
    (gap,) = [row for row in rows if row["claim_number"] == "3"]
    assert gap["tracking_ref"] == gap["citation"] == ""
    used = [row for row in rows if row["tracking_ref"] == journey.ref("alice")]
    assert used and {row["outcome"] for row in used} == {"Used in an office action"}


def check_pdf(download, journey: ReviewJourney) -> None:
    assert download.suggested_filename.endswith(".pdf")
    data = _download_bytes(download)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    # Long cells wrap: compare with whitespace made single spaces.
    text = " ".join(
        " ".join(page.extract_text() or "" for page in reader.pages).split()
    )
    for handle in FORWARDED:
        assert journey.title(handle) in text, handle


# --- 3. The contributor and the public -------------------------------------------------------


def contributor_sees_outcome(page, base: str, journey: ReviewJourney) -> None:
    sign_in(page, base, "alice")
    page.goto(f"{base}/people/alice/")
    expect(h1(page)).to_have_text("alice")
    counts = page.get_by_role("region", name="Contributions")
    for label, value in (
        ("Vetted by reviewers", "1"),
        ("Forwarded to examiners", "1"),
        ("Used in an office action", "1"),
    ):
        stat = counts.locator(".stat").filter(has_text=label)
        expect(stat.locator("dd")).to_have_text(value)

    page.get_by_role("region", name="Submissions").get_by_role(
        "link", name=journey.ref("alice")
    ).click()
    expect(h1(page)).to_have_text(journey.title("alice"))
    decision = page.locator(".inset").filter(
        has=page.get_by_role("heading", name="The examiner's decision")
    )
    expect(decision).to_contain_text("Used in an office action")
    expect(decision).to_contain_text(EXAMINER_NOTE)


def public_sees_outcome_without_note(page, base: str, journey: ReviewJourney) -> None:
    page.goto(f"{base}/cases/{journey.case.pk}/")
    outcome = page.get_by_role("region", name="Outcome of the review")
    expect(outcome).to_contain_text("The examiner decided on every item by")
    for handle in FORWARDED:
        row = outcome.get_by_role("row").filter(has_text=journey.title(handle))
        expect(row).to_contain_text(OUTCOMES[handle][0])
        expect(row.get_by_role("link", name=handle)).to_be_visible()
    expect(page.get_by_text(EXAMINER_NOTE)).to_have_count(0)
    expect(page.get_by_role("main")).not_to_contain_text("Figure 3 anticipates")

    # The public page of the used evidence: the decision, not the note.
    outcome.get_by_role("link", name=journey.title("alice")).click()
    expect(h1(page)).to_have_text(journey.title("alice"))
    expect(page.get_by_role("main")).to_contain_text("Used in an office action")
    expect(page.get_by_role("main")).not_to_contain_text("Figure 3 anticipates")
