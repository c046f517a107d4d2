"""Forwarding: the top vetted evidence of a case becomes its one, immutable Dossier.

``case_forward`` does all of it in one transaction, under a lock on the case row:

1. if the case already has a dossier, return it (a second forward, from a reviewer, the
   close task or a retried worker, changes nothing);
2. rank the vetted evidence (``review.selectors.ranked_for_case``) and take the first
   ``case.forward_limit``;
3. write the dossier and a snapshot of each item, move each submission to ``forwarded``
   (one ``prior_art_transition`` each: audited, the contributor told), move the case to
   ``forwarded`` and tell its examiners.

A worker that dies midway leaves nothing behind (the transaction rolls back) and the
periodic ``forward_due`` sweep, or a retry, forwards the case again from scratch. The
unique constraint on ``Dossier.case`` backs the lock: two forwards cannot both commit.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import get_users_with_perms

from accounts.notifications import notify
from cases.models import Case, CaseStatus
from cases.permissions import user_can_review_case
from cases.services import case_move
from submissions.models import PriorArtStatus
from submissions.services import prior_art_transition

from ..models import Dossier, DossierItem, ForwardTrigger
from ..permissions import SCREENING_STATES, user_can_forward
from ..selectors import Ranked, ranked_for_case

logger = logging.getLogger(__name__)


def snapshot_of(ranked: Ranked) -> dict:
    """What the examiner receives for one item, frozen: citation, relevance, per-claim
    explanations, the score's parts, rank, and who found it (public handle only)."""
    prior_art = ranked.prior_art
    return {
        "tracking_ref": prior_art.tracking_ref,
        "kind": prior_art.kind,
        "kind_label": str(prior_art.get_kind_display()),
        "title": prior_art.title,
        "authors": prior_art.authors,
        "published_on": prior_art.published_on.isoformat()
        if prior_art.published_on
        else None,
        "published_on_precision": prior_art.published_on_precision,
        "after_priority_date": prior_art.after_priority_date,
        "identifier": prior_art.identifier,
        "url": prior_art.url,
        "excerpt": prior_art.excerpt,
        "relevance": prior_art.relevance,
        "mappings": [
            {
                "claim_number": mapping.claim.number,
                "claim_text": mapping.claim.text,
                "explanation": mapping.explanation,
            }
            for mapping in prior_art.mappings.all()
        ],
        "contributor": prior_art.author.public_name,
        "submitted_at": prior_art.created_at.isoformat(),
        "rank": ranked.rank,
        "score": {
            "total": round(ranked.score.total, 4),
            "community": round(ranked.score.community, 4),
            "ratings": ranked.score.ratings,
            "reviewer": None
            if ranked.score.reviewer is None
            else round(ranked.score.reviewer, 4),
            "reviewer_ratings": ranked.reviewer_count,
        },
    }


def examiners_of(case: Case):
    return get_users_with_perms(
        case,
        only_with_perms_in=["examine_case"],
        with_superusers=False,
        with_group_users=False,
    )


def _notify_examiners(case: Case, dossier: Dossier) -> None:
    from django.urls import reverse

    for examiner in examiners_of(case):
        notify(
            recipient=examiner,
            key=f"dossier:{dossier.pk}:examiner:{examiner.pk}",
            subject=_("Evidence forwarded for %(ref)s") % {"ref": case.reference},
            body=_(
                "The reviewers forwarded %(n)d items of prior art on %(title)s. "
                "Record a decision on each."
            )
            % {"n": dossier.item_count, "title": case.title},
            url=reverse("review:dossier", kwargs={"pk": dossier.pk}),
        )


def case_forward(
    *, case_id: int, actor=None, trigger: str = ForwardTrigger.REVIEWER
) -> tuple[Dossier, bool]:
    """Forward the case's top vetted evidence to its examiner. Returns the dossier and
    whether this call created it. ``actor`` None means the system (the close task).

    Raises PermissionDenied for someone who does not review the case, or when the case
    cannot be forwarded (not published, not open or closed); for the system, the latter
    is a ValidationError. A reviewer forwarding again gets the existing dossier.
    """
    if trigger not in ForwardTrigger.values:
        raise ValidationError({"trigger": _("Unknown trigger %(t)r.") % {"t": trigger}})
    try:
        return _forward(case_id=case_id, actor=actor, trigger=trigger)
    except IntegrityError:
        # Another forward committed between our check and our insert; the constraint
        # refused the second dossier. Theirs is the one.
        existing = Dossier.objects.filter(case_id=case_id).first()
        if existing is None:
            raise
        return existing, False


def _forward(*, case_id: int, actor, trigger: str) -> tuple[Dossier, bool]:
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if actor is not None and not user_can_review_case(actor, case):
            # Checked before the dossier is looked up: its existence is no business of
            # someone who does not review the case.
            raise PermissionDenied(
                _("Only the reviewers of this case can forward its evidence.")
            )
        existing = Dossier.objects.filter(case=case).first()
        if existing is not None:
            return existing, False
        if not case.live or case.status not in SCREENING_STATES:
            message = (
                _("This case is not published, so it cannot be forwarded.")
                if not case.live
                else _(
                    "A case can be forwarded while it is open or closed, not when "
                    "it is %(state)s."
                )
                % {"state": case.get_status_display().lower()}
            )
            if actor is None:  # the system asking is a caller's error
                raise ValidationError(message)
            raise PermissionDenied(message)
        if actor is not None and not user_can_forward(actor, case):
            raise PermissionDenied(
                _("Only the reviewers of this case can forward its evidence.")
            )
        ranked = ranked_for_case(case)[: case.forward_limit]
        now = timezone.now()
        dossier = Dossier.objects.create(
            case=case,
            forwarded_at=now,
            forwarded_by=actor,
            trigger=trigger,
            item_count=len(ranked),
        )
        for item in ranked:
            DossierItem.objects.create(
                dossier=dossier,
                prior_art=item.prior_art,
                rank=item.rank,
                score=item.score.total,
                snapshot=snapshot_of(item),
            )
            prior_art_transition(
                prior_art=item.prior_art,
                actor=actor,
                to=PriorArtStatus.FORWARDED,
                allowed_from={PriorArtStatus.VETTED},
                reason=_("Forwarded to the examiner at rank %(rank)d of %(n)d.")
                % {"rank": item.rank, "n": len(ranked)},
                action="forward",
            )
        case_move(
            case_id=case.pk,
            to=CaseStatus.FORWARDED,
            allowed_from=SCREENING_STATES,
            actor=actor,
            reason=_("%(n)d items forwarded (%(trigger)s)")
            % {"n": len(ranked), "trigger": ForwardTrigger(trigger).label},
        )
        if not ranked:
            # Nothing to decide: the examiner's work on this case is done.
            case_move(
                case_id=case.pk,
                to=CaseStatus.DECIDED,
                allowed_from={CaseStatus.FORWARDED},
                actor=actor,
                reason=_("No vetted evidence was forwarded."),
            )
            Dossier.objects.filter(pk=dossier.pk).update(decided_at=now)
            dossier.decided_at = now
        _notify_examiners(case, dossier)
    logger.info("Case %s forwarded: %d items", case_id, dossier.item_count)
    return dossier, True


def cases_due_for_forwarding(now: datetime | None = None):
    """Closed cases with no dossier whose grace period after closing has passed."""
    now = now or timezone.now()
    grace = timedelta(minutes=settings.OPENDOCKET_FORWARD_GRACE_MINUTES)
    return Case.objects.filter(
        live=True,
        status=CaseStatus.CLOSED,
        dossier__isnull=True,
        review_closes_at__lte=now - grace,
    )


def forward_due(now: datetime | None = None) -> int:
    """The periodic sweep: forward every case that is due. Each case in its own
    transaction, so one failure does not hold back the others. Returns how many."""
    forwarded = 0
    for case_id in cases_due_for_forwarding(now).values_list("pk", flat=True):
        try:
            _dossier, created = case_forward(
                case_id=case_id, trigger=ForwardTrigger.CLOSE
            )
        except Exception:  # noqa: BLE001 - logged; the next sweep retries the case
            logger.exception("Forwarding case %s failed; will retry", case_id)
            continue
        forwarded += created
    return forwarded
