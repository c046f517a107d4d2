"""A library document's page: its citation, its text, and the evidence that cites it."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from submissions.permissions import prior_art_visible_to

from ..models import LibraryDocument


def library_detail(request, pk: int):
    """``/library/<pk>/``: anyone may read the library. Of the submissions citing the
    document, only those the user may see are listed; three queries whatever their
    number."""
    document = get_object_or_404(
        LibraryDocument.objects.select_related("agency").defer("search_vector"), pk=pk
    )
    citations = (
        prior_art_visible_to(request.user)
        .filter(library_document=document)
        .select_related("case")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "search/library_detail.html",
        {"document": document, "citations": list(citations)},
    )
