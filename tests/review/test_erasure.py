"""A contributor who erases their account after forwarding: the dossier's stored snapshot
never changes (triggers), but every place that shows it — the dossier page, the claim
chart and its exports, the API — names them "former contributor"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import account_erase
from review.claim_chart import claim_chart_table, render_csv, render_pdf
from tests.review.test_claim_chart import build_dossier, pdf_text

pytestmark = pytest.mark.django_db


def test_erased_contributor_is_not_named_by_the_dossier(
    case_factory, reviewer, examiner, django_user_model
):
    dossier = build_dossier(case_factory, reviewer, examiner)
    alice = django_user_model.objects.get(username="alice-cc")
    item = dossier.items.get(prior_art__author=alice)
    assert item.snapshot["contributor"] == "alice-cc"

    account_erase(user=alice)

    item.refresh_from_db()
    assert item.snapshot["contributor"] == "alice-cc"  # the record is unchanged
    chart = claim_chart_table(dossier)
    names = {chart_item.contributor for chart_item in chart.items}
    assert "alice-cc" not in names and "former contributor" in names
    assert "alice-cc" not in render_csv(chart)
    assert "alice-cc" not in pdf_text(render_pdf(chart))

    browser = Client()
    browser.force_login(examiner)
    page = browser.get(reverse("review:dossier", args=[dossier.pk])).text
    assert "alice-cc" not in page and "former contributor" in page

    api = APIClient()
    api.force_authenticate(examiner)
    body = api.get(reverse("api:dossier-detail", args=[dossier.pk])).json()
    contributors = {entry["snapshot"]["contributor"] for entry in body["items"]}
    assert "alice-cc" not in contributors and "former contributor" in contributors
