"""Celery entry points for review: thin, named, idempotent.

``review.forward_case`` is enqueued (on commit) when a case's window closes;
``review.forward_due`` runs from the beat schedule and forwards whatever was missed.
"""

import logging

from celery import shared_task
from django.core.exceptions import ValidationError

from cases.models import Case

from . import services
from .models import ForwardTrigger

logger = logging.getLogger(__name__)


@shared_task(
    name="review.forward_case",
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def forward_case(case_id: int) -> int | None:
    """Forward one closed case (enqueued when the window closes). Safe to run twice:
    a case has at most one dossier. Returns the dossier's id, or None when the case can
    no longer be forwarded (deleted, or withdrawn before the task ran): retrying would
    not change that, so it is logged and not retried. Any other error is retried with
    backoff, and the ``review.forward_due`` sweep catches what retries give up on."""
    try:
        dossier, _created = services.case_forward(
            case_id=case_id, trigger=ForwardTrigger.CLOSE
        )
    except (Case.DoesNotExist, ValidationError) as error:
        logger.warning("Case %s was not forwarded: %s", case_id, error)
        return None
    return dossier.pk


@shared_task(name="review.forward_due")
def forward_due() -> int:
    """Beat: forward every closed case still without a dossier (the sweep that catches a
    lost enqueue or a worker that died midway). Returns how many it forwarded."""
    return services.forward_due()
