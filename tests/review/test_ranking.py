"""The ranking formula: few ratings pull toward the prior; ties break by age. Then the
same through ``ranked_for_case`` and ``claim_coverage`` on real rows: only vetted
evidence not hidden by reports, reviewer ratings on top, a deterministic order."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from cases import services as case_services
from review import ranking, services
from review.selectors import claim_coverage, ranked_for_case
from submissions import services as submission_services
from submissions.models import PriorArt
from tests.factories import UserFactory
from tests.submissions.factories import make_prior_art, set_state, verified_user


def test_one_five_star_rating_never_outranks_forty_four_and_a_half_star_ratings():
    lone = ranking.score(ratings_sum=5, ratings_count=1)
    consensus = ranking.score(ratings_sum=40 * 4.5, ratings_count=40)
    assert lone.total == pytest.approx(3.333, abs=1e-3)
    assert consensus.total == pytest.approx(4.333, abs=1e-3)
    assert consensus.total > lone.total


def test_no_ratings_score_the_prior():
    assert ranking.score(ratings_sum=0, ratings_count=0).total == ranking.PRIOR_MEAN


def test_reviewer_ratings_weigh_in_on_top():
    community_only = ranking.score(ratings_sum=8, ratings_count=2)
    with_reviewers = ranking.score(
        ratings_sum=8, ratings_count=2, reviewer_ratings=[5, 5]
    )
    assert with_reviewers.reviewer == 5
    assert with_reviewers.total == pytest.approx(0.5 * community_only.total + 2.5)


def test_ties_break_by_the_earliest_submission_then_the_lowest_id():
    t0 = datetime(2026, 1, 1)
    items = [
        (3.5, t0 + timedelta(hours=1), 7),
        (3.5, t0, 9),
        (4.0, t0 + timedelta(days=1), 3),
        (3.5, t0, 2),
    ]
    ordered = sorted(items, key=lambda i: ranking.rank_key(*i))
    assert [pk for _, _, pk in ordered] == [3, 2, 9, 7]


# --- Through the selectors, on real rows ------------------------------------------------


@pytest.fixture
def board(db, case_factory, reviewer, settings):
    """An open case with a reviewer; contributors' first submissions are not held."""
    settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = False
    settings.OPENDOCKET_FLAG_HIDE_THRESHOLD = 2
    case = case_factory("open", claims=3)
    case_services.case_appoint_reviewer(case=case, user=reviewer)
    return case, reviewer


def _vetted(case, reviewer, title, claims=(1,)):
    author = verified_user(f"author-{title.lower().replace(' ', '-')}")
    item = make_prior_art(case, author, claims=claims, title=title)
    return services.prior_art_vet(prior_art=item, actor=reviewer)


def _voters(prefix, n):
    return [verified_user(f"{prefix}-{i}") for i in range(n)]


def _rate(item, voters, ratings):
    for voter, rating in zip(voters, ratings, strict=True):
        submission_services.vote_set(prior_art=item, voter=voter, rating=rating)


def _order(case):
    return [(r.rank, r.prior_art.title) for r in ranked_for_case(case)]


def test_ranked_for_case_puts_forty_four_and_a_half_stars_above_one_five_star(board):
    case, reviewer = board
    lone = _vetted(case, reviewer, "Lone enthusiast")  # earlier: wins any tie
    consensus = _vetted(case, reviewer, "Consensus")
    _rate(lone, _voters("fan", 1), [5])
    _rate(consensus, _voters("crowd", 40), [4, 5] * 20)  # a 4.5 average
    first, second = ranked_for_case(case)
    assert (first.prior_art.pk, second.prior_art.pk) == (consensus.pk, lone.pk)
    assert first.score.ratings == 40 and second.score.ratings == 1
    assert first.score.community == pytest.approx(195 / 45)
    assert second.score.community == pytest.approx(20 / 6)
    assert first.score.reviewer is None and first.reviewer_count == 0


def test_reviewer_ratings_weigh_in_on_the_ranking(board):
    case, reviewer = board
    second = UserFactory(username="second-reviewer")
    case_services.case_appoint_reviewer(case=case, user=second)
    early, late = _vetted(case, reviewer, "Early"), _vetted(case, reviewer, "Late")
    voters = _voters("v", 2)
    _rate(early, voters, [4, 4])
    _rate(late, voters, [4, 4])
    assert _order(case) == [(1, "Early"), (2, "Late")]  # a tie: the earlier first

    services.reviewer_rating_set(prior_art=late, reviewer=reviewer, rating=5)
    services.reviewer_rating_set(prior_art=late, reviewer=second, rating=4)

    top = ranked_for_case(case)[0]
    assert top.prior_art.pk == late.pk
    assert top.reviewer_count == 2 and top.score.reviewer == pytest.approx(4.5)
    community = (5 * 3 + 8) / 7
    assert top.score.total == pytest.approx(0.5 * community + 0.5 * 4.5)


def test_ties_break_by_creation_then_by_id_on_real_rows(board):

    case, reviewer = board
    items = [_vetted(case, reviewer, f"Item {n}") for n in range(4)]
    same = timezone.now()
    # Items 2 and 3 share a creation time earlier than the rest; 0 and 1 keep theirs.
    PriorArt.objects.filter(pk__in=[items[2].pk, items[3].pk]).update(
        created_at=same - timedelta(days=1)
    )
    assert _order(case) == [
        (1, "Item 2"),
        (2, "Item 3"),
        (3, "Item 0"),
        (4, "Item 1"),
    ]


def test_only_vetted_evidence_not_hidden_by_reports_is_ranked(board):
    case, reviewer = board
    _vetted(case, reviewer, "Ranked")
    reported = _vetted(case, reviewer, "Reported")
    for reporter in _voters("reporter", 2):  # the threshold is 2 here
        submission_services.flag_create(
            reporter=reporter, reason="spam", prior_art=reported
        )
    reported.refresh_from_db()
    assert reported.hidden_by_flags
    for n, state in enumerate(
        ["submitted", "needs_changes", "rejected", "duplicate", "forwarded"]
    ):
        set_state(make_prior_art(case, verified_user(f"other-{n}"), title=state), state)
    assert _order(case) == [(1, "Ranked")]


def test_claim_coverage_counts_vetted_and_forwarded_evidence_per_claim(board):
    case, reviewer = board
    _vetted(case, reviewer, "Claims one and two", claims=(1, 2))
    set_state(
        make_prior_art(case, verified_user("fwd"), claims=(1,), title="Forwarded"),
        "forwarded",
    )
    make_prior_art(case, verified_user("unscreened"), claims=(3,), title="Waiting")
    set_state(
        make_prior_art(case, verified_user("rej"), claims=(3,), title="Rejected"),
        "rejected",
    )
    reported = _vetted(case, reviewer, "Reported", claims=(3,))
    for reporter in _voters("reporter", 2):  # hidden: it will not be forwarded
        submission_services.flag_create(
            reporter=reporter, reason="spam", prior_art=reported
        )
    coverage = claim_coverage(case)
    assert [(c.number, c.vetted_count) for c in coverage] == [(1, 2), (2, 1), (3, 0)]
