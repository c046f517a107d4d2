"""An agency editor creates a case with three claims in the Wagtail admin, publishes it,
and the public sees it: the whole path through a real browser and a live server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case, CaseStatus
from tests.factories import PASSWORD, AgencyFactory, UserFactory, make_case

expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed"
).expect

# The live server answers from another thread, so the test's rows must be committed:
# a transactional database, emptied after each test. ``serialized_rollback`` puts back
# what the migrations created (root collection, default site, permissions) before each
# test, because an earlier transactional test's flush removed it and appointing an
# editor needs the root collection.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REFERENCE = "NP 2026/000777"
TITLE = "Thermoelectric charger using engine exhaust heat"
ABSTRACT = "A charger that converts waste heat from an engine into battery charge."
# (number, text, depends on)
CLAIMS = [
    (1, "A charger comprising a thermoelectric module on an exhaust pipe.", None),
    (2, "The charger of claim 1, wherein the module is bismuth telluride.", 1),
    (3, "The charger of claim 1, further comprising a buck converter.", 1),
]


# Made with the same helpers as ``agency_a``/``editor_a`` in tests/conftest.py. Those
# ask for ``db``, so their rows would stay in a transaction the live server never sees.
@pytest.fixture
def agency(transactional_db):
    return AgencyFactory(name="Northland Patent Office", slug="patent-office")


@pytest.fixture
def editor(transactional_db, agency):
    user = UserFactory(username="editor-a")
    services.agency_appoint_editor(agency=agency, user=user)
    return user


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/admin/")


def test_editor_creates_case_with_three_claims_publishes_and_public_sees_it(
    live_server, agency, editor, new_page
):
    now = timezone.localtime()
    priority_date = (now - timedelta(days=300)).date()
    opens_at = now - timedelta(days=1)
    closes_at = now + timedelta(days=30)

    page = new_page()
    log_in(page, live_server.url, editor.username)
    page.goto(f"{live_server.url}/admin/snippets/cases/case/add/")

    # "Case" tab. The editor has a single agency, so it is chosen already. The
    # description (a Draftail editor) is optional and left empty.
    expect(page.get_by_role("tab", name="Case")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(page.get_by_role("combobox", name="Agency")).to_have_value(str(agency.pk))
    page.get_by_role("textbox", name="Reference").fill(REFERENCE)
    page.get_by_role("textbox", name="Title").fill(TITLE)
    page.get_by_role("textbox", name="Abstract").fill(ABSTRACT)

    # "Review window" tab: Wagtail's date pickers sit on plain text inputs.
    page.get_by_role("tab", name="Review window").click()
    page.get_by_role("textbox", name="Priority date").fill(
        priority_date.strftime("%Y-%m-%d")
    )
    page.get_by_role("textbox", name="Review opens").fill(
        opens_at.strftime("%Y-%m-%d %H:%M")
    )
    page.get_by_role("textbox", name="Review closes").fill(
        closes_at.strftime("%Y-%m-%d %H:%M")
    )

    # "Claims" tab: the inline panel starts with one claim form (min_num=1).
    page.get_by_role("tab", name="Claims").click()
    add_claim = page.get_by_role("button", name="Add claim")
    add_claim.click()
    add_claim.click()
    for index, (number, text, depends_on) in enumerate(CLAIMS):
        page.locator(f"#id_claims-{index}-number").fill(str(number))
        page.locator(f"#id_claims-{index}-depends_on").fill(
            "" if depends_on is None else str(depends_on)
        )
        page.locator(f"#id_claims-{index}-text").fill(text)

    # Publish: the footer's main button is "Save draft"; "Publish" sits in the dropdown
    # behind the "More actions" toggle next to it.
    footer = page.get_by_role("navigation", name="Actions (footer)")
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Publish", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/admin/snippets/cases/case/")
    expect(page.get_by_role("status")).to_contain_text(
        f"Case '{REFERENCE}: {TITLE}' created and published."
    )

    case = Case.objects.get(reference=REFERENCE)
    assert case.live is True
    assert case.status == CaseStatus.OPEN
    assert case.agency == agency
    assert case.priority_date == priority_date
    assert [
        (claim.number, claim.text, claim.depends_on)
        for claim in case.claims.order_by("number")
    ] == CLAIMS

    # The public case page, for an anonymous visitor (a fresh browser context).
    public = new_page()
    public.goto(f"{live_server.url}/cases/{case.pk}/")
    title = public.get_by_role("heading", level=1)
    expect(title).to_be_visible()
    expect(title).to_have_text(TITLE)
    for number, text, depends_on in CLAIMS:
        claim = public.locator(f"#claim-{number}")
        expect(claim).to_be_visible()
        expect(claim).to_contain_text(text)
        expect(claim).to_contain_text(
            "independent" if depends_on is None else f"depends on claim {depends_on}"
        )
    expect(public.get_by_text("depends on claim 1")).to_have_count(2)


def test_anonymous_visitor_sees_published_case_and_can_skip_to_content(
    live_server, agency, new_page
):
    case = make_case(agency=agency, state="open", reference="NP 2026/000888")

    page = new_page()
    page.goto(f"{live_server.url}/cases/")
    expect(page.get_by_role("link", name=case.title)).to_be_visible()

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/cases/#main")
    expect(page.locator("main#main")).to_be_focused()
