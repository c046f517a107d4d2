"""Case lifecycle transitions outside the Wagtail editor.

Transitions lock the case row, check the source state, save with ``update_fields`` and log an
entry in Wagtail's audit log (shown in the case's history in the admin), so the admin, the
periodic task and programmatic callers all behave identically.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..models import (
    LIFECYCLE_ORDER,
    Case,
    CaseStatus,
)
from ..signals import case_status_changed

logger = logging.getLogger(__name__)


STATUS_LOG_ACTION = "opendocket.case.status"


def _target_status(case: Case, now: datetime) -> CaseStatus:
    if now < case.review_opens_at:
        return CaseStatus.SCHEDULED
    if now < case.review_closes_at:
        return CaseStatus.OPEN
    return CaseStatus.CLOSED


def _log_transition(*, case: Case, old: str, new: str, actor, reason: str) -> None:
    """Log a status change in the case's history and tell other apps about it."""
    case_status_changed.send(sender=Case, case_id=case.pk, old=old, new=new)
    log(
        instance=case,
        action=STATUS_LOG_ACTION,
        user=actor,
        data={"from": old, "to": new, "reason": reason},
        content_changed=False,
    )


def case_advance(
    *, case_id: int, now: datetime | None = None, actor=None
) -> str | None:
    """Move a published case along ``draft → scheduled → open → closed`` by its window.

    Locks the row; moves only forwards and only among those four states (forwarded,
    decided and withdrawn are set by their own services). Idempotent: returns the new
    status, or ``None`` when the case was already where it belongs or is not published.
    """
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(pk=case_id).first()
        if case is None or not case.live or case.status not in LIFECYCLE_ORDER:
            return None
        target = _target_status(case, now)
        if LIFECYCLE_ORDER.index(target) <= LIFECYCLE_ORDER.index(case.status):
            return None
        old = case.status
        case.status = target
        case.status_changed_at = now
        case.save(update_fields=["status", "status_changed_at"])
        _log_transition(
            case=case,
            old=old,
            new=target,
            actor=actor,
            reason=_("Review window: opens %(opens)s, closes %(closes)s")
            % {
                "opens": case.review_opens_at.isoformat(),
                "closes": case.review_closes_at.isoformat(),
            },
        )
    logger.info("Case %s moved from %s to %s", case_id, old, target)
    return target


def case_unpublished(*, case_id: int, actor=None) -> str | None:
    """After Wagtail unpublishes a case: back to draft if nobody could cite it yet,
    otherwise withdrawn (the public record of an opened review is never silently undone).
    """
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(pk=case_id).first()
        if case is None or case.live:
            return None
        if case.status in (CaseStatus.DRAFT, CaseStatus.WITHDRAWN):
            return None
        target = (
            CaseStatus.DRAFT
            if case.status == CaseStatus.SCHEDULED
            else CaseStatus.WITHDRAWN
        )
        old = case.status
        case.status = target
        case.status_changed_at = timezone.now()
        case.save(update_fields=["status", "status_changed_at"])
        _log_transition(
            case=case,
            old=old,
            new=target,
            actor=actor,
            reason=_("Unpublished in the CMS"),
        )
    return target


def case_move(
    *, case_id: int, to: str, allowed_from: set[str], actor=None, reason: str = ""
) -> bool:
    """Move a case into one of the states owned by review (``forwarded``, ``decided``).

    Locks the row and checks the source state; returns False, changing nothing, when the
    case is not in ``allowed_from`` (so a repeated call is harmless).
    """
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.status not in allowed_from:
            return False
        old = case.status
        case.status = to
        case.status_changed_at = timezone.now()
        case.save(update_fields=["status", "status_changed_at"])
        _log_transition(case=case, old=old, new=to, actor=actor, reason=reason)
    logger.info("Case %s moved from %s to %s", case_id, old, to)
    return True


def cases_publish_scheduled() -> None:
    """Publish revisions whose scheduled go-live time has come (Wagtail's own command);
    publishing then runs ``case_advance`` through the ``published`` hook."""
    call_command("publish_scheduled", verbosity=0)


def cases_advance_due(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic lifecycle step: publish what is scheduled, then advance every
    published case whose window says it should move. Each case in its own transaction,
    so one failure does not hold back the others. Returns counts by new status."""
    now = now or timezone.now()
    cases_publish_scheduled()
    moved: dict[str, int] = {}
    for case_id in Case.objects.due_for_lifecycle(now).values_list("pk", flat=True):
        new = case_advance(case_id=case_id, now=now)
        if new:
            moved[new] = moved.get(new, 0) + 1
    return moved
