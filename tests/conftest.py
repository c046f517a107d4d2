from __future__ import annotations

import pytest

from cases import services

from .factories import AgencyFactory, UserFactory, make_case


@pytest.fixture
def agency_a(db):
    return AgencyFactory(name="Northland Patent Office", slug="patent-office")


@pytest.fixture
def agency_b(db):
    return AgencyFactory(name="Energy Regulator", slug="energy-regulator")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def contributor(db):
    return UserFactory(username="alice")


@pytest.fixture
def editor_a(db, agency_a):
    user = UserFactory(username="editor-a")
    services.agency_appoint_editor(agency=agency_a, user=user)
    return user


@pytest.fixture
def editor_b(db, agency_b):
    user = UserFactory(username="editor-b")
    services.agency_appoint_editor(agency=agency_b, user=user)
    return user


@pytest.fixture
def case_factory(db, agency_a):
    def factory(state="open", **kwargs):
        kwargs.setdefault("agency", agency_a)
        return make_case(state=state, **kwargs)

    return factory


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer")


@pytest.fixture
def examiner(db):
    return UserFactory(username="examiner")


def pytest_report_header(config):
    """One line at the top of every run saying whether the browser tests run."""
    from tests.browser.conftest import _browser_status

    return _browser_status()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark every transactional test ``serial``: ``scripts/dev.py test`` runs them in a
    second pass, because each one empties the database when it ends."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        uses_live_db = {"transactional_db", "live_server"} & set(item.fixturenames)
        if uses_live_db or (marker and marker.kwargs.get("transaction")):
            item.add_marker(pytest.mark.serial)
