"""Helpers for the contribution page tests: verified contributors, prior art created
through the services, submissions put in any state, closed cases, and fixtures that keep
rate limits and private files apart from every other test."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import services as case_services
from cases.models import Case
from submissions import services
from submissions.models import Attachment, PriorArt, PriorArtStatus
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
RELAXED_LIMITS = {
    group: "10000/h" for group in ("submit", "comment", "rate", "flag", "search")
}


def verify(user):
    """Confirm ``user``'s e-mail address, as following allauth's link does."""
    EmailAddress.objects.get_or_create(
        user=user,
        email=user.email,
        defaults={"verified": True, "primary": True},
    )
    EmailAddress.objects.filter(user=user).update(verified=True)
    return user


def verified_user(username: str):
    return verify(UserFactory(username=username))


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def pdf_upload(name: str = "evidence.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_prior_art(
    case: Case,
    author,
    *,
    public: bool = True,
    claims: tuple[int, ...] = (1,),
    files: list | None = None,
    **data,
) -> PriorArt:
    """Submit prior art through the service. ``public`` lifts the first-submission
    screening hold, as a reviewer's screening would."""
    values = {
        "kind": "publication",
        "title": "Waste heat to battery charge: a survey of automotive generators",
        "relevance": "Discloses the thermoelectric charger of the claims.",
        **data,
    }
    prior_art = services.prior_art_submit(
        case=case,
        author=author,
        data=values,
        mappings=[
            services.MappingInput(n, f"Claim {n} is shown in section {n}.")
            for n in claims
        ],
        files=files,
    )
    if public:
        PriorArt.objects.filter(pk=prior_art.pk).update(held_for_screening=False)
        prior_art.refresh_from_db()
    return prior_art


def set_state(prior_art: PriorArt, state: str, *, actor=None, reason: str = ""):
    """Move a submitted item to ``state`` through the one state-machine service."""
    if state != PriorArtStatus.SUBMITTED:
        services.prior_art_transition(
            prior_art=prior_art,
            actor=actor,
            to=state,
            allowed_from={PriorArtStatus.SUBMITTED},
            reason=reason,
            action="test",
        )
    prior_art.refresh_from_db()
    return prior_art


def close_case(case: Case) -> Case:
    """Close an open case the way the periodic task does once its window has passed."""
    Case.objects.filter(pk=case.pk).update(
        review_closes_at=timezone.now() - timedelta(minutes=1)
    )
    case_services.case_advance(case_id=case.pk)
    case.refresh_from_db()
    assert case.status == "closed"
    return case


@pytest.fixture(name="relaxed_limits")
def relaxed_limits_fixture(settings):
    """Generous rate limits and an empty counter cache, so only the tests about rate
    limits ever reach one."""
    settings.OPENDOCKET_RATE_LIMITS = dict(RELAXED_LIMITS)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(name="private_media")
def private_media_fixture(settings, tmp_path, monkeypatch):
    """Attachments of this test in a directory of its own (tests run in parallel, so a
    shared directory could not be checked for leftovers)."""
    root = tmp_path / "private-media"
    root.mkdir()
    settings.PRIVATE_MEDIA_ROOT = root
    monkeypatch.setattr(
        Attachment._meta.get_field("file"), "storage", FileSystemStorage(location=root)
    )
    return root


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]
