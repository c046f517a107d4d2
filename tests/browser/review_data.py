"""The data of the review journey's browser test, made through the services: an open
case with three claims, its reviewer and examiner, four submissions by four contributors
(two held for screening as first submissions, two already public) and a few community
ratings by other confirmed accounts. Every account has the same known password, so the
test signs in through the real login page. Also the test's small page helpers."""

from __future__ import annotations

from contextlib import contextmanager, suppress
from dataclasses import dataclass

import pytest

from cases import services as case_services
from cases.models import Case
from submissions import services as submission_services
from submissions.models import PriorArt
from tests.factories import AgencyFactory, make_case
from tests.submissions.factories import make_prior_art, verified_user

expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed"
).expect

PASSWORD = "Examiner-chart-2026-exhaust"
REFERENCE = "NP 2026/000444"

# Oldest first, the order of the screening queue. ``public=False`` is held for
# screening (a first submission), so nobody can rate it before a reviewer vets it.
ITEMS = {
    # Vetted from its page after a reviewer's rating of 5: first in the ranking.
    "alice": {
        "title": "Peltier stack clamped to a diesel exhaust manifold",
        "identifier": "DE 10 2011 000 111 A1",
        "claims": (1,),
        "public": False,
    },
    # Vetted from its page; two community ratings of 5: second.
    "bob": {
        "title": "Bismuth telluride generator charging a starter battery",
        "identifier": "US 7,000,222 B2",
        "claims": (1, 2),
        "public": True,
    },
    # Vetted with the queue's bulk action; one community rating of 2: third.
    "dan": {
        "title": "Exhaust heat recovery survey for light vehicles",
        "identifier": "10.1000/ehr.2009.17",
        "claims": (2,),
        "public": True,
    },
    # Sent back for changes: the only evidence on claim 3 is not vetted.
    "erin": {
        "title": "Buck converter for thermoelectric vehicle chargers",
        "identifier": "JP 2010-333444 A",
        "claims": (3,),
        "public": False,
    },
}
# (voter, contributor whose item they rate, rating)
VOTES = [("vera", "bob", 5), ("walt", "bob", 5), ("vera", "dan", 2)]


@dataclass
class ReviewJourney:
    case: Case
    reviewer: object
    examiner: object
    items: dict[str, PriorArt]  # by contributor's handle

    def title(self, handle: str) -> str:
        return self.items[handle].title

    def ref(self, handle: str) -> str:
        return self.items[handle].tracking_ref


def user_with_password(username: str):
    """A confirmed account that signs in with ``PASSWORD``."""
    user = verified_user(username)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def make_review_journey() -> ReviewJourney:
    agency = AgencyFactory(name="Northland Patent Office", slug="patent-office")
    case = make_case(agency=agency, state="open", claims=3, reference=REFERENCE)
    reviewer = user_with_password("rita-reviewer")
    examiner = user_with_password("ed-examiner")
    case_services.case_appoint_reviewer(case=case, user=reviewer)
    case_services.case_appoint_examiner(case=case, user=examiner)
    items = {}
    for handle, spec in ITEMS.items():
        author = user_with_password(handle)
        items[handle] = make_prior_art(
            case,
            author,
            public=spec["public"],
            claims=spec["claims"],
            title=spec["title"],
            identifier=spec["identifier"],
            relevance=f"{spec['title']}: shows the charger of the claims.",
        )
    voters = {}
    for voter, handle, rating in VOTES:
        if voter not in voters:
            voters[voter] = user_with_password(voter)
        submission_services.vote_set(
            prior_art=items[handle], voter=voters[voter], rating=rating
        )
    return ReviewJourney(case=case, reviewer=reviewer, examiner=examiner, items=items)


# --- Page helpers --------------------------------------------------------------------

# The form controls a person can fill in that have no name from a <label>, aria-label
# or aria-labelledby (buttons are named by their text and are left out).
UNLABELLED_CONTROLS = """
() => Array.from(document.querySelectorAll("input, select, textarea"))
  .filter((el) => !["hidden", "submit", "button", "reset", "image"].includes(el.type))
  .filter((el) => !(el.labels && el.labels.length)
    && !(el.getAttribute("aria-label") || "").trim()
    && !(el.getAttribute("aria-labelledby") || "").trim())
  .map((el) => el.outerHTML)
"""


def assert_every_control_labelled(page) -> None:
    assert page.evaluate(UNLABELLED_CONTROLS) == []


def sign_in(page, base: str, username: str) -> None:
    """Through the real login page; it lands on the account page."""
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Public handle or e-mail address").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/account/")


def status(page, text: str):
    """The status message (role=status) that says ``text``."""
    return page.get_by_role("status").filter(has_text=text)


def h1(page):
    return page.get_by_role("heading", level=1)


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
