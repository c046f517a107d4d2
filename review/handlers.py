"""Reactions to other apps' signals."""

from django.conf import settings
from django.dispatch import receiver

from accounts.notifications import enqueue_on_commit
from cases.models import CaseStatus
from cases.signals import case_status_changed


@receiver(case_status_changed, dispatch_uid="review.forward_at_close")
def forward_at_close(sender, case_id, old, new, **kwargs):
    """When a window closes, forward the case once the transaction commits. With a grace
    period configured, the ``review.forward_due`` sweep forwards it when that ends."""
    if new == CaseStatus.CLOSED and settings.OPENDOCKET_FORWARD_GRACE_MINUTES == 0:
        from .tasks import forward_case

        enqueue_on_commit(forward_case, case_id)
