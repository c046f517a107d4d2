"""The case lifecycle: draft → scheduled → open → closed, driven by publishing and by the
periodic task, never backwards, each move in the audit log."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from cases import services, tasks
from cases.models import Case, CaseLogEntry, CaseStatus
from config.celery import app as celery_app

pytestmark = pytest.mark.django_db


def status_log(case):
    return list(
        CaseLogEntry.objects.filter(case_id=case.pk, action=services.STATUS_LOG_ACTION)
        .order_by("timestamp", "pk")
        .values_list("data", flat=True)
    )


def test_unpublished_case_stays_draft_whatever_its_window(case_factory):
    case = case_factory("draft")
    Case.objects.filter(pk=case.pk).update(
        review_opens_at=timezone.now() - timedelta(days=1)
    )
    assert tasks.advance_lifecycle() == {}
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT
    assert not case.live


def test_publishing_before_the_window_schedules_the_case(case_factory, editor_a):
    case = case_factory("scheduled", user=editor_a)
    assert case.live
    assert case.status == CaseStatus.SCHEDULED
    [entry] = status_log(case)
    assert (entry["from"], entry["to"]) == ("draft", "scheduled")


def test_publishing_inside_the_window_opens_the_case(case_factory):
    case = case_factory("open")
    assert case.status == CaseStatus.OPEN
    assert [(e["from"], e["to"]) for e in status_log(case)] == [("draft", "open")]


def test_periodic_task_opens_then_closes_a_scheduled_case(case_factory):
    case = case_factory("scheduled")
    opens, closes = case.review_opens_at, case.review_closes_at

    assert services.cases_advance_due(now=opens - timedelta(seconds=1)) == {}
    assert services.cases_advance_due(now=opens) == {"open": 1}
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN

    assert services.cases_advance_due(now=closes - timedelta(seconds=1)) == {}
    assert services.cases_advance_due(now=closes + timedelta(minutes=1)) == {
        "closed": 1
    }
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert [(e["from"], e["to"]) for e in status_log(case)] == [
        ("draft", "scheduled"),
        ("scheduled", "open"),
        ("open", "closed"),
    ]


def test_lifecycle_is_idempotent_and_never_moves_backwards(case_factory):
    case = case_factory("closed")
    # Someone extends the window after it closed: the case does not reopen.
    Case.objects.filter(pk=case.pk).update(
        review_closes_at=timezone.now() + timedelta(days=3)
    )
    assert services.case_advance(case_id=case.pk) is None
    assert services.cases_advance_due() == {}
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert len(status_log(case)) == 1


def test_forwarded_case_is_left_alone_by_the_lifecycle(case_factory):
    case = case_factory("closed")
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.FORWARDED)
    assert (
        services.case_advance(case_id=case.pk, now=timezone.now() + timedelta(days=99))
        is None
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.FORWARDED


def test_wagtail_scheduled_publishing_goes_live_through_the_periodic_task(case_factory):
    case = case_factory("draft")
    case.go_live_at = timezone.now() + timedelta(seconds=2)
    case.save_revision().publish()
    case.refresh_from_db()
    assert not case.live
    assert case.status == CaseStatus.DRAFT

    tasks.advance_lifecycle()  # not due yet
    case.refresh_from_db()
    assert not case.live

    time.sleep(2.1)
    tasks.advance_lifecycle()
    case.refresh_from_db()
    assert case.live
    assert case.status == CaseStatus.SCHEDULED


def test_republishing_an_old_revision_keeps_the_current_status(case_factory, editor_a):
    case = case_factory("scheduled", user=editor_a)
    first_revision = case.latest_revision
    services.case_advance(case_id=case.pk, now=case.review_opens_at)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    first_revision.publish(user=editor_a)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_unpublishing_a_scheduled_case_returns_it_to_draft(case_factory, editor_a):
    case = case_factory("scheduled")
    case.unpublish(user=editor_a)
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT


def test_unpublishing_an_open_case_withdraws_it(case_factory, editor_a):
    case = case_factory("open")
    case.unpublish(user=editor_a)
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    assert status_log(case)[-1]["to"] == "withdrawn"


def test_beat_schedule_runs_the_lifecycle_task_every_minute():
    entry = celery_app.conf.beat_schedule["cases-advance-lifecycle"]
    assert entry["task"] == "cases.advance_lifecycle"
    assert entry["task"] in celery_app.tasks
    assert float(entry["schedule"]) == 60.0
