"""Forwarding with a real Celery worker on the configured broker (the filesystem broker on
a fresh machine, Redis in CI with ``CELERY_BROKER_URL``).

The tasks are sent by the names the beat schedule holds, as beat would send them: the
lifecycle task closes a case whose window has passed, the close signal enqueues
``review.forward_case`` once that transaction commits, and the worker forwards the case.
The sweep, ``review.forward_due``, forwards a closed case nobody enqueued.

Every task of the test (the ones the worker enqueues itself included) is routed to a
queue of the test's own, so a parallel run or a ``make run`` on the same broker never
takes its messages, and it never takes theirs.
"""

from __future__ import annotations

import time
import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.utils import timezone

from cases import services as case_services
from cases.models import Case, CaseStatus
from config.celery import app as celery_app
from review import services
from review.models import Dossier, ForwardTrigger
from submissions.models import PriorArt, PriorArtStatus
from tests.factories import UserFactory
from tests.submissions.factories import make_prior_art, verified_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TIMEOUT = 30.0


def wait_for(predicate, timeout=TIMEOUT, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


@contextmanager
def private_queue():
    """Route every task to a fresh queue while the block runs, then restore routing."""
    queue = f"test-{uuid.uuid4().hex}"
    saved = celery_app.conf.task_routes

    def reroute(routes):
        celery_app.conf.task_routes = routes
        celery_app.amqp.flush_routes()
        celery_app.amqp.__dict__.pop("router", None)  # a cached property

    reroute({"*": {"queue": queue}})
    try:
        yield queue
    finally:
        reroute(saved)


@contextmanager
def worker_on_private_queue():
    with (
        private_queue() as queue,
        start_worker(
            celery_app,
            pool="solo",
            perform_ping_check=False,
            queues=[queue],
            shutdown_timeout=30,
        ),
    ):
        yield queue


def beat_task(entry: str) -> str:
    return django_settings.CELERY_BEAT_SCHEDULE[entry]["task"]


def forwarded(case) -> bool:
    return (
        Case.objects.filter(pk=case.pk, status=CaseStatus.FORWARDED).exists()
        and Dossier.objects.filter(case=case).exists()
    )


@pytest.fixture
def open_case_with_evidence(case_factory, settings):
    settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = False
    case = case_factory("open")
    reviewer = UserFactory(username="worker-reviewer")
    case_services.case_appoint_reviewer(case=case, user=reviewer)
    item = make_prior_art(case, verified_user("worker-author"))
    services.prior_art_vet(prior_art=item, actor=reviewer)
    return case, item


def test_the_beat_lifecycle_task_closes_the_case_and_a_worker_forwards_it(
    open_case_with_evidence, settings
):
    settings.OPENDOCKET_FORWARD_GRACE_MINUTES = 0  # forward as soon as it closes
    case, item = open_case_with_evidence
    Case.objects.filter(pk=case.pk).update(
        review_closes_at=timezone.now() - timedelta(seconds=1)
    )

    with worker_on_private_queue():
        celery_app.send_task(beat_task("cases-advance-lifecycle"))
        assert wait_for(lambda: forwarded(case)), (
            "the case was not closed and forwarded: "
            f"{Case.objects.get(pk=case.pk).status}"
        )

    dossier = Dossier.objects.get(case=case)
    assert (dossier.trigger, dossier.forwarded_by, dossier.item_count) == (
        ForwardTrigger.CLOSE,
        None,
        1,
    )
    assert dossier.items.get().prior_art_id == item.pk
    assert PriorArt.objects.get(pk=item.pk).status == PriorArtStatus.FORWARDED


def test_the_beat_sweep_forwards_a_closed_case_nobody_enqueued(
    open_case_with_evidence, settings
):
    # With a grace period, closing enqueues nothing: only the sweep forwards the case.
    settings.OPENDOCKET_FORWARD_GRACE_MINUTES = 5
    case, item = open_case_with_evidence
    Case.objects.filter(pk=case.pk).update(
        review_closes_at=timezone.now() - timedelta(minutes=10)
    )
    with private_queue():  # the enqueue that does not happen would land here
        assert case_services.case_advance(case_id=case.pk) == CaseStatus.CLOSED
    assert not Dossier.objects.filter(case=case).exists()

    with worker_on_private_queue():
        celery_app.send_task(beat_task("review-forward-due"))
        assert wait_for(lambda: forwarded(case)), "the sweep did not forward the case"

    assert Dossier.objects.get(case=case).item_count == 1
    assert PriorArt.objects.get(pk=item.pk).status == PriorArtStatus.FORWARDED
