"""The examiner's decision on each forwarded item, and the case's move to ``decided``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notifications import notify
from cases.models import CaseStatus
from cases.services import case_move
from submissions.models import AuditEvent

from ..models import Dossier, DossierItem, Outcome
from ..permissions import user_can_examine

NOTE_MAX = 5000


def dossier_item_decide(
    *, item: DossierItem, actor, outcome: str, note: str = ""
) -> DossierItem:
    """Record (or revise) the examiner's decision on one item: tell its contributor, and
    when no item of the dossier is left undecided, move the case to ``decided``.

    The permission is checked before the input. The dossier row is locked first, so two
    decisions arriving together cannot both miss that they were the last, and the case
    moves to ``decided`` once. Deciding the same outcome and note again changes nothing;
    a different one revises the decision (audited, the contributor told again).
    """
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update()
            .select_related("case")
            .get(pk=item.dossier_id)
        )
        if not user_can_examine(actor, dossier.case):
            raise PermissionDenied(
                _("Only the examiner of this case can decide its evidence.")
            )
        if outcome not in Outcome.values:
            raise ValidationError(
                {
                    "outcome": _("Choose one of: %(choices)s.")
                    % {"choices": ", ".join(Outcome.values)}
                }
            )
        note = (note or "").strip()
        if len(note) > NOTE_MAX:
            raise ValidationError({"note": _("Keep the note under 5,000 characters.")})
        item = (
            DossierItem.objects.select_for_update()
            .select_related("prior_art__author")
            .get(pk=item.pk)
        )
        if item.outcome == outcome and item.note == note:
            return item  # the same decision again (a retried PUT) changes nothing
        previous = item.outcome
        item.outcome, item.note = outcome, note
        item.decided_by, item.decided_at = actor, timezone.now()
        item.save(update_fields=["outcome", "note", "decided_by", "decided_at"])
        label = Outcome(outcome).label
        event = AuditEvent.objects.create(
            prior_art=item.prior_art,
            actor=actor,
            action="examiner_decision",
            from_status=previous,
            to_status=outcome,
            reason=note,
        )
        notify(
            recipient=item.prior_art.author,
            key=f"decision:{item.pk}:{event.pk}",
            subject=_("The examiner's decision on %(ref)s: %(outcome)s")
            % {"ref": item.prior_art.tracking_ref, "outcome": label},
            body=note
            or _('The examiner decided that "%(title)s" is: %(outcome)s.')
            % {"title": item.prior_art.title, "outcome": label},
            url=item.prior_art.get_absolute_url(),
        )
        if not dossier.items.filter(outcome="").exists() and case_move(
            case_id=dossier.case_id,
            to=CaseStatus.DECIDED,
            allowed_from={CaseStatus.FORWARDED},
            actor=actor,
            reason=_("The examiner decided every forwarded item."),
        ):
            dossier.decided_at = item.decided_at
            dossier.save(update_fields=["decided_at"])
    return item
