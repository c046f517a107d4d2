"""The ranking formula, in one place.

Community score: a Bayesian average of the 1–5 relevance ratings,

    community = (C * m + sum(ratings)) / (C + n)

where ``n`` is the number of ratings, ``m`` the prior mean (3.0, the middle of the
scale) and ``C`` the prior weight (5 ratings' worth). Few ratings pull the score toward
``m``: one 5-star rating scores 3.33, while forty 4.5-star ratings score 4.33, so a lone
enthusiast never outranks a consensus.

Reviewer score: the plain mean of the reviewers' own 1–5 relevance ratings, when there
are any. Reviewers are few, appointed and accountable, so their mean is not shrunk.

    score = (1 - W) * community + W * reviewer     (W = 0.5 when reviewers rated,
                                                    score = community otherwise)

Ties break deterministically: the earlier submission first, then the lower id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

PRIOR_MEAN = 3.0
PRIOR_WEIGHT = 5.0
REVIEWER_WEIGHT = 0.5


@dataclass(frozen=True)
class Score:
    community: float
    reviewer: float | None
    total: float
    ratings: int


def community_score(ratings_sum: float, ratings_count: int) -> float:
    return (PRIOR_WEIGHT * PRIOR_MEAN + ratings_sum) / (PRIOR_WEIGHT + ratings_count)


def score(
    *,
    ratings_sum: float,
    ratings_count: int,
    reviewer_ratings: list[int] | None = None,
    reviewer_sum: float = 0,
    reviewer_count: int = 0,
) -> Score:
    """The score of one submission, from its ratings (as a list, or as sum and count)."""
    if reviewer_ratings:
        reviewer_sum, reviewer_count = sum(reviewer_ratings), len(reviewer_ratings)
    community = community_score(ratings_sum, ratings_count)
    reviewer = reviewer_sum / reviewer_count if reviewer_count else None
    total = (
        community
        if reviewer is None
        else (1 - REVIEWER_WEIGHT) * community + REVIEWER_WEIGHT * reviewer
    )
    return Score(
        community=community, reviewer=reviewer, total=total, ratings=ratings_count
    )


def rank_key(total: float, created_at: datetime, pk: int) -> tuple:
    """Sort key: highest score first, then the earliest submission, then the lowest id."""
    return (-total, created_at, pk)
