"""Celery entry points for cases: thin, named, idempotent."""

from celery import shared_task

from . import services


@shared_task(
    name="cases.advance_lifecycle",
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def advance_lifecycle() -> dict[str, int]:
    """Publish scheduled cases and move published ones through their review window.

    Run by beat every minute. Safe to run twice or concurrently: each case is advanced under
    a row lock and only ever forwards.
    """
    return services.cases_advance_due()
