"""The review API: shared helpers (data built through the services), and the OpenAPI
schema of the review endpoints. The endpoints' own tests are in test_api_screening.py
(queue, screening), test_api_examination.py (forwarding, dossiers, decisions, claim
charts) and test_api_permissions.py (the permission matrix)."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services as case_services
from review import services
from review.models import Dossier, ForwardTrigger
from submissions.models import AuditEvent, PriorArt
from tests.submissions.api_helpers import relax, verified
from tests.submissions.factories import close_case, make_prior_art

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/review/queue/"
DOSSIERS = "/api/v1/dossiers/"


@pytest.fixture(autouse=True)
def _relaxed(settings):
    relax(settings)


# --- Building data through the services -------------------------------------------------


def screening_url(prior_art) -> str:
    return f"/api/v1/prior-art/{prior_art.pk}/screening/"


def forward_url(case) -> str:
    return f"/api/v1/cases/{case.pk}/forward/"


def dossier_url(dossier) -> str:
    return f"{DOSSIERS}{dossier.pk}/"


def decision_url(item) -> str:
    return f"/api/v1/dossier-items/{item.pk}/decision/"


def evidence(case, author, title: str, **kwargs) -> PriorArt:
    return make_prior_art(case, author, title=title, **kwargs)


def vetted(case, author, reviewer, title: str, **kwargs) -> PriorArt:
    prior_art = evidence(case, author, title, **kwargs)
    return services.prior_art_vet(prior_art=prior_art, actor=reviewer)


def hold(prior_art) -> PriorArt:
    """Held for a first screening: only its author and the case's staff see it."""
    PriorArt.objects.filter(pk=prior_art.pk).update(held_for_screening=True)
    prior_art.refresh_from_db()
    return prior_art


def forward(case) -> Dossier:
    """Close the window and forward, as the close task does."""
    close_case(case)
    dossier, created = services.case_forward(
        case_id=case.pk, trigger=ForwardTrigger.CLOSE
    )
    assert created
    return dossier


def state(prior_art) -> tuple:
    """What a refused request must leave untouched."""
    prior_art.refresh_from_db()
    return (
        prior_art.status,
        prior_art.status_reason,
        prior_art.duplicate_of_id,
        prior_art.held_for_screening,
        AuditEvent.objects.count(),
    )


def make_people() -> dict:
    return {
        name: verified(name)
        for name in ("reviewer-x", "examiner-x", "alice", "bob", "carol", "dave")
    }


def make_case(case_factory, people):
    """An open case with three claims, reviewer-x reviewing it and examiner-x
    examining it."""
    case = case_factory("open", claims=3, reference="NP 2025/004417")
    case_services.case_appoint_reviewer(case=case, user=people["reviewer-x"])
    case_services.case_appoint_examiner(case=case, user=people["examiner-x"])
    return case


def count_queries(client, url: str) -> tuple[int, dict]:
    """The queries of one GET (after a first one warms the per-process caches:
    content types, permissions) and its JSON."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(queries), response.json()


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def case(case_factory, people):
    return make_case(case_factory, people)


# --- Schema -----------------------------------------------------------------------------

REVIEW_PATHS = {
    "/api/v1/review/queue/": "get",
    "/api/v1/prior-art/{id}/screening/": "post",
    "/api/v1/cases/{id}/forward/": "post",
    "/api/v1/dossiers/": "get",
    "/api/v1/dossiers/{id}/": "get",
    "/api/v1/dossier-items/{id}/decision/": "put",
    "/api/v1/dossiers/{id}/claim-chart.csv": "get",
    "/api/v1/dossiers/{id}/claim-chart.pdf": "get",
}


def test_schema_documents_the_review_endpoints(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    for path, method in REVIEW_PATHS.items():
        assert method in schema["paths"][path], path
    csv_ok = schema["paths"]["/api/v1/dossiers/{id}/claim-chart.csv"]["get"]
    assert list(csv_ok["responses"]["200"]["content"]) == ["text/csv"]
    pdf_ok = schema["paths"]["/api/v1/dossiers/{id}/claim-chart.pdf"]["get"]
    assert pdf_ok["responses"]["200"]["content"]["application/pdf"]["schema"] == {
        "type": "string",
        "format": "binary",
    }
    queue_params = {
        p["name"] for p in schema["paths"]["/api/v1/review/queue/"]["get"]["parameters"]
    }
    assert queue_params == {
        "status",
        "case",
        "claim",
        "flagged",
        "after_priority",
        "duplicate",
        "page",
    }
    components = schema["components"]["schemas"]
    assert set(components["QueueItem"]["properties"]) == {
        "id",
        "tracking_ref",
        "case",
        "title",
        "kind",
        "status",
        "submitted_at",
        "contributor",
        "held_for_screening",
        "after_priority_date",
        "suspected_duplicate",
        "open_flags",
        "ratings",
        "reviewer_ratings",
        "claims",
        "url",
    }
    assert set(components["DossierItem"]["properties"]) == {
        "id",
        "rank",
        "score",
        "snapshot",
        "decision",
    }
