"""The whole permission surface of review, on one screen.

| what                                  | who                                   | when (case state)    |
|---------------------------------------|---------------------------------------|----------------------|
| screen, rate as reviewer, see queue   | reviewers of the case or of an area   | open, closed         |
| moderate comments, decide reports     | reviewers and editors of the case     | any published state  |
| forward (build the dossier)           | reviewers of the case or of an area   | open, closed         |
| see the dossier, decide, claim chart  | examiners of the case                 | forwarded, decided   |
| public outcomes, statistics           | everyone                              | published cases      |

Superusers pass every role check (never the state checks). Appointments are guardian
grants made by ``cases.services``; time and state conditions are checked here because
every caller (pages, API, tasks) needs the same answer. An examiner of another case is
given a 404 for a dossier, never a 403: its existence is not theirs to know.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from cases.models import Case, CaseStatus, TechnologyArea
from cases.permissions import (
    EXAMINE_CASE,
    REVIEW_AREA,
    REVIEW_CASE,
    cases_for_user,
    user_can_examine_case,
    user_can_review_case,
)

SCREENING_STATES = {CaseStatus.OPEN, CaseStatus.CLOSED}
EXAMINATION_STATES = {CaseStatus.FORWARDED, CaseStatus.DECIDED}


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def user_can_screen(user, case: Case) -> bool:
    return bool(
        _active(user)
        and case.live
        and case.status in SCREENING_STATES
        and user_can_review_case(user, case)
    )


def screening_refusal(user, case: Case) -> str | None:
    """Why ``user`` may not screen evidence of ``case`` now, in words for them; None
    when they may. One wording for the services, the pages and the API."""
    if user_can_screen(user, case):
        return None
    if user_can_review_case(user, case):
        if not case.live:
            return _("This case is not published, so its evidence cannot be screened.")
        return _(
            "This case is %(state)s: evidence is screened only while a case is "
            "open or closed."
        ) % {"state": case.get_status_display().lower()}
    return _("Only the reviewers of this case can screen its evidence.")


def user_can_forward(user, case: Case) -> bool:
    return user_can_screen(user, case)


def user_can_examine(user, case: Case) -> bool:
    """Examiners of the case see its dossier and decide its items."""
    return bool(
        _active(user)
        and case.live
        and case.status in EXAMINATION_STATES
        and user_can_examine_case(user, case)
    )


def reviewed_cases(user) -> QuerySet[Case]:
    """Published cases ``user`` reviews (by case or by area), in any state."""
    if not _active(user):
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.filter(live=True)
    areas = get_objects_for_user(
        user, REVIEW_AREA, klass=TechnologyArea, accept_global_perms=False
    )
    return Case.objects.filter(
        Q(pk__in=cases_for_user(user, REVIEW_CASE).values("pk"))
        | Q(
            pk__in=Case.technology_areas.through.objects.filter(
                technologyarea__in=areas
            ).values("case_id")
        ),
        live=True,
    )


def cases_to_screen(user) -> QuerySet[Case]:
    """Cases whose evidence ``user`` may screen now."""
    return reviewed_cases(user).filter(status__in=SCREENING_STATES)


def examined_cases(user) -> QuerySet[Case]:
    """Published cases ``user`` examines that have reached the examiner."""
    if not _active(user):
        return Case.objects.none()
    return cases_for_user(user, EXAMINE_CASE).filter(
        live=True, status__in=EXAMINATION_STATES
    )


def dossiers_for_user(user):
    """The dossiers ``user`` may open: those of the cases they examine."""
    from .models import Dossier

    return Dossier.objects.filter(case__in=examined_cases(user).values("pk"))
