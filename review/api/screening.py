"""The reviewers' part of the review API: the screening queue, screening decisions and
forwarding a case to its examiner.

Checks run in the pages' order: 401 without an account, 404 for what the user may not
see, 403 (with the reason) for what they see but may not do, then the body (400), then
the service, which checks permission and state again under its row lock.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from cases.permissions import cases_visible_to, user_can_review_case
from config.api_parsers import JSONParser
from submissions.api import service_errors
from submissions.models import PriorArt
from submissions.permissions import user_can_view_prior_art

from .. import services
from ..models import Dossier, ForwardTrigger
from ..permissions import (
    SCREENING_STATES,
    dossiers_for_user,
    reviewed_cases,
    screening_refusal,
    user_can_screen,
)
from ..selectors import screening_queue
from .serializers import (
    DossierSummarySerializer,
    ForwardReceiptSerializer,
    QueueFilterSerializer,
    QueueItemSerializer,
    ScreeningInputSerializer,
    ScreeningResultSerializer,
    absolute,
    error_responses,
)


def user_is_reviewer(user) -> bool:
    """Reviews a published case, in any state (directly or through its area): the
    queue page's test."""
    return reviewed_cases(user).exists()


def _non_field(message: str) -> serializers.ValidationError:
    return serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]})


class ReviewQueueView(GenericAPIView):
    """Submissions on the cases the user screens (open or closed), oldest first; the
    same selector as the queue page. Reviewers only: 401 anonymous, 403 for an account
    appointed to review nothing."""

    filter_backends: list = []
    permission_classes = [IsAuthenticated]
    serializer_class = QueueItemSerializer

    @extend_schema(
        summary="The screening queue",
        tags=["review"],
        parameters=[QueueFilterSerializer],
        responses={
            200: QueueItemSerializer(many=True),
            **error_responses(400, 401, 403),
        },
    )
    def get(self, request: Request) -> Response:
        if not user_is_reviewer(request.user):
            raise exceptions.PermissionDenied(
                _("You are not appointed to review any case, so you have no queue.")
            )
        form = QueueFilterSerializer(
            data=request.query_params, context={"user": request.user}
        )
        form.is_valid(raise_exception=True)
        page = self.paginate_queryset(
            screening_queue(user=request.user, filters=form.filters())
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ScreeningView(GenericAPIView):
    """A reviewer's decision on one submission (``review.services.screening_decide``):
    401 anonymous, 404 when the user may not see the submission, 403 when they may see
    it but not screen it (not a reviewer of its case, or the case is not open or closed),
    400 for a bad body or a submission not in a state to take the decision."""

    filter_backends: list = []
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    serializer_class = ScreeningResultSerializer

    @extend_schema(
        summary="Screen a submission: vet, request changes, reject, mark duplicate",
        tags=["review"],
        request=ScreeningInputSerializer,
        responses={
            200: ScreeningResultSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request: Request, id: int) -> Response:
        prior_art = (
            PriorArt.objects.select_related("case", "author").filter(pk=id).first()
        )
        if prior_art is None or not user_can_view_prior_art(request.user, prior_art):
            raise exceptions.NotFound(_("No such submission."))
        if not user_can_screen(request.user, prior_art.case):
            raise exceptions.PermissionDenied(
                screening_refusal(request.user, prior_art.case)
            )
        form = ScreeningInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        attrs = form.validated_data
        original = None
        if attrs["decision"] == "duplicate" and attrs.get("duplicate_of") is not None:
            # Only a submission of the same case can be the original; one elsewhere is
            # answered like one that does not exist.
            original = PriorArt.objects.filter(
                pk=attrs["duplicate_of"], case_id=prior_art.case_id
            ).first()
            if original is None:
                raise serializers.ValidationError(
                    {
                        "duplicate_of": [
                            _("There is no submission with this id on this case.")
                        ]
                    }
                )
        with service_errors():
            prior_art = services.screening_decide(
                prior_art=prior_art,
                actor=request.user,
                decision=attrs["decision"],
                reason=attrs.get("reason", ""),
                duplicate_of=original,
            )
        return Response(self.get_serializer(prior_art).data)


FORWARD_RESULT = PolymorphicProxySerializer(
    component_name="ForwardResult",
    serializers=[DossierSummarySerializer, ForwardReceiptSerializer],
    resource_type_field_name=None,
)


class CaseForwardView(GenericAPIView):
    """Forward a case's top vetted evidence to its examiner now
    (``review.services.case_forward``). Once only: forwarding again returns what the
    first forward made. The reviewers of the case (or of one of its areas) only: 401
    anonymous, 404 for a case that is not published, 403 for anyone else, 400 for a case
    that is neither open nor closed and has no dossier.

    The dossier itself is for the case's examiners: a caller who may open it gets its
    summary, a reviewer gets a receipt."""

    filter_backends: list = []
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    serializer_class = DossierSummarySerializer

    @extend_schema(
        summary="Forward a case's evidence to the examiner",
        tags=["review"],
        request=None,
        responses={
            201: OpenApiResponse(FORWARD_RESULT, description="Forwarded now."),
            200: OpenApiResponse(
                FORWARD_RESULT, description="The case had been forwarded already."
            ),
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request: Request, id: int) -> Response:
        case = get_object_or_404(cases_visible_to(request.user), pk=id)
        if not user_can_review_case(request.user, case):
            raise exceptions.PermissionDenied(
                _("Only the reviewers of this case can forward its evidence.")
            )
        if (
            case.status not in SCREENING_STATES
            and not Dossier.objects.filter(case=case).exists()
        ):
            # The service refuses this as PermissionDenied (the reviewer's right to
            # forward depends on the state); for the API it is bad input: a 400.
            raise _non_field(
                _("A case can be forwarded while it is open or closed, not when %(s)s.")
                % {"s": case.get_status_display().lower()}
            )
        with service_errors():
            dossier, created = services.case_forward(
                case_id=case.pk, actor=request.user, trigger=ForwardTrigger.REVIEWER
            )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        visible = (
            dossiers_for_user(request.user)
            .select_related("case")
            .filter(pk=dossier.pk)
            .first()
        )
        if visible is None:
            receipt = {
                "forwarded": True,
                "item_count": dossier.item_count,
                "created": created,
            }
            return Response(ForwardReceiptSerializer(receipt).data, status=code)
        location = reverse("api:dossier-detail", kwargs={"id": dossier.pk})
        return Response(
            DossierSummarySerializer(visible).data,
            status=code,
            headers={"Location": absolute(request, location)},
        )
