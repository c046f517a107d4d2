"""Permission matrix of every contribution page: each role × case state × submission
state, each cell's status code asserted.

Roles: anonymous, an unverified account, a verified contributor who does not own the
item, its owner, and the case's reviewer, examiner and agency editor (all verified).
Each request runs in a savepoint that is rolled back, so every cell starts from the same
state. 302 on a write means it succeeded (or, for anonymous visitors, that they were sent
to sign in: those cells also check the redirect goes to the login page).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from cases import services as case_services
from submissions import services
from submissions.models import PriorArtStatus
from tests.factories import UserFactory

from .factories import (
    close_case,
    make_prior_art,
    pdf_upload,
    private_media_fixture,  # noqa: F401 - fixture
    relaxed_limits_fixture,  # noqa: F401 - fixture
    set_state,
    verified_user,
    verify,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("relaxed_limits", "private_media"),
]

ROLES = (
    "anonymous",
    "unverified",
    "contributor",
    "owner",
    "reviewer",
    "examiner",
    "editor",
)
STAFF = {"reviewer", "examiner", "editor"}
VERIFIED = {"contributor", "owner", *STAFF}
SUBMISSION_STATES = (
    PriorArtStatus.SUBMITTED,
    PriorArtStatus.NEEDS_CHANGES,
    PriorArtStatus.REJECTED,
    PriorArtStatus.WITHDRAWN,
)
LOGIN_URL = "/accounts/login/"


@dataclass
class World:
    case: object
    users: dict
    prior_art: object = None
    comment: object = None

    @classmethod
    def build(cls, case_factory, editor, case_state, submission_state=None):
        case = case_factory("scheduled" if case_state == "scheduled" else "open")
        users = {
            "anonymous": None,
            "unverified": UserFactory(username="m-unverified"),
            "contributor": verified_user("m-contributor"),
            "owner": verified_user("m-owner"),
            "reviewer": verified_user("m-reviewer"),
            "examiner": verified_user("m-examiner"),
            "editor": verify(editor),
        }
        case_services.case_appoint_reviewer(case=case, user=users["reviewer"])
        case_services.case_appoint_examiner(case=case, user=users["examiner"])
        world = cls(case=case, users=users)
        if case_state != "scheduled":
            world.prior_art = make_prior_art(
                case, users["owner"], files=[pdf_upload()], claims=(1, 2)
            )
            world.comment = services.comment_post(
                case=case, author=users["owner"], body="The owner's comment."
            )
            if submission_state:
                set_state(world.prior_art, submission_state, reason="Matrix.")
            if case_state == "closed":
                close_case(case)
        return world

    def client(self, role) -> Client:
        """One signed-in client per role, kept for the whole matrix (the session is
        created outside the savepoints that each request rolls back)."""
        clients = self.__dict__.setdefault("_clients", {})
        if role not in clients:
            clients[role] = Client()
            if self.users[role] is not None:
                clients[role].force_login(
                    self.users[role],
                    backend="django.contrib.auth.backends.ModelBackend",
                )
        return clients[role]


def status(client: Client, method: str, url: str, data: dict | None = None) -> int:
    with transaction.atomic():
        response = getattr(client, method)(url, data or {})
        transaction.set_rollback(True)
    if response.status_code == 302 and client.session.is_empty():
        assert response.url.startswith(LOGIN_URL), response.url
    if response.streaming:
        # Reading to the end lets the test client close the file without firing
        # request_finished (which would close the test's database connection).
        b"".join(response.streaming_content)
    return response.status_code


def run(world: World, requests: dict) -> dict:
    """``requests`` maps a page name to (method, url, data); returns
    {(page, role): status} for every role."""
    return {
        (page, role): status(world.client(role), method, url, data)
        for page, (method, url, data) in requests.items()
        for role in ROLES
    }


def prior_art_form(**overrides) -> dict:
    return {
        "kind": "patent",
        "title": "A different document entirely, for the matrix",
        "published_on_precision": "day",
        "relevance": "Relevant to claim 1.",
        "claims": ["1"],
        "explanation_1": "Claim 1 is on page 3.",
        **overrides,
    }


# --- Case-level pages: submit, comment, the case page ------------------------------------


def expected_case_pages(role: str, case_state: str) -> dict:
    cells = {}
    for page, success in (
        ("case_page", 200),
        ("submit_get", 200),
        ("submit_post", 302),
        ("comment_get", 200),
        ("comment_post", 302),
    ):
        if page == "case_page":
            code = 200
        elif role == "anonymous":
            code = 302
        elif role == "unverified" or case_state != "open":
            code = 403
        elif role in STAFF and page.startswith("submit_"):
            code = 403  # no evidence on a case one judges
        else:
            code = success
        cells[(page, role)] = code
    return cells


@pytest.mark.parametrize("case_state", ["scheduled", "open", "closed"])
def test_case_level_pages(case_factory, editor_a, case_state):
    world = World.build(case_factory, editor_a, case_state)
    case = world.case
    submit = reverse("submissions:submit", args=[case.pk])
    comment = reverse("submissions:comment_post", args=[case.pk])
    actual = run(
        world,
        {
            "case_page": ("get", reverse("cases:detail", args=[case.pk]), None),
            "submit_get": ("get", submit, None),
            "submit_post": ("post", submit, prior_art_form()),
            "comment_get": ("get", comment, None),
            "comment_post": ("post", comment, {"body": "A comment.", "claim": "1"}),
        },
    )
    expected = {}
    for role in ROLES:
        expected.update(expected_case_pages(role, case_state))
    assert actual == expected


# --- Comment pages: reply, edit, report, hide ----------------------------------------------


def expected_comment_pages(role: str, case_state: str) -> dict:
    open_ = case_state == "open"
    if role == "anonymous":
        return dict.fromkeys(
            ("reply", "edit_get", "flag_get", "flag_post", "hide_get", "hide_post"),
            302,
        )
    return {
        "reply": 302 if open_ and role in VERIFIED else 403,
        "edit_get": 200 if open_ and role == "owner" else 403,
        "flag_get": 200 if role in VERIFIED - {"owner"} else 403,
        "flag_post": 302 if role in VERIFIED - {"owner"} else 403,
        "hide_get": 200 if role in {"reviewer", "editor"} else 403,
        "hide_post": 302 if role in {"reviewer", "editor"} else 403,
    }


@pytest.mark.parametrize("case_state", ["open", "closed"])
def test_comment_pages(case_factory, editor_a, case_state):
    world = World.build(case_factory, editor_a, case_state)
    pk = world.comment.pk
    actual = run(
        world,
        {
            "reply": (
                "post",
                reverse("submissions:comment_post", args=[world.case.pk]),
                {"body": "A reply.", "parent": pk},
            ),
            "edit_get": ("get", reverse("submissions:comment_edit", args=[pk]), None),
            "flag_get": ("get", reverse("submissions:comment_flag", args=[pk]), None),
            "flag_post": (
                "post",
                reverse("submissions:comment_flag", args=[pk]),
                {"reason": "abuse"},
            ),
            "hide_get": ("get", reverse("submissions:comment_hide", args=[pk]), None),
            "hide_post": (
                "post",
                reverse("submissions:comment_hide", args=[pk]),
                {"reason": "Off topic."},
            ),
        },
    )
    expected = {
        (page, role): code
        for role in ROLES
        for page, code in expected_comment_pages(role, case_state).items()
    }
    assert actual == expected


def test_unknown_comment_is_404_for_signed_in_users(case_factory, editor_a):
    world = World.build(case_factory, editor_a, "open")
    for name in ("comment_edit", "comment_flag", "comment_hide"):
        url = reverse(f"submissions:{name}", args=[999999])
        assert status(world.client("reviewer"), "get", url) == 404


# --- Evidence pages: detail, edit, withdraw, rate, report, attachment ----------------------


def expected_evidence_pages(role: str, case_state: str, state: str) -> dict:
    open_ = case_state == "open"
    public = state == PriorArtStatus.SUBMITTED
    visible = public or role == "owner" or role in STAFF
    editable = open_ and state in {
        PriorArtStatus.SUBMITTED,
        PriorArtStatus.NEEDS_CHANGES,
    }
    cells = {
        "detail": 200 if visible else 404,
        "attachment": 200 if role == "owner" or role in STAFF else 404,
    }
    for page, success in (
        ("edit_get", 200),
        ("edit_post", 302),
        ("withdraw_get", 200),
        ("withdraw_post", 302),
    ):
        if role == "anonymous":
            cells[page] = 302
        elif not visible:
            cells[page] = 404
        else:
            cells[page] = success if role == "owner" and editable else 403
    if role == "anonymous":
        cells["rate"] = cells["flag"] = 302
    elif not visible:
        cells["rate"] = cells["flag"] = 404
    elif role in {"owner", "unverified"}:
        cells["rate"] = cells["flag"] = 403
    else:
        # Staff rank through review, not ratings; only what the public sees is reported.
        cells["rate"] = 302 if public and open_ and role not in STAFF else 403
        cells["flag"] = 302 if public else 403
    return cells


@pytest.mark.parametrize("state", SUBMISSION_STATES)
@pytest.mark.parametrize("case_state", ["open", "closed"])
def test_evidence_pages(case_factory, editor_a, case_state, state):
    world = World.build(case_factory, editor_a, case_state, state)
    ref = world.prior_art.tracking_ref
    attachment = world.prior_art.attachments.get()
    actual = run(
        world,
        {
            "detail": ("get", reverse("submissions:detail", args=[ref]), None),
            "attachment": (
                "get",
                reverse("submissions:attachment", args=[attachment.pk]),
                None,
            ),
            "edit_get": ("get", reverse("submissions:edit", args=[ref]), None),
            "edit_post": (
                "post",
                reverse("submissions:edit", args=[ref]),
                prior_art_form(title="Edited in the matrix"),
            ),
            "withdraw_get": ("get", reverse("submissions:withdraw", args=[ref]), None),
            "withdraw_post": (
                "post",
                reverse("submissions:withdraw", args=[ref]),
                {"reason": ""},
            ),
            "rate": ("post", reverse("submissions:rate", args=[ref]), {"rating": "3"}),
            "flag": (
                "post",
                reverse("submissions:flag", args=[ref]),
                {"reason": "spam"},
            ),
        },
    )
    expected = {
        (page, role): code
        for role in ROLES
        for page, code in expected_evidence_pages(role, case_state, state).items()
    }
    assert actual == expected
    world.prior_art.refresh_from_db()
    assert world.prior_art.status == state  # every cell was rolled back


def test_held_submission_is_visible_to_its_owner_and_staff_only(case_factory, editor_a):
    world = World.build(case_factory, editor_a, "open")
    held = make_prior_art(world.case, world.users["owner"], public=False)
    url = reverse("submissions:detail", args=[held.tracking_ref])
    actual = {role: status(world.client(role), "get", url) for role in ROLES}
    assert actual == {
        "anonymous": 404,
        "unverified": 404,
        "contributor": 404,
        "owner": 200,
        "reviewer": 200,
        "examiner": 200,
        "editor": 200,
    }


def test_staff_of_another_agency_see_only_public_evidence(
    case_factory, editor_a, editor_b
):
    world = World.build(case_factory, editor_a, "open", PriorArtStatus.REJECTED)
    outsider = Client()
    outsider.force_login(
        verify(editor_b), backend="django.contrib.auth.backends.ModelBackend"
    )
    ref = world.prior_art.tracking_ref
    attachment = world.prior_art.attachments.get()
    assert status(outsider, "get", reverse("submissions:detail", args=[ref])) == 404
    assert (
        status(outsider, "get", reverse("submissions:attachment", args=[attachment.pk]))
        == 404
    )
    comment = world.comment.pk
    assert (
        status(outsider, "get", reverse("submissions:comment_hide", args=[comment]))
        == 403
    )
