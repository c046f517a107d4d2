"""Public pages that close the loop: the contributors whose evidence examiners used.

(The outcome of each forwarded item is shown on the case page, ``cases.views``; the
counts on each profile, ``accounts.views``. Both read ``review.reputation``.)
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from ..reputation import used_contributors as used_contributors_query

PAGE_SIZE = 25


def used_contributors(request):
    """Contributors whose evidence an examiner used in an office action, most used first:
    a count and a page of rows, two queries whatever the number of people."""
    page = Paginator(used_contributors_query(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "review/public/used_contributors.html",
        {"page": page, "page_size": PAGE_SIZE},
    )
