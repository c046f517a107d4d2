"""The permission surface of review (``review.permissions``), cell by cell: every role
against every case state, for the ``user_can_*`` answers and the querysets built on them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from cases import services as case_services
from cases.models import Case, CaseStatus
from review import permissions, services
from review.models import ForwardTrigger
from submissions.permissions import user_can_moderate
from tests.factories import TechnologyAreaFactory, UserFactory

pytestmark = pytest.mark.django_db

STATES = [s.value for s in CaseStatus]
SCREENING = {"open", "closed"}
EXAMINATION = {"forwarded", "decided"}
ROLES = [
    "reviewer",
    "area_reviewer",
    "other_reviewer",
    "examiner",
    "other_examiner",
    "editor",
    "contributor",
    "anonymous",
    "superuser",
    "inactive_reviewer",
]


def _in_state(case_factory, state, area):
    """A case of agency A in ``state``, reached the way the services reach it."""
    if state in ("draft", "scheduled", "open", "closed"):
        return case_factory(state, areas=[area])
    if state == "withdrawn":
        case = case_factory("open", areas=[area])
        case.unpublish()
    else:
        case = case_factory("closed", areas=[area])
        services.case_forward(case_id=case.pk, trigger=ForwardTrigger.CLOSE)
        if state == "forwarded":  # an empty dossier is decided at once; undo that
            Case.objects.filter(pk=case.pk).update(status=CaseStatus.FORWARDED)
    case.refresh_from_db()
    assert case.status == state
    return case


@pytest.fixture
def world(case_factory, agency_b, editor_a, admin_user):
    area = TechnologyAreaFactory(name="Thermal", slug="thermal")
    cases = {state: _in_state(case_factory, state, area) for state in STATES}
    elsewhere = case_factory("open", agency=agency_b)
    users = {
        "reviewer": UserFactory(username="reviewer"),
        "area_reviewer": UserFactory(username="area-reviewer"),
        "other_reviewer": UserFactory(username="other-reviewer"),
        "examiner": UserFactory(username="examiner"),
        "other_examiner": UserFactory(username="other-examiner"),
        "editor": editor_a,
        "contributor": UserFactory(username="contributor"),
        "anonymous": AnonymousUser(),
        "superuser": admin_user,
        "inactive_reviewer": UserFactory(username="inactive"),
    }
    case_services.area_appoint_reviewer(area=area, user=users["area_reviewer"])
    case_services.case_appoint_reviewer(case=elsewhere, user=users["other_reviewer"])
    case_services.case_appoint_examiner(case=elsewhere, user=users["other_examiner"])
    for case in cases.values():
        for role in ("reviewer", "inactive_reviewer"):
            case_services.case_appoint_reviewer(case=case, user=users[role])
        case_services.case_appoint_examiner(case=case, user=users["examiner"])
    users["inactive_reviewer"].is_active = False
    users["inactive_reviewer"].save(update_fields=["is_active"])
    return cases, users


def expected_screen(role, state):
    return role in {"reviewer", "area_reviewer", "superuser"} and state in SCREENING


def expected_examine(role, state):
    return role in {"examiner", "superuser"} and state in EXAMINATION


def test_who_may_screen_forward_and_examine_in_each_state(world):
    cases, users = world
    answers = {
        (role, state): (
            permissions.user_can_screen(users[role], case),
            permissions.user_can_forward(users[role], case),
            permissions.user_can_examine(users[role], case),
        )
        for role in ROLES
        for state, case in cases.items()
    }
    wanted = {
        (role, state): (
            expected_screen(role, state),
            expected_screen(role, state),
            expected_examine(role, state),
        )
        for role in ROLES
        for state in STATES
    }
    assert {k: v for k, v in answers.items() if v != wanted[k]} == {}


def test_the_case_querysets_match_the_answers(world):
    cases, users = world
    by_pk = {case.pk: state for state, case in cases.items()}

    def states(pks):
        return {by_pk[pk] for pk in pks if pk in by_pk}

    published = set(STATES) - {"draft", "withdrawn"}
    answers, wanted = {}, {}
    for role in ROLES:
        user = users[role]
        answers[role] = (
            states(permissions.reviewed_cases(user).values_list("pk", flat=True)),
            states(permissions.cases_to_screen(user).values_list("pk", flat=True)),
            states(permissions.examined_cases(user).values_list("pk", flat=True)),
            states(
                permissions.dossiers_for_user(user).values_list("case_id", flat=True)
            ),
        )
        reviews = role in {"reviewer", "area_reviewer", "superuser"}
        examined = {s for s in STATES if expected_examine(role, s)}
        wanted[role] = (
            published if reviews else set(),
            {s for s in STATES if expected_screen(role, s)},
            examined,
            examined,
        )
    assert answers == wanted


def test_who_may_moderate(world):
    cases, users = world
    answers = {role: user_can_moderate(users[role], cases["open"]) for role in ROLES}
    assert {role for role, allowed in answers.items() if allowed} == {
        "reviewer",
        "area_reviewer",
        "editor",
        "superuser",
    }


def test_an_examiner_of_another_case_sees_no_dossier(world):
    cases, users = world
    assert permissions.dossiers_for_user(users["examiner"]).count() == 2
    assert not permissions.dossiers_for_user(users["other_examiner"]).exists()
    assert not permissions.dossiers_for_user(AnonymousUser()).exists()
