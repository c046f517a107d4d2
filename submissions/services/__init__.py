"""Every write of the public's contributions: prior art, comments, ratings and flags.

Pages, the API, the demo data and the review app all call these. Each checks permission
and state itself (raising ``PermissionDenied`` or ``ValidationError`` with a message meant
for the person), writes in one transaction, records an ``AuditEvent`` for every state
change or moderation, and records notifications that are sent after commit.

By use: ``intake`` (submit, update, duplicates), ``citation`` (citing a library
document), ``transitions`` (the state machine, withdrawal), ``community`` (comments,
ratings, reports), ``common``. Import from here."""

from .citation import LIBRARY_PREFILL, library_document_for, prefilled_from_library
from .common import (
    MAX_EXPLANATION,
    NOT_PUBLIC_CANNOT_FLAG,
    PRIOR_ART_FIELDS,
    STAFF_CANNOT_RATE,
    STAFF_CANNOT_SUBMIT,
    TRACKING_ALPHABET,
    MappingInput,
    notify_followers_of_new_evidence,
)
from .community import (
    comment_edit,
    comment_hide,
    comment_post,
    flag_create,
    vote_set,
)
from .intake import (
    dated_after_priority,
    find_duplicates,
    new_tracking_ref,
    prior_art_submit,
    prior_art_update,
)
from .transitions import (
    ACTION_PAST,
    prior_art_transition,
    prior_art_withdraw,
)

__all__ = [
    "ACTION_PAST",
    "LIBRARY_PREFILL",
    "MAX_EXPLANATION",
    "MappingInput",
    "NOT_PUBLIC_CANNOT_FLAG",
    "PRIOR_ART_FIELDS",
    "STAFF_CANNOT_RATE",
    "STAFF_CANNOT_SUBMIT",
    "TRACKING_ALPHABET",
    "comment_edit",
    "comment_hide",
    "comment_post",
    "dated_after_priority",
    "find_duplicates",
    "flag_create",
    "library_document_for",
    "new_tracking_ref",
    "notify_followers_of_new_evidence",
    "prefilled_from_library",
    "prior_art_submit",
    "prior_art_transition",
    "prior_art_update",
    "prior_art_withdraw",
    "vote_set",
]
