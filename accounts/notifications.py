"""Recording and sending notification e-mails.

``notify`` records a Notification inside the caller's transaction and, after commit, asks a
worker to send it. If the broker is down the request still succeeds: the row stays pending
and ``notifications_send_pending`` (beat, every few minutes) sends it later. Sending locks
the row and sets ``sent_at`` in the same transaction as the send, so each e-mail goes out
once even when the task and the sweep race.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification, NotifyFrequency

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args) -> None:
    """Enqueue ``task`` after the surrounding transaction commits; never fail the caller
    because the broker is unreachable (the pending-work sweep catches up)."""

    def send():
        try:
            task.apply_async(
                args=args, retry=True, retry_policy=settings.OPENDOCKET_PUBLISH_RETRY
            )
        except Exception:  # noqa: BLE001 - any broker error; the sweep will catch up
            logger.warning(
                "Could not enqueue %s%r; the sweep will retry", task.name, args
            )

    transaction.on_commit(send)


def notify(
    *, recipient, key: str, subject: str, body: str, url: str = ""
) -> Notification | None:
    """Record one e-mail for ``recipient`` (at most once per ``key``), by their preference:
    immediately, in the daily digest, or not at all."""
    if (
        recipient is None
        or not recipient.is_active
        or recipient.is_erased
        or not recipient.email
    ):
        return None
    if recipient.notify_frequency == NotifyFrequency.NEVER:
        return None
    digest = recipient.notify_frequency == NotifyFrequency.DAILY
    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "recipient": recipient,
            "subject": subject[:200],
            "body": body,
            "url": url,
            "digest": digest,
        },
    )
    if created and not digest:
        from .tasks import send_notification

        enqueue_on_commit(send_notification, notification.pk)
    return notification


def _absolute(url: str) -> str:
    return (
        settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url if url.startswith("/") else url
    )


def notification_send(*, notification_id: int) -> bool:
    """Send one pending immediate notification. Idempotent: returns False when it was
    already sent or another worker holds it."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, sent_at__isnull=True, digest=False)
            .first()
        )
        if notification is None:
            return False
        body = notification.body
        if notification.url:
            body += "\n\n" + _absolute(notification.url)
        body += "\n\n" + _("Change how often we write to you: %(url)s") % {
            "url": _absolute("/account/")
        }
        send_mail(
            notification.subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient.email],
        )
        notification.sent_at = timezone.now()
        notification.attempts += 1
        notification.save(update_fields=["sent_at", "attempts"])
    return True


def notifications_send_pending(*, older_than_seconds: int = 30) -> int:
    """The sweep: send immediate notifications still pending after a grace period (their
    own task may be on its way). Returns how many were sent."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        Notification.objects.filter(
            sent_at__isnull=True, digest=False, created_at__lte=cutoff
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    sent = 0
    for pk in ids:
        try:
            sent += notification_send(notification_id=pk)
        except Exception as error:  # noqa: BLE001 - one bad address must not stall the rest
            _record_failure(pk, error)
    return sent


def _record_failure(notification_id: int, error: Exception) -> None:
    """Note a failed attempt (the send's own transaction rolled back) and move on."""
    logger.warning("Notification %s not sent: %s", notification_id, error)
    Notification.objects.filter(pk=notification_id, sent_at__isnull=True).update(
        attempts=models.F("attempts") + 1, last_error=str(error)[:2000]
    )


def notifications_send_digests() -> int:
    """One e-mail per person with every pending digest notification; marks them sent in
    the same transaction. Returns the number of e-mails sent."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    recipients = (
        Notification.objects.filter(sent_at__isnull=True, digest=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in list(recipients):
        try:
            sent += _send_digest(user_id, User)
        except Exception as error:  # noqa: BLE001 - next person's digest still goes
            logger.warning("Digest for user %s not sent: %s", user_id, error)
    return sent


def _send_digest(user_id: int, User) -> int:
    """One digest e-mail for one person, marking its items sent in the same transaction."""
    with transaction.atomic():
        items = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(recipient_id=user_id, sent_at__isnull=True, digest=True)
            .order_by("created_at")
        )
        if not items:
            return 0
        user = User.objects.get(pk=user_id)
        lines = [
            _("Here is what happened on OpenDocket since your last digest:"),
            "",
        ]
        for item in items:
            lines.append(f"- {item.subject}")
            if item.url:
                lines.append(f"  {_absolute(item.url)}")
        send_mail(
            _("Your OpenDocket digest: %(n)d updates") % {"n": len(items)},
            "\n".join(lines),
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
        now = timezone.now()
        Notification.objects.filter(pk__in=[i.pk for i in items]).update(sent_at=now)
        return 1
