"""Celery entry points for review: thin, named, idempotent."""

from celery import shared_task

from . import services
from .models import ForwardTrigger


@shared_task(
    name="review.forward_case",
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def forward_case(case_id: int) -> int:
    """Forward one closed case (enqueued when the window closes). Safe to run twice:
    a case has at most one dossier. Returns the dossier's id."""
    dossier, _created = services.case_forward(
        case_id=case_id, trigger=ForwardTrigger.CLOSE
    )
    return dossier.pk


@shared_task(name="review.forward_due")
def forward_due() -> int:
    """Beat: forward every closed case still without a dossier (the sweep that catches a
    lost enqueue or a worker that died midway)."""
    return services.forward_due()
