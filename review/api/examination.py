"""The examiners' part of the review API: dossiers, decisions on their items, and the
claim chart as CSV and PDF.

A dossier is the examiners' alone: anyone else is answered 404, never 403, whatever
they know of the case (``review.permissions.dossiers_for_user``). The list is for
people assigned to examine at least one case; other accounts get a 403 saying so.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.permissions import EXAMINE_CASE, cases_for_user
from config.api_parsers import JSONParser
from submissions.api import service_errors

from .. import services
from ..models import Dossier, DossierItem
from ..permissions import dossiers_for_user
from .serializers import (
    DecisionInputSerializer,
    DossierDetailSerializer,
    DossierItemSerializer,
    DossierListSerializer,
    error_responses,
)


def user_is_examiner(user) -> bool:
    """Assigned to examine some case, whatever its state."""
    return cases_for_user(user, EXAMINE_CASE).exists()


def dossiers(user, *, items: bool = False) -> QuerySet[Dossier]:
    """The dossiers ``user`` may open, with their case and how many items are decided;
    with ``items``, the items in rank order and who decided each (two queries in all)."""
    queryset = (
        dossiers_for_user(user)
        .select_related("case")
        .annotate(decided_count=Count("items", filter=~Q(items__outcome="")))
        # An aggregate drops Meta.ordering: newest first, said again.
        .order_by("-forwarded_at", "-pk")
    )
    if items:
        queryset = queryset.prefetch_related(
            Prefetch(
                "items",
                queryset=DossierItem.objects.select_related(
                    "decided_by", "prior_art__author"
                ).order_by("rank"),
            )
        )
    return queryset


def dossier_or_404(user, pk: int, *, items: bool = False) -> Dossier:
    dossier = dossiers(user, items=items).filter(pk=pk).first()
    if dossier is None:
        raise exceptions.NotFound(_("No such dossier."))
    return dossier


class DossierListView(GenericAPIView):
    """The dossiers of the cases the user examines (forwarded or decided), newest
    first. 401 anonymous, 403 for an account assigned to examine no case."""

    filter_backends: list = []
    permission_classes = [IsAuthenticated]
    serializer_class = DossierListSerializer

    @extend_schema(
        summary="The dossiers forwarded to you",
        tags=["dossiers"],
        responses={
            200: DossierListSerializer(many=True),
            **error_responses(401, 403),
        },
    )
    def get(self, request: Request) -> Response:
        if not user_is_examiner(request.user):
            raise exceptions.PermissionDenied(
                _("You are not assigned to examine any case, so you have no dossiers.")
            )
        page = self.paginate_queryset(dossiers(request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class DossierDetailView(GenericAPIView):
    """One dossier with its items in rank order: each the snapshot the examiner
    received and the decision on it. 401 anonymous, 404 for anyone but its examiners."""

    filter_backends: list = []
    permission_classes = [IsAuthenticated]
    serializer_class = DossierDetailSerializer

    @extend_schema(
        summary="One dossier with its items",
        tags=["dossiers"],
        responses={200: DossierDetailSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, id: int) -> Response:
        dossier = dossier_or_404(request.user, id, items=True)
        return Response(self.get_serializer(dossier).data)


class DossierItemDecisionView(GenericAPIView):
    """The examiner's decision on one item (``review.services.dossier_item_decide``):
    set or revise it; the same body again changes nothing and tells no one. When the
    last undecided item is decided, the case becomes ``decided``. 401 anonymous, 404 for
    anyone but the examiners of its case, 400 for a bad outcome or note."""

    filter_backends: list = []
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    serializer_class = DossierItemSerializer

    @extend_schema(
        summary="Decide on a forwarded item",
        tags=["dossiers"],
        request=DecisionInputSerializer,
        responses={
            200: DossierItemSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def put(self, request: Request, id: int) -> Response:
        item = DossierItem.objects.filter(
            pk=id, dossier__in=dossiers_for_user(request.user).values("pk")
        ).first()
        if item is None:
            raise exceptions.NotFound(_("No such dossier item."))
        form = DecisionInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with service_errors():
            item = services.dossier_item_decide(
                item=item,
                actor=request.user,
                outcome=form.validated_data["outcome"],
                note=form.validated_data["note"],
            )
        item = DossierItem.objects.select_related(
            "decided_by", "prior_art__author"
        ).get(pk=item.pk)
        return Response(self.get_serializer(item).data)


# --- Claim chart ------------------------------------------------------------------------


class _ClaimChartView(APIView):
    """The claim chart of a dossier as a file; the same permission as the dossier.
    Errors are JSON whatever the client accepts."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    extension = ""
    content_type = ""

    def perform_content_negotiation(self, request, force=False):
        # A client asking for text/csv or application/pdf must still get a JSON 401
        # or 404, not a 406.
        return super().perform_content_negotiation(request, force=True)

    def render(self, chart) -> str | bytes:
        raise NotImplementedError

    def get(self, request: Request, id: int) -> HttpResponse:
        dossier = dossier_or_404(request.user, id)
        # Imported here: the chart module pulls in reportlab, which only these two
        # endpoints need.
        from ..claim_chart import claim_chart_table

        response = HttpResponse(
            self.render(claim_chart_table(dossier)), content_type=self.content_type
        )
        name = slugify(dossier.case.reference) or str(dossier.pk)
        response["Content-Disposition"] = (
            f'attachment; filename="claim-chart-{name}.{self.extension}"'
        )
        return response


def _chart_schema(extension: str, media_type: str, kind, label: str):
    return extend_schema(
        summary=f"The dossier's claim chart as {label}",
        tags=["dossiers"],
        operation_id=f"dossiers_claim_chart_{extension}",
        responses={
            (200, media_type): OpenApiResponse(
                kind,
                description=f"The claim chart ({label}), as an attachment: claims × "
                "evidence, each cell the contributor's explanation.",
            ),
            **error_responses(401, 404),
        },
    )


class ClaimChartCsvView(_ClaimChartView):
    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    @_chart_schema("csv", "text/csv", OpenApiTypes.STR, "CSV")
    def get(self, request: Request, id: int) -> HttpResponse:
        return super().get(request, id)

    def render(self, chart) -> str:
        from ..claim_chart import render_csv

        return render_csv(chart)


class ClaimChartPdfView(_ClaimChartView):
    extension = "pdf"
    content_type = "application/pdf"

    @_chart_schema("pdf", "application/pdf", OpenApiTypes.BINARY, "PDF")
    def get(self, request: Request, id: int) -> HttpResponse:
        return super().get(request, id)

    def render(self, chart) -> bytes:
        from ..claim_chart import render_pdf

        return render_pdf(chart)
