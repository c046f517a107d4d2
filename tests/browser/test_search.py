"""A visitor searches, in a real browser with JavaScript turned off: the header box,
highlighted results, the tabs by kind, a filter applied and removed, the search box of
a case page scoped to that case, widening it, and a library document's page."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings

from tests.browser.conftest import ACTION_TIMEOUT_MS, NAVIGATION_TIMEOUT_MS
from tests.factories import AgencyFactory, make_case
from tests.search.factories import comment_on, evidence, make_library_document

expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed"
).expect

# Transactional, as the other browser tests: the live server's thread must see the
# test's rows, and the migrated data comes back before the test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PATENT = "Peltier generator on an exhaust manifold"
PAPER = "Road trial of exhaust Peltier modules"
OTHER = "Peltier cooling of a cabin"
LIBRARY = "Peltier module on the exhaust of a generator set"


@pytest.fixture
def data(transactional_db):
    agency = AgencyFactory(name="Northland Patent Office", slug="patent-office")
    case = make_case(agency=agency, state="open", reference="NP 2026/000901")
    other = make_case(
        agency=agency, state="open", reference="NP 2026/000902", title="Cabin cooler"
    )
    evidence(case, PATENT, kind="patent", relevance="A Peltier module on the exhaust.")
    evidence(case, PAPER, kind="publication", relevance="Exhaust Peltier modules.")
    evidence(other, OTHER, kind="patent", relevance="Peltier cooling of a cabin.")
    comment_on(case, "Is a Peltier module on the exhaust really new?")
    make_library_document(
        title=LIBRARY,
        body="Peltier modules clamped to the exhaust of a diesel generator set.",
        identifier="DISC-1987-0042",
        published_on=date(1987, 1, 1),
        published_on_precision="year",
        source="Northland Disclosure Archive",
    )
    return case


@pytest.fixture
def page(browser, live_server):
    """A page with JavaScript turned off: every step must work without it."""
    context = browser.new_context(
        locale="en-GB", timezone_id=settings.TIME_ZONE, java_script_enabled=False
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    yield context.new_page()
    context.close()


def hit_links(page):
    return page.locator(".search-hit__title a")


def test_visitor_searches_filters_and_narrows_to_a_case(live_server, data, page):
    base = live_server.url
    page.goto(f"{base}/cases/")
    header = page.get_by_role("search", name="Site search")
    header.get_by_label("Search cases, evidence, comments and the library").fill(
        "peltier exhaust"
    )
    header.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_label("Search for")).to_have_value("peltier exhaust")
    results = page.get_by_role("region", name="results for")
    expect(results.get_by_role("heading", level=2)).to_contain_text(
        "results for “peltier exhaust”"
    )
    expect(hit_links(page).filter(has_text=PATENT)).to_be_visible()
    expect(hit_links(page).filter(has_text=LIBRARY)).to_be_visible()
    expect(page.locator(".snippet mark").first).to_be_visible()

    # One kind: the prior art tab.
    tabs = page.get_by_role("navigation", name="Kinds of results")
    tabs.get_by_role("link", name="Prior art").click()
    expect(tabs.get_by_role("link", name="Prior art")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator(".search-hit__kind")).to_have_text(
        ["Prior art"] * page.locator(".search-hit").count()
    )
    expect(hit_links(page).filter(has_text=LIBRARY)).to_have_count(0)

    # A filter, applied and then removed; the tab and the words stay.
    # The tab counts as a filter in use, so the filters are open already.
    expect(page.locator("details.search-filters")).to_have_attribute("open", "")
    expect(page.locator(".active-filters")).to_contain_text("Show: Prior art")
    page.get_by_label("Kind of evidence").select_option(label="Patent")
    page.get_by_role("button", name="Apply filters").click()
    in_use = page.locator(".active-filters")
    expect(in_use).to_contain_text("Kind of evidence: Patent")
    expect(hit_links(page).filter(has_text=PAPER)).to_have_count(0)
    expect(hit_links(page).filter(has_text=PATENT)).to_be_visible()
    in_use.get_by_role("link", name="Remove the filter Kind of evidence").click()
    expect(in_use).not_to_contain_text("Kind of evidence")
    expect(in_use).to_contain_text("Show: Prior art")
    expect(hit_links(page).filter(has_text=PAPER)).to_be_visible()
    expect(page.get_by_label("Search for")).to_have_value("peltier exhaust")

    # The case page's own search box searches that case only.
    page.goto(f"{base}/cases/{data.pk}/")
    page.get_by_label("Search this case's evidence and comments").fill("peltier")
    page.get_by_role("search", name="This case").get_by_role(
        "button", name="Search"
    ).click()
    expect(page.locator(".search-scope")).to_contain_text(
        f"Searching within {data.reference}"
    )
    expect(hit_links(page).filter(has_text=PATENT)).to_be_visible()
    expect(hit_links(page).filter(has_text=OTHER)).to_have_count(0)
    expect(hit_links(page).filter(has_text="Comment on NP 2026/000901")).to_be_visible()

    # Widened to everything: the other case's evidence and the library come back.
    page.get_by_role("link", name="Search everything instead").click()
    expect(page.locator(".search-scope")).to_have_count(0)
    expect(hit_links(page).filter(has_text=OTHER)).to_be_visible()
    hit_links(page).filter(has_text=LIBRARY).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(LIBRARY)
    expect(page.get_by_text("DISC-1987-0042")).to_be_visible()
    expect(page.locator("time")).to_have_text("1987")


def test_nothing_found_offers_a_way_out(live_server, data, page):
    page.goto(f"{live_server.url}/search/?q=zeppelin&kind=patent")
    expect(page.get_by_text("Nothing matches your search.")).to_be_visible()
    page.get_by_role("link", name="Remove Kind of evidence: Patent").click()
    expect(page.get_by_text("Nothing matches your search.")).to_be_visible()
    expect(page.locator(".active-filters")).to_have_count(0)
    page.get_by_label("Search for").fill("peltier")
    page.get_by_role("search", name="Search OpenDocket").get_by_role(
        "button", name="Search"
    ).click()
    expect(hit_links(page).filter(has_text=PATENT)).to_be_visible()
