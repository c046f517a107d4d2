"""Account pages: your account, public profiles, follows, export and deletion."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Follow, NotifyFrequency
from accounts.services import account_erase, follow_set
from submissions.models import PriorArtStatus
from tests.factories import PASSWORD, TechnologyAreaFactory

from .conftest import make_prior_art, verified

pytestmark = pytest.mark.django_db

User = get_user_model()
LOGIN = reverse("account_login")


# --- Permission matrix --------------------------------------------------------------------


@pytest.fixture
def world(alice, bob, open_case):
    """alice (the owner), bob (another contributor), carol (erased while signed in) and
    a technology area, with one public and one held submission by alice."""
    carol = verified("carol")
    area = TechnologyAreaFactory(slug="energy", name="Energy")
    make_prior_art(open_case, alice, title="Public evidence")
    make_prior_art(open_case, alice, title="Held evidence", held_for_screening=True)
    erased = verified("dave")
    account_erase(user=erased)
    return {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "case": open_case,
        "area": area,
        "erased_profile": reverse("accounts:profile", args=["dave"]),
    }


def client_as(role: str, world) -> Client:
    client = Client()
    if role == "owner":
        client.force_login(world["alice"])
    elif role == "other":
        client.force_login(world["bob"])
    elif role == "erased":
        client.force_login(world["carol"])
        account_erase(user=world["carol"])
    return client


def request_for(page: str, world):
    case, area = world["case"], world["area"]
    return {
        "me": ("get", reverse("accounts:profile_me"), {}),
        "me_post": (
            "post",
            reverse("accounts:profile_me"),
            {"notify_frequency": "daily"},
        ),
        "export": ("get", reverse("accounts:export"), {}),
        "export_post": ("post", reverse("accounts:export"), {}),
        "delete": ("get", reverse("accounts:delete"), {}),
        "profile_alice": ("get", reverse("accounts:profile", args=["alice"]), {}),
        "profile_erased": ("get", world["erased_profile"], {}),
        "follow_case": (
            "post",
            reverse("accounts:follow_case", args=[case.pk]),
            {"follow": "1"},
        ),
        "follow_area": (
            "post",
            reverse("accounts:follow_area", args=[area.slug]),
            {"follow": "1"},
        ),
    }[page]


LOGIN_REQUIRED = "login"  # a 302 to the sign-in page
MATRIX = {
    # page:            anonymous,      owner, other, erased (signed in when erased)
    "me": (LOGIN_REQUIRED, 200, 200, LOGIN_REQUIRED),
    "me_post": (LOGIN_REQUIRED, 302, 302, LOGIN_REQUIRED),
    "export": (LOGIN_REQUIRED, 200, 200, LOGIN_REQUIRED),
    "export_post": (LOGIN_REQUIRED, 200, 200, LOGIN_REQUIRED),
    "delete": (LOGIN_REQUIRED, 200, 200, LOGIN_REQUIRED),
    "profile_alice": (200, 200, 200, 200),
    "profile_erased": (404, 404, 404, 404),
    "follow_case": (LOGIN_REQUIRED, 302, 302, LOGIN_REQUIRED),
    "follow_area": (LOGIN_REQUIRED, 302, 302, LOGIN_REQUIRED),
}
ROLES = ("anonymous", "owner", "other", "erased")


@pytest.mark.parametrize(
    "page,role,expected",
    [
        (page, role, expected)
        for page, row in MATRIX.items()
        for role, expected in zip(ROLES, row, strict=True)
    ],
)
def test_permission_matrix(world, page, role, expected):
    client = client_as(role, world)
    method, url, data = request_for(page, world)
    response = getattr(client, method)(url, data)
    if expected == LOGIN_REQUIRED:
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == expected
    if role == "erased" or role == "anonymous":
        assert not Follow.objects.exists()


# --- Your account -------------------------------------------------------------------------


def test_account_page_shows_handle_email_follows_and_all_own_submissions(
    client, alice, open_case
):
    make_prior_art(open_case, alice, title="Waiting evidence", held_for_screening=True)
    make_prior_art(
        open_case,
        alice,
        title="Turned down evidence",
        status=PriorArtStatus.REJECTED,
        status_reason="Published after the priority date.",
    )
    follow_set(user=alice, case=open_case, follow=True)
    client.force_login(alice)

    response = client.get(reverse("accounts:profile_me"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "alice@example.org" in html
    assert reverse("account_email") in html
    assert "Waiting evidence" in html and "Waiting for screening" in html
    assert "Turned down evidence" in html and "Rejected" in html
    assert "Published after the priority date." in html
    for item in response.context["page"].object_list:
        assert f'href="/evidence/{item.tracking_ref}/"' in html
    assert open_case.reference in html
    assert reverse("accounts:follow_case", args=[open_case.pk]) in html
    assert reverse("accounts:export") in html
    assert reverse("accounts:delete") in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_saving_the_notification_preference_shows_a_message(client, alice):
    client.force_login(alice)

    response = client.post(
        reverse("accounts:profile_me"), {"notify_frequency": "daily"}, follow=True
    )

    alice.refresh_from_db()
    assert alice.notify_frequency == NotifyFrequency.DAILY
    assert "Your notification preference is saved." in response.content.decode()


@pytest.mark.parametrize(
    "value", ["hourly", "", "<script>alert(1)</script>", "ß" * 300]
)
def test_an_invalid_preference_is_a_form_error_not_a_500(client, alice, value):
    client.force_login(alice)

    response = client.post(reverse("accounts:profile_me"), {"notify_frequency": value})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'href="#id_notify_frequency_0"' in html
    assert "<script>alert(1)</script>" not in html
    alice.refresh_from_db()
    assert alice.notify_frequency == NotifyFrequency.IMMEDIATE


def test_csrf_is_enforced_on_account_forms(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    response = client.post(
        reverse("accounts:profile_me"), {"notify_frequency": "never"}
    )

    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.notify_frequency == NotifyFrequency.IMMEDIATE


def _query_count(client, url) -> int:
    client.get(url)  # warm per-process caches (content types, site root)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_account_page_queries_do_not_grow_with_submissions_or_follows(
    client, alice, case_factory
):
    client.force_login(alice)
    url = reverse("accounts:profile_me")
    case = case_factory("open")
    make_prior_art(case, alice)
    follow_set(user=alice, case=case, follow=True)
    few = _query_count(client, url)

    for _ in range(8):
        other = case_factory("open")
        make_prior_art(other, alice)
        follow_set(user=alice, case=other, follow=True)
        follow_set(user=alice, area=TechnologyAreaFactory(), follow=True)

    assert _query_count(client, url) == few
    assert few <= 14


# --- Public profiles ----------------------------------------------------------------------


def test_public_profile_shows_only_what_the_viewer_may_see(
    client, alice, bob, open_case
):
    make_prior_art(open_case, alice, title="Public evidence")
    make_prior_art(open_case, alice, title="Vetted evidence", status="vetted")
    make_prior_art(open_case, alice, title="Forwarded evidence", status="forwarded")
    make_prior_art(open_case, alice, title="Held evidence", held_for_screening=True)
    make_prior_art(open_case, alice, title="Rejected evidence", status="rejected")
    url = reverse("accounts:profile", args=["alice"])

    for viewer in (None, bob):
        if viewer:
            client.force_login(viewer)
        response = client.get(url)
        html = response.content.decode()
        assert "Public evidence" in html and "Vetted evidence" in html
        assert "Held evidence" not in html and "Rejected evidence" not in html
        assert response.context["counts"] == {
            "submitted": 3,
            "vetted": 2,
            "forwarded": 1,
        }
        assert "Member since" in html

    client.force_login(alice)
    response = client.get(url)
    html = response.content.decode()
    assert "Held evidence" in html and "Rejected evidence" in html
    assert response.context["counts"]["submitted"] == 5
    assert "This is your public profile." in html


def test_public_profile_never_shows_email_or_real_name(client, alice, bob, open_case):
    make_prior_art(open_case, alice)
    for viewer in (None, bob, alice):
        if viewer:
            client.force_login(viewer)
        html = client.get(reverse("accounts:profile", args=["alice"])).content.decode()
        assert "alice@example.org" not in html
        assert "Alice" not in html and "Liddell" not in html


def test_unknown_handle_is_404(client, db):
    assert client.get(reverse("accounts:profile", args=["nobody"])).status_code == 404


def test_public_profile_queries_do_not_grow_with_submissions(
    client, alice, case_factory
):
    url = reverse("accounts:profile", args=["alice"])
    make_prior_art(case_factory("open"), alice)
    few = _query_count(client, url)
    for _ in range(8):
        make_prior_art(case_factory("open"), alice)
    assert _query_count(client, url) == few
    assert few <= 10


# --- Follow -------------------------------------------------------------------------------


def test_follow_and_unfollow_a_case_redirects_back_with_a_message(
    client, alice, open_case
):
    client.force_login(alice)
    url = reverse("accounts:follow_case", args=[open_case.pk])
    back = reverse("cases:detail", args=[open_case.pk])

    response = client.post(url, {"follow": "1", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert Follow.objects.filter(user=alice, case=open_case).exists()
    html = client.get(back).content.decode()
    assert f"You follow {open_case.reference}." in html

    response = client.post(url, {"follow": "0", "next": back}, follow=True)
    assert not Follow.objects.filter(user=alice, case=open_case).exists()
    assert f"You no longer follow {open_case.reference}." in response.content.decode()


def test_following_twice_keeps_one_follow(client, alice, open_case):
    client.force_login(alice)
    url = reverse("accounts:follow_case", args=[open_case.pk])
    client.post(url, {"follow": "1"})
    client.post(url, {"follow": "1"})
    assert Follow.objects.filter(user=alice, case=open_case).count() == 1


def test_follow_an_area(client, alice):
    area = TechnologyAreaFactory(slug="batteries", name="Batteries")
    client.force_login(alice)

    response = client.post(
        reverse("accounts:follow_area", args=["batteries"]), {"follow": "1"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('cases:list')}?area=batteries"
    assert Follow.objects.filter(user=alice, area=area).exists()


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/phish",
        "//evil.example/",
        "javascript:alert(1)",
        "http://testserver@evil.example/",
    ],
)
def test_follow_never_redirects_off_site(client, alice, open_case, next_url):
    client.force_login(alice)

    response = client.post(
        reverse("accounts:follow_case", args=[open_case.pk]),
        {"follow": "1", "next": next_url},
    )

    assert response["Location"] == reverse("cases:detail", args=[open_case.pk])


def test_follow_of_a_missing_or_unpublished_case_is_404(client, alice, case_factory):
    draft = case_factory("draft")
    client.force_login(alice)
    for pk in (draft.pk, 999_999):
        response = client.post(
            reverse("accounts:follow_case", args=[pk]), {"follow": "1"}
        )
        assert response.status_code == 404
    missing_area = reverse("accounts:follow_area", args=["no-such-area"])
    assert client.post(missing_area, {"follow": "1"}).status_code == 404
    assert not Follow.objects.exists()


def test_a_case_unpublished_since_can_still_be_unfollowed_not_followed(
    client, alice, bob, case_factory
):
    case = case_factory("open")
    follow_set(user=alice, case=case, follow=True)
    type(case).objects.filter(pk=case.pk).update(live=False)
    url = reverse("accounts:follow_case", args=[case.pk])

    client.force_login(bob)
    assert client.post(url, {"follow": "1"}).status_code == 404
    assert client.post(url, {"follow": "0"}).status_code == 404

    client.force_login(alice)
    html = client.get(reverse("accounts:profile_me")).content.decode()
    assert case.title in html
    assert reverse("cases:detail", args=[case.pk]) not in html
    assert client.post(url, {"follow": "0"}).status_code == 302
    assert not Follow.objects.exists()


@pytest.mark.parametrize("data", [{}, {"follow": "yes"}, {"follow": "2"}])
def test_follow_with_a_bad_value_is_400(client, alice, open_case, data):
    client.force_login(alice)
    url = reverse("accounts:follow_case", args=[open_case.pk])
    assert client.post(url, data).status_code == 400
    assert not Follow.objects.exists()


def test_follow_is_post_only(client, alice, open_case):
    client.force_login(alice)
    url = reverse("accounts:follow_case", args=[open_case.pk])
    assert client.get(url, {"follow": "1"}).status_code == 405
    assert not Follow.objects.exists()


def test_anonymous_follow_goes_to_sign_in_and_back_to_the_case(client, open_case):
    back = reverse("cases:detail", args=[open_case.pk])
    response = client.post(
        reverse("accounts:follow_case", args=[open_case.pk]),
        {"follow": "1", "next": back},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={back.replace('/', '%2F')}"


def test_follow_button_tag_reflects_the_current_follow(alice, open_case):
    template = Template("{% load accounts_tags %}{% follow_button case=case %}")
    request = RequestFactory().get("/cases/")
    request.user = alice

    html = template.render(Context({"request": request, "case": open_case}))
    assert 'name="follow" value="1"' in html
    assert reverse("accounts:follow_case", args=[open_case.pk]) in html
    assert 'name="next" value="/cases/"' in html

    follow_set(user=alice, case=open_case, follow=True)
    html = template.render(Context({"request": request, "case": open_case}))
    assert 'name="follow" value="0"' in html


def test_contributor_tag_links_people_and_not_former_contributors(alice, bob):
    template = Template("{% load accounts_tags %}{% contributor person %}")
    html = template.render(Context({"person": alice}))
    assert html == f'<a href="{reverse("accounts:profile", args=["alice"])}">alice</a>'
    account_erase(user=bob)
    bob.refresh_from_db()
    html = template.render(Context({"person": bob}))
    assert "former contributor" in html and "<a" not in html


# --- Export -------------------------------------------------------------------------------


def test_export_get_explains_and_post_downloads(client, alice):
    client.force_login(alice)
    url = reverse("accounts:export")

    page = client.get(url)
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "Download your data" in page.content.decode()

    download = client.post(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/json; charset=utf-8"
    assert (
        download["Content-Disposition"]
        == 'attachment; filename="opendocket-data-alice.json"'
    )
    assert json.loads(download.content)["account"]["handle"] == "alice"

    assert client.put(url).status_code == 405


def test_export_holds_own_contributions_and_nobody_elses(client, alice, bob, open_case):
    from submissions.models import Comment, Flag, Vote

    mine = make_prior_art(open_case, alice, title="Alice's thermocouple paper")
    theirs = make_prior_art(open_case, bob, title="Bob's exhaust patent")
    Comment.objects.create(case=open_case, author=alice, body="Alice comments here")
    Comment.objects.create(case=open_case, author=bob, body="Bob comments there")
    Vote.objects.create(prior_art=theirs, voter=alice, rating=4)
    Vote.objects.create(prior_art=mine, voter=bob, rating=2)
    Flag.objects.create(reporter=alice, prior_art=theirs, reason="spam")
    follow_set(user=alice, case=open_case, follow=True)
    client.force_login(alice)

    data = json.loads(client.post(reverse("accounts:export")).content)

    assert [p["title"] for p in data["prior_art"]] == ["Alice's thermocouple paper"]
    assert [c["body"] for c in data["comments"]] == ["Alice comments here"]
    assert data["ratings"] == [{"prior_art": theirs.tracking_ref, "rating": 4}]
    assert [f["reason"] for f in data["flags"]] == ["spam"]
    assert data["follows"] == [{"case": open_case.reference, "area": None}]
    assert data["account"]["email"] == "alice@example.org"
    dump = json.dumps(data)
    for other in ("bob", "Bob comments", "Robert", "Tables", "Bob's exhaust"):
        assert other not in dump


def test_export_filename_is_safe_for_unusual_handles(client, db):
    user = verified("zoë+ü@x")
    client.force_login(user)
    response = client.post(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename")
    assert "\n" not in response["Content-Disposition"]


# --- Delete -------------------------------------------------------------------------------


def test_delete_get_shows_the_form_and_erases_nothing(client, alice):
    client.force_login(alice)
    response = client.get(reverse("accounts:delete"))
    assert response.status_code == 200
    assert "This cannot be undone." in response.content.decode()
    alice.refresh_from_db()
    assert not alice.is_erased


@pytest.mark.parametrize(
    "data,field",
    [
        ({"password": PASSWORD, "confirm": "delete"}, "confirm"),
        ({"password": PASSWORD, "confirm": ""}, "confirm"),
        ({"password": "wrong-password", "confirm": "DELETE"}, "password"),
        ({"confirm": "DELETE"}, "password"),
    ],
)
def test_delete_refuses_without_confirmation_and_password(client, alice, data, field):
    client.force_login(alice)

    response = client.post(reverse("accounts:delete"), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'href="#id_{field}"' in response.content.decode()
    alice.refresh_from_db()
    assert not alice.is_erased


def test_delete_erases_signs_out_and_says_so(client, alice, open_case):
    evidence = make_prior_art(open_case, alice, title="Lasting evidence")
    client.force_login(alice)

    response = client.post(
        reverse("accounts:delete"),
        {"password": PASSWORD, "confirm": "DELETE"},
        follow=True,
    )

    assert response.redirect_chain == [("/", 302)]
    assert "Your account is deleted." in response.content.decode()
    assert not response.context["user"].is_authenticated
    alice.refresh_from_db()
    assert alice.is_erased and not alice.is_active
    evidence.refresh_from_db()
    assert evidence.author_id == alice.pk
    assert client.get(reverse("accounts:profile_me")).status_code == 302
