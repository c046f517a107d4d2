"""Each agency's documents live in its own collection: editors of another agency never see
them in the library or the chooser, and a published case links its documents."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.documents.models import Document

from cases.models import CaseDocument

pytestmark = pytest.mark.django_db


def upload(client, title: str) -> Document:
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": title,
            "file": ContentFile(b"%PDF-1.4 application as filed", name="app.pdf"),
        },
    )
    assert response.status_code == 302, response.content[:500]
    return Document.objects.get(title=title)


def test_documents_are_scoped_to_the_agency(client, editor_a, editor_b, agency_a):
    client.force_login(editor_a)
    doc = upload(client, "Application as filed (agency A)")
    agency_a.refresh_from_db()
    assert doc.collection_id == agency_a.collection_id

    client = Client()  # a fresh browser: no flash message from editor A's upload
    client.force_login(editor_b)
    listing = client.get(reverse("wagtaildocs:index"))
    assert listing.status_code == 200
    assert doc.title not in listing.text
    chooser = client.get(reverse("wagtaildocs_chooser:choose"))
    assert doc.title not in chooser.text
    assert client.get(reverse("wagtaildocs:edit", args=[doc.pk])).status_code in (
        302,
        403,
        404,
    )
    assert Document.objects.filter(pk=doc.pk, title=doc.title).exists()

    client.force_login(editor_a)
    assert doc.title in client.get(reverse("wagtaildocs:index")).text


def test_case_page_links_its_documents(client, editor_a, case_factory):
    client.force_login(editor_a)
    doc = upload(client, "Drawings")
    case = case_factory("open")
    case.documents = [CaseDocument(document=doc, title="Drawings, sheets 1-4")]
    case.save_revision(user=editor_a).publish(user=editor_a)
    client.logout()
    html = client.get(reverse("cases:detail", args=[case.pk])).text
    assert "Drawings, sheets 1-4" in html
    assert doc.url in html
