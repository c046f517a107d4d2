"""Celery entry points for notifications: thin, named, idempotent."""

from celery import shared_task

from . import notifications


@shared_task(
    name="accounts.send_notification",
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_notification(notification_id: int) -> bool:
    """Send one notification e-mail; a no-op if it was already sent. A failure is noted on
    the row (attempts, last error) before Celery retries with backoff."""
    try:
        return notifications.notification_send(notification_id=notification_id)
    except Exception as error:
        notifications._record_failure(notification_id, error)
        raise


@shared_task(name="accounts.send_pending_notifications")
def send_pending_notifications() -> int:
    """Beat: send whatever is still pending (broker was down, worker died)."""
    return notifications.notifications_send_pending()


@shared_task(name="accounts.send_daily_digests")
def send_daily_digests() -> int:
    """Beat, daily: one digest e-mail per person who asked for digests."""
    return notifications.notifications_send_digests()
