"""Citing a library document through the services and the API: ``library_document`` on
submit and edit, the fields a cited document fills in, and bad ids refused with a 400."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from submissions import services
from submissions.models import PriorArt

from .api_helpers import api
from .factories import make_prior_art, relaxed_limits_fixture  # noqa: F401 - fixture
from .library_helpers import (  # noqa: F401 - fixtures
    HANDBOOK_BODY,
    alice_fixture,
    case_fixture,
    handbook_fixture,
    unrelated_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("relaxed_limits")]


def test_the_service_refuses_an_unknown_document(case, alice):
    with pytest.raises(ValidationError) as error:
        make_prior_art(case, alice, library_document=987654321)
    assert "library_document" in error.value.message_dict
    assert not PriorArt.objects.exists()


def api_payload(**overrides) -> dict:
    data = {
        "kind": "publication",
        "relevance": "Shows the charger of claim 1.",
        "claim_mappings": [{"claim": 1, "explanation": "Figure 2 is claim 1."}],
    }
    data.update(overrides)
    return data


def test_api_cites_a_document_and_fills_in_the_blanks(case, alice, handbook):
    url = reverse("api:case-prior-art", kwargs={"id": case.pk})
    response = api(alice).post(
        url, api_payload(library_document=handbook.pk), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["library_document"] == handbook.pk
    assert body["title"] == handbook.title
    assert body["identifier"] == handbook.identifier
    assert body["published_on"] == "1998-01-01"
    assert body["published_on_precision"] == "year"
    detail = api(alice).get(reverse("api:prior-art-detail", kwargs={"id": body["id"]}))
    assert detail.json()["library_document"] == handbook.pk


@pytest.mark.parametrize(
    "value", [987654321, 0, -1, 2**70, "1", True, 1.5, [1], {"id": 1}, "abc"]
)
def test_api_refuses_an_unknown_or_malformed_document_with_a_400(
    case, alice, handbook, value
):
    url = reverse("api:case-prior-art", kwargs={"id": case.pk})
    response = api(alice).post(
        url, api_payload(title="T", library_document=value), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"library_document"}
    assert not PriorArt.objects.exists()


def test_api_without_a_document_still_requires_a_title(case, alice):
    url = reverse("api:case-prior-art", kwargs={"id": case.pk})
    for payload in (api_payload(), api_payload(library_document=None)):
        response = api(alice).post(url, payload, format="json")
        assert response.status_code == 400
        assert set(response.json()) == {"title"}


def test_api_patch_changes_and_drops_the_citation(case, alice, handbook, unrelated):
    prior_art = make_prior_art(case, alice, library_document=handbook)
    url = reverse("api:prior-art-detail", kwargs={"id": prior_art.pk})
    response = api(alice).patch(url, {"library_document": unrelated.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["library_document"] == unrelated.pk
    assert response.json()["title"] == prior_art.title  # typed before: kept
    response = api(alice).patch(url, {"title": "Renamed"}, format="json")
    assert response.json()["library_document"] == unrelated.pk  # untouched
    response = api(alice).patch(url, {"library_document": None}, format="json")
    assert response.json()["library_document"] is None
    response = api(alice).patch(url, {"library_document": 987654321}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"library_document"}


def test_the_service_fills_in_only_what_a_newly_cited_document_brings(
    case, alice, handbook
):
    prior_art = make_prior_art(case, alice, excerpt="")
    services.prior_art_update(
        prior_art=prior_art,
        actor=alice,
        data={"library_document": handbook.pk},
        mappings=[services.MappingInput(1, "Claim 1 is shown in section 1.")],
    )
    prior_art.refresh_from_db()
    assert prior_art.excerpt == HANDBOOK_BODY
    assert prior_art.title != handbook.title  # it had one
    # Clearing a field later does not bring the document's back.
    services.prior_art_update(
        prior_art=prior_art,
        actor=alice,
        data={"excerpt": "", "library_document": handbook.pk},
        mappings=[services.MappingInput(1, "Claim 1 is shown in section 1.")],
    )
    prior_art.refresh_from_db()
    assert prior_art.excerpt == ""
