"""Shared by the library citation tests: a case, a contributor, two library documents,
what a contributor typed, and finding the radio buttons of a page."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from tests.search.factories import make_library_document

from .factories import verified_user

HANDBOOK_BODY = (
    "Chapter 4. A thermoelectric generator of bismuth telluride modules is clamped to "
    "the exhaust manifold; its output charges the starter battery through a boost "
    "converter whenever the engine runs."
)


@pytest.fixture(name="case")
def case_fixture(case_factory):
    return case_factory("open", claims=2)


@pytest.fixture(name="alice")
def alice_fixture(db):
    return verified_user("alice-l")


@pytest.fixture(name="handbook")
def handbook_fixture(db):
    return make_library_document(
        title="Exhaust heat recovery handbook",
        body=HANDBOOK_BODY,
        identifier="ISBN 978-0-306-40615-7",
        url="https://library.example.org/handbook",
        published_on=date(1998, 1, 1),
        published_on_precision="year",
    )


@pytest.fixture(name="unrelated")
def unrelated_fixture(db):
    return make_library_document(
        title="Caravan solar panels",
        body="A roof panel keeps a leisure battery charged while parked.",
    )


def submit_url(case) -> str:
    return reverse("submissions:submit", args=[case.pk])


def typed(**overrides) -> dict:
    """A submission as far as a contributor typed it, before citing anything."""
    data = {
        "kind": "publication",
        "title": "",
        "authors": "J. Smith",
        "published_on": "",
        "published_on_precision": "day",
        "identifier": "",
        "url": "",
        "excerpt": "",
        "relevance": "Shows the exhaust charger of claim 1.",
        "claims": ["1"],
        "explanation_1": "The generator on the manifold is the module of claim 1.",
    }
    data.update(overrides)
    return data


def radio(html: str, name: str, value) -> str:
    """The ``<input>`` tag of the radio button ``name=value``."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return tag
    raise AssertionError(f"no input {name}={value}")


def has_radio(html: str, name: str, value) -> bool:
    try:
        radio(html, name, value)
    except AssertionError:
        return False
    return True
