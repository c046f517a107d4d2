"""Addresses under /api/ that name no endpoint answer with the API's JSON 404."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here/", "/api/v2/cases/", "/api/", "/api/v1/cases/x/y/"]
)
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_api_address_is_a_json_404(client, path, method):
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "No such API endpoint" in response.json()["detail"]


def test_known_endpoints_and_pages_are_untouched(client):
    assert client.get("/api/v1/cases/").status_code == 200
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
