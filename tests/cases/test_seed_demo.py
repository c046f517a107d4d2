from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cases.models import Case
from cases.permissions import (
    ROLE_GROUPS,
    cases_for_user,
    user_can_examine_case,
    user_can_review_case,
)
from cms.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_seed_demo_loads_every_role_and_every_state_once():
    call_command("seed_demo", stdout=StringIO())
    counts = (Case.objects.count(), User.objects.count(), StandardPage.objects.count())
    call_command("seed_demo", stdout=StringIO())  # idempotent
    assert (
        Case.objects.count(),
        User.objects.count(),
        StandardPage.objects.count(),
    ) == counts

    users = {u.username: u for u in User.objects.all()}
    assert set(users) >= {
        "admin",
        "editor-a",
        "editor-b",
        "reviewer",
        "examiner",
        "alice",
        "bob",
    }
    assert all(users[name].check_password("opendocket-demo") for name in users)
    assert users["admin"].is_superuser and not users["alice"].is_superuser
    assert users["editor-a"].groups.filter(name=ROLE_GROUPS["editor"]).exists()

    agencies = {case.agency.slug for case in Case.objects.all()}
    assert len(agencies) == 2
    states = Counter(Case.objects.values_list("status", flat=True))
    assert set(states) == {"draft", "scheduled", "open", "closed"}
    assert states["open"] >= 3
    for case in Case.objects.filter(status="open"):
        assert 5 <= case.claims.count() <= 20
        assert case.claims.exclude(depends_on=None).exists()

    a_cases = set(cases_for_user(users["editor-a"]))
    b_cases = set(cases_for_user(users["editor-b"]))
    assert a_cases and b_cases and a_cases.isdisjoint(b_cases)
    for case in Case.objects.filter(live=True, agency=next(iter(a_cases)).agency):
        assert user_can_review_case(users["reviewer"], case)
        assert user_can_examine_case(users["examiner"], case)

    home = HomePage.objects.get()
    assert home.body
    slugs = set(StandardPage.objects.live().values_list("slug", flat=True))
    assert {"guidelines-contributors", "guidelines-reviewers", "help", "about"} <= slugs


def test_seed_demo_refuses_where_demo_data_is_not_allowed(settings):
    settings.OPENDOCKET_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="disabled"):
        call_command("seed_demo")
    assert not User.objects.filter(username="admin").exists()
