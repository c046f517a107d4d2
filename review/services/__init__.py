"""Every write in review, by use: screening (and reviewers' ratings), moderation,
forwarding, and the examiner's decisions. Import from here."""

from .decisions import dossier_item_decide
from .forwarding import case_forward, cases_due_for_forwarding, forward_due
from .moderation import FLAG_DECISIONS, comment_restore, flags_resolve
from .screening import (
    DECISIONS,
    prior_art_mark_duplicate,
    prior_art_reject,
    prior_art_request_changes,
    prior_art_vet,
    reviewer_rating_set,
    screening_bulk,
    screening_decide,
)

__all__ = [
    "DECISIONS",
    "FLAG_DECISIONS",
    "case_forward",
    "cases_due_for_forwarding",
    "comment_restore",
    "dossier_item_decide",
    "flags_resolve",
    "forward_due",
    "prior_art_mark_duplicate",
    "prior_art_reject",
    "prior_art_request_changes",
    "prior_art_vet",
    "reviewer_rating_set",
    "screening_bulk",
    "screening_decide",
]
