"""Screening decisions: who may make them, from which states, and what they carry.

Every allowed move is made through ``review.services`` and leaves one audit row (from, to,
actor, reason); every refused one says why and leaves none. Duplicates merge their ratings
and claim mappings into the root of the chain without counting anyone twice.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Notification
from accounts.services import follow_set
from cases import services as case_services
from cases.models import Case, CaseStatus
from review import services
from review.models import ReviewerRating
from review.selectors import ranked_for_case
from submissions import services as submission_services
from submissions.models import AuditEvent, PriorArtStatus, Vote
from tests.factories import UserFactory
from tests.submissions.factories import close_case, set_state

pytestmark = pytest.mark.django_db

S = PriorArtStatus


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


def audit_count(prior_art=None):
    events = AuditEvent.objects.all()
    return (events.filter(prior_art=prior_art) if prior_art else events).count()


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


# --- Every allowed move, audited -----------------------------------------------------

ALLOWED = [
    # decision, from, to, audit action
    ("vet", S.SUBMITTED, S.VETTED, "vet"),
    ("needs_changes", S.SUBMITTED, S.NEEDS_CHANGES, "request_changes"),
    ("reject", S.SUBMITTED, S.REJECTED, "reject"),
    ("reject", S.NEEDS_CHANGES, S.REJECTED, "reject"),
    ("duplicate", S.SUBMITTED, S.DUPLICATE, "mark_duplicate"),
    ("duplicate", S.NEEDS_CHANGES, S.DUPLICATE, "mark_duplicate"),
]


@pytest.mark.parametrize("case_state", ["open", "closed"])
@pytest.mark.parametrize(("decision", "source", "target", "action"), ALLOWED)
def test_every_allowed_move_is_made_and_audited_with_from_to_actor_and_reason(
    case_factory, reviewer, case_state, decision, source, target, action
):
    case = case_factory("open", claims=2)
    case_services.case_appoint_reviewer(case=case, user=reviewer)
    alice, bob = verified("alice-m"), verified("bob-m")
    original = submit(case, bob, "The original document")
    item = set_state(submit(case, alice, "Evidence to screen"), source)
    if case_state == "closed":
        close_case(case)
        item.refresh_from_db()
    before = audit_count(item)

    result = services.screening_decide(
        prior_art=item,
        actor=reviewer,
        decision=decision,
        reason="Because of page 4.",
        duplicate_of=original if decision == "duplicate" else None,
    )

    item.refresh_from_db()
    assert result.status == item.status == target
    (event,) = AuditEvent.objects.filter(prior_art=item)[before:]
    assert (event.action, event.from_status, event.to_status) == (
        action,
        source,
        target,
    )
    assert event.actor_id == reviewer.pk
    assert event.reason == "Because of page 4."
    if decision != "vet":
        assert item.status_reason == "Because of page 4."  # what the contributor reads
    assert Notification.objects.filter(
        recipient=alice, key__startswith=f"status:{item.pk}:{event.pk}"
    ).exists()


def test_an_area_reviewer_and_a_superuser_screen_too(case_factory, admin_user):
    from tests.factories import TechnologyAreaFactory

    area = TechnologyAreaFactory(name="Energy", slug="energy")
    case = case_factory("open", areas=[area])
    area_reviewer = UserFactory(username="area-reviewer")
    case_services.area_appoint_reviewer(area=area, user=area_reviewer)
    one, two = (submit(case, verified(n), n) for n in ("c-one", "c-two"))
    services.prior_art_vet(prior_art=one, actor=area_reviewer)
    services.prior_art_vet(prior_art=two, actor=admin_user)
    assert list(
        AuditEvent.objects.filter(action="vet").values_list("actor", flat=True)
    ) == [area_reviewer.pk, admin_user.pk]


# --- Every forbidden move, refused with a reason and no audit ------------------------

FORBIDDEN_FROM = {
    "vet": [
        S.NEEDS_CHANGES,
        S.VETTED,
        S.REJECTED,
        S.DUPLICATE,
        S.WITHDRAWN,
        S.FORWARDED,
    ],
    "needs_changes": [
        S.NEEDS_CHANGES,
        S.VETTED,
        S.REJECTED,
        S.DUPLICATE,
        S.WITHDRAWN,
        S.FORWARDED,
    ],
    "reject": [S.VETTED, S.REJECTED, S.DUPLICATE, S.WITHDRAWN, S.FORWARDED],
    "duplicate": [S.VETTED, S.REJECTED, S.DUPLICATE, S.WITHDRAWN, S.FORWARDED],
}


@pytest.mark.parametrize(
    ("decision", "source"),
    [(d, s) for d, states in FORBIDDEN_FROM.items() for s in states],
)
def test_a_move_from_a_state_that_does_not_allow_it_is_refused_and_not_audited(
    setup, decision, source
):
    case, reviewer = setup
    original = submit(case, verified("orig-f"), "The original")
    item = set_state(submit(case, verified("alice-f"), "Already screened"), source)
    before, notes = audit_count(), Notification.objects.count()
    label = S(source).label.lower()

    with pytest.raises(ValidationError, match=f"This submission is {label}, so it"):
        services.screening_decide(
            prior_art=item,
            actor=reviewer,
            decision=decision,
            reason="A reason.",
            duplicate_of=original if decision == "duplicate" else None,
        )
    item.refresh_from_db()
    assert item.status == source
    assert audit_count() == before
    assert Notification.objects.count() == notes


def _case_in(case, state):
    """Put ``case`` in a state screening does not allow, as the services would."""
    if state in (CaseStatus.FORWARDED, CaseStatus.DECIDED):
        case_services.case_move(
            case_id=case.pk, to=CaseStatus.FORWARDED, allowed_from={CaseStatus.OPEN}
        )
    if state == CaseStatus.DECIDED:
        case_services.case_move(
            case_id=case.pk, to=CaseStatus.DECIDED, allowed_from={CaseStatus.FORWARDED}
        )
    if state == CaseStatus.WITHDRAWN:
        case.unpublish()
    if state == CaseStatus.DRAFT:
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.DRAFT, live=False)
    case.refresh_from_db()
    assert case.status == state


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (CaseStatus.FORWARDED, "This case is forwarded to examiner: evidence is"),
        (CaseStatus.DECIDED, "This case is decided: evidence is screened only"),
        (CaseStatus.WITHDRAWN, "This case is not published"),
        (CaseStatus.DRAFT, "This case is not published"),
    ],
)
@pytest.mark.parametrize("decision", ["vet", "needs_changes", "reject", "duplicate"])
def test_no_screening_outside_open_and_closed_cases(setup, state, message, decision):
    case, reviewer = setup
    original = submit(case, verified("orig-s"), "The original")
    item = submit(case, verified("alice-s"), "Late screening")
    _case_in(case, state)
    item.refresh_from_db()
    before = audit_count()
    with pytest.raises(PermissionDenied, match=message):
        services.screening_decide(
            prior_art=item,
            actor=reviewer,
            decision=decision,
            reason="Too late?",
            duplicate_of=original,
        )
    item.refresh_from_db()
    assert item.status == S.SUBMITTED
    assert audit_count() == before


@pytest.mark.parametrize("decision", ["vet", "needs_changes", "reject", "duplicate"])
def test_only_the_cases_reviewers_screen(
    setup, case_factory, agency_b, editor_a, examiner, decision
):
    case, reviewer = setup
    alice = verified("alice-p")
    item = submit(case, alice, "Some evidence")
    original = submit(case, verified("orig-p"), "The original")
    other_reviewer = UserFactory(username="elsewhere")
    case_services.case_appoint_reviewer(
        case=case_factory("open", agency=agency_b), user=other_reviewer
    )
    case_services.case_appoint_examiner(case=case, user=examiner)
    before = audit_count()
    for outsider in (alice, verified("stranger"), other_reviewer, editor_a, examiner):
        with pytest.raises(PermissionDenied, match="Only the reviewers of this case"):
            services.screening_decide(
                prior_art=item,
                actor=outsider,
                decision=decision,
                reason="Not mine to say.",
                duplicate_of=original,
            )
    item.refresh_from_db()
    assert item.status == PriorArtStatus.SUBMITTED
    assert audit_count() == before


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


@pytest.mark.parametrize("decision", ["needs_changes", "reject"])
@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_reason_is_required_to_reject_or_request_changes(setup, decision, reason):
    case, reviewer = setup
    item = submit(case, verified("alice-n"), "No reason given")
    before = audit_count()
    with pytest.raises(ValidationError) as caught:
        services.screening_decide(
            prior_art=item, actor=reviewer, decision=decision, reason=reason
        )
    assert caught.value.message_dict == {"reason": ["Give the contributor a reason."]}
    item.refresh_from_db()
    assert item.status == S.SUBMITTED and audit_count() == before


def test_unknown_decisions_and_a_duplicate_without_its_original_are_refused(setup):
    case, reviewer = setup
    item = submit(case, verified("alice-u"), "Unclear")
    with pytest.raises(ValidationError) as caught:
        services.screening_decide(prior_art=item, actor=reviewer, decision="approve")
    assert "decision" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.screening_decide(prior_art=item, actor=reviewer, decision="duplicate")
    assert "duplicate_of" in caught.value.message_dict
    item.refresh_from_db()
    assert item.status == S.SUBMITTED


# --- Reviewers' own ratings ----------------------------------------------------------


def test_a_reviewer_rates_submitted_and_vetted_evidence_and_can_change_the_rating(
    setup,
):
    case, reviewer = setup
    item = submit(case, verified("alice-rr"), "Rated by a reviewer")
    services.reviewer_rating_set(prior_art=item, reviewer=reviewer, rating=4)
    services.prior_art_vet(prior_art=item, actor=reviewer)
    rated = services.reviewer_rating_set(
        prior_art=item, reviewer=reviewer, rating=2, note="  Weaker than I thought. "
    )
    assert ReviewerRating.objects.filter(prior_art=item).count() == 1
    assert (rated.rating, rated.note) == (2, "Weaker than I thought.")
    events = list(
        AuditEvent.objects.filter(prior_art=item, action="reviewer_rating").values_list(
            "actor", "reason"
        )
    )
    assert events == [
        (reviewer.pk, "4/5"),
        (reviewer.pk, "2/5: Weaker than I thought."),
    ]


@pytest.mark.parametrize("rating", [0, 6, -1, True, "5", 3.5, None])
def test_a_reviewer_rating_is_a_whole_number_from_1_to_5(setup, rating):
    case, reviewer = setup
    item = submit(case, verified("alice-rv"), "Badly rated")
    with pytest.raises(ValidationError) as caught:
        services.reviewer_rating_set(prior_art=item, reviewer=reviewer, rating=rating)
    assert "rating" in caught.value.message_dict
    assert not ReviewerRating.objects.exists()
    assert not AuditEvent.objects.filter(action="reviewer_rating").exists()


@pytest.mark.parametrize(
    "state", [S.NEEDS_CHANGES, S.REJECTED, S.DUPLICATE, S.WITHDRAWN, S.FORWARDED]
)
def test_reviewers_rate_only_submitted_or_vetted_evidence(setup, state):
    case, reviewer = setup
    item = set_state(submit(case, verified("alice-rs"), "Not rateable"), state)
    with pytest.raises(ValidationError, match="reviewers rate submitted or vetted"):
        services.reviewer_rating_set(prior_art=item, reviewer=reviewer, rating=3)
    assert not ReviewerRating.objects.exists()


def test_only_the_cases_reviewers_rate_and_only_while_it_is_screened(
    setup, editor_a, examiner
):
    case, reviewer = setup
    item = submit(case, verified("alice-ro"), "Rated by the wrong people")
    case_services.case_appoint_examiner(case=case, user=examiner)
    for outsider in (editor_a, examiner, verified("someone")):
        with pytest.raises(PermissionDenied):
            services.reviewer_rating_set(prior_art=item, reviewer=outsider, rating=5)
    with pytest.raises(ValidationError) as caught:
        services.reviewer_rating_set(
            prior_art=item, reviewer=reviewer, rating=5, note="x" * 2001
        )
    assert "note" in caught.value.message_dict
    _case_in(case, CaseStatus.FORWARDED)
    item.refresh_from_db()
    with pytest.raises(PermissionDenied, match="This case is forwarded"):
        services.reviewer_rating_set(prior_art=item, reviewer=reviewer, rating=5)
    assert not ReviewerRating.objects.exists()


# --- Bulk ------------------------------------------------------------------------------


def test_bulk_screening_applies_what_it_can_and_says_why_not_for_the_rest(
    setup, case_factory, agency_b
):
    case, reviewer = setup
    fresh = [submit(case, verified(f"bulk-{n}"), f"Fresh {n}") for n in range(2)]
    done_already = set_state(
        submit(case, verified("bulk-v"), "Vetted already"), "vetted"
    )
    elsewhere = submit(
        case_factory("open", agency=agency_b), verified("bulk-o"), "Other"
    )
    ids = [fresh[0].pk, done_already.pk, elsewhere.pk, 999999, fresh[1].pk]

    done, errors = services.screening_bulk(
        prior_art_ids=ids, actor=reviewer, decision="reject", reason="Off topic."
    )

    assert sorted(p.pk for p in done) == sorted(p.pk for p in fresh)
    assert set(errors) == {done_already.pk, elsewhere.pk, 999999}
    assert "This submission is vetted, so it cannot be" in errors[done_already.pk]
    assert errors[elsewhere.pk].startswith("Only the reviewers of this case")
    assert errors[999999] == "No such submission."
    for item in fresh:
        item.refresh_from_db()
        assert item.status == S.REJECTED and item.status_reason == "Off topic."
    assert AuditEvent.objects.filter(action="reject").count() == 2
    elsewhere.refresh_from_db()
    assert elsewhere.status == S.SUBMITTED


def test_bulk_screening_checks_the_decision_and_the_reason_before_anything(setup):
    case, reviewer = setup
    item = submit(case, verified("bulk-r"), "Untouched")
    for decision, reason in (
        ("reject", ""),
        ("needs_changes", " "),
        ("duplicate", "x"),
    ):
        with pytest.raises(ValidationError):
            services.screening_bulk(
                prior_art_ids=[item.pk],
                actor=reviewer,
                decision=decision,
                reason=reason,
            )
    done, errors = services.screening_bulk(
        prior_art_ids=[item.pk], actor=reviewer, decision="vet"
    )
    assert [p.pk for p in done] == [item.pk] and errors == {}


# --- Duplicates --------------------------------------------------------------------------


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
    # The ranking counts each person once: carol's 5 and dave's 4.
    services.prior_art_vet(prior_art=original, actor=reviewer)
    (ranked,) = ranked_for_case(case)
    assert (ranked.prior_art.pk, ranked.score.ratings) == (original.pk, 2)


def test_duplicate_carries_reviewer_ratings_over_without_double_counting(setup):
    case, reviewer = setup
    second = UserFactory(username="second-reviewer")
    case_services.case_appoint_reviewer(case=case, user=second)
    original = submit(case, verified("alice-dr"), "Original")
    copy = submit(case, verified("bob-dr"), "Copy")
    services.reviewer_rating_set(prior_art=original, reviewer=reviewer, rating=5)
    services.reviewer_rating_set(prior_art=copy, reviewer=reviewer, rating=1)
    services.reviewer_rating_set(prior_art=copy, reviewer=second, rating=3)

    services.screening_decide(
        prior_art=copy, actor=reviewer, decision="duplicate", duplicate_of=original
    )

    assert dict(
        ReviewerRating.objects.filter(prior_art=original).values_list(
            "reviewer__username", "rating"
        )
    ) == {"reviewer": 5, "second-reviewer": 3}
    merge = AuditEvent.objects.get(prior_art=original, action="merge_duplicate")
    assert merge.actor_id == reviewer.pk
    assert "0 ratings and 1 reviewer ratings carried over" in merge.reason
    copy.refresh_from_db()
    assert copy.status_reason.startswith("The same document was submitted earlier as")


def test_duplicate_points_at_the_root_and_never_at_itself(setup, settings):
    settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = False
    case, reviewer = setup
    alice, bob, carol, dave = (verified(n) for n in ("a-x", "b-x", "c-x", "d-x"))
    root = submit(case, alice, "Root document")
    middle = submit(case, bob, "Middle copy")
    services.prior_art_mark_duplicate(prior_art=middle, original=root, actor=reviewer)
    late = submit(case, carol, "Late copy", claims=(2,))
    submission_services.vote_set(prior_art=late, voter=dave, rating=4)
    services.prior_art_mark_duplicate(prior_art=late, original=middle, actor=reviewer)
    late.refresh_from_db()
    assert late.duplicate_of == root
    # What the late copy carried went to the root, not to the middle copy.
    assert list(
        Vote.objects.filter(prior_art=root).values_list("voter", flat=True)
    ) == [dave.pk]
    assert set(root.mappings.values_list("claim__number", flat=True)) == {1, 2}
    assert not middle.mappings.filter(claim__number=2).exists()
    with pytest.raises(ValidationError):
        services.prior_art_mark_duplicate(prior_art=root, original=root, actor=reviewer)
    # Marking the root a duplicate of its own copy resolves to the root itself.
    with pytest.raises(ValidationError, match="cannot duplicate itself"):
        services.prior_art_mark_duplicate(
            prior_art=root, original=middle, actor=reviewer
        )


def test_duplicate_of_a_withdrawn_rejected_or_foreign_original_is_refused(
    setup, case_factory
):
    case, reviewer = setup
    item = submit(case, verified("alice-w"), "The copy")
    withdrawn = set_state(submit(case, verified("bob-w"), "Withdrawn"), S.WITHDRAWN)
    rejected = set_state(submit(case, verified("carol-w"), "Rejected"), S.REJECTED)
    other_case = case_factory("open")
    foreign = submit(other_case, verified("dave-w"), "On another case")
    for original, message in (
        (withdrawn, "withdrawn or rejected"),
        (rejected, "withdrawn or rejected"),
        (foreign, "same case"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.prior_art_mark_duplicate(
                prior_art=item, original=original, actor=reviewer
            )
    item.refresh_from_db()
    assert item.status == S.SUBMITTED
    assert not AuditEvent.objects.filter(action="merge_duplicate").exists()
