"""Who may screen and rank evidence.

Screening (vet, request changes, reject, mark duplicate) is for the case's reviewers — of
the case itself or of one of its technology areas — and superusers, while the case is open
or closed (before it is forwarded). Time and state conditions are checked here because
every caller (pages, API, tasks) needs the same answer.
"""

from __future__ import annotations

from cases.models import Case, CaseStatus
from cases.permissions import user_can_review_case

SCREENING_STATES = {CaseStatus.OPEN, CaseStatus.CLOSED}


def user_can_screen(user, case: Case) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and case.live
        and case.status in SCREENING_STATES
        and user_can_review_case(user, case)
    )
