"""Permission matrix for case visibility and editing.

Every role × every case state, each cell asserted: the public case page, the public case
list, the API detail, and the case's edit view in the Wagtail admin.

- Public surfaces show published cases (scheduled, open, closed) to everyone and unpublished
  drafts to nobody (404): editors look at drafts through the admin's preview.
- The admin edits a case for the editors of its agency and for site admins; an editor of
  another agency gets 404 (the case does not exist for them); users without admin access are
  sent to the admin login, as Wagtail does for every admin URL.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import services
from cases.permissions import (
    cases_for_user,
    user_can_edit_case,
    user_can_examine_case,
    user_can_review_case,
    user_can_view_case,
)

pytestmark = pytest.mark.django_db

STATES = ["draft", "scheduled", "open", "closed"]
ROLES = [
    "anonymous",
    "contributor",
    "editor_own",
    "editor_other",
    "reviewer",
    "examiner",
    "admin",
]

# (public page, listed publicly, API detail, admin edit) per role; a draft is never public.
ADMIN_EDIT = {
    "anonymous": "login",
    "contributor": "login",
    "editor_own": 200,
    "editor_other": 404,
    "reviewer": "login",
    "examiner": "login",
    "admin": 200,
}


def expected(role: str, state: str) -> dict:
    published = state != "draft"
    return {
        "page": 200 if published else 404,
        "listed": published,
        "api": 200 if published else 404,
        "admin_edit": ADMIN_EDIT[role],
    }


@pytest.fixture
def actors(contributor, editor_a, editor_b, reviewer, examiner, admin_user):
    return {
        "anonymous": None,
        "contributor": contributor,
        "editor_own": editor_a,
        "editor_other": editor_b,
        "reviewer": reviewer,
        "examiner": examiner,
        "admin": admin_user,
    }


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_case_visibility_and_editing_matrix(client, actors, case_factory, role, state):
    case = case_factory(state)
    services.case_appoint_reviewer(case=case, user=actors["reviewer"])
    services.case_appoint_examiner(case=case, user=actors["examiner"])
    user = actors[role]
    if user is not None:
        client.force_login(user)
    want = expected(role, state)

    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == want["page"]

    listing = client.get(reverse("cases:list"))
    assert (case.title in listing.text) is want["listed"]
    assert (
        case.title in client.get(reverse("cases:list"), {"status": state}).text
    ) is want["listed"]

    api = client.get(reverse("api:case-detail", args=[case.pk]))
    assert api.status_code == want["api"]
    api_list_ids = [
        row["id"] for row in client.get(reverse("api:case-list")).json()["results"]
    ]
    assert (case.pk in api_list_ids) is want["listed"]

    edit = client.get(reverse("wagtailsnippets_cases_case:edit", args=[case.pk]))
    if want["admin_edit"] == "login":
        assert edit.status_code == 302
        assert edit["Location"].startswith(reverse("wagtailadmin_login"))
    else:
        assert edit.status_code == want["admin_edit"]


@pytest.mark.parametrize("state", STATES)
def test_permission_helpers_agree_with_the_matrix(
    actors, case_factory, agency_b, state
):
    case = case_factory(state)
    services.case_appoint_reviewer(case=case, user=actors["reviewer"])
    services.case_appoint_examiner(case=case, user=actors["examiner"])
    other_case = case_factory(state, agency=agency_b)

    assert user_can_view_case(None, case) is (state != "draft")
    assert user_can_edit_case(actors["editor_own"], case)
    assert not user_can_edit_case(actors["editor_other"], case)
    assert not user_can_edit_case(actors["reviewer"], case)
    assert not user_can_edit_case(actors["contributor"], case)
    assert user_can_edit_case(actors["admin"], case)

    assert user_can_review_case(actors["reviewer"], case)
    assert not user_can_review_case(actors["reviewer"], other_case)
    assert not user_can_review_case(actors["examiner"], case)
    assert user_can_examine_case(actors["examiner"], case)
    assert not user_can_examine_case(actors["examiner"], other_case)
    assert not user_can_examine_case(actors["reviewer"], case)

    assert set(cases_for_user(actors["editor_own"])) == {case}
    assert set(cases_for_user(actors["editor_other"])) == {other_case}
    assert set(cases_for_user(actors["admin"])) == {case, other_case}
    assert not cases_for_user(actors["contributor"]).exists()


def test_area_reviewer_reviews_every_case_in_the_area(reviewer, case_factory):
    from tests.factories import TechnologyAreaFactory

    area = TechnologyAreaFactory(slug="batteries")
    in_area = case_factory("open", areas=[area])
    elsewhere = case_factory("open")
    services.area_appoint_reviewer(area=area, user=reviewer)
    assert user_can_review_case(reviewer, in_area)
    assert not user_can_review_case(reviewer, elsewhere)


def test_dismissed_editor_loses_the_agency(editor_a, agency_a, case_factory):
    case = case_factory("draft")
    assert user_can_edit_case(editor_a, case)
    services.agency_dismiss_editor(agency=agency_a, user=editor_a)
    editor_a = type(editor_a).objects.get(pk=editor_a.pk)  # fresh permission cache
    assert not user_can_edit_case(editor_a, case)


def test_only_editors_of_the_agency_may_appoint(editor_b, reviewer, case_factory):
    from django.core.exceptions import PermissionDenied

    case = case_factory("open")
    with pytest.raises(PermissionDenied):
        services.case_appoint_reviewer(case=case, user=reviewer, actor=editor_b)
    assert not user_can_review_case(reviewer, case)


def test_editor_with_no_agency_left_loses_the_admin(client, editor_a, agency_a):
    services.agency_dismiss_editor(agency=agency_a, user=editor_a)
    client.force_login(editor_a)
    response = client.get(reverse("wagtailsnippets_cases_case:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
