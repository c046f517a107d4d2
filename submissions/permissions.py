"""The whole permission surface of submissions, comments, ratings and flags.

| who                         | may                                                        |
|-----------------------------|------------------------------------------------------------|
| anyone                      | see public prior art and visible comments of published cases |
| verified contributor        | submit prior art and comment while the window is open;     |
|                             | rate and flag other people's public prior art              |
| author                      | see own prior art in any state; edit or withdraw it while  |
|                             | it is submitted / needs changes and the window is open;    |
|                             | edit own comment for a short time; download own attachments |
| case staff (reviewers of    | see every submission of the case, download attachments,    |
| the case or its areas,      | hide comments (moderation)                                  |
| examiners, agency editors)  |                                                            |
| superuser                   | everything                                                 |

"Verified" means an e-mail address confirmed through allauth. Time conditions (the window
is open) are checked here because every caller needs the same answer; state changes
themselves live in ``submissions.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.models import Case, CaseStatus
from cases.permissions import (
    EDIT_AGENCY_CASES,
    EXAMINE_CASE,
    REVIEW_AREA,
    REVIEW_CASE,
    cases_for_user,
    user_can_edit_case,
    user_can_examine_case,
    user_can_review_case,
)

from .models import EDITABLE_STATES, Comment, PriorArt


def _active(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and not user.is_erased
    )


def user_is_verified(user) -> bool:
    """An active account with a confirmed e-mail address (cached on the user object)."""
    if not _active(user):
        return False
    if not hasattr(user, "_opendocket_verified"):
        from allauth.account.models import EmailAddress

        user._opendocket_verified = EmailAddress.objects.filter(
            user=user, verified=True
        ).exists()
    return user._opendocket_verified


def window_open(case: Case, now=None) -> bool:
    now = now or timezone.now()
    return (
        case.live
        and case.status == CaseStatus.OPEN
        and case.review_opens_at <= now < case.review_closes_at
    )


def user_is_case_staff(user, case: Case) -> bool:
    """Reviewers (of the case or one of its areas), examiners, agency editors, superusers.
    Cached per case on the user object: a page asks several times."""
    if not _active(user):
        return False
    cache = user.__dict__.setdefault("_opendocket_case_staff", {})
    if case.pk not in cache:
        cache[case.pk] = (
            user_can_review_case(user, case)
            or user_can_examine_case(user, case)
            or user_can_edit_case(user, case)
        )
    return cache[case.pk]


def staff_cases(user) -> QuerySet[Case]:
    """Cases on which ``user`` is staff, as a queryset (for filtering lists)."""
    if not _active(user):
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    from guardian.shortcuts import get_objects_for_user

    from cases.models import TechnologyArea

    areas = get_objects_for_user(
        user, REVIEW_AREA, klass=TechnologyArea, accept_global_perms=False
    )
    return Case.objects.filter(
        Q(pk__in=cases_for_user(user, REVIEW_CASE).values("pk"))
        | Q(pk__in=cases_for_user(user, EXAMINE_CASE).values("pk"))
        | Q(pk__in=cases_for_user(user, EDIT_AGENCY_CASES).values("pk"))
        | Q(technology_areas__in=areas)
    ).distinct()


def prior_art_visible_to(user) -> QuerySet[PriorArt]:
    """Public prior art, plus the user's own, plus everything on cases they staff."""
    visible = PriorArt.objects.public()
    if not (user and user.is_authenticated):
        return visible
    own = PriorArt.objects.filter(author=user)
    staff = PriorArt.objects.filter(case__in=staff_cases(user).values("pk"))
    return PriorArt.objects.filter(
        Q(pk__in=visible.values("pk"))
        | Q(pk__in=own.values("pk"))
        | Q(pk__in=staff.values("pk"))
    )


def user_can_view_prior_art(user, prior_art: PriorArt) -> bool:
    if prior_art.is_public and prior_art.case.live:
        return True
    if not _active(user):
        return False
    return prior_art.author_id == user.pk or user_is_case_staff(user, prior_art.case)


def user_can_submit(user, case: Case) -> bool:
    """Confirmed contributors while the window is open; never the people who judge the
    case (its reviewers, examiners and editors), who would be judging their own evidence."""
    return (
        user_is_verified(user)
        and window_open(case)
        and not (user.is_superuser is False and user_is_case_staff(user, case))
    )


def user_can_edit_prior_art(user, prior_art: PriorArt) -> bool:
    return (
        _active(user)
        and prior_art.author_id == user.pk
        and prior_art.status in EDITABLE_STATES
        and window_open(prior_art.case)
    )


def user_can_rate(user, prior_art: PriorArt) -> bool:
    return (
        user_is_verified(user)
        and prior_art.author_id != user.pk
        and prior_art.is_public
        and window_open(prior_art.case)
        # The community rates; the case's staff rank through review, not ratings.
        and not user_is_case_staff(user, prior_art.case)
    )


def user_can_comment(user, case: Case) -> bool:
    return user_is_verified(user) and window_open(case)


def user_can_edit_comment(user, comment: Comment, now=None) -> bool:
    now = now or timezone.now()
    limit = settings.OPENDOCKET_COMMENT_EDIT_MINUTES * 60
    return (
        _active(user)
        and comment.author_id == user.pk
        and comment.is_visible
        and (now - comment.created_at).total_seconds() <= limit
        and window_open(comment.case)
    )


def user_can_flag(
    user, *, prior_art: PriorArt | None = None, comment: Comment | None = None
) -> bool:
    target = prior_art or comment
    if target is None or not user_is_verified(user) or target.author_id == user.pk:
        return False
    if prior_art is not None:  # only what the public sees can be reported
        return prior_art.is_public and prior_art.case.live
    return comment.case.live and comment.is_visible


def user_can_moderate(user, case: Case) -> bool:
    """Hide and restore comments, decide flags: reviewers, editors, superusers, on a
    published case (what an unpublished case holds is out of public view anyway)."""
    return (
        _active(user)
        and case.live
        and (user_can_review_case(user, case) or user_can_edit_case(user, case))
    )


def user_can_download_attachment(user, prior_art: PriorArt) -> bool:
    """Attachments are private: the author and the case's staff only (copyright and
    personal data in uploaded documents are the agency's to judge, not the public's)."""
    return _active(user) and (
        prior_art.author_id == user.pk or user_is_case_staff(user, prior_art.case)
    )
