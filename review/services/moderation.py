"""Moderation by a case's reviewers and editors: restoring hidden comments and deciding
reports (flags). Hiding a comment is ``submissions.services.comment_hide``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions import permissions as submission_perms
from submissions.models import (
    AuditEvent,
    Comment,
    FlagStatus,
    PriorArt,
)

from ..permissions import user_can_screen
from .screening import SCREENABLE, lock_case, prior_art_reject


def _require_moderator(actor, case) -> None:
    if not submission_perms.user_can_moderate(actor, case):
        raise PermissionDenied(
            _("Only reviewers and editors of this case can moderate it.")
        )


def comment_restore(*, comment: Comment, actor, reason: str = "") -> Comment:
    """Undo a moderator's hiding of a comment; the hiding stays in the audit trail."""
    _require_moderator(actor, comment.case)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if not comment.hidden:
            raise ValidationError(_("This comment is not hidden."))
        comment.hidden = False
        comment.hidden_reason = ""
        comment.save(update_fields=["hidden", "hidden_reason"])
        AuditEvent.objects.create(
            comment=comment,
            actor=actor,
            action="comment_restore",
            reason=(reason or "").strip(),
        )
    return comment


FLAG_DECISIONS = ("uphold", "dismiss")


def flags_resolve(
    *,
    actor,
    decision: str,
    reason: str = "",
    prior_art: PriorArt | None = None,
    comment: Comment | None = None,
) -> int:
    """Decide every open report on one submission or comment.

    ``dismiss``: the reports were unfounded; an item hidden by them is shown again.
    ``uphold``: the reports were right; a comment is hidden with the reason, a submission
    stays hidden from the public (and, if not yet screened, is rejected with the reason).
    Returns how many reports were decided.
    """
    if (prior_art is None) == (comment is None):
        raise ValidationError(_("Decide reports on either a submission or a comment."))
    if decision not in FLAG_DECISIONS:
        raise ValidationError({"decision": _("Choose uphold or dismiss.")})
    target = prior_art or comment
    _require_moderator(actor, target.case)
    reason = (reason or "").strip()
    if decision == "uphold" and not reason:
        raise ValidationError({"reason": _("Say why the reports are upheld.")})
    with transaction.atomic():
        screener = False
        if prior_art is not None and decision == "uphold":
            # Upholding may reject the submission below: take the case lock first, as
            # every screening decision does (lock order: case, then submission).
            screener = user_can_screen(actor, lock_case(prior_art.case_id))
        locked = type(target).objects.select_for_update().get(pk=target.pk)
        count = locked.flags.filter(status=FlagStatus.OPEN).update(
            status=FlagStatus.UPHELD if decision == "uphold" else FlagStatus.DISMISSED
        )
        if count == 0:
            raise ValidationError(_("There are no open reports on this."))
        fields = []
        if decision == "dismiss" and locked.hidden_by_flags:
            locked.hidden_by_flags = False
            fields.append("hidden_by_flags")
        elif decision == "uphold":
            if comment is not None:
                locked.hidden, locked.hidden_reason = True, reason
                locked.hidden_by_flags = False
                fields += ["hidden", "hidden_reason", "hidden_by_flags"]
            elif not locked.hidden_by_flags:
                locked.hidden_by_flags = True
                fields.append("hidden_by_flags")
        if fields:
            locked.save(update_fields=fields)
        AuditEvent.objects.create(
            prior_art=prior_art,
            comment=comment,
            actor=actor,
            action=f"flags_{decision}",
            reason=_("%(n)d reports decided at %(at)s. %(reason)s")
            % {"n": count, "at": timezone.now().isoformat(), "reason": reason},
        )
        if screener and locked.status in SCREENABLE:
            prior_art_reject(prior_art=locked, actor=actor, reason=reason)
    return count
