"""Browser tests: the machine's own Chromium, driven through Playwright's sync API.

Nothing is downloaded: Playwright launches the Chromium found on the machine
(``$CHROMIUM_PATH``, ``chromium`` on ``PATH`` or ``/usr/bin/chromium``). Without one,
every browser test is skipped with the reason below (``pytest -rs`` lists it), and the
terminal summary says in one line whether the browser tests ran.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright's own default is 30 s per action; a local live server answers far faster,
# so fail sooner and keep each test well inside its budget.
ACTION_TIMEOUT_MS = 10_000
NAVIGATION_TIMEOUT_MS = 15_000
SKIP_REASON = "Chromium not installed: browser tests skipped (apt-get install chromium)"


def _is_executable(path: str) -> bool:
    return Path(path).is_file() and os.access(path, os.X_OK)


def find_chromium() -> tuple[str | None, str]:
    """The Chromium to drive and, when there is none, why.

    ``$CHROMIUM_PATH`` wins when set (and is then the only candidate, so a wrong value
    is reported instead of silently replaced); otherwise ``chromium`` on ``PATH``, then
    Debian's ``/usr/bin/chromium``.
    """
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        if _is_executable(configured):
            return configured, ""
        return None, (
            f"CHROMIUM_PATH={configured} is not an executable: browser tests skipped"
        )
    for candidate in (shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and _is_executable(candidate):
            return candidate, ""
    return None, SKIP_REASON


def _browser_status() -> str:
    path, reason = find_chromium()
    if path is None:
        return f"browser tests: SKIPPED, {reason}"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "browser tests: SKIPPED, the playwright package is not installed"
    return f"browser tests: run with Chromium at {path}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # Only when browser tests were collected; under xdist this runs in the controller.
    if any(
        report.keywords.get("browser")
        for reports in terminalreporter.stats.values()
        for report in reports
        if hasattr(report, "keywords")
    ):
        terminalreporter.write_line(_browser_status())


# Autouse at session scope, so it is set up before the database and the live server:
# without Chromium the browser tests are skipped before either is started.
@pytest.fixture(scope="session", autouse=True)
def chromium_path() -> str:
    path, reason = find_chromium()
    if path is None:
        pytest.skip(reason)
    return path


@pytest.fixture
def browser(chromium_path, transactional_db):
    """A headless Chromium for one test, started after the test database is set up and
    stopped before it is flushed.

    Why not one browser per session: Playwright's sync API keeps an asyncio event loop
    "running" in the main thread for as long as it is started. Django keeps its database
    connections in an ``asgiref`` Local that, while a loop is running, hands out a
    different set of connection objects than before. pytest-django's per-test database
    setup and flush would then work on the other set, which lacks what the session
    setup stored on the original one, and ``serialized_rollback`` silently stops
    restoring the migrated data from the second test on. Starting Chromium costs well
    under a second.
    """
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed"
    )
    # While that loop runs, Django's async-safety check also refuses every ORM call from
    # the test body (SynchronousOnlyOperation), although the test is plain synchronous
    # code in its own thread that shares no connection with the loop. Allow it while
    # the browser is up, and put the variable back afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_api.sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=LAUNCH_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        # The ORM calls made while the loop ran opened connections in that other set;
        # close them while it is still reachable, or they outlive the test (and keep
        # the test database from being dropped at the end of the run).
        connections.close_all()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh, isolated browser contexts (own cookies); close them after.

    Only the live server is reachable: anything else (the admin's Gravatar avatars, for
    one) is aborted, so the tests never leave the machine nor wait on a slow resolver.
    """
    contexts = []
    elsewhere = re.compile(rf"^(?!{re.escape(live_server.url)}/)")

    def make_page():
        # English whatever the machine's locale: Wagtail's admin follows the browser's
        # language, and the tests find buttons by their English names.
        context = browser.new_context(locale="en-GB", timezone_id=settings.TIME_ZONE)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        context.route(elsewhere, lambda route: route.abort())
        contexts.append(context)
        return context.new_page()

    yield make_page
    for context in contexts:
        context.close()
