"""Screening: the reviewers' decisions on submitted evidence.

Each decision is one call of ``submissions.services.prior_art_transition`` (row lock,
source-state guard, ``update_fields``, audit event, the contributor told), preceded by the
permission check of ``review.permissions``. The review pages and API (still to come) call
these functions; nothing else changes a submission's screening state.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from submissions.models import AuditEvent, ClaimMapping, PriorArt, PriorArtStatus, Vote
from submissions.services import notify_followers_of_new_evidence, prior_art_transition

from .permissions import user_can_screen

SCREENABLE = {PriorArtStatus.SUBMITTED, PriorArtStatus.NEEDS_CHANGES}


def _require_screener(actor, prior_art: PriorArt) -> None:
    if not user_can_screen(actor, prior_art.case):
        raise PermissionDenied(
            _("Only the reviewers of this case can screen its evidence.")
        )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the contributor a reason.")})
    return reason


def prior_art_vet(*, prior_art: PriorArt, actor, note: str = "") -> PriorArt:
    """Accept a submission as relevant evidence. A submission held for screening becomes
    public at this moment, and the case's followers hear of it then."""
    _require_screener(actor, prior_art)
    with transaction.atomic():
        was_held = PriorArt.objects.filter(
            pk=prior_art.pk, held_for_screening=True
        ).exists()
        prior_art = prior_art_transition(
            prior_art=prior_art,
            actor=actor,
            to=PriorArtStatus.VETTED,
            allowed_from={PriorArtStatus.SUBMITTED},
            reason=note,
            action="vet",
            extra_fields={"held_for_screening": False},
        )
        if was_held and prior_art.is_public:
            notify_followers_of_new_evidence(prior_art)
    return prior_art


def prior_art_request_changes(*, prior_art: PriorArt, actor, reason: str) -> PriorArt:
    """Send a submission back to its contributor with what to change."""
    _require_screener(actor, prior_art)
    return prior_art_transition(
        prior_art=prior_art,
        actor=actor,
        to=PriorArtStatus.NEEDS_CHANGES,
        allowed_from={PriorArtStatus.SUBMITTED},
        reason=_require_reason(reason),
        action="request_changes",
    )


def prior_art_reject(*, prior_art: PriorArt, actor, reason: str) -> PriorArt:
    """Reject a submission; the reason is shown to the contributor."""
    _require_screener(actor, prior_art)
    return prior_art_transition(
        prior_art=prior_art,
        actor=actor,
        to=PriorArtStatus.REJECTED,
        allowed_from=SCREENABLE,
        reason=_require_reason(reason),
        action="reject",
    )


def prior_art_mark_duplicate(
    *, prior_art: PriorArt, original: PriorArt, actor, reason: str = ""
) -> PriorArt:
    """Mark ``prior_art`` a duplicate of ``original`` (or of what ``original`` itself
    duplicates) on the same case, and carry its ratings and claim mappings over.

    No double counting: a person who rated both keeps only their rating of the original;
    a claim both map keeps the original's explanation. Both rows are locked in id order.
    """
    _require_screener(actor, prior_art)
    original = PriorArt.objects.get(pk=original.pk)  # callers may hold a stale copy
    while original.duplicate_of_id:
        original = original.duplicate_of
    if original.pk == prior_art.pk:
        raise ValidationError(
            {"duplicate_of": _("A submission cannot duplicate itself.")}
        )
    if original.case_id != prior_art.case_id:
        raise ValidationError(
            {"duplicate_of": _("The original must be on the same case.")}
        )
    if original.status in {PriorArtStatus.WITHDRAWN, PriorArtStatus.REJECTED}:
        raise ValidationError(
            {
                "duplicate_of": _(
                    "The original was withdrawn or rejected; choose another."
                )
            }
        )
    with transaction.atomic():
        locked = {
            row.pk: row
            for row in PriorArt.objects.select_for_update()
            .filter(pk__in=[prior_art.pk, original.pk])
            .order_by("pk")
        }
        original = locked[original.pk]
        prior_art = prior_art_transition(
            prior_art=locked[prior_art.pk],
            actor=actor,
            to=PriorArtStatus.DUPLICATE,
            allowed_from=SCREENABLE,
            reason=reason
            or _("The same document was submitted earlier as %(ref)s.")
            % {"ref": original.tracking_ref},
            action="mark_duplicate",
            extra_fields={"duplicate_of": original},
        )
        voted = set(
            Vote.objects.filter(prior_art=original).values_list("voter_id", flat=True)
        )
        moved_votes = (
            Vote.objects.filter(prior_art=prior_art)
            .exclude(voter_id__in=voted)
            .exclude(voter_id=original.author_id)
            .update(prior_art=original)
        )
        mapped = set(
            ClaimMapping.objects.filter(prior_art=original).values_list(
                "claim_id", flat=True
            )
        )
        ClaimMapping.objects.bulk_create(
            ClaimMapping(
                prior_art=original, claim_id=m.claim_id, explanation=m.explanation
            )
            for m in ClaimMapping.objects.filter(prior_art=prior_art).exclude(
                claim_id__in=mapped
            )
        )
        AuditEvent.objects.create(
            prior_art=original,
            actor=actor,
            action="merge_duplicate",
            reason=_("Merged %(ref)s: %(votes)d ratings carried over.")
            % {"ref": prior_art.tracking_ref, "votes": moved_votes},
        )
    return prior_art
