"""Background work with a real Celery worker on the configured broker (the filesystem
broker on a fresh machine, Redis in CI)."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from cases.models import Case, CaseStatus
from cases.tasks import advance_lifecycle
from config.celery import app as celery_app


def wait_for(predicate, timeout=20.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_opens_and_closes_due_cases(case_factory):
    due_to_open = case_factory("scheduled")
    due_to_close = case_factory("open")
    now = timezone.now()
    Case.objects.filter(pk=due_to_open.pk).update(
        review_opens_at=now - timedelta(seconds=1)
    )
    Case.objects.filter(pk=due_to_close.pk).update(
        review_opens_at=now - timedelta(days=2),
        review_closes_at=now - timedelta(seconds=1),
    )
    # A queue of our own, so a parallel test run or a `make run` never takes the message.
    queue = f"test-{uuid.uuid4().hex}"
    with start_worker(
        celery_app,
        pool="solo",
        perform_ping_check=False,
        queues=[queue],
        shutdown_timeout=30,
    ):
        advance_lifecycle.apply_async(queue=queue)
        assert wait_for(
            lambda: (
                Case.objects.get(pk=due_to_open.pk).status == CaseStatus.OPEN
                and Case.objects.get(pk=due_to_close.pk).status == CaseStatus.CLOSED
            )
        ), "the worker did not advance the cases"
