"""The one state-machine step of a submission, and withdrawal by its contributor."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.notifications import notify

from .. import permissions as perms
from ..models import (
    EDITABLE_STATES,
    AuditEvent,
    PriorArt,
    PriorArtStatus,
)

# How a refused transition names what was attempted ("... so it cannot be vetted").
ACTION_PAST = {
    "vet": gettext_lazy("vetted"),
    "request_changes": gettext_lazy("sent back for changes"),
    "reject": gettext_lazy("rejected"),
    "mark_duplicate": gettext_lazy("marked as a duplicate"),
    "forward": gettext_lazy("forwarded"),
    "withdraw": gettext_lazy("withdrawn"),
}


def prior_art_transition(
    *,
    prior_art: PriorArt,
    actor,
    to: str,
    allowed_from: set[str],
    reason: str = "",
    action: str,
    extra_fields: dict | None = None,
    check=None,
    reviewers_message: bool = True,
) -> PriorArt:
    """The one state machine step for a submission: lock the row, check the source state,
    save with ``update_fields``, audit, and tell the author (unless they did it)."""
    with transaction.atomic():
        prior_art = (
            PriorArt.objects.select_for_update(of=("self",))
            .select_related("case", "author")
            .get(pk=prior_art.pk)
        )
        if check is not None and not check(prior_art):
            raise PermissionDenied(
                _("You are not allowed to do that to this submission.")
            )
        if prior_art.status not in allowed_from:
            raise ValidationError(
                _("This submission is %(state)s, so it cannot be %(action)s.")
                % {
                    "state": prior_art.get_status_display().lower(),
                    "action": ACTION_PAST.get(action, action.replace("_", " ")),
                }
            )
        old = prior_art.status
        prior_art.status = to
        prior_art.status_changed_at = timezone.now()
        # The reason is the reviewers' message to the contributor, unless the contributor
        # gave it themselves (withdrawing): then it is only in the audit trail.
        prior_art.status_reason = reason if reviewers_message else ""
        fields = ["status", "status_changed_at", "status_reason"]
        for name, value in (extra_fields or {}).items():
            setattr(prior_art, name, value)
            fields.append(name)
        prior_art.save(update_fields=fields)
        event = AuditEvent.objects.create(
            prior_art=prior_art,
            actor=actor,
            action=action,
            from_status=old,
            to_status=to,
            reason=reason,
        )
        if actor is None or actor.pk != prior_art.author_id:
            notify(
                recipient=prior_art.author,
                key=f"status:{prior_art.pk}:{event.pk}",
                subject=_("Your evidence %(ref)s is now: %(status)s")
                % {
                    "ref": prior_art.tracking_ref,
                    "status": prior_art.get_status_display(),
                },
                body=(
                    reason
                    or _('The status of your submission "%(title)s" changed.')
                    % {"title": prior_art.title}
                ),
                url=prior_art.get_absolute_url(),
            )
    return prior_art


def prior_art_withdraw(*, prior_art: PriorArt, actor, reason: str = "") -> PriorArt:
    """The author withdraws a submission that is still submitted or needs changes, while
    the window is open."""
    if not perms.user_can_edit_prior_art(actor, prior_art):
        raise PermissionDenied(_("You can no longer withdraw this submission."))
    # Checked again under the row lock: the window may close in between.
    return prior_art_transition(
        check=lambda locked: perms.user_can_edit_prior_art(actor, locked),
        reviewers_message=False,
        prior_art=prior_art,
        actor=actor,
        to=PriorArtStatus.WITHDRAWN,
        allowed_from=EDITABLE_STATES,
        reason=reason,
        action="withdraw",
    )
