"""Helpers for the contributions API tests: people in every role, submissions in every
state, and API clients authenticated by token."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases import services as case_services
from cases.models import Case
from submissions import services
from submissions.models import PriorArt, PriorArtStatus
from tests.factories import UserFactory

# Generous limits, so that only the rate-limit tests ever reach one.
RELAXED_LIMITS = {group: "1000/h" for group in ("submit", "comment", "rate", "flag")}

ROLES = (
    "anonymous",
    "unverified",
    "contributor",
    "other",
    "owner",
    "reviewer",
    "examiner",
    "editor",
)
STAFF = ("reviewer", "examiner", "editor")


def relax(settings) -> None:
    """Test settings for API tests: relaxed rate limits, an empty rate-limit cache, no
    screening hold unless a test asks for it, and flags never hiding anything."""
    settings.OPENDOCKET_RATE_LIMITS = dict(RELAXED_LIMITS)
    settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = False
    settings.OPENDOCKET_FLAG_HIDE_THRESHOLD = 1000
    cache.clear()


def verify(user):
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def verified(username: str):
    return verify(UserFactory(username=username))


def api(user=None) -> APIClient:
    """A client authenticated by token as ``user`` (anonymous when None)."""
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def payload(**overrides) -> dict:
    """A valid JSON body for ``POST /api/v1/cases/{id}/prior-art/``."""
    body = {
        "kind": "publication",
        "title": "Exhaust heat recovery with bismuth telluride modules",
        "authors": "K. Matsubara",
        "published_on": "2001-06-01",
        "identifier": "doi:10.1109/ICT.2001.979608",
        "url": "https://example.org/matsubara-2001",
        "excerpt": "A thermoelectric generator on the exhaust pipe charges the battery.",
        "relevance": "Shows every element of claim 1 twenty years before priority.",
        "claim_mappings": [
            {"claim": 1, "explanation": "The module sits on the exhaust pipe."}
        ],
    }
    body.update(overrides)
    return body


def submit(case: Case, author, **overrides) -> PriorArt:
    """Submit through the service, as the pages would."""
    data = {
        "kind": "publication",
        "title": overrides.pop("title", "Waste heat to battery charge, a survey"),
        "relevance": "Discloses the charger of claim 1.",
        "identifier": overrides.pop("identifier", ""),
        **overrides,
    }
    return services.prior_art_submit(
        case=case,
        author=author,
        data=data,
        mappings=[services.MappingInput(1, "Same arrangement as claim 1.")],
    )


def set_state(prior_art: PriorArt, state: str) -> PriorArt:
    """Put a submission in ``state``: a status, or ``held`` (submitted and held for a
    first screening)."""
    if state == "held":
        PriorArt.objects.filter(pk=prior_art.pk).update(held_for_screening=True)
    elif state != PriorArtStatus.SUBMITTED:
        services.prior_art_transition(
            prior_art=prior_art,
            actor=None,
            to=state,
            allowed_from={PriorArtStatus.SUBMITTED},
            action="test",
        )
    prior_art.refresh_from_db()
    return prior_art


def close(case: Case) -> Case:
    """Close an open case as the periodic task would once its window has passed."""
    Case.objects.filter(pk=case.pk).update(
        review_closes_at=timezone.now() - timedelta(minutes=1)
    )
    case_services.case_advance(case_id=case.pk)
    case.refresh_from_db()
    assert case.status == "closed"
    return case


@dataclass
class Cast:
    """One user per role for a case (``anonymous`` is None). Everyone but
    ``unverified`` has a confirmed e-mail address; the staff roles are appointed
    through the cases services."""

    case: Case
    users: dict = field(default_factory=dict)

    @classmethod
    def for_case(cls, case: Case, editor) -> Cast:
        users = {
            "anonymous": None,
            "unverified": UserFactory(username="unverified"),
            "contributor": verified("contributor"),
            "other": verified("other"),
            "owner": verified("owner"),
            "reviewer": verified("case-reviewer"),
            "examiner": verified("case-examiner"),
            "editor": editor,
        }
        if not EmailAddress.objects.filter(user=editor, verified=True).exists():
            verify(editor)
        case_services.case_appoint_reviewer(case=case, user=users["reviewer"])
        case_services.case_appoint_examiner(case=case, user=users["examiner"])
        return cls(case=case, users=users)

    def client(self, role: str) -> APIClient:
        return api(self.users[role])


def rolled_back(request, client: APIClient) -> int:
    """Run ``request(client)`` in a savepoint that is rolled back, so every cell of a
    matrix starts from the same state. Returns the response's status code."""
    with transaction.atomic():
        response = request(client)
        transaction.set_rollback(True)
    return response.status_code
