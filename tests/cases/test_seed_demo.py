from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cases.models import Case, CaseLogEntry
from cases.permissions import (
    ROLE_GROUPS,
    cases_for_user,
    user_can_examine_case,
    user_can_review_case,
)
from cms.models import HomePage, StandardPage
from review.models import Dossier, DossierItem, ForwardTrigger, ReviewerRating
from review.permissions import dossiers_for_user
from review.selectors import screening_queue
from submissions.models import Comment, Flag, PriorArt, Vote

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
        "carol",
    }
    assert all(users[name].check_password("opendocket-demo") for name in users)
    assert users["admin"].is_superuser and not users["alice"].is_superuser
    assert users["editor-a"].groups.filter(name=ROLE_GROUPS["editor"]).exists()

    agencies = {case.agency.slug for case in Case.objects.all()}
    assert len(agencies) == 2
    states = Counter(Case.objects.values_list("status", flat=True))
    assert set(states) == {"draft", "scheduled", "open", "closed", "forwarded"}
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


def demo_counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            Case,
            PriorArt,
            Vote,
            Flag,
            Comment,
            ReviewerRating,
            Dossier,
            DossierItem,
            CaseLogEntry,
            StandardPage,
        )
    }


def test_reviewer_finds_a_queue_and_examiner_a_dossier_on_first_login():
    call_command("seed_demo", stdout=StringIO())
    users = {u.username: u for u in User.objects.all()}

    queue = list(screening_queue(user=users["reviewer"]))
    assert len(queue) >= 4
    assert {row.case.agency.slug for row in queue} == {"patent-office"}
    waiting = [row for row in queue if row.case.reference == "NP 2025/004417"]
    assert any(row.held_for_screening for row in waiting)
    assert any(row.open_flags for row in waiting)
    assert any(row.suspected_duplicate for row in waiting)
    assert any(row.is_public and not row.open_flags for row in waiting)
    assert not list(screening_queue(user=users["examiner"]))

    dossier = dossiers_for_user(users["examiner"]).get()
    assert dossier.case.reference == "NP 2024/015538"
    assert dossier.case.status == "forwarded"
    assert dossier.forwarded_by == users["reviewer"]
    assert dossier.trigger == ForwardTrigger.REVIEWER
    assert dossier.decided_at is None
    items = list(dossier.items.order_by("rank"))
    assert len(items) == dossier.item_count == 4
    assert all(item.outcome == "" for item in items)
    # Contributors' and the reviewer's ratings went into the ranking.
    top = items[0].snapshot
    assert top["title"].startswith("Proportional regenerative braking")
    assert top["score"]["ratings"] == 2 and top["score"]["reviewer_ratings"] == 1
    assert not dossiers_for_user(users["reviewer"]).exists()
    assert not dossiers_for_user(users["editor-b"]).exists()


def test_seed_demo_twice_changes_nothing_and_the_second_run_is_cheap(
    django_assert_max_num_queries,
):
    call_command("seed_demo", stdout=StringIO())
    before = demo_counts()
    out = StringIO()
    with django_assert_max_num_queries(6):
        call_command("seed_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert demo_counts() == before


def test_the_full_run_is_idempotent_too(monkeypatch):
    """Without the quick check (a database seeded by an older version takes this path),
    every step still finds what exists and adds nothing twice."""
    from cases.management.commands.seed_demo import Command

    call_command("seed_demo", stdout=StringIO())
    before = demo_counts()
    monkeypatch.setattr(Command, "_seeded", lambda self: False)
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "0 new cases, 0 new submissions" in out.getvalue()
    assert demo_counts() == before
