"""``GET /api/v1/search/``: one search over cases, prior art, comments and the library.

The view validates the query, then hands it to ``search.engine.search``, which decides
what the user may see: hits, counts and snippets all come from the same visibility
querysets as the pages (``search.sources``). The view adds, for the page of hits shown,
the fields an API client filters and links by (codes, not labels): one query per kind of
document on the page, whatever the size of the index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

from cases.models import Case
from cases.permissions import cases_visible_to
from submissions.api import absolute_url
from submissions.models import Comment, PriorArt

from .. import engine
from ..models import LibraryDocument
from ..sources import SOURCES, Filters, Hit
from .common import AnonSearchRateThrottle, error_responses
from .serializers import HIT_SERIALIZERS, SearchQuerySerializer, SearchResultsSerializer

PER_PAGE = 20


def _case_details(ids: list[int]) -> list[dict[str, Any]]:
    rows = Case.objects.filter(pk__in=ids).values(
        "id", "reference", "status", "review_opens_at", agency_slug=F("agency__slug")
    )
    return [{**row, "agency": row["agency_slug"]} for row in rows]


def _prior_art_details(ids: list[int]) -> list[dict[str, Any]]:
    return list(
        PriorArt.objects.filter(pk__in=ids).values(
            "id",
            "tracking_ref",
            "case",
            "kind",
            "status",
            "published_on",
            "published_on_precision",
            case_reference=F("case__reference"),
        )
    )


def _comment_details(ids: list[int]) -> list[dict[str, Any]]:
    rows = Comment.objects.filter(pk__in=ids).values(
        "id",
        "case",
        "prior_art",
        "created_at",
        case_reference=F("case__reference"),
        claim_number=F("claim__number"),
    )
    return [{**row, "claim": row["claim_number"]} for row in rows]


def _library_details(ids: list[int]) -> list[dict[str, Any]]:
    return list(
        LibraryDocument.objects.filter(pk__in=ids).values(
            "id",
            "identifier",
            "source",
            "language",
            "published_on",
            "published_on_precision",
        )
    )


DETAILS: dict[str, Callable[[list[int]], list[dict[str, Any]]]] = {
    "case": _case_details,
    "prior_art": _prior_art_details,
    "comment": _comment_details,
    "library": _library_details,
}


def hit_rows(request: Request, hits: list[Hit]) -> list[dict[str, Any]]:
    """The page of hits as the API shows them, in rank order. A hit whose document
    went away since it was found is left out. Each kind is serialized in one go (a
    serializer per hit would copy its fields twenty times)."""
    ids: dict[str, list[int]] = defaultdict(list)
    for hit in hits:
        ids[hit.type].append(hit.id)
    details: dict[tuple[str, int], dict[str, Any]] = {}
    for key, pks in ids.items():
        for row in DETAILS[key](pks):
            details[(key, row["id"])] = row
    by_type: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for position, hit in enumerate(hits):
        detail = details.get((hit.type, hit.id))
        if detail is None:
            continue
        by_type[hit.type].append(
            (
                position,
                {
                    **detail,
                    "type": hit.type,
                    "id": hit.id,
                    "title": hit.title,
                    "snippet": str(hit.snippet),
                    "rank": hit.rank,
                    "url": absolute_url(request, hit.url),
                },
            )
        )
    placed: list[tuple[int, dict[str, Any]]] = []
    for key, rows in by_type.items():
        data = HIT_SERIALIZERS[key]([row for _position, row in rows], many=True).data
        placed += [
            (position, {"type": key, **item})
            for (position, _row), item in zip(rows, data, strict=True)
        ]
    return [item for _position, item in sorted(placed, key=lambda pair: pair[0])]


def page_url(request: Request, page: int) -> str:
    url = request.build_absolute_uri()
    if page == 1:
        return remove_query_param(url, "page")
    return replace_query_param(url, "page", page)


SEARCH_DESCRIPTION = """
Ranked hits (BM25) among the documents you may see: published cases with their claims,
prior art (the public submissions, your own, and all of those on cases you staff),
visible comments, and the library. A filter that does not apply to a kind of document
(`agency` for the library, `kind` for a comment) leaves that kind out. When few documents
have every word of the query, documents with only some of them are added (`relaxed` is
then true); a quoted phrase is always required and a `-word` always excluded. Pages of
20 hits; `counts` gives, per kind, how many match under every filter but `type`
(`capped` at 1,000). Anonymous clients are limited to 30 searches a minute (scope
`search_anon`).
"""


class SearchView(GenericAPIView):
    filter_backends: list = []
    pagination_class = None
    serializer_class = SearchResultsSerializer
    throttle_classes = [*api_settings.DEFAULT_THROTTLE_CLASSES, AnonSearchRateThrottle]

    @extend_schema(
        summary="Search cases, prior art, comments and the library",
        description=SEARCH_DESCRIPTION,
        tags=["search"],
        parameters=[SearchQuerySerializer],
        responses={200: SearchResultsSerializer, **error_responses(400, 404, 429)},
        examples=[
            OpenApiExample(
                "A hit",
                response_only=True,
                value={
                    "count": 1,
                    "page": 1,
                    "num_pages": 1,
                    "next": None,
                    "previous": None,
                    "relaxed": False,
                    "counts": {
                        "case": {"count": 0, "capped": False},
                        "prior_art": {"count": 0, "capped": False},
                        "comment": {"count": 0, "capped": False},
                        "library": {"count": 1, "capped": False},
                    },
                    "results": [
                        {
                            "type": "library",
                            "id": 7,
                            "title": "Exhaust heat thermoelectric charger",
                            "snippet": "A <mark>thermoelectric</mark> module on the "
                            "exhaust pipe charges the battery.",
                            "rank": 4.2113,
                            "url": "http://127.0.0.1:8000/library/7/",
                            "identifier": "doi:10.1109/ICT.2001.979608",
                            "source": "IEEE ICT 2001",
                            "language": "en",
                            "published_on": "2001-01-01",
                            "published_on_precision": "year",
                        }
                    ],
                },
            )
        ],
    )
    def get(self, request: Request) -> Response:
        # An empty optional parameter (a blank form field) counts as absent.
        params = {
            key: value
            for key, value in request.query_params.items()
            if value != "" or key == "q"
        }
        form = SearchQuerySerializer(data=params)
        form.is_valid(raise_exception=True)
        attrs = form.validated_data
        filters = Filters(**form.filters_data())
        if "case" in attrs:
            filters.case = (
                cases_visible_to(request.user).filter(pk=attrs["case"]).first()
            )
            if filters.case is None:
                raise exceptions.NotFound(_("No such case."))
        results = engine.search(
            user=request.user,
            q=attrs["q"],
            filters=filters,
            page=attrs["page"],
            per_page=PER_PAGE,
        )
        if results.page > results.num_pages:
            raise exceptions.NotFound(_("Invalid page."))
        counts = {key: {"count": 0, "capped": False} for key in SOURCES}
        for count in results.counts:
            counts[count.key] = {"count": count.count, "capped": count.capped}
        return Response(
            {
                "count": results.total,
                "page": results.page,
                "num_pages": results.num_pages,
                "next": page_url(request, results.page + 1)
                if results.has_next
                else None,
                "previous": page_url(request, results.page - 1)
                if results.has_previous
                else None,
                "relaxed": results.relaxed,
                "counts": counts,
                "results": hit_rows(request, results.hits),
            }
        )
