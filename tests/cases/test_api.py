"""The cases API: listing with filters, detail with claims, token authentication, schema,
and clear 4xx answers for bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories import PASSWORD, TechnologyAreaFactory

pytestmark = pytest.mark.django_db


def test_list_is_paginated_and_filterable(client, case_factory, agency_b):
    area = TechnologyAreaFactory(slug="batteries")
    open_a = case_factory("open", areas=[area])
    closed_a = case_factory("closed")
    sched_b = case_factory("scheduled", agency=agency_b)
    case_factory("draft")

    body = client.get("/api/v1/cases/").json()
    assert body["count"] == 3
    assert {row["id"] for row in body["results"]} == {
        open_a.pk,
        closed_a.pk,
        sched_b.pk,
    }

    def ids(**params):
        return [
            row["id"] for row in client.get("/api/v1/cases/", params).json()["results"]
        ]

    assert ids(status="open") == [open_a.pk]
    assert ids(agency=agency_b.slug) == [sched_b.pk]
    assert ids(area="batteries") == [open_a.pk]
    assert ids(agency="no-such-agency") == []


def test_detail_has_claims_with_number_text_and_depends_on(client, case_factory):
    case = case_factory("open", claims=3)
    body = client.get(f"/api/v1/cases/{case.pk}/").json()
    assert body["reference"] == case.reference
    assert body["status"] == "open"
    assert body["agency"] == case.agency.slug
    assert body["url"].endswith(f"/cases/{case.pk}/")
    assert [(c["number"], c["depends_on"]) for c in body["claims"]] == [
        (1, None),
        (2, 1),
        (3, 2),
    ]
    assert body["claims"][0]["text"].startswith("Claim 1 text")


def test_bad_ids_and_filters_answer_4xx_with_a_reason(client, case_factory):
    assert client.get("/api/v1/cases/abc/").status_code == 404
    missing = client.get("/api/v1/cases/999999/")
    assert missing.status_code == 404
    assert "detail" in missing.json()
    bad_status = client.get("/api/v1/cases/", {"status": "bogus"})
    assert bad_status.status_code == 400
    assert "status" in bad_status.json()
    assert client.get("/api/v1/cases/", {"page": 99}).status_code == 404


def test_draft_case_is_404_in_the_api(client, case_factory):
    draft = case_factory("draft")
    assert client.get(f"/api/v1/cases/{draft.pk}/").status_code == 404


def test_token_is_issued_for_valid_credentials_only(client, contributor):
    url = reverse("api:token")
    good = client.post(url, {"username": "alice", "password": PASSWORD})
    assert good.status_code == 200
    token = good.json()["token"]
    assert Token.objects.get(user=contributor).key == token
    bad = client.post(url, {"username": "alice", "password": "wrong"})
    assert bad.status_code == 400
    assert "non_field_errors" in bad.json()
    missing = client.post(url, {})
    assert missing.status_code == 400
    assert set(missing.json()) == {"username", "password"}


def test_token_authenticates_api_requests(client, contributor, case_factory):
    case_factory("open")
    token = Token.objects.create(user=contributor)
    response = client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.wsgi_request.user == contributor
    invalid = client.get("/api/v1/cases/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert invalid.status_code == 401


def test_api_is_read_only_for_cases(client, contributor, case_factory):
    case = case_factory("open")
    client.force_login(contributor)
    assert client.post("/api/v1/cases/", {}).status_code in (403, 405)
    assert client.delete(f"/api/v1/cases/{case.pk}/").status_code in (403, 405)


def test_openapi_schema_describes_the_endpoints(client):
    response = client.get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/cases/", "/api/v1/cases/{id}/", "/api/v1/auth/token/"} <= set(
        schema["paths"]
    )
    params = {p["name"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert {"status", "agency", "area", "page"} <= params
    assert client.get("/api/docs/").status_code == 200


def test_schema_documents_only_the_public_api(client):
    schema = client.get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    ).json()
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
