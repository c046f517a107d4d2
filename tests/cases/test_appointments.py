"""Appointing and dismissing reviewers and examiners, through the real Wagtail admin views
and through the services: guardian grants, the case's history, agency scoping, conflict
of interest rules, the site admins' area reviewers screen, CSRF and query budgets."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import account_erase
from cases import services
from cases.models import CaseLogEntry, CaseUserObjectPermission
from cases.permissions import (
    ROLE_GROUPS,
    user_can_examine_case,
    user_can_review_case,
)
from tests.factories import TechnologyAreaFactory, UserFactory
from tests.submissions.factories import make_prior_art, verified_user

pytestmark = pytest.mark.django_db

CASE_URLS = "wagtailsnippets_cases_case"
AREA_URL = "cases_area_reviewers"
NO_ACCOUNT = "No account with that username or e-mail address."


def page_url(case) -> str:
    return reverse(f"{CASE_URLS}:appointments", args=[case.pk])


def dismiss_url(case, role, user) -> str:
    return reverse(f"{CASE_URLS}:dismiss", args=[case.pk, role, user.pk])


def appoint(client, case, role, name):
    return client.post(page_url(case), {"role": role, f"{role}-user": name})


def in_group(user, role) -> bool:
    return user.groups.filter(name=ROLE_GROUPS[role]).exists()


@pytest.fixture
def area(db):
    return TechnologyAreaFactory(name="Batteries", slug="batteries")


@pytest.fixture
def case(case_factory, area):
    return case_factory("open", areas=[area])


# --- The case's appointments screen ------------------------------------------------------


def test_editor_appoints_a_reviewer_by_username(client, editor_a, case, reviewer):
    client.force_login(editor_a)
    response = appoint(client, case, "reviewer", "reviewer")
    assert response.status_code == 302
    assert response["Location"] == page_url(case)
    assert user_can_review_case(reviewer, case)
    assert not user_can_examine_case(reviewer, case)
    assert in_group(reviewer, "reviewer")
    page = client.get(page_url(case))
    assert "reviewer is now a reviewer of this case." in page.text
    assert dismiss_url(case, "reviewer", reviewer) in page.text


def test_editor_assigns_an_examiner_by_email_in_any_case(
    client, editor_a, case, examiner
):
    client.force_login(editor_a)
    response = appoint(client, case, "examiner", "  EXAMINER@example.org ")
    assert response.status_code == 302
    assert user_can_examine_case(examiner, case)
    assert not user_can_review_case(examiner, case)
    assert in_group(examiner, "examiner")


def test_appointing_twice_is_harmless_and_logged_once(client, editor_a, case, reviewer):
    client.force_login(editor_a)
    appoint(client, case, "reviewer", "reviewer")
    response = appoint(client, case, "reviewer", "reviewer")
    assert response.status_code == 302
    assert "was already a reviewer" in client.get(page_url(case)).text
    assert (
        CaseLogEntry.objects.filter(
            case_id=case.pk, action="opendocket.appoint"
        ).count()
        == 1
    )


def test_page_lists_reviewers_examiners_and_area_reviewers_read_only(
    client, editor_a, case, area, reviewer, examiner
):
    services.case_appoint_reviewer(case=case, user=reviewer)
    services.case_appoint_examiner(case=case, user=examiner)
    area_reviewer = UserFactory(username="area-rev")
    services.area_appoint_reviewer(area=area, user=area_reviewer)
    client.force_login(editor_a)
    page = client.get(page_url(case))
    assert page.status_code == 200
    text = page.text
    assert dismiss_url(case, "reviewer", reviewer) in text
    assert dismiss_url(case, "examiner", examiner) in text
    assert "area-rev" in text and "Batteries" in text
    # Area reviewers are read-only here: no way to dismiss them from a case.
    assert f"/dismiss/reviewer/{area_reviewer.pk}/" not in text
    assert "area-reviewers" not in text


def test_editor_dismisses_after_confirming(client, editor_a, case, reviewer):
    services.case_appoint_reviewer(case=case, user=reviewer)
    client.force_login(editor_a)
    confirm = client.get(dismiss_url(case, "reviewer", reviewer))
    assert confirm.status_code == 200
    assert f"Dismiss reviewer as reviewer of {case.reference}?" in confirm.text
    assert user_can_review_case(reviewer, case)  # a GET changes nothing
    response = client.post(dismiss_url(case, "reviewer", reviewer))
    assert response.status_code == 302
    assert response["Location"] == page_url(case)
    assert not user_can_review_case(reviewer, case)
    assert not in_group(reviewer, "reviewer")  # no reviewing left anywhere
    assert client.get(dismiss_url(case, "reviewer", reviewer)).status_code == 404


def test_dismissed_examiner_keeps_the_role_group_while_examining_elsewhere(
    client, editor_a, case, case_factory, examiner
):
    other = case_factory("open")
    services.case_appoint_examiner(case=case, user=examiner)
    services.case_appoint_examiner(case=other, user=examiner)
    client.force_login(editor_a)
    client.post(dismiss_url(case, "examiner", examiner))
    assert not user_can_examine_case(examiner, case)
    assert user_can_examine_case(examiner, other)
    assert in_group(examiner, "examiner")


def test_dismissing_a_case_reviewer_leaves_their_area_appointment(case, area, reviewer):
    services.case_appoint_reviewer(case=case, user=reviewer)
    services.area_appoint_reviewer(area=area, user=reviewer)
    assert services.case_dismiss_reviewer(case=case, user=reviewer) is True
    assert services.case_dismiss_reviewer(case=case, user=reviewer) is False
    assert user_can_review_case(reviewer, case)  # still, through the area
    assert in_group(reviewer, "reviewer")


def test_appointments_and_dismissals_are_in_the_case_history(
    client, editor_a, case, reviewer, examiner
):
    client.force_login(editor_a)
    appoint(client, case, "reviewer", "reviewer")
    appoint(client, case, "examiner", "examiner")
    client.post(dismiss_url(case, "reviewer", reviewer))
    entries = CaseLogEntry.objects.filter(case_id=case.pk).order_by("timestamp", "pk")
    logged = [
        (e.action, e.data["role"], e.data["user"], e.user_id)
        for e in entries
        if e.action.startswith("opendocket.") and "role" in e.data
    ]
    assert logged == [
        ("opendocket.appoint", "reviewer", reviewer.pk, editor_a.pk),
        ("opendocket.appoint", "examiner", examiner.pk, editor_a.pk),
        ("opendocket.dismiss", "reviewer", reviewer.pk, editor_a.pk),
    ]
    history = client.get(reverse(f"{CASE_URLS}:history", args=[case.pk])).text
    assert "Appointed reviewer as reviewer" in history
    assert "Appointed examiner as examiner" in history
    assert "Dismissed reviewer as reviewer" in history


def test_history_names_an_erased_account_as_former_contributor(
    client, editor_a, case, reviewer
):
    services.case_appoint_reviewer(case=case, user=reviewer, actor=editor_a)
    account_erase(user=reviewer)
    client.force_login(editor_a)
    history = client.get(reverse(f"{CASE_URLS}:history", args=[case.pk])).text
    assert "Appointed former contributor as reviewer" in history


@pytest.mark.parametrize(
    "typed, message",
    [
        ("nobody", NO_ACCOUNT),
        ("nobody@example.org", NO_ACCOUNT),
        ("", "This field is required."),
    ],
)
def test_bad_input_is_shown_with_what_was_typed(client, editor_a, case, typed, message):
    client.force_login(editor_a)
    response = appoint(client, case, "reviewer", typed)
    assert response.status_code == 200
    assert message in response.text
    form = response.context["sections"][0]["form"]
    assert form["user"].value() == typed
    assert "error-message" in response.text
    assert not CaseUserObjectPermission.objects.exists()


def test_an_e_mail_address_shared_by_two_accounts_asks_for_the_username(
    client, editor_a, case
):
    UserFactory(username="twin-1", email="twin@example.org")
    UserFactory(username="twin-2", email="twin@example.org")
    client.force_login(editor_a)
    response = appoint(client, case, "examiner", "twin@example.org")
    assert response.status_code == 200
    assert "enter the username" in response.text


def test_unknown_role_is_a_bad_request(client, editor_a, case):
    client.force_login(editor_a)
    response = client.post(page_url(case), {"role": "editor", "editor-user": "x"})
    assert response.status_code == 400


# --- Conflicts of interest -----------------------------------------------------------------


def test_examiner_cannot_also_review(client, editor_a, case, examiner):
    services.case_appoint_examiner(case=case, user=examiner)
    client.force_login(editor_a)
    response = appoint(client, case, "reviewer", "examiner")
    assert response.status_code == 200
    assert "examiner is the examiner of this case and cannot also review it." in (
        response.text
    )
    assert response.context["sections"][0]["form"]["user"].value() == "examiner"
    assert not user_can_review_case(examiner, case)


def test_reviewer_cannot_also_examine(client, editor_a, case, reviewer):
    services.case_appoint_reviewer(case=case, user=reviewer)
    client.force_login(editor_a)
    response = appoint(client, case, "examiner", "reviewer")
    assert response.status_code == 200
    assert "reviewer reviews this case and cannot also examine it." in response.text
    assert not user_can_examine_case(reviewer, case)


def test_area_reviewer_cannot_examine_a_case_in_the_area(case, area, reviewer):
    services.area_appoint_reviewer(area=area, user=reviewer)
    with pytest.raises(ValidationError) as refused:
        services.case_appoint_examiner(case=case, user=reviewer)
    assert "technology area Batteries" in refused.value.message_dict["user"][0]
    assert not user_can_examine_case(reviewer, case)


@pytest.mark.parametrize("role", ["reviewer", "examiner"])
def test_a_contributor_to_the_case_cannot_judge_it(client, editor_a, case, role):
    author = verified_user("carol")
    make_prior_art(case, author)
    client.force_login(editor_a)
    response = appoint(client, case, role, "carol")
    assert response.status_code == 200
    assert (
        "carol has submitted evidence on this case, so they cannot review or examine"
        in response.text
    )
    assert not user_can_review_case(author, case)
    assert not user_can_examine_case(author, case)


def test_a_contributor_elsewhere_can_be_appointed(case, case_factory):
    author = verified_user("carol")
    make_prior_art(case_factory("open"), author)
    assert services.case_appoint_reviewer(case=case, user=author) is True


def test_deactivated_and_erased_accounts_cannot_be_appointed(client, editor_a, case):
    inactive = UserFactory(username="gone", is_active=False)
    erased = UserFactory(username="forgotten")
    account_erase(user=erased)
    erased.refresh_from_db()
    client.force_login(editor_a)
    for name in ("gone", erased.username):
        response = appoint(client, case, "reviewer", name)
        assert response.status_code == 200
        assert "deactivated or erased" in response.text
    for user in (inactive, erased):
        with pytest.raises(ValidationError):
            services.case_appoint_examiner(case=case, user=user)
    assert not CaseUserObjectPermission.objects.exists()


# --- Who may use the screen ----------------------------------------------------------------


def test_another_agencys_case_does_not_exist_for_an_editor(
    client, editor_b, case, reviewer
):
    services.case_appoint_reviewer(case=case, user=reviewer)
    client.force_login(editor_b)
    assert client.get(page_url(case)).status_code == 404
    assert appoint(client, case, "examiner", "examiner").status_code == 404
    assert client.get(dismiss_url(case, "reviewer", reviewer)).status_code == 404
    assert client.post(dismiss_url(case, "reviewer", reviewer)).status_code == 404
    assert user_can_review_case(reviewer, case)
    assert not CaseUserObjectPermission.objects.filter(
        permission__codename="examine_case"
    ).exists()


def test_services_refuse_an_editor_of_another_agency(case, editor_b, reviewer):
    services.case_appoint_reviewer(case=case, user=reviewer)
    with pytest.raises(PermissionDenied):
        services.case_dismiss_reviewer(case=case, user=reviewer, actor=editor_b)
    with pytest.raises(PermissionDenied):
        services.case_appoint_examiner(case=case, user=reviewer, actor=editor_b)
    assert user_can_review_case(reviewer, case)


def test_superuser_appoints_on_any_agencys_case(
    client, admin_user, case_factory, agency_b, reviewer
):
    other = case_factory("draft", agency=agency_b)
    client.force_login(admin_user)
    assert client.get(page_url(other)).status_code == 200
    assert appoint(client, other, "reviewer", "reviewer").status_code == 302
    assert user_can_review_case(reviewer, other)


@pytest.mark.parametrize("who", ["anonymous", "reviewer"])
def test_people_without_admin_access_are_sent_to_sign_in(client, case, reviewer, who):
    services.case_appoint_reviewer(case=case, user=reviewer)
    if who == "reviewer":
        client.force_login(reviewer)
    for response in (
        client.get(page_url(case)),
        appoint(client, case, "examiner", "reviewer"),
        client.post(dismiss_url(case, "reviewer", reviewer)),
        client.get(reverse(AREA_URL)),
    ):
        assert response.status_code == 302
        assert "login" in response["Location"]
    assert user_can_review_case(reviewer, case)
    assert not user_can_examine_case(reviewer, case)


def test_posts_need_the_csrf_token(editor_a, admin_user, case, area, reviewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor_a)
    assert appoint(client, case, "reviewer", "reviewer").status_code == 403
    assert not user_can_review_case(reviewer, case)
    services.case_appoint_reviewer(case=case, user=reviewer)
    assert client.post(dismiss_url(case, "reviewer", reviewer)).status_code == 403
    assert user_can_review_case(reviewer, case)
    client.force_login(admin_user)
    response = client.post(reverse(AREA_URL), {"area": area.pk, "user": "examiner"})
    assert response.status_code == 403


def test_case_edit_inspect_and_listing_link_to_appointments(client, editor_a, case):
    client.force_login(editor_a)
    for url in (
        reverse(f"{CASE_URLS}:edit", args=[case.pk]),
        reverse(f"{CASE_URLS}:inspect", args=[case.pk]),
        reverse(f"{CASE_URLS}:list"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert page_url(case) in response.text, url


def test_appointments_page_runs_a_fixed_number_of_queries(
    client, editor_a, case_factory, area
):
    def count(case):
        client.force_login(editor_a)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url(case)).status_code == 200
        return len(queries)

    small = case_factory("open", areas=[area])
    services.case_appoint_reviewer(case=small, user=UserFactory(username="r0"))
    large = case_factory("open", areas=[area, TechnologyAreaFactory(slug="more")])
    for n in range(8):
        services.case_appoint_reviewer(case=large, user=UserFactory(username=f"r{n}"))
        services.case_appoint_examiner(case=large, user=UserFactory(username=f"e{n}"))
        services.area_appoint_reviewer(area=area, user=UserFactory(username=f"a{n}"))
    assert count(large) == count(small)


# --- Area reviewers: site admins only ----------------------------------------------------


def area_dismiss_url(area, user) -> str:
    return reverse("cases_area_reviewer_dismiss", args=[area.pk, user.pk])


def test_site_admin_appoints_and_dismisses_an_area_reviewer(
    client, admin_user, case, area, reviewer
):
    client.force_login(admin_user)
    page = client.get(reverse(AREA_URL))
    assert page.status_code == 200 and "Batteries" in page.text
    response = client.post(reverse(AREA_URL), {"area": area.pk, "user": "reviewer"})
    assert response.status_code == 302
    assert user_can_review_case(reviewer, case)
    assert area_dismiss_url(area, reviewer) in client.get(reverse(AREA_URL)).text
    confirm = client.get(area_dismiss_url(area, reviewer))
    assert "Dismiss reviewer as reviewer of Batteries?" in confirm.text
    assert client.post(area_dismiss_url(area, reviewer)).status_code == 302
    assert not user_can_review_case(reviewer, case)
    assert not in_group(reviewer, "reviewer")
    assert client.get(area_dismiss_url(area, reviewer)).status_code == 404
    history = client.get(
        reverse("wagtailsnippets_cases_technologyarea:history", args=[area.pk])
    ).text
    assert "Appointed reviewer as reviewer" in history
    assert "Dismissed reviewer as reviewer" in history


def test_area_screen_shows_errors_with_what_was_typed(client, admin_user, area):
    client.force_login(admin_user)
    response = client.post(reverse(AREA_URL), {"area": area.pk, "user": "nobody"})
    assert response.status_code == 200
    assert NO_ACCOUNT in response.text
    assert response.context["form"]["user"].value() == "nobody"
    missing_area = client.post(reverse(AREA_URL), {"area": "", "user": "nobody"})
    assert "This field is required." in missing_area.text


def test_area_conflicts_of_interest(case, case_factory, area, examiner):
    author = verified_user("carol")
    make_prior_art(case, author)
    with pytest.raises(ValidationError, match="submitted evidence on a case in"):
        services.area_appoint_reviewer(area=area, user=author)
    services.case_appoint_examiner(case=case, user=examiner)
    with pytest.raises(ValidationError, match="examiner of a case in Batteries"):
        services.area_appoint_reviewer(area=area, user=examiner)
    elsewhere = TechnologyAreaFactory(slug="elsewhere")
    assert services.area_appoint_reviewer(area=elsewhere, user=examiner) is True


def test_editors_cannot_appoint_area_reviewers(client, editor_a, case, area, reviewer):
    client.force_login(editor_a)
    assert client.get(reverse(AREA_URL)).status_code == 403
    response = client.post(reverse(AREA_URL), {"area": area.pk, "user": "reviewer"})
    assert response.status_code == 403
    assert not user_can_review_case(reviewer, case)
    services.area_appoint_reviewer(area=area, user=reviewer)
    assert client.get(area_dismiss_url(area, reviewer)).status_code == 403
    assert client.post(area_dismiss_url(area, reviewer)).status_code == 403
    assert user_can_review_case(reviewer, case)
    with pytest.raises(PermissionDenied):
        services.area_appoint_reviewer(area=area, user=reviewer, actor=editor_a)
    with pytest.raises(PermissionDenied):
        services.area_dismiss_reviewer(area=area, user=reviewer, actor=editor_a)


def test_area_reviewers_menu_item_is_for_site_admins_only(client, editor_a, admin_user):
    url = reverse(AREA_URL)
    client.force_login(admin_user)
    assert url in client.get(reverse("wagtailadmin_home")).text
    client.force_login(editor_a)
    assert url not in client.get(reverse("wagtailadmin_home")).text


def test_area_screen_runs_a_fixed_number_of_queries(client, admin_user):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(AREA_URL)).status_code == 200
        return len(queries)

    client.force_login(admin_user)
    first_area = TechnologyAreaFactory(slug="first")
    services.area_appoint_reviewer(area=first_area, user=UserFactory(username="a0"))
    few = count()
    for n in range(6):
        area = TechnologyAreaFactory(slug=f"area-x{n}")
        services.area_appoint_reviewer(area=area, user=UserFactory(username=f"b{n}"))
    assert count() == few
