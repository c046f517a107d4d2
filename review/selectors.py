"""Reads for review pages, the API and the forwarding service.

Every function here runs a fixed number of queries however many submissions a case has:
ratings are aggregated in subqueries, never per row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from cases.models import Case, Claim
from submissions.models import (
    ClaimMapping,
    Flag,
    FlagStatus,
    PriorArt,
    PriorArtStatus,
    Vote,
)

from . import ranking
from .models import ReviewerRating
from .permissions import cases_to_screen


@dataclass(frozen=True)
class Ranked:
    rank: int
    prior_art: PriorArt
    score: ranking.Score
    reviewer_count: int


def _aggregate(model, field: str, value: str, func):
    return Coalesce(
        Subquery(
            model.objects.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(v=func(value))
            .values("v")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_rating_totals(queryset: QuerySet[PriorArt]) -> QuerySet[PriorArt]:
    """Annotate community and reviewer rating sums and counts (one subquery each)."""
    return queryset.annotate(
        votes_sum=_aggregate(Vote, "prior_art", "rating", Sum),
        votes_count=_aggregate(Vote, "prior_art", "pk", Count),
        reviewer_sum=_aggregate(ReviewerRating, "prior_art", "rating", Sum),
        reviewer_count=_aggregate(ReviewerRating, "prior_art", "pk", Count),
    )


def score_of(prior_art: PriorArt) -> ranking.Score:
    """The score of a row annotated by ``with_rating_totals``."""
    return ranking.score(
        ratings_sum=prior_art.votes_sum,
        ratings_count=prior_art.votes_count,
        reviewer_sum=prior_art.reviewer_sum,
        reviewer_count=prior_art.reviewer_count,
    )


def ranked_for_case(case: Case, *, statuses=(PriorArtStatus.VETTED,)) -> list[Ranked]:
    """The case's vetted evidence in ranking order, with the parts of each score.

    Items hidden by open reports wait for a reviewer's decision and are not ranked.
    Mappings (with their claims) and authors come prefetched.
    """
    rows = list(
        with_rating_totals(
            PriorArt.objects.filter(
                case=case, status__in=statuses, hidden_by_flags=False
            )
        )
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "mappings",
                queryset=ClaimMapping.objects.select_related("claim").order_by(
                    "claim__number"
                ),
            )
        )
    )
    scored = [(score_of(row), row) for row in rows]
    scored.sort(
        key=lambda pair: ranking.rank_key(pair[0].total, pair[1].created_at, pair[1].pk)
    )
    return [
        Ranked(rank=i, prior_art=row, score=s, reviewer_count=row.reviewer_count)
        for i, (s, row) in enumerate(scored, start=1)
    ]


def claim_coverage(case: Case) -> list[Claim]:
    """Every claim of the case, annotated with ``vetted_count``: how many submissions
    that are (or will be) evidence map to it: forwarded ones, and vetted ones not hidden
    by reports (those are not ranked, so they would not be forwarded). A claim with none
    is a gap the reviewers can see."""
    return list(
        Claim.objects.filter(case=case)
        .annotate(
            vetted_count=Count(
                "mappings",
                filter=Q(mappings__prior_art__status=PriorArtStatus.FORWARDED)
                | Q(
                    mappings__prior_art__status=PriorArtStatus.VETTED,
                    mappings__prior_art__hidden_by_flags=False,
                ),
            )
        )
        .order_by("number")
    )


def suspected_duplicate() -> Exists:
    """An earlier live submission on the same case with the same normalised identifier or
    the same text fingerprint."""
    earlier = PriorArt.objects.filter(
        case_id=OuterRef("case_id"), pk__lt=OuterRef("pk")
    ).exclude(status__in=[PriorArtStatus.WITHDRAWN, PriorArtStatus.REJECTED])
    return Exists(
        earlier.filter(
            (Q(identifier_key=OuterRef("identifier_key")) & ~Q(identifier_key=""))
            | (
                Q(text_fingerprint=OuterRef("text_fingerprint"))
                & ~Q(text_fingerprint="")
            )
        )
    )


def open_flag_count() -> Coalesce:
    return Coalesce(
        Subquery(
            Flag.objects.filter(prior_art=OuterRef("pk"), status=FlagStatus.OPEN)
            .order_by()
            .values("prior_art")
            .annotate(v=Count("pk"))
            .values("v")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


QUEUE_STATUSES = {
    "submitted": [PriorArtStatus.SUBMITTED],
    "needs_changes": [PriorArtStatus.NEEDS_CHANGES],
    "vetted": [PriorArtStatus.VETTED],
    "rejected": [PriorArtStatus.REJECTED],
    "duplicate": [PriorArtStatus.DUPLICATE],
    "forwarded": [PriorArtStatus.FORWARDED],
    "all": None,
}


def screening_queue(*, user, filters: dict | None = None) -> QuerySet[PriorArt]:
    """Submissions on the cases ``user`` may screen, oldest first, with what a reviewer
    needs to triage: open report count, suspected duplicate, rating totals.

    ``filters`` (all optional, already validated): ``status`` (a QUEUE_STATUSES key,
    default ``submitted``), ``case`` (id), ``claim`` (id), ``flagged``, ``after_priority``,
    ``duplicate`` (booleans).
    """
    filters = filters or {}
    queryset = with_rating_totals(
        PriorArt.objects.filter(case__in=cases_to_screen(user))
    ).annotate(open_flags=open_flag_count(), suspected_duplicate=suspected_duplicate())
    statuses = QUEUE_STATUSES.get(filters.get("status") or "submitted")
    if statuses is not None:
        queryset = queryset.filter(status__in=statuses)
    if filters.get("case"):
        queryset = queryset.filter(case_id=filters["case"])
    if filters.get("claim"):
        queryset = queryset.filter(mappings__claim_id=filters["claim"])
    if filters.get("flagged"):
        queryset = queryset.filter(open_flags__gt=0)
    if filters.get("after_priority"):
        queryset = queryset.filter(after_priority_date=True)
    if filters.get("duplicate"):
        queryset = queryset.filter(suspected_duplicate=True)
    return (
        queryset.select_related("case", "author")
        .prefetch_related(
            Prefetch(
                "mappings",
                queryset=ClaimMapping.objects.select_related("claim").order_by(
                    "claim__number"
                ),
            )
        )
        .order_by("created_at", "pk")
    )
