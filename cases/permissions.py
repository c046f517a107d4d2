"""The whole permission surface of cases, on one screen.

Roles are groups (``ROLE_GROUPS``) carrying model permissions; the object they apply to is a
django-guardian grant made by ``cases.services``:

| who            | group          | object grant                                   |
|----------------|----------------|------------------------------------------------|
| agency editor  | Agency editors | ``cases.edit_agency_cases`` on an Agency       |
| reviewer       | Reviewers      | ``cases.review_case`` on a Case, or            |
|                |                | ``cases.review_area`` on a TechnologyArea      |
| examiner       | Examiners      | ``cases.examine_case`` on a Case               |

Superusers pass every check. Conditions that depend on time ("the window is open") are
checked in services, never stored as grants.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user
from wagtail.permission_policies import ModelPermissionPolicy

from .models import Agency, Case

EDITOR, REVIEWER, EXAMINER = "editor", "reviewer", "examiner"
ROLE_GROUPS = {
    EDITOR: "Agency editors",
    REVIEWER: "Reviewers",
    EXAMINER: "Examiners",
}
EDIT_AGENCY_CASES = "cases.edit_agency_cases"
REVIEW_CASE = "cases.review_case"
EXAMINE_CASE = "cases.examine_case"
REVIEW_AREA = "cases.review_area"


def _is_staff_superuser(user) -> bool:
    return bool(user and user.is_active and user.is_superuser)


def agencies_for_user(user, perm: str = EDIT_AGENCY_CASES) -> QuerySet[Agency]:
    """Agencies on which ``user`` holds ``perm`` (all of them for a superuser)."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_active:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    return get_objects_for_user(user, perm, klass=Agency, accept_global_perms=False)


def cases_for_user(user, perm: str = EDIT_AGENCY_CASES) -> QuerySet[Case]:
    """Cases ``user`` may act on with ``perm``.

    ``cases.edit_agency_cases`` is granted per agency and covers all of its cases;
    ``cases.review_case`` / ``cases.examine_case`` are granted per case.
    """
    if user is None or isinstance(user, AnonymousUser) or not user.is_active:
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    if perm == EDIT_AGENCY_CASES:
        return Case.objects.filter(agency__in=agencies_for_user(user, perm))
    return get_objects_for_user(user, perm, klass=Case, accept_global_perms=False)


def user_can_edit_case(user, case: Case) -> bool:
    """Editors of the case's agency (and superusers) may edit, preview and publish it."""
    if _is_staff_superuser(user):
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(EDIT_AGENCY_CASES, case.agency)


def user_can_add_case_for(user, agency: Agency) -> bool:
    return _is_staff_superuser(user) or bool(
        user and user.is_authenticated and user.has_perm(EDIT_AGENCY_CASES, agency)
    )


def user_can_view_case(user, case: Case) -> bool:
    """The public sees published cases; unpublished ones only through the editors' admin."""
    return bool(case.live)


def cases_visible_to(user) -> QuerySet[Case]:
    """What the public pages and the API may show to ``user``: published cases."""
    return Case.objects.published()


def user_can_review_case(user, case: Case) -> bool:
    if _is_staff_superuser(user):
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.has_perm(REVIEW_CASE, case):
        return True
    return any(user.has_perm(REVIEW_AREA, area) for area in case.technology_areas.all())


def user_can_examine_case(user, case: Case) -> bool:
    if _is_staff_superuser(user):
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(EXAMINE_CASE, case)


class CasePermissionPolicy(ModelPermissionPolicy):
    """Wagtail's model permissions, narrowed to the cases of the editor's agencies.

    The model permission (``cases.change_case``...) says what an editor may do at all; the
    agency grant says to which cases. Registered for Case so that every Wagtail view and
    action (edit, publish, lock, workflow, bulk actions) asks it.
    """

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and user_can_edit_case(
            user, instance
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return Case.objects.none()
        return cases_for_user(user, EDIT_AGENCY_CASES)
