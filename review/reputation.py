"""Closing the loop in public: what became of each forwarded item, and the reputation
that contributors earn from the reviewers' and examiners' decisions.

Only published cases count. The examiner's note on an item is never read here: it is for
the item's contributor (their notification and status history) and the case's staff. A
contributor whose account was erased appears as "former contributor" and is never listed,
even though the dossier's frozen snapshot still holds the handle they had then.

Every function runs a fixed number of queries, whatever the size of the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.db.models.fields.json import KT
from django.utils.translation import gettext as _

from cases.models import Case, CaseStatus
from submissions.models import PriorArt, PriorArtStatus

from .models import Dossier, DossierItem, Outcome

# A case has a dossier only once it has been forwarded; a forwarded case that the agency
# later withdrew keeps it.
STATES_WITH_DOSSIER = {CaseStatus.FORWARDED, CaseStatus.DECIDED, CaseStatus.WITHDRAWN}
VETTED_STATES = [PriorArtStatus.VETTED, PriorArtStatus.FORWARDED]


@dataclass(frozen=True)
class PublicOutcome:
    """One forwarded item as the public sees it: no note, no score, no excerpt."""

    rank: int
    tracking_ref: str
    title: str  # empty when the evidence is hidden after reports
    contributor: str  # public name: the snapshot's handle, or "former contributor"
    contributor_handle: str | None  # for the profile link; None once erased
    outcome: str  # an Outcome value, or "" while the examiner has not decided
    outcome_label: str

    @property
    def is_decided(self) -> bool:
        return bool(self.outcome)

    @property
    def is_public(self) -> bool:
        """Whether the evidence page may be linked (not hidden after reports)."""
        return bool(self.title)


@dataclass(frozen=True)
class CaseOutcome:
    """A case's dossier as the public sees it."""

    forwarded_at: datetime
    decided_at: datetime | None
    item_count: int
    items: list[PublicOutcome]

    @property
    def decided_count(self) -> int:
        return sum(1 for item in self.items if item.is_decided)


def public_outcomes(case: Case) -> list[PublicOutcome]:
    """Each forwarded item of ``case``'s dossier in rank order, with the examiner's public
    decision or "awaiting the examiner's decision". Empty without a dossier. One query.

    The title and the contributor come from the snapshot (what the examiner received),
    except that an item hidden after reports loses its title and an erased contributor
    becomes "former contributor".
    """
    rows = (
        DossierItem.objects.filter(dossier__case_id=case.pk)
        .order_by("rank")
        .values(
            "rank",
            "outcome",
            "prior_art__tracking_ref",
            "prior_art__hidden_by_flags",
            "prior_art__author__username",
            "prior_art__author__erased_at",
            snapshot_ref=KT("snapshot__tracking_ref"),
            snapshot_title=KT("snapshot__title"),
            snapshot_contributor=KT("snapshot__contributor"),
        )
    )
    awaiting = _("awaiting the examiner's decision")
    former = _("former contributor")
    outcomes = []
    for row in rows:
        erased = row["prior_art__author__erased_at"] is not None
        outcomes.append(
            PublicOutcome(
                rank=row["rank"],
                tracking_ref=row["snapshot_ref"] or row["prior_art__tracking_ref"],
                title=""
                if row["prior_art__hidden_by_flags"]
                else (row["snapshot_title"] or ""),
                contributor=former if erased else (row["snapshot_contributor"] or ""),
                contributor_handle=None
                if erased
                else row["prior_art__author__username"],
                outcome=row["outcome"],
                outcome_label=str(Outcome(row["outcome"]).label)
                if row["outcome"]
                else awaiting,
            )
        )
    return outcomes


def case_outcome(case: Case) -> CaseOutcome | None:
    """``case``'s dossier for its public page, or None before it is forwarded.

    No query for a case that has not reached the examiner; otherwise one for the dossier
    and, when it holds items, one for them.
    """
    if case.status not in STATES_WITH_DOSSIER:
        return None
    dossier = (
        Dossier.objects.filter(case_id=case.pk)
        .values("forwarded_at", "decided_at", "item_count")
        .first()
    )
    if dossier is None:
        return None
    return CaseOutcome(
        forwarded_at=dossier["forwarded_at"],
        decided_at=dossier["decided_at"],
        item_count=dossier["item_count"],
        items=public_outcomes(case) if dossier["item_count"] else [],
    )


def reputation(user) -> dict[str, int]:
    """``user``'s record on published cases, in one query:

    - ``submitted``: their submissions, withdrawn ones aside;
    - ``vetted``: those the reviewers vetted (still vetted, or forwarded since);
    - ``forwarded``: those forwarded to an examiner (items of a dossier);
    - ``used``: those the examiner used in an office action.

    ``submitted`` counts evidence that is not public (waiting, rejected...): show it to
    the contributor themself, not on their public profile.
    """
    return PriorArt.objects.filter(author_id=user.pk, case__live=True).aggregate(
        submitted=Count(
            "pk", filter=~Q(status=PriorArtStatus.WITHDRAWN), distinct=True
        ),
        vetted=Count("pk", filter=Q(status__in=VETTED_STATES), distinct=True),
        forwarded=Count("dossier_items", distinct=True),
        used=Count(
            "dossier_items",
            filter=Q(dossier_items__outcome=Outcome.USED_IN_ACTION),
            distinct=True,
        ),
    )


def used_contributors() -> QuerySet:
    """Contributors whose evidence an examiner used in an office action on a published
    case, each annotated ``used`` and ``forwarded`` (their items in dossiers); most used
    first, then by handle. Erased accounts are left out. Paginate it: a count and a page
    are two queries."""
    return (
        get_user_model()
        .objects.filter(
            erased_at__isnull=True,
            prior_art__case__live=True,
            prior_art__dossier_items__isnull=False,
        )
        .annotate(
            used=Count(
                "prior_art__dossier_items",
                filter=Q(prior_art__dossier_items__outcome=Outcome.USED_IN_ACTION),
                distinct=True,
            ),
            forwarded=Count("prior_art__dossier_items", distinct=True),
        )
        .filter(used__gt=0)
        .only("pk", "username", "erased_at")
        .order_by("-used", "username", "pk")
    )
