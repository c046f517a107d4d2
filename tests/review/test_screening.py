"""Screening decisions: who may make them, from which states, and what they carry."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Notification
from accounts.services import follow_set
from cases import services as case_services
from review import services
from submissions import services as submission_services
from submissions.models import AuditEvent, PriorArtStatus, Vote
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def verified(username):
    user = UserFactory(username=username)
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


@pytest.fixture
def setup(case_factory, reviewer):
    case = case_factory("open", claims=3)
    case_services.case_appoint_reviewer(case=case, user=reviewer)
    return case, reviewer


def submit(case, author, title, claims=(1,), identifier=""):
    return submission_services.prior_art_submit(
        case=case,
        author=author,
        data={
            "kind": "publication",
            "title": title,
            "relevance": "Relevant.",
            "identifier": identifier,
            "excerpt": f"{title} excerpt text words",
        },
        mappings=[
            submission_services.MappingInput(n, f"{author} on claim {n}")
            for n in claims
        ],
    )


def test_vetting_releases_a_held_submission_and_tells_followers_once(setup):
    case, reviewer = setup
    alice, follower = verified("alice-r"), verified("follower-r")
    follow_set(user=follower, case=case, follow=True)
    held = submit(case, alice, "Held first submission")
    assert held.held_for_screening
    assert not Notification.objects.filter(recipient=follower).exists()
    vetted = services.prior_art_vet(prior_art=held, actor=reviewer)
    assert vetted.status == PriorArtStatus.VETTED and vetted.is_public
    assert Notification.objects.filter(recipient=follower).count() == 1
    assert Notification.objects.filter(
        recipient=alice, subject__contains="Vetted"
    ).exists()


def test_only_the_cases_reviewers_screen(setup, case_factory, agency_b, editor_a):
    case, reviewer = setup
    alice = verified("alice-p")
    item = submit(case, alice, "Some evidence")
    other_reviewer = UserFactory(username="elsewhere")
    case_services.case_appoint_reviewer(
        case=case_factory("open", agency=agency_b), user=other_reviewer
    )
    for outsider in (alice, other_reviewer, editor_a):
        with pytest.raises(PermissionDenied):
            services.prior_art_vet(prior_art=item, actor=outsider)
    item.refresh_from_db()
    assert item.status == PriorArtStatus.SUBMITTED


def test_rejection_and_change_requests_need_a_reason_and_a_screenable_state(setup):
    case, reviewer = setup
    alice = verified("alice-q")
    item = submit(case, alice, "Needs a page number")
    with pytest.raises(ValidationError):
        services.prior_art_request_changes(prior_art=item, actor=reviewer, reason="  ")
    services.prior_art_request_changes(
        prior_art=item, actor=reviewer, reason="Add the page."
    )
    rejected = services.prior_art_reject(
        prior_art=item, actor=reviewer, reason="Published after the priority date."
    )
    assert rejected.status_reason == "Published after the priority date."
    with pytest.raises(ValidationError, match="cannot be"):
        services.prior_art_vet(prior_art=rejected, actor=reviewer)
    actions = list(
        AuditEvent.objects.filter(prior_art=item).values_list("action", "actor")
    )
    assert actions == [
        ("submit", alice.pk),
        ("request_changes", reviewer.pk),
        ("reject", reviewer.pk),
    ]


def test_duplicate_merges_ratings_and_mappings_without_double_counting(setup, settings):
    settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = False
    case, reviewer = setup
    alice, bob, carol, dave = (
        verified(n) for n in ("alice-d", "bob-d", "carol-d", "dave-d")
    )
    original = submit(case, alice, "The 1998 manual", claims=(1, 2))
    copy = submit(case, bob, "Manual from 1998, again", claims=(2, 3))
    submission_services.vote_set(prior_art=original, voter=carol, rating=5)
    submission_services.vote_set(prior_art=copy, voter=carol, rating=2)  # rated both
    submission_services.vote_set(prior_art=copy, voter=dave, rating=4)  # only the copy
    submission_services.vote_set(
        prior_art=copy, voter=alice, rating=3
    )  # original's author

    services.prior_art_mark_duplicate(prior_art=copy, original=original, actor=reviewer)

    copy.refresh_from_db()
    assert copy.status == PriorArtStatus.DUPLICATE and copy.duplicate_of == original
    votes = dict(
        Vote.objects.filter(prior_art=original).values_list("voter__username", "rating")
    )
    assert votes == {"carol-d": 5, "dave-d": 4}
    mappings = dict(original.mappings.values_list("claim__number", "explanation"))
    assert mappings == {
        1: "alice-d on claim 1",
        2: "alice-d on claim 2",
        3: "bob-d on claim 3",
    }
    assert AuditEvent.objects.filter(
        prior_art=original, action="merge_duplicate"
    ).exists()


def test_duplicate_points_at_the_root_and_never_at_itself(setup, settings):
    settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = False
    case, reviewer = setup
    alice, bob, carol = verified("a-x"), verified("b-x"), verified("c-x")
    root = submit(case, alice, "Root document")
    middle = submit(case, bob, "Middle copy")
    services.prior_art_mark_duplicate(prior_art=middle, original=root, actor=reviewer)
    late = submit(case, carol, "Late copy")
    services.prior_art_mark_duplicate(prior_art=late, original=middle, actor=reviewer)
    late.refresh_from_db()
    assert late.duplicate_of == root
    with pytest.raises(ValidationError):
        services.prior_art_mark_duplicate(prior_art=root, original=root, actor=reviewer)
