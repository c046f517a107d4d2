from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from submissions.models import PriorArt, PriorArtStatus
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth keeps its rate limits (sign-up, failed logins) in the cache, which
    outlives a test's database transaction."""
    cache.clear()
    yield
    cache.clear()


def verified(username: str, **kwargs):
    user = UserFactory(username=username, **kwargs)
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


@pytest.fixture
def alice(db):
    return verified("alice", first_name="Alice", last_name="Liddell")


@pytest.fixture
def bob(db):
    return verified("bob", first_name="Robert", last_name="Tables")


@pytest.fixture
def open_case(case_factory):
    return case_factory("open", claims=2)


_refs = iter(range(1, 10**6))


def make_prior_art(case, author, *, status=PriorArtStatus.SUBMITTED, **fields):
    """A submission as the services leave it, without their side effects."""
    n = next(_refs)
    fields.setdefault("title", f"Evidence {n} by {author.username}")
    fields.setdefault("relevance", "Shows the exhaust heat exchanger of claim 1.")
    return PriorArt.objects.create(
        case=case,
        author=author,
        tracking_ref=f"PA-T{n:03d}-{author.pk:04d}",
        kind="publication",
        status=status,
        **fields,
    )
