"""The search and library read endpoints under schemathesis: generated requests, from
the project's own OpenAPI schema, against real PostgreSQL data (published cases with
claims, submissions, comments, library documents), answer without a server error, with
a documented status code, and with a body that conforms to the schema.

Generation is derandomized, so a run is the same every time, and the anonymous search
rate is raised so that throttling never answers 429 here.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.factories import TechnologyAreaFactory, make_case

from .factories import comment_on, evidence, make_library_document

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
READ_ENDPOINTS = r"^/api/v1/(search|library)/"


@pytest.fixture
def searchable(db, agency_a, refresh_stats):
    """A little of everything the search finds, in two languages."""
    area = TechnologyAreaFactory(slug="energy-storage")
    case = make_case(agency=agency_a, state="open", areas=[area])
    make_case(agency=agency_a, state="closed", title="Grid storage flywheel")
    make_case(agency=agency_a, state="draft", title="Thermoelectric draft")
    prior_art = evidence(
        case, "Thermoelectric exhaust generator", published_on=date(2001, 6, 1)
    )
    evidence(case, "Held thermoelectric item", public=False)
    comment_on(case, "A thermoelectric module sold for cars in 1999.")
    comment_on(case, "Claim 2 is old.", claim=case.claims.get(number=2))
    comment_on(case, "The generator is known.", prior_art=prior_art)
    make_library_document(
        title="Thermoelectric exhaust charger handbook",
        body="Modules on the exhaust charge a battery <b>quickly</b> & quietly.",
        identifier="US 7,654,321 B2",
        published_on=date(2001, 1, 1),
        published_on_precision="year",
        source="Handbook",
        agency=agency_a,
    )
    make_library_document(
        title="Thermoelektrischer Generator",
        body="Ein thermoelektrischer Generator am Auspuff lädt die Batterie.",
        language="de",
    )
    refresh_stats()
    return case


@pytest.fixture
def test_connection_kept():
    """Requests go straight to the WSGI application, whose end-of-request handler would
    close the database connection the test's transaction lives on; keep it open, as
    Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api(searchable, settings, test_connection_kept):
    """The data, a fresh count of requests, and a search rate no run reaches."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": "100000/min",
            "search_anon": "100000/min",
        },
    }
    cache.clear()
    yield searchable
    cache.clear()


def project_schema() -> dict:
    """The schema ``/api/schema/`` serves, as JSON would carry it."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


schema = schemathesis.openapi.from_dict(project_schema())
schema.app = application  # requests go to the WSGI application, in this process
read_endpoints = schema.include(path_regex=READ_ENDPOINTS, method="GET")


@read_endpoints.parametrize()
@settings(
    max_examples=50,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_generated_requests_get_documented_answers(case, api):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.parametrize(
    "query",
    [
        {"q": "thermoelectric"},
        {"q": "thermoelectric", "type": "prior_art"},
        {"q": "thermoelectric", "type": "comment", "status": "open"},
        {"q": '"exhaust generator" or handbook -draft'},
        {"q": "battery charged by engine exhaust heat", "type": "library"},
        {"q": "Generator Batterie", "language": "de"},
        {"q": "claim old", "area": "energy-storage", "date_from": "2000-01-01"},
        {"q": "generator", "kind": "publication", "page": 1},
    ],
)
def test_answers_with_hits_conform_to_the_schema(api, query):
    operation = schema["/api/v1/search/"]["GET"]
    for params in (query, {**query, "case": api.pk}):
        response = operation.Case(query=params).call_and_validate(checks=CHECKS)
        assert response.status_code == 200


def test_library_answers_conform_to_the_schema(api):
    listing = schema["/api/v1/library/"]["GET"]
    response = listing.Case(query={"identifier": "us7654321"}).call_and_validate(
        checks=CHECKS
    )
    document = response.json()["results"][0]
    detail = schema["/api/v1/library/{id}/"]["GET"]

    detail.Case(path_parameters={"id": document["id"]}).call_and_validate(checks=CHECKS)
