"""Notifications survive a broker outage: recorded with the event, sent once when the
broker is back, never twice."""

from __future__ import annotations

import time
import uuid

import pytest
from allauth.account.models import EmailAddress
from celery.contrib.testing.worker import start_worker
from django.core import mail

from accounts.models import Notification, NotifyFrequency
from accounts.notifications import (
    notifications_send_digests,
    notifications_send_pending,
)
from accounts.tasks import send_pending_notifications
from config.celery import app as celery_app
from submissions import services
from tests.factories import UserFactory


def verified(username, **extra):
    user = UserFactory(username=username, **extra)
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def reset_broker_connections():
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pending_notice_is_sent_by_the_sweep_on_a_real_worker_exactly_once(
    case_factory,
):
    case = case_factory("open")
    alice, bob = verified("alice-s"), verified("bob-s")
    root = services.comment_post(case=case, author=alice, body="First!")
    real = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    reset_broker_connections()
    try:
        started = time.monotonic()
        reply = services.comment_post(case=case, author=bob, body="Reply", parent=root)
        assert time.monotonic() - started < 10, (
            "a down broker must not hang the request"
        )
    finally:
        celery_app.conf.broker_url = real
        reset_broker_connections()
    notice = Notification.objects.get(key=f"reply:{reply.pk}")
    assert notice.sent_at is None
    assert mail.outbox == []

    queue = f"test-{uuid.uuid4().hex}"
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, queues=[queue]
    ):
        Notification.objects.filter(pk=notice.pk).update(
            created_at=notice.created_at.replace(year=notice.created_at.year - 1)
        )
        send_pending_notifications.apply_async(queue=queue)
        assert wait_for(
            lambda: Notification.objects.get(pk=notice.pk).sent_at is not None
        )
        send_pending_notifications.apply_async(queue=queue)  # the sweep again
        time.sleep(1)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [alice.email]
    assert "replied to your comment" in mail.outbox[0].subject
    assert notifications_send_pending(older_than_seconds=0) == 0


@pytest.mark.django_db
def test_preferences_decide_immediate_digest_or_nothing(
    case_factory, django_capture_on_commit_callbacks
):
    case = case_factory("open")
    daily = verified("daily", notify_frequency=NotifyFrequency.DAILY)
    never = verified("never", notify_frequency=NotifyFrequency.NEVER)
    bob = verified("bob-p")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for author in (daily, never):
            root = services.comment_post(case=case, author=author, body="Question")
            services.comment_post(case=case, author=bob, body="Answer", parent=root)
    assert callbacks == []  # nothing to send right away
    assert list(Notification.objects.values_list("recipient__username", "digest")) == [
        ("daily", True)
    ]
    assert notifications_send_digests() == 1
    assert notifications_send_digests() == 0
    assert len(mail.outbox) == 1 and "digest" in mail.outbox[0].subject


@pytest.mark.django_db
def test_sending_twice_sends_once(case_factory, django_capture_on_commit_callbacks):
    case = case_factory("open")
    alice, bob = verified("alice-t"), verified("bob-t")
    root = services.comment_post(case=case, author=alice, body="Hello")
    with django_capture_on_commit_callbacks(execute=False):
        reply = services.comment_post(case=case, author=bob, body="Hi", parent=root)
    from accounts.notifications import notification_send

    notice = Notification.objects.get(key=f"reply:{reply.pk}")
    assert notification_send(notification_id=notice.pk) is True
    assert notification_send(notification_id=notice.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_one_failing_address_does_not_stall_the_sweep(case_factory, monkeypatch):
    case = case_factory("open")
    alice, bob, carol = verified("alice-f"), verified("bob-f"), verified("carol-f")
    for author in (alice, carol):
        root = services.comment_post(case=case, author=author, body="Question")
        services.comment_post(case=case, author=bob, body="Answer", parent=root)
    from django.core.mail.backends.locmem import EmailBackend

    real_send = EmailBackend.send_messages

    def refuse_alice(self, messages):
        if any(alice.email in m.to for m in messages):
            raise OSError("550 mailbox unavailable")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_alice)
    assert notifications_send_pending(older_than_seconds=0) == 1
    failed = Notification.objects.get(recipient=alice)
    assert failed.sent_at is None and failed.attempts == 1
    assert "550" in failed.last_error
    assert Notification.objects.get(recipient=carol).sent_at is not None
