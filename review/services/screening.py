"""Screening: the reviewers' decisions on submitted evidence.

Each decision is one call of ``submissions.services.prior_art_transition`` (row lock,
source-state guard, ``update_fields``, audit event, the contributor told), preceded by the
permission check of ``review.permissions`` and, in the same transaction, a lock on the
case row (``lock_case_for_screening``) so that no decision lands in a case that is being
forwarded. The review pages and API call these functions; nothing else changes a
submission's screening state.

Lock order, everywhere in review: the case row, then submission rows in id order.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Case
from submissions.models import AuditEvent, ClaimMapping, PriorArt, PriorArtStatus, Vote
from submissions.services import notify_followers_of_new_evidence, prior_art_transition

from ..models import ReviewerRating
from ..permissions import screening_refusal

SCREENABLE = {PriorArtStatus.SUBMITTED, PriorArtStatus.NEEDS_CHANGES}
RATEABLE = {PriorArtStatus.SUBMITTED, PriorArtStatus.VETTED}


def _require_screener(actor, prior_art: PriorArt, case: Case | None = None) -> None:
    """Refuse anyone who may not screen the case now, saying why: not one of its
    reviewers, or a case whose screening is not (or no longer) open."""
    refusal = screening_refusal(actor, case or prior_art.case)
    if refusal is not None:
        raise PermissionDenied(refusal)


def lock_case_for_screening(actor, prior_art: PriorArt) -> Case:
    """Inside a transaction: lock the case row and check, on its current state, that
    ``actor`` may still screen it.

    Forwarding locks the same row, so a screening decision either commits before the
    forward ranks the evidence or waits for it and is then refused (the case is
    forwarded): nothing is vetted into a case whose dossier is already written.
    Decisions on one case take turns; each is a short transaction.
    """
    case = lock_case(prior_art.case_id)
    _require_screener(actor, prior_art, case)
    return case


def lock_case(case_id: int) -> Case:
    """Inside a transaction: the case row as it is now, locked until commit.

    ``FOR NO KEY UPDATE``: it excludes forwarding and other screening decisions on the
    case, not new submissions or comments (their foreign keys take key-share locks).
    ``prior_art_transition`` locks the case row again (its ``select_related``); a lock
    already held by this transaction, so it waits for nobody.
    """
    return Case.objects.select_for_update(no_key=True).get(pk=case_id)


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
        lock_case_for_screening(actor, prior_art)
        was_held = (
            PriorArt.objects.select_for_update()
            .filter(pk=prior_art.pk, held_for_screening=True)
            .exists()
        )
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
    reason = _require_reason(reason)
    with transaction.atomic():
        lock_case_for_screening(actor, prior_art)
        return prior_art_transition(
            prior_art=prior_art,
            actor=actor,
            to=PriorArtStatus.NEEDS_CHANGES,
            allowed_from={PriorArtStatus.SUBMITTED},
            reason=reason,
            action="request_changes",
        )


def prior_art_reject(*, prior_art: PriorArt, actor, reason: str) -> PriorArt:
    """Reject a submission; the reason is shown to the contributor."""
    _require_screener(actor, prior_art)
    reason = _require_reason(reason)
    with transaction.atomic():
        lock_case_for_screening(actor, prior_art)
        return prior_art_transition(
            prior_art=prior_art,
            actor=actor,
            to=PriorArtStatus.REJECTED,
            allowed_from=SCREENABLE,
            reason=reason,
            action="reject",
        )


def root_of(prior_art: PriorArt) -> PriorArt:
    """The submission at the end of ``prior_art``'s duplicate chain, read afresh
    (callers may hold a stale copy). A cycle, which the locks below prevent, would stop
    at the first submission met twice rather than loop."""
    current = PriorArt.objects.get(pk=prior_art.pk)
    seen = {current.pk}
    while current.duplicate_of_id and current.duplicate_of_id not in seen:
        current = PriorArt.objects.get(pk=current.duplicate_of_id)
        seen.add(current.pk)
    return current


def _check_original(prior_art: PriorArt, original: PriorArt) -> None:
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
    if original.duplicate_of_id:
        raise ValidationError(
            {
                "duplicate_of": _(
                    "The original was itself marked a duplicate a moment ago; "
                    "try again."
                )
            }
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
    original = root_of(original)
    _check_original(prior_art, original)
    with transaction.atomic():
        lock_case_for_screening(actor, prior_art)
        locked = {
            row.pk: row
            for row in PriorArt.objects.select_for_update()
            .filter(pk__in=[prior_art.pk, original.pk])
            .order_by("pk")
        }
        original = locked[original.pk]
        # Checked again under the locks: another reviewer may have marked the original
        # a duplicate (of this very submission, even) since we looked it up.
        _check_original(locked[prior_art.pk], original)
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
        reviewed = set(
            ReviewerRating.objects.filter(prior_art=original).values_list(
                "reviewer_id", flat=True
            )
        )
        moved_ratings = (
            ReviewerRating.objects.filter(prior_art=prior_art)
            .exclude(reviewer_id__in=reviewed)
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
            reason=_(
                "Merged %(ref)s: %(votes)d ratings and %(ratings)d reviewer ratings "
                "carried over."
            )
            % {
                "ref": prior_art.tracking_ref,
                "votes": moved_votes,
                "ratings": moved_ratings,
            },
        )
    return prior_art


# --- One entry point for pages and the API -----------------------------------------------

DECISIONS = ("vet", "needs_changes", "reject", "duplicate")


def screening_decide(
    *,
    prior_art: PriorArt,
    actor,
    decision: str,
    reason: str = "",
    duplicate_of: PriorArt | None = None,
) -> PriorArt:
    """Apply one screening decision (``vet``, ``needs_changes``, ``reject``,
    ``duplicate``); raises ValidationError for an unknown decision or missing input."""
    if decision == "vet":
        return prior_art_vet(prior_art=prior_art, actor=actor, note=reason)
    if decision == "needs_changes":
        return prior_art_request_changes(
            prior_art=prior_art, actor=actor, reason=reason
        )
    if decision == "reject":
        return prior_art_reject(prior_art=prior_art, actor=actor, reason=reason)
    if decision == "duplicate":
        if duplicate_of is None:
            raise ValidationError(
                {"duplicate_of": _("Say which submission this one duplicates.")}
            )
        return prior_art_mark_duplicate(
            prior_art=prior_art, original=duplicate_of, actor=actor, reason=reason
        )
    raise ValidationError(
        {"decision": _("Choose one of: vet, needs_changes, reject, duplicate.")}
    )


def screening_bulk(
    *, prior_art_ids: list[int], actor, decision: str, reason: str = ""
) -> tuple[list[PriorArt], dict[int, str]]:
    """Apply one decision to many submissions, each in its own transaction, so one that
    cannot take it (already screened by someone else, say) does not hold back the rest.
    Returns the changed submissions and, per id, why the others were not changed."""
    if decision not in {"vet", "needs_changes", "reject"}:
        raise ValidationError(
            {"decision": _("Bulk actions are vet, request changes and reject.")}
        )
    if decision != "vet":
        _require_reason(reason)
    done, errors = [], {}
    rows = PriorArt.objects.select_related("case").filter(pk__in=prior_art_ids)
    found = {row.pk: row for row in rows}
    for pk in prior_art_ids:
        row = found.get(pk)
        if row is None:
            errors[pk] = str(_("No such submission."))
            continue
        try:
            done.append(
                screening_decide(
                    prior_art=row, actor=actor, decision=decision, reason=reason
                )
            )
        except (PermissionDenied, ValidationError) as error:
            errors[pk] = _message(error)
    return done, errors


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def reviewer_rating_set(
    *, prior_art: PriorArt, reviewer, rating: int, note: str = ""
) -> ReviewerRating:
    """A reviewer's own relevance rating (1–5) of a submitted or vetted item; rating
    again replaces it. Audited like every other review action."""
    _require_screener(reviewer, prior_art)
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")})
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep the note under 2,000 characters.")})
    with transaction.atomic():
        lock_case_for_screening(reviewer, prior_art)
        prior_art = PriorArt.objects.select_for_update().get(pk=prior_art.pk)
        if prior_art.status not in RATEABLE:
            raise ValidationError(
                _(
                    "This submission is %(state)s; reviewers rate submitted or vetted "
                    "evidence only."
                )
                % {"state": prior_art.get_status_display().lower()}
            )
        rated, _created = ReviewerRating.objects.update_or_create(
            prior_art=prior_art,
            reviewer=reviewer,
            defaults={"rating": rating, "note": note},
        )
        AuditEvent.objects.create(
            prior_art=prior_art,
            actor=reviewer,
            action="reviewer_rating",
            reason=f"{rating}/5" + (f": {note}" if note else ""),
        )
    return rated
