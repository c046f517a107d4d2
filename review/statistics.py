"""Public statistics, site-wide and per case: numbers only, never a title or a handle.

Only published cases count. Every submission on them counts in the totals, whatever its
state, including those held for a first screening or hidden after reports; which ones
they are is never shown. Each function runs a fixed number of aggregate queries, whatever
the size of the data: nothing is cached, and nothing is computed row by row in Python
except filling the weeks (or days) in which nothing was submitted.

Definitions (also on the pages, in words):

- ``forwarded_rate`` = submissions forwarded ÷ submissions vetted (still vetted, or
  forwarded since); None when nothing was vetted.
- ``used_rate`` = forwarded items used in an office action ÷ forwarded items the examiner
  has decided; None while none is decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseStatus
from submissions.models import PriorArt, PriorArtStatus

from .models import DossierItem, Outcome

WEEK, DAY = "week", "day"
# A case whose review window is shorter than this is counted per day, not per week.
DAILY_WINDOW = timedelta(weeks=6)

# The order in which screening outcomes are shown: waiting, then accepted, then not.
STATUS_ORDER = [
    PriorArtStatus.SUBMITTED,
    PriorArtStatus.NEEDS_CHANGES,
    PriorArtStatus.VETTED,
    PriorArtStatus.FORWARDED,
    PriorArtStatus.REJECTED,
    PriorArtStatus.DUPLICATE,
    PriorArtStatus.WITHDRAWN,
]
# How a status reads as a screening outcome (the CSV keeps the status values).
SCREENING_LABELS = {
    PriorArtStatus.SUBMITTED: _("Waiting for screening"),
    PriorArtStatus.VETTED: _("Vetted, not forwarded"),
    PriorArtStatus.FORWARDED: _("Vetted and forwarded to the examiner"),
}
CASE_STATUS_ORDER = [status for status in CaseStatus if status != CaseStatus.DRAFT] + [
    CaseStatus.DRAFT
]


@dataclass(frozen=True)
class Bucket:
    """A count under one of our own labels (a status, an outcome)."""

    key: str
    label: str
    count: int


@dataclass
class Statistics:
    case: Case | None
    period: str  # WEEK or DAY
    submissions: int
    contributors: int
    over_time: list[tuple[date, int]]  # (first day of the period, submissions)
    screening: list[Bucket]
    vetted: int  # vetted or forwarded
    forwarded: int
    decided: int  # forwarded items the examiner has decided
    used: int
    decisions: list[Bucket]
    cases_by_status: list[Bucket] = field(default_factory=list)  # site-wide only

    @property
    def forwarded_rate(self) -> float | None:
        return self.forwarded / self.vetted if self.vetted else None

    @property
    def used_rate(self) -> float | None:
        return self.used / self.decided if self.decided else None

    @property
    def forwarded_percent(self) -> float | None:
        return None if self.forwarded_rate is None else 100 * self.forwarded_rate

    @property
    def used_percent(self) -> float | None:
        return None if self.used_rate is None else 100 * self.used_rate

    @property
    def has_submissions(self) -> bool:
        return self.submissions > 0


def _period_start(moment: datetime, period: str) -> date:
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday()) if period == WEEK else day


def _fill(counts: dict[date, int], period: str, start: date | None, end: date | None):
    """Every period from ``start`` (or the first with a submission, if earlier) to
    ``end`` (or the last, if later), those without submissions at 0. Nothing at all when
    nothing was submitted."""
    known = sorted(counts)
    if not known:
        return []
    start = min(start, known[0]) if start else known[0]
    end = max(end, known[-1]) if end else known[-1]
    step = timedelta(weeks=1) if period == WEEK else timedelta(days=1)
    filled, day = [], start
    while day <= end:
        filled.append((day, counts.get(day, 0)))
        day += step
    return filled


def _submission_figures(submissions: QuerySet[PriorArt]) -> dict:
    """Totals and counts by status, in one query."""
    return submissions.aggregate(
        total=Count("pk"),
        contributors=Count("author", distinct=True),
        **{
            f"status_{status.value}": Count("pk", filter=Q(status=status))
            for status in PriorArtStatus
        },
    )


def _per_period(submissions: QuerySet[PriorArt], period: str) -> dict[date, int]:
    """Submissions per week (from Monday) or per day, in the site's time zone. One query."""
    trunc = TruncWeek("created_at") if period == WEEK else TruncDate("created_at")
    counts = {}
    for row in submissions.order_by().values(bucket=trunc).annotate(n=Count("pk")):
        bucket = row["bucket"]
        if isinstance(bucket, datetime):
            bucket = timezone.localtime(bucket).date()
        counts[bucket] = row["n"]
    return counts


def _decision_figures(items: QuerySet[DossierItem]) -> dict:
    """Forwarded items by the examiner's decision, in one query."""
    return items.aggregate(
        decided=Count("pk", filter=~Q(outcome="")),
        **{
            f"outcome_{outcome.value}": Count("pk", filter=Q(outcome=outcome))
            for outcome in Outcome
        },
    )


def _build(
    *,
    case: Case | None,
    submissions: QuerySet[PriorArt],
    items: QuerySet[DossierItem],
    period: str,
    start: date | None,
    end: date | None,
) -> Statistics:
    figures = _submission_figures(submissions)
    decisions = _decision_figures(items)
    by_status = {status: figures[f"status_{status.value}"] for status in STATUS_ORDER}
    return Statistics(
        case=case,
        period=period,
        submissions=figures["total"],
        contributors=figures["contributors"],
        over_time=_fill(_per_period(submissions, period), period, start, end),
        screening=[
            Bucket(
                status.value,
                str(SCREENING_LABELS.get(status, status.label)),
                by_status[status],
            )
            for status in STATUS_ORDER
        ],
        vetted=by_status[PriorArtStatus.VETTED] + by_status[PriorArtStatus.FORWARDED],
        forwarded=by_status[PriorArtStatus.FORWARDED],
        decided=decisions["decided"],
        used=decisions[f"outcome_{Outcome.USED_IN_ACTION.value}"],
        decisions=[
            Bucket(
                outcome.value, str(outcome.label), decisions[f"outcome_{outcome.value}"]
            )
            for outcome in Outcome
        ],
    )


def site_statistics(now: datetime | None = None) -> Statistics:
    """Figures over every published case; four queries. Submissions are counted per
    week, from the first week with a submission to this week."""
    now = now or timezone.now()
    stats = _build(
        case=None,
        submissions=PriorArt.objects.filter(case__live=True),
        items=DossierItem.objects.filter(dossier__case__live=True),
        period=WEEK,
        start=None,
        end=_period_start(now, WEEK),
    )
    by_status = {
        row["status"]: row["n"]
        for row in Case.objects.published()
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    }
    stats.cases_by_status = [
        Bucket(status.value, str(status.label), by_status.get(status.value, 0))
        for status in CASE_STATUS_ORDER
        if status != CaseStatus.DRAFT or by_status.get(status.value)
    ]
    return stats


def case_period(case: Case) -> str:
    """Per day for a review window shorter than six weeks, per week otherwise."""
    if case.review_closes_at - case.review_opens_at < DAILY_WINDOW:
        return DAY
    return WEEK


def case_statistics(case: Case, now: datetime | None = None) -> Statistics:
    """Figures for one published case (the caller checks that it is published); three
    queries. The periods run from the opening of its window to its close (or now, while
    it is open)."""
    now = now or timezone.now()
    period = case_period(case)
    start = case.review_opens_at
    end = min(case.review_closes_at, now)
    return _build(
        case=case,
        submissions=PriorArt.objects.filter(case_id=case.pk),
        items=DossierItem.objects.filter(dossier__case_id=case.pk),
        period=period,
        start=_period_start(start, period) if start <= now else None,
        end=_period_start(end, period) if start <= now else None,
    )


def csv_rows(stats: Statistics) -> list[tuple[str, str, str]]:
    """The figures in tidy long form, one (metric, bucket, value) per row. Every value is
    a number (rates as fractions with four decimals; empty when there is nothing to
    divide by) and every bucket a date or one of our own keys."""

    def rate(value: float | None) -> str:
        return "" if value is None else f"{value:.4f}"

    per = f"submissions_per_{stats.period}"
    rows = [
        ("submissions", "total", str(stats.submissions)),
        ("contributors", "total", str(stats.contributors)),
    ]
    rows += [(per, day.isoformat(), str(count)) for day, count in stats.over_time]
    rows += [("screening_outcome", b.key, str(b.count)) for b in stats.screening]
    rows += [
        ("vetted_or_forwarded", "total", str(stats.vetted)),
        ("forwarded", "total", str(stats.forwarded)),
        ("forwarded_rate", "total", rate(stats.forwarded_rate)),
        ("decided", "total", str(stats.decided)),
        ("used_in_action", "total", str(stats.used)),
        ("used_rate", "total", rate(stats.used_rate)),
    ]
    rows += [("examiner_decision", b.key, str(b.count)) for b in stats.decisions]
    rows += [("cases_by_status", b.key, str(b.count)) for b in stats.cases_by_status]
    return rows
