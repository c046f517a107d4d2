"""Reads of cases for one use case each: permissions, prefetching and ordering in one place.

The public pages and the API share these, so both show exactly the same cases.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from .models import Case, CaseDocument, Claim, TechnologyArea
from .permissions import cases_visible_to


def case_list(*, user, filters: dict | None = None) -> QuerySet[Case]:
    """Published cases with what a list row shows, filtered; constant queries per page.

    ``filters`` may hold ``q`` (words in title or reference), ``agency`` and ``area``
    (objects or slugs), ``status`` and ``closing_soon`` (bool).
    """
    filters = filters or {}
    qs = cases_visible_to(user)
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(reference__icontains=q))
    if agency := filters.get("agency"):
        qs = qs.filter(agency__slug=getattr(agency, "slug", agency))
    if area := filters.get("area"):
        qs = qs.filter(technology_areas__slug=getattr(area, "slug", area))
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if filters.get("closing_soon"):
        qs = qs.closing_within(14)
    return (
        qs.select_related("agency")
        .prefetch_related(
            Prefetch(
                "technology_areas", queryset=TechnologyArea.objects.order_by("name")
            )
        )
        .annotate(claim_count=Count("claims", distinct=True))
        .order_by("review_closes_at", "pk")
    )


def case_detail(*, user, pk) -> Case:
    """A published case with its claims, documents and areas; 404 when the user may not see it."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such case.") from None
    case = (
        cases_visible_to(user)
        .select_related("agency")
        .prefetch_related(
            Prefetch("claims", queryset=Claim.objects.order_by("number")),
            Prefetch(
                "documents",
                queryset=CaseDocument.objects.select_related("document").order_by(
                    "sort_order"
                ),
            ),
            Prefetch(
                "technology_areas", queryset=TechnologyArea.objects.order_by("name")
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404("No such case.")
    return case


def cases_closing_soon(*, user, limit: int = 5) -> list[Case]:
    """Open cases, soonest to close first, for the home page."""
    return list(case_list(user=user, filters={"status": "open"})[:limit])
