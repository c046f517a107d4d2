"""Permission matrix of the contributions API: every role × case state (× submission
state for a submission's endpoints) × endpoint, each cell asserted.

401 anonymous writes; 404 what the user may not see; 403 what they can see but may not
do; 400 a body naming something they cannot see. Every cell runs in a savepoint that is
rolled back, so each starts from the same state.
"""

from __future__ import annotations

import pytest

from cases import services as case_services
from submissions.models import Flag, PriorArt, PriorArtStatus, Vote
from tests.factories import TechnologyAreaFactory

from .api_helpers import (
    STAFF,
    Cast,
    api,
    close,
    payload,
    relax,
    rolled_back,
    set_state,
    verified,
    verify,
)
from .api_helpers import submit as service_submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _relaxed(settings):
    relax(settings)


def table(**rows: str) -> dict[str, list[int]]:
    """``role="200 404 ..."`` rows, the staff roles sharing one ``staff`` row."""
    staff = rows.pop("staff", None)
    if staff is not None:
        rows.update(dict.fromkeys(STAFF, staff))
    return {role: [int(code) for code in codes.split()] for role, codes in rows.items()}


# --- Case endpoints: role × case state ------------------------------------------------

CASE_STATES = ["draft", "scheduled", "open", "closed"]
CASE_ROLES = [
    "anonymous",
    "unverified",
    "contributor",
    "reviewer",
    "examiner",
    "editor",
]

#            draft scheduled open closed
CASE_EXPECTED = {
    "list prior art": table(
        anonymous="404 200 200 200",
        unverified="404 200 200 200",
        contributor="404 200 200 200",
        staff="404 200 200 200",
    ),
    "submit prior art": table(
        anonymous="401 401 401 401",
        unverified="404 403 403 403",
        contributor="404 403 201 403",
        staff="404 403 403 403",  # no evidence on a case one judges
    ),
    "list comments": table(
        anonymous="404 200 200 200",
        unverified="404 200 200 200",
        contributor="404 200 200 200",
        staff="404 200 200 200",
    ),
    "comment": table(
        anonymous="401 401 401 401",
        unverified="404 403 403 403",
        contributor="404 403 201 403",
        staff="404 403 201 403",
    ),
}


def case_requests(case) -> dict:
    prior_art = f"/api/v1/cases/{case.pk}/prior-art/"
    comments = f"/api/v1/cases/{case.pk}/comments/"
    return {
        "list prior art": lambda c: c.get(prior_art),
        "submit prior art": lambda c: c.post(prior_art, payload(), format="json"),
        "list comments": lambda c: c.get(comments),
        "comment": lambda c: c.post(comments, {"body": "A remark."}, format="json"),
    }


def make_case_in(state: str, case_factory):
    if state == "closed":
        return close(case_factory("open"))
    return case_factory(state)


@pytest.mark.parametrize("state", CASE_STATES)
def test_case_endpoints_matrix(state, case_factory, editor_a):
    case = make_case_in(state, case_factory)
    cast = Cast.for_case(case, editor_a)
    column = CASE_STATES.index(state)

    actual, expected = {}, {}
    for action, request in case_requests(case).items():
        for role in CASE_ROLES:
            client = cast.client(role)
            actual[action, role] = rolled_back(request, client)
            expected[action, role] = CASE_EXPECTED[action][role][column]

    assert actual == expected


# --- Submission endpoints: role × case state × submission state -------------------------

SUBMISSION_STATES = [
    "submitted",
    "held",  # submitted, but waiting for a first screening
    PriorArtStatus.NEEDS_CHANGES,
    PriorArtStatus.REJECTED,
    PriorArtStatus.WITHDRAWN,
    PriorArtStatus.VETTED,
]
ITEM_ROLES = [
    "anonymous",
    "unverified",
    "other",
    "owner",
    "reviewer",
    "examiner",
    "editor",
]

#                 submitted held needs_changes rejected withdrawn vetted
EXPECTED_OPEN = {
    "get": table(
        anonymous="200 404 404 404 404 200",
        unverified="200 404 404 404 404 200",
        other="200 404 404 404 404 200",
        owner="200 200 200 200 200 200",
        staff="200 200 200 200 200 200",
    ),
    "patch": table(
        anonymous="401 401 401 401 401 401",
        unverified="403 404 404 404 404 403",
        other="403 404 404 404 404 403",
        owner="200 200 200 403 403 403",
        staff="403 403 403 403 403 403",
    ),
    "delete": table(
        anonymous="401 401 401 401 401 401",
        unverified="403 404 404 404 404 403",
        other="403 404 404 404 404 403",
        owner="204 204 204 403 403 403",
        staff="403 403 403 403 403 403",
    ),
    "rate": table(
        anonymous="401 401 401 401 401 401",
        unverified="403 404 404 404 404 403",
        other="200 404 404 404 404 200",
        owner="403 403 403 403 403 403",
        staff="403 403 403 403 403 403",  # staff rank through review, not ratings
    ),
    "flag": table(
        anonymous="401 401 401 401 401 401",
        unverified="403 400 400 400 400 403",
        other="201 400 400 400 400 201",
        owner="403 403 403 403 403 403",
        staff="201 403 403 403 403 201",  # only what the public sees is reported
    ),
    "comment on it": table(
        anonymous="401 401 401 401 401 401",
        unverified="403 403 403 403 403 403",
        other="201 400 400 400 400 201",
        owner="201 201 201 201 201 201",
        staff="201 201 201 201 201 201",
    ),
}

# After the window: everything is read-only, except reports (flags).
EXPECTED_CLOSED = {
    "get": EXPECTED_OPEN["get"],
    "patch": table(
        anonymous="401 401 401 401 401 401",
        unverified="403 404 404 404 404 403",
        other="403 404 404 404 404 403",
        owner="403 403 403 403 403 403",
        staff="403 403 403 403 403 403",
    ),
    "delete": table(
        anonymous="401 401 401 401 401 401",
        unverified="403 404 404 404 404 403",
        other="403 404 404 404 404 403",
        owner="403 403 403 403 403 403",
        staff="403 403 403 403 403 403",
    ),
    "rate": table(
        anonymous="401 401 401 401 401 401",
        unverified="403 404 404 404 404 403",
        other="403 404 404 404 404 403",
        owner="403 403 403 403 403 403",
        staff="403 403 403 403 403 403",
    ),
    "flag": EXPECTED_OPEN["flag"],
    "comment on it": table(
        anonymous="401 401 401 401 401 401",
        unverified="403 403 403 403 403 403",
        other="403 403 403 403 403 403",
        owner="403 403 403 403 403 403",
        staff="403 403 403 403 403 403",
    ),
}


def item_requests(prior_art) -> dict:
    detail = f"/api/v1/prior-art/{prior_art.pk}/"
    comments = f"/api/v1/cases/{prior_art.case_id}/comments/"
    return {
        "get": lambda c: c.get(detail),
        "patch": lambda c: c.patch(detail, {"title": "Corrected"}, format="json"),
        "delete": lambda c: c.delete(detail),
        "rate": lambda c: c.put(f"{detail}rating/", {"rating": 4}, format="json"),
        "flag": lambda c: c.post(
            "/api/v1/flags/",
            {"prior_art": prior_art.pk, "reason": "spam"},
            format="json",
        ),
        "comment on it": lambda c: c.post(
            comments, {"body": "About this.", "prior_art": prior_art.pk}, format="json"
        ),
    }


@pytest.mark.parametrize("case_state", ["open", "closed"])
@pytest.mark.parametrize("submission_state", SUBMISSION_STATES)
def test_submission_endpoints_matrix(
    case_state, submission_state, case_factory, editor_a
):
    case = case_factory("open")
    cast = Cast.for_case(case, editor_a)
    prior_art = set_state(service_submit(case, cast.users["owner"]), submission_state)
    if case_state == "closed":
        close(case)
    expectations = EXPECTED_OPEN if case_state == "open" else EXPECTED_CLOSED
    column = SUBMISSION_STATES.index(submission_state)

    actual, expected = {}, {}
    for action, request in item_requests(prior_art).items():
        for role in ITEM_ROLES:
            client = cast.client(role)
            actual[action, role] = rolled_back(request, client)
            expected[action, role] = expectations[action][role][column]

    assert actual == expected


def test_unknown_submission_is_404_for_everyone_who_is_logged_in(
    case_factory, editor_a
):
    cast = Cast.for_case(case_factory("open"), editor_a)
    missing = "/api/v1/prior-art/987654/"
    for role in ITEM_ROLES:
        client = cast.client(role)
        assert client.get(missing).status_code == 404
        write = 401 if role == "anonymous" else 404
        assert client.patch(missing, {}, format="json").status_code == write
        assert client.delete(missing).status_code == write
        assert (
            client.put(f"{missing}rating/", {"rating": 3}, format="json").status_code
            == write
        )


def test_refusals_say_why(case_factory, editor_a):
    case = case_factory("open")
    cast = Cast.for_case(case, editor_a)
    prior_art = service_submit(case, cast.users["owner"])
    detail = f"/api/v1/prior-art/{prior_art.pk}/"

    anonymous = cast.client("anonymous").patch(detail, {}, format="json")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Token"
    assert "detail" in anonymous.json()
    other = cast.client("other").patch(detail, {}, format="json")
    assert other.json() == {"detail": "You can no longer change this submission."}
    own_flag = cast.client("owner").post(
        "/api/v1/flags/", {"prior_art": prior_art.pk, "reason": "spam"}, format="json"
    )
    assert own_flag.json() == {
        "detail": "Confirmed accounts can report other people's contributions."
    }
    close(case)
    late = cast.client("other").post(
        f"/api/v1/cases/{case.pk}/prior-art/", payload(), format="json"
    )
    assert late.json() == {
        "detail": "This case is not open for review, so it takes no evidence."
    }


# --- Conflict of interest: the case's own staff ----------------------------------------

STAFF_CANNOT_SUBMIT = (
    "You review or examine this case, so you cannot submit evidence on it."
)
STAFF_CANNOT_RATE = (
    "You review or examine this case, so you cannot rate evidence on it."
)
NOT_PUBLIC = "Only what the public can see can be reported, and this is not public."


@pytest.mark.parametrize("role", STAFF)
def test_case_staff_are_refused_submitting_and_rating_with_a_reason(
    role, case_factory, editor_a
):
    case = case_factory("open")
    cast = Cast.for_case(case, editor_a)
    prior_art = service_submit(case, cast.users["owner"])
    client = cast.client(role)

    submitted = client.post(
        f"/api/v1/cases/{case.pk}/prior-art/", payload(), format="json"
    )
    assert submitted.status_code == 403
    assert submitted.json() == {"detail": STAFF_CANNOT_SUBMIT}
    rated = client.put(
        f"/api/v1/prior-art/{prior_art.pk}/rating/", {"rating": 5}, format="json"
    )
    assert rated.status_code == 403
    assert rated.json() == {"detail": STAFF_CANNOT_RATE}
    assert PriorArt.objects.filter(case=case).count() == 1
    assert not Vote.objects.exists()


def test_a_reviewer_of_the_case_area_is_staff_too(case_factory, editor_a):
    area = TechnologyAreaFactory(slug="api-area")
    case = case_factory("open", areas=[area])
    user = verified("area-reviewer")
    case_services.area_appoint_reviewer(area=area, user=user)
    response = api(user).post(
        f"/api/v1/cases/{case.pk}/prior-art/", payload(), format="json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": STAFF_CANNOT_SUBMIT}


def test_a_reviewer_of_another_case_submits_and_rates_on_this_one(
    case_factory, editor_a
):
    case = case_factory("open")
    cast = Cast.for_case(case, editor_a)
    prior_art = service_submit(case, cast.users["owner"])
    elsewhere = verified("reviewer-elsewhere")
    case_services.case_appoint_reviewer(case=case_factory("open"), user=elsewhere)
    client = api(elsewhere)

    submitted = client.post(
        f"/api/v1/cases/{case.pk}/prior-art/", payload(), format="json"
    )
    assert submitted.status_code == 201
    assert PriorArt.objects.get(pk=submitted.json()["id"]).author == elsewhere
    rated = client.put(
        f"/api/v1/prior-art/{prior_art.pk}/rating/", {"rating": 4}, format="json"
    )
    assert rated.status_code == 200
    assert rated.json()["rating"] == 4


def test_superusers_can_still_submit(case_factory, admin_user):
    case = case_factory("open")
    response = api(verify(admin_user)).post(
        f"/api/v1/cases/{case.pk}/prior-art/", payload(), format="json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize("state", ["held", PriorArtStatus.REJECTED])
def test_reporting_what_the_public_cannot_see_is_refused(state, case_factory, editor_a):
    case = case_factory("open")
    cast = Cast.for_case(case, editor_a)
    prior_art = set_state(service_submit(case, cast.users["owner"]), state)
    body = {"prior_art": prior_art.pk, "reason": "spam"}
    for role in STAFF:  # they can see it, but may not report it
        response = cast.client(role).post("/api/v1/flags/", body, format="json")
        assert response.status_code == 403, role
        assert response.json() == {"detail": NOT_PUBLIC}, role
    hidden = cast.client("other").post("/api/v1/flags/", body, format="json")
    assert hidden.status_code == 400  # the public does not see it at all
    assert not Flag.objects.exists()
