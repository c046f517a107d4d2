"""Sign-up, e-mail verification, sign-in, password reset and brute-force protection, through
django-allauth's and Wagtail's real views, rendered in the site layout."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from accounts.services import account_erase
from tests.factories import PASSWORD, UserFactory

from .conftest import make_prior_art, verified

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "a-much-longer-passphrase-42"


def signup_data(**overrides):
    data = {
        "email": "erin@example.org",
        "username": "erin",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "website": "",
    }
    data.update(overrides)
    return data


def link_in(message) -> str:
    match = re.search(r"https?://testserver(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def assert_site_layout(html: str) -> None:
    assert 'class="site-header"' in html
    assert 'class="skip-link"' in html
    assert "Menu:" not in html  # allauth's own bare layout


def sign_in(client, login, password=NEW_PASSWORD, **extra):
    return client.post(
        reverse("account_login"), {"login": login, "password": password}, **extra
    )


# --- Sign-up and its spam trap ------------------------------------------------------------


def test_signup_page_hides_the_honeypot_from_people_not_from_bots(client, db):
    html = client.get(reverse("account_signup")).content.decode()

    trap = re.search(
        r'<div class="field field--trap" aria-hidden="true">(.*?)</div>', html, re.S
    )
    assert trap, html
    assert 'name="website"' in trap.group(1)
    assert 'type="text"' in trap.group(1)
    assert 'tabindex="-1"' in trap.group(1)
    assert 'type="hidden" name="website"' not in html
    for label in ("Public handle", "E-mail address", "Password again"):
        assert label in html
    assert_site_layout(html)


def test_filled_honeypot_refuses_signup(client, db):
    response = client.post(
        reverse("account_signup"), signup_data(website="http://spam.example")
    )

    assert response.status_code == 200
    assert not User.objects.filter(username="erin").exists()
    assert not mail.outbox
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "Sign-up could not be completed." in html


def test_signup_errors_are_summarised_and_linked_to_their_fields(client, db):
    response = client.post(
        reverse("account_signup"),
        signup_data(email="not-an-address", password2="something-else-entirely"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index('class="error-summary"') < html.index("<h1>")
    assert 'href="#id_email"' in html and 'href="#id_password2"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert "<title>Error:" in html


# --- E-mail verification end to end -------------------------------------------------------


def test_signup_verify_by_emailed_link_then_sign_in(client, db):
    response = client.post(reverse("account_signup"), signup_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(username="erin")
    assert not EmailAddress.objects.get(user=user).verified
    page = client.get(response["Location"])
    assert "Check your e-mail" in page.content.decode()
    assert_site_layout(page.content.decode())

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[OpenDocket] Confirm your e-mail address"
    assert 'the OpenDocket account "erin"' in mail.outbox[0].body
    confirm_url = link_in(mail.outbox[0])
    page = client.get(confirm_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "erin@example.org" in html and "Confirm e-mail address" in html
    assert_site_layout(html)
    assert not EmailAddress.objects.get(
        user=user
    ).verified  # GET alone confirms nothing

    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    response = sign_in(client, "erin")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile_me")
    assert client.get(reverse("accounts:profile_me")).status_code == 200


def test_an_invalid_confirmation_link_says_so_in_plain_words(client, db):
    page = client.get(reverse("account_confirm_email", args=["not-a-real-key"]))
    html = page.content.decode()
    assert "This link has expired or has already been used." in html
    assert_site_layout(html)


def test_unverified_sign_in_leads_to_a_clear_verification_sent_page(client, db):
    client.post(reverse("account_signup"), signup_data())
    client.logout()

    response = sign_in(client, "erin@example.org", follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    assert "Check your e-mail" in html
    assert "You need to do this before you can sign in" in html
    assert_site_layout(html)
    assert not response.context["user"].is_authenticated


# --- Password reset ----------------------------------------------------------------------


def test_password_reset_by_emailed_link(client, db):
    user = verified("frank")

    response = client.post(
        reverse("account_reset_password"), {"email": "frank@example.org"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert_site_layout(client.get(response["Location"]).content.decode())

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[OpenDocket] Reset your password"
    response = client.get(link_in(mail.outbox[0]), follow=True)
    form_url = response.redirect_chain[-1][0]
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="password1"' in html and 'for="id_password1"' in html
    assert_site_layout(html)

    response = client.post(
        form_url,
        {"password1": "Fresh-passphrase-77", "password2": "Fresh-passphrase-77"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")

    assert sign_in(client, "frank", password=PASSWORD).status_code == 200  # old one
    response = sign_in(client, "frank", password="Fresh-passphrase-77")
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Fresh-passphrase-77")


# --- Sign-in, sign-out, the layout --------------------------------------------------------


def test_wrong_password_shows_an_error_summary_linked_to_the_field(client, db):
    verified("gina")

    response = sign_in(client, "gina", password="wrong")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html and 'href="#id_login"' in html
    assert 'for="id_login"' in html and 'for="id_password"' in html
    assert_site_layout(html)


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
    ],
)
def test_allauth_pages_for_visitors_render_in_the_site_layout(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_site_layout(response.content.decode())


@pytest.mark.parametrize(
    "name", ["account_logout", "account_email", "account_change_password"]
)
def test_allauth_pages_for_members_render_in_the_site_layout(client, alice, name):
    client.force_login(alice)
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert_site_layout(html)
    assert reverse("accounts:profile_me") in html  # breadcrumb back to the account


def test_header_offers_sign_in_to_visitors_and_a_sign_out_form_to_members(
    client, alice
):
    html = client.get(reverse("cases:list")).content.decode()
    assert f'href="{reverse("account_login")}"' in html
    assert f'href="{reverse("account_signup")}"' in html
    assert "Sign out" not in html

    client.force_login(alice)
    html = client.get(reverse("cases:list")).content.decode()
    assert f'href="{reverse("accounts:profile_me")}"' in html
    assert re.search(
        rf'<form method="post" action="{reverse("account_logout")}"[^>]*>\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken"',
        html,
    )
    assert f'href="{reverse("account_login")}"' not in html


def test_sign_out_is_a_post_and_says_so(client, alice):
    client.force_login(alice)

    response = client.post(reverse("account_logout"), follow=True)

    assert not response.context["user"].is_authenticated
    assert "You have signed out." in response.content.decode()


# --- Brute force --------------------------------------------------------------------------


# allauth's own limit on failed logins per account ("5/5m/key" in settings) equals
# AXES_FAILURE_LIMIT, so for five minutes allauth answers first, with a form error; only
# then does the lockout page show. Raised here so that the test sees django-axes answer.
AXES_ANSWERS_FIRST = {
    **settings.ACCOUNT_RATE_LIMITS,
    "login_failed": "100/m/ip,100/5m/key",
}


@override_settings(ACCOUNT_RATE_LIMITS=AXES_ANSWERS_FIRST)
def test_login_locks_after_too_many_wrong_passwords(client, db):
    verified("henry")

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "henry", password="wrong").status_code == 200
    assert sign_in(client, "henry", password="wrong").status_code == 429

    response = sign_in(client, "henry", password=PASSWORD)

    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many sign-in attempts" in html
    assert_site_layout(html)
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username="henry").exists()


def test_with_the_project_settings_the_right_password_is_refused_after_the_limit(
    client, db
):
    verified("ida")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ida", password="wrong")

    response = sign_in(client, "ida", password=PASSWORD)

    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert "Too many" in html


def test_wagtail_admin_login_locks_too(client, db):
    UserFactory(username="editor", is_staff=True, is_superuser=True)
    url = reverse("wagtailadmin_login")

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "editor", "password": "wrong"})

    response = client.post(url, {"username": "editor", "password": PASSWORD})

    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- Erasure ------------------------------------------------------------------------------


def test_erased_account_keeps_contributions_loses_profile_and_cannot_sign_in(
    client, alice, open_case
):
    evidence = make_prior_art(open_case, alice, title="Still useful evidence")

    account_erase(user=alice)

    alice.refresh_from_db()
    evidence.refresh_from_db()
    assert evidence.author == alice
    assert alice.public_name == "former contributor"
    assert not EmailAddress.objects.filter(user=alice).exists()
    for handle in ("alice", alice.username):
        assert client.get(reverse("accounts:profile", args=[handle])).status_code == 404
    for login in ("alice", "alice@example.org", alice.username):
        response = sign_in(client, login, password=PASSWORD)
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
