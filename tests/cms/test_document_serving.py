"""An agency's documents are served only once a published case links them (or to the
people who manage them); editorial documents stay public."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents.models import Document
from wagtail.models import Collection

from cases.models import CaseDocument
from tests.cases.test_documents import upload

pytestmark = pytest.mark.django_db


def fetch(user, doc) -> int:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(doc.url).status_code


def test_unlinked_agency_document_is_private(client, editor_a, editor_b, contributor):
    client.force_login(editor_a)
    doc = upload(client, "Application as filed, not yet published")
    assert fetch(None, doc) == 404
    assert fetch(contributor, doc) == 404
    assert fetch(editor_b, doc) == 404
    assert fetch(editor_a, doc) == 200


def test_document_of_a_draft_case_is_private_until_published(
    client, editor_a, case_factory
):
    client.force_login(editor_a)
    doc = upload(client, "Drawings of the draft")
    case = case_factory("draft")
    case.documents = [CaseDocument(document=doc, title="Drawings")]
    case.save_revision(user=editor_a)
    case.save()
    assert fetch(None, doc) == 404
    case.save_revision(user=editor_a).publish(user=editor_a)
    assert fetch(None, doc) == 200


def test_editorial_documents_outside_agency_collections_stay_public(admin_user):
    doc = Document.objects.create(
        title="Annual report",
        file=ContentFile(b"%PDF-1.4 report", name="report.pdf"),
        collection=Collection.get_first_root_node(),
    )
    assert fetch(None, doc) == 200
