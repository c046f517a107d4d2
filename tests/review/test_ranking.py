"""The ranking formula: few ratings pull toward the prior; ties break by age."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from review import ranking


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
