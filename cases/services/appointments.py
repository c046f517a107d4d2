"""Roles and appointments: the role groups, agency workspaces, and the guardian grants
that make someone an editor of an agency, a reviewer or examiner of a case, or a reviewer
of a technology area. Every grant and dismissal is logged in the object's history.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import (
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import (
    assign_perm,
    get_objects_for_user,
    get_user_perms,
    remove_perm,
)
from wagtail.log_actions import log
from wagtail.models import Collection, GroupCollectionPermission

from ..models import (
    Agency,
    Case,
    CaseUserObjectPermission,
    TechnologyArea,
    TechnologyAreaUserObjectPermission,
)
from ..permissions import (
    EDIT_AGENCY_CASES,
    EDITOR,
    EXAMINE_CASE,
    EXAMINER,
    REVIEW_AREA,
    REVIEW_CASE,
    REVIEWER,
    ROLE_GROUPS,
    user_can_edit_case,
)

logger = logging.getLogger(__name__)
User = get_user_model()


# --- Roles and appointments ------------------------------------------------------------

EDITOR_MODEL_PERMS = [
    "wagtailadmin.access_admin",
    "cases.add_case",
    "cases.change_case",
    "cases.delete_case",
    "cases.publish_case",
    "cases.lock_case",
    "cases.unlock_case",
    "cases.view_case",
]
EDITOR_DOCUMENT_PERMS = ["add_document", "change_document", "choose_document"]


def roles_ensure_groups() -> dict[str, Group]:
    """Create the role groups with their model permissions. Idempotent.

    Object scope comes from guardian grants made by the appointment services below; the
    groups only say what a role may do at all. Document permissions are per agency (see
    ``agency_ensure_workspace``), never on the shared role group.
    """
    groups = {
        role: Group.objects.get_or_create(name=name)[0]
        for role, name in ROLE_GROUPS.items()
    }
    editor_perms = []
    for dotted in EDITOR_MODEL_PERMS:
        app_label, codename = dotted.split(".")
        perm = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if perm is None:
            raise ValidationError(
                f"Permission {dotted} does not exist; run migrate first."
            )
        editor_perms.append(perm)
    groups[EDITOR].permissions.add(*editor_perms)
    return groups


def agency_ensure_workspace(*, agency: Agency) -> Agency:
    """Give ``agency`` its own document collection and editors' group. Idempotent.

    Wagtail grants document permissions per group and collection, so each agency has a
    group of its own holding add/change/choose on its own collection: editors of agency B
    never see agency A's documents in the library or the chooser.
    """
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        changed = []
        if agency.collection is None:
            root = Collection.get_first_root_node()
            if root is None:
                raise ImproperlyConfigured(
                    "Wagtail's root collection is missing; run `manage.py migrate`."
                )
            agency.collection = root.add_child(name=agency.name)
            changed.append("collection")
        if agency.editors_group is None:
            agency.editors_group = Group.objects.get_or_create(
                name=f"Editors: {agency.name}"[:150]
            )[0]
            changed.append("editors_group")
        if changed:
            agency.save(update_fields=changed)
        for codename in EDITOR_DOCUMENT_PERMS:
            perm = Permission.objects.get(
                content_type__app_label="wagtaildocs", codename=codename
            )
            GroupCollectionPermission.objects.get_or_create(
                group=agency.editors_group,
                collection=agency.collection,
                permission=perm,
            )
    return agency


def _group(role: str) -> Group:
    return Group.objects.get_or_create(name=ROLE_GROUPS[role])[0]


def _codename(perm: str) -> str:
    return perm.split(".")[1]


def _refuse(message: str) -> None:
    """Refuse an appointment; the admin shows ``message`` on the account field."""
    raise ValidationError({"user": message})


def _lock_account(user):
    """Lock the account's row for the appointment, so two appointments of one person
    (say as reviewer and as examiner of one case) cannot both pass the checks, and read
    its state fresh: a deactivated or erased account is never appointed."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.is_active or locked.erased_at is not None:
        _refuse(_("This account is deactivated or erased, so it cannot be appointed."))
    return locked


def _holds_role(user, role: str) -> bool:
    """Whether ``user`` still holds any grant of ``role`` (on any case or area)."""
    if role == EXAMINER:
        return CaseUserObjectPermission.objects.filter(
            user=user, permission__codename=_codename(EXAMINE_CASE)
        ).exists()
    return (
        CaseUserObjectPermission.objects.filter(
            user=user, permission__codename=_codename(REVIEW_CASE)
        ).exists()
        or TechnologyAreaUserObjectPermission.objects.filter(
            user=user, permission__codename=_codename(REVIEW_AREA)
        ).exists()
    )


def _check_case_conflicts(user, case: Case, role: str) -> None:
    """Conflicts of interest on one case: nobody judges evidence they submitted, and the
    reviewers (by case or by area) and the examiners of a case are different people."""
    from submissions.models import PriorArt  # cases does not import submissions early

    name = {"user": user.username}
    if PriorArt.objects.filter(case=case, author=user).exists():
        _refuse(
            _(
                "%(user)s has submitted evidence on this case, so they cannot review "
                "or examine it."
            )
            % name
        )
    grants = CaseUserObjectPermission.objects.filter(user=user, content_object=case)
    if (
        role == REVIEWER
        and grants.filter(permission__codename=_codename(EXAMINE_CASE)).exists()
    ):
        _refuse(
            _("%(user)s is the examiner of this case and cannot also review it.") % name
        )
    if role == EXAMINER:
        if grants.filter(permission__codename=_codename(REVIEW_CASE)).exists():
            _refuse(_("%(user)s reviews this case and cannot also examine it.") % name)
        area = (
            TechnologyAreaUserObjectPermission.objects.filter(
                user=user,
                permission__codename=_codename(REVIEW_AREA),
                content_object__in=case.technology_areas.all(),
            )
            .select_related("content_object")
            .first()
        )
        if area is not None:
            _refuse(
                _(
                    "%(user)s reviews this case as a reviewer of the technology area "
                    "%(area)s, and cannot also examine it."
                )
                % {**name, "area": area.content_object.name}
            )


def _check_area_conflicts(user, area: TechnologyArea) -> None:
    """An area reviewer reviews every case in the area: the same conflicts, case by case."""
    from submissions.models import PriorArt

    name = {"user": user.username, "area": area.name}
    if PriorArt.objects.filter(author=user, case__technology_areas=area).exists():
        _refuse(
            _(
                "%(user)s has submitted evidence on a case in %(area)s, so they cannot "
                "review that area."
            )
            % name
        )
    if CaseUserObjectPermission.objects.filter(
        user=user,
        permission__codename=_codename(EXAMINE_CASE),
        content_object__technology_areas=area,
    ).exists():
        _refuse(
            _(
                "%(user)s is the examiner of a case in %(area)s, so they cannot review "
                "that area."
            )
            % name
        )


def _appoint(*, role: str, perm: str, user, obj, actor, groups=(), check=None) -> bool:
    """Grant ``perm`` on ``obj`` to ``user`` and put them in the role's groups, logging
    the appointment once. Under a lock on the account: refuses a deactivated or erased
    account, then runs ``check(user)`` (conflicts of interest, raising ValidationError).
    Idempotent: returns False when the grant already existed."""
    with transaction.atomic():
        user = _lock_account(user)
        if check is not None:
            check(user)
        user.groups.add(_group(role), *groups)  # idempotent; repairs a lost membership
        if _codename(perm) in get_user_perms(user, obj):
            return False
        assign_perm(perm, user, obj)
        log(
            instance=obj,
            action="opendocket.appoint",
            user=actor,
            data={"role": role, "user": user.pk},
            content_changed=False,
        )
    return True


def _dismiss(*, role: str, perm: str, user, obj, actor) -> bool:
    """Remove ``perm`` on ``obj`` from ``user``; one left with no grant of the role also
    leaves the role's group. Logged. Idempotent: False when there was no such grant."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if _codename(perm) not in get_user_perms(user, obj):
            return False
        remove_perm(perm, user, obj)
        if not _holds_role(user, role):
            user.groups.remove(_group(role))
        log(
            instance=obj,
            action="opendocket.dismiss",
            user=actor,
            data={"role": role, "user": user.pk},
            content_changed=False,
        )
    return True


def agency_appoint_editor(*, agency: Agency, user, actor=None) -> bool:
    """Make ``user`` an editor of ``agency``: the editors' role group, the agency's own
    group (its documents) and the guardian grant on the agency (its cases)."""
    agency = agency_ensure_workspace(agency=agency)
    return _appoint(
        role=EDITOR,
        perm=EDIT_AGENCY_CASES,
        user=user,
        obj=agency,
        actor=actor,
        groups=[agency.editors_group],
    )


def agency_dismiss_editor(*, agency: Agency, user, actor=None) -> None:
    """Take ``agency`` away from an editor; one left with no agency also leaves the
    editors' role group, and with it the admin."""
    with transaction.atomic():
        remove_perm(EDIT_AGENCY_CASES, user, agency)
        if agency.editors_group_id:
            user.groups.remove(agency.editors_group_id)
        if not get_objects_for_user(
            user, EDIT_AGENCY_CASES, klass=Agency, accept_global_perms=False
        ).exists():
            user.groups.remove(_group(EDITOR))
        log(
            instance=agency,
            action="opendocket.dismiss",
            user=actor,
            data={"role": EDITOR, "user": user.pk},
        )


def _require_case_editor(actor, case: Case) -> None:
    if actor is not None and not user_can_edit_case(actor, case):
        raise PermissionDenied(
            _(
                "Only editors of the case's agency can appoint or dismiss its reviewers and examiners."
            )
        )


def _require_site_admin(actor) -> None:
    # An area is shared by every agency: appointing to it reaches other agencies' cases.
    if actor is not None and not (actor.is_active and actor.is_superuser):
        raise PermissionDenied(
            _(
                "Only site admins can appoint or dismiss area reviewers: an area "
                "reaches the cases of every agency."
            )
        )


def case_appoint_reviewer(*, case: Case, user, actor=None) -> bool:
    """Appoint ``user`` to review evidence on ``case``. ``actor``, when given, must be
    allowed to edit the case (an editor of its agency). Refused (ValidationError on
    ``user``) for a deactivated or erased account, a contributor to the case, or its
    examiner. Idempotent; logged in the case's history."""
    _require_case_editor(actor, case)
    return _appoint(
        role=REVIEWER,
        perm=REVIEW_CASE,
        user=user,
        obj=case,
        actor=actor,
        check=lambda locked: _check_case_conflicts(locked, case, REVIEWER),
    )


def case_appoint_examiner(*, case: Case, user, actor=None) -> bool:
    """Assign ``user`` as examiner of ``case``: same rules, and never one of its
    reviewers (by case or through one of its technology areas)."""
    _require_case_editor(actor, case)
    return _appoint(
        role=EXAMINER,
        perm=EXAMINE_CASE,
        user=user,
        obj=case,
        actor=actor,
        check=lambda locked: _check_case_conflicts(locked, case, EXAMINER),
    )


def case_dismiss_reviewer(*, case: Case, user, actor=None) -> bool:
    """End ``user``'s appointment as reviewer of ``case`` (an area appointment that
    reaches the case is not touched). Their past screening decisions stay."""
    _require_case_editor(actor, case)
    return _dismiss(role=REVIEWER, perm=REVIEW_CASE, user=user, obj=case, actor=actor)


def case_dismiss_examiner(*, case: Case, user, actor=None) -> bool:
    """End ``user``'s appointment as examiner of ``case``."""
    _require_case_editor(actor, case)
    return _dismiss(role=EXAMINER, perm=EXAMINE_CASE, user=user, obj=case, actor=actor)


def area_appoint_reviewer(*, area: TechnologyArea, user, actor=None) -> bool:
    """Appoint ``user`` to review evidence on every case in ``area``, of every agency.
    ``actor``, when given, must be a site admin (docs/decisions/0004). Refused for a
    deactivated or erased account, a contributor to a case in the area, or an examiner
    of one. Idempotent; logged in the area's history."""
    _require_site_admin(actor)
    return _appoint(
        role=REVIEWER,
        perm=REVIEW_AREA,
        user=user,
        obj=area,
        actor=actor,
        check=lambda locked: _check_area_conflicts(locked, area),
    )


def area_dismiss_reviewer(*, area: TechnologyArea, user, actor=None) -> bool:
    """End ``user``'s appointment as reviewer of ``area`` (site admins only)."""
    _require_site_admin(actor)
    return _dismiss(role=REVIEWER, perm=REVIEW_AREA, user=user, obj=area, actor=actor)
