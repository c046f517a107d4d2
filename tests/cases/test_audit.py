"""The case audit trail: who did what and when, append-only, visible only to those who may
see the case."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse

from cases import services
from cases.models import CaseLogEntry

pytestmark = pytest.mark.django_db


def test_status_changes_name_the_actor(case_factory, editor_a):
    case = case_factory("open", user=editor_a)
    case.unpublish(user=editor_a)
    entries = CaseLogEntry.objects.filter(
        case_id=case.pk, action=services.STATUS_LOG_ACTION
    )
    actors = [
        (e.data["from"], e.data["to"], e.user_id)
        for e in entries.order_by("timestamp", "pk")
    ]
    assert actors == [
        ("draft", "open", editor_a.pk),
        ("open", "withdrawn", editor_a.pk),
    ]


def test_audit_trail_is_append_only(case_factory):
    case = case_factory("open")
    entry = CaseLogEntry.objects.filter(case_id=case.pk).first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CaseLogEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CaseLogEntry.objects.filter(pk=entry.pk).delete()
    CaseLogEntry.objects.filter(pk=entry.pk).update(deleted=True)  # Wagtail's own flag
    entry.refresh_from_db()
    assert entry.deleted and entry.action != "tampered"


def test_site_history_shows_only_the_editors_agency(
    editor_a, editor_b, agency_b, case_factory
):
    case_factory("scheduled", title="Agency A scheduled case", user=editor_a)
    other = case_factory(
        "draft", agency=agency_b, title="Agency B confidential draft", user=editor_b
    )
    other.save_revision(user=editor_b, log_action=True)  # an edit, in B's history
    client = Client()
    client.force_login(editor_a)
    report = client.get(reverse("wagtailadmin_reports:site_history"))
    assert report.status_code == 200
    assert "Agency A scheduled case" in report.text
    assert "Agency B confidential draft" not in report.text


def test_appointments_are_idempotent_and_logged_once(case_factory, reviewer):
    case = case_factory("open")
    assert services.case_appoint_reviewer(case=case, user=reviewer) is True
    assert services.case_appoint_reviewer(case=case, user=reviewer) is False
    appointed = CaseLogEntry.objects.filter(
        case_id=case.pk, action="opendocket.appoint"
    )
    assert appointed.count() == 1
