"""The contributions API views: prior art, ratings, comments and flags.

Views are thin and share everything with the pages: objects are looked up through the
same selectors (what a user may not see is 404), writes are counted against the same
rate limits (``submissions.ratelimits``, 429) and go through the same services, which
check permission and state themselves (403 with their message, 400 with field
messages). Reads are open to anyone; every write needs an account (401 without one,
by token or session). Bodies are JSON; attachments can only be added on the pages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from cases.models import Case
from config.api_parsers import JSONParser

from .. import permissions as perms
from .. import ratelimits, selectors, services
from ..models import (
    Comment,
    PriorArt,
)
from .common import (
    _case,
    _errors,
    _identifier_alias,
    service_errors,
)
from .fields import absolute_url
from .serializers import (
    CommentInputSerializer,
    CommentSerializer,
    FlagInputSerializer,
    FlagSerializer,
    PriorArtInputSerializer,
    PriorArtSerializer,
    RatingSerializer,
    RatingSummarySerializer,
)

# --- Views -----------------------------------------------------------------------------


class CasePriorArtView(GenericAPIView):
    """Prior art on a published case (404 for any other case).

    GET: anyone; lists what the user may see (public submissions, plus their own and,
    for case staff, all of them). POST: a verified contributor while the review window
    is open, but not the case's own staff (401 anonymous, 403 otherwise); rate limit
    ``submit``.
    """

    filter_backends: list = []
    permission_classes = [IsAuthenticatedOrReadOnly]
    parser_classes = [JSONParser]
    serializer_class = PriorArtSerializer

    @extend_schema(
        summary="List the prior art on a case",
        tags=["prior art"],
        responses={200: PriorArtSerializer(many=True), **_errors(404)},
    )
    def get(self, request: Request, id: int) -> Response:
        case = _case(request, id)
        page = self.paginate_queryset(
            selectors.prior_art_for_case(case=case, user=request.user)
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Submit prior art on an open case",
        tags=["prior art"],
        request=PriorArtInputSerializer,
        responses={201: PriorArtSerializer, **_errors(400, 401, 403, 404, 429)},
    )
    def post(self, request: Request, id: int) -> Response:
        case = _case(request, id)
        if not perms.user_is_verified(request.user):
            raise exceptions.PermissionDenied(
                _("Confirm your e-mail address before you submit evidence.")
            )
        if not perms.window_open(case):
            raise exceptions.PermissionDenied(
                _("This case is not open for review, so it takes no evidence.")
            )
        if not perms.user_can_submit(request.user, case):
            raise exceptions.PermissionDenied(str(services.STAFF_CANNOT_SUBMIT))
        form = PriorArtInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.service_data()
        with service_errors(_identifier_alias(data.get("identifier", ""))):
            ratelimits.enforce(request, "submit")
            prior_art = services.prior_art_submit(
                case=case,
                author=request.user,
                data=data,
                mappings=form.service_mappings() or [],
                files=[],
            )
        prior_art = selectors.prior_art_detail(user=request.user, pk=prior_art.pk)
        location = reverse("api:prior-art-detail", kwargs={"id": prior_art.pk})
        return Response(
            self.get_serializer(prior_art).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": absolute_url(request, location)},
        )


class PriorArtDetailView(GenericAPIView):
    """One submission: 404 unless the user may see it.

    GET: anyone who may see it. PATCH (partial: omitted fields keep their values,
    ``claim_mappings`` replaces all mappings when given) and DELETE (withdraw): only
    its author, while it is submitted or needs changes and the window is open; 401
    anonymous, 403 for anyone else who can see it.
    """

    filter_backends: list = []
    permission_classes = [IsAuthenticatedOrReadOnly]
    parser_classes = [JSONParser]
    serializer_class = PriorArtSerializer

    @extend_schema(
        summary="One submission",
        tags=["prior art"],
        responses={200: PriorArtSerializer, **_errors(404)},
    )
    def get(self, request: Request, id: int) -> Response:
        prior_art = selectors.prior_art_detail(user=request.user, pk=id)
        return Response(self.get_serializer(prior_art).data)

    @extend_schema(
        summary="Edit one's submission",
        tags=["prior art"],
        request=PriorArtInputSerializer(partial=True),
        responses={200: PriorArtSerializer, **_errors(400, 401, 403, 404)},
    )
    def patch(self, request: Request, id: int) -> Response:
        prior_art = self._editable(request, id)
        form = PriorArtInputSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        data = form.service_data()
        mappings = form.service_mappings()
        if mappings is None:
            mappings = [
                services.MappingInput(m.claim.number, m.explanation)
                for m in prior_art.mappings.all()
            ]
        identifier = data.get("identifier", prior_art.identifier)
        with service_errors(_identifier_alias(identifier)):
            services.prior_art_update(
                prior_art=prior_art, actor=request.user, data=data, mappings=mappings
            )
        prior_art = selectors.prior_art_detail(user=request.user, pk=prior_art.pk)
        return Response(self.get_serializer(prior_art).data)

    @extend_schema(
        summary="Withdraw one's submission",
        tags=["prior art"],
        responses={204: None, **_errors(401, 403, 404)},
    )
    def delete(self, request: Request, id: int) -> Response:
        prior_art = self._editable(request, id)
        with service_errors():
            services.prior_art_withdraw(prior_art=prior_art, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _editable(self, request: Request, pk: int) -> PriorArt:
        prior_art = selectors.prior_art_detail(user=request.user, pk=pk)
        if not perms.user_can_edit_prior_art(request.user, prior_art):
            raise exceptions.PermissionDenied(
                _("You can no longer change this submission.")
            )
        return prior_art


class PriorArtRatingView(GenericAPIView):
    """Rate a submission 1–5 (again to change the rating): a verified contributor other
    than its author and the case's staff, on public prior art while the window is open.
    401 anonymous, 404 when the user cannot see it, 403 otherwise; rate limit ``rate``."""

    filter_backends: list = []
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    serializer_class = RatingSerializer

    @extend_schema(
        summary="Rate a submission",
        tags=["prior art"],
        request=RatingSerializer,
        responses={200: RatingSummarySerializer, **_errors(400, 401, 403, 404, 429)},
    )
    def put(self, request: Request, id: int) -> Response:
        prior_art = selectors.prior_art_detail(user=request.user, pk=id)
        form = RatingSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with service_errors():
            ratelimits.enforce(request, "rate")
            vote = services.vote_set(
                prior_art=prior_art,
                voter=request.user,
                rating=form.validated_data["rating"],
            )
        summary = (
            PriorArt.objects.filter(pk=prior_art.pk)
            .with_rating_summary()
            .values("rating_count", "rating_average")
            .get()
        )
        average = summary["rating_average"]
        return Response(
            RatingSummarySerializer(
                {
                    "rating": vote.rating,
                    "rating_count": summary["rating_count"],
                    "rating_average": None if average is None else round(average, 2),
                }
            ).data
        )


class CaseCommentsView(GenericAPIView):
    """Comments on a published case (404 for any other case), in thread order.

    GET: anyone; hidden comments keep their place without text or author, and comments
    on submissions the user cannot see are left out. POST: a verified contributor while
    the window is open (401 anonymous, 403 otherwise); rate limit ``comment``.
    """

    filter_backends: list = []
    permission_classes = [IsAuthenticatedOrReadOnly]
    parser_classes = [JSONParser]
    serializer_class = CommentSerializer

    @extend_schema(
        summary="List the comments on a case",
        tags=["comments"],
        responses={200: CommentSerializer(many=True), **_errors(404)},
    )
    def get(self, request: Request, id: int) -> Response:
        case = _case(request, id)
        page = self.paginate_queryset(
            selectors.comments_for_case(case=case, user=request.user)
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Comment on a case, one of its claims or submissions, or reply",
        tags=["comments"],
        request=CommentInputSerializer,
        responses={201: CommentSerializer, **_errors(400, 401, 403, 404, 429)},
    )
    def post(self, request: Request, id: int) -> Response:
        case = _case(request, id)
        if not perms.user_can_comment(request.user, case):
            raise exceptions.PermissionDenied(
                _(
                    "Comments are open to confirmed accounts while the review window "
                    "is open."
                )
            )
        form = CommentInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        targets = self._targets(request, case, form.validated_data)
        with service_errors():
            ratelimits.enforce(request, "comment")
            comment = services.comment_post(
                case=case,
                author=request.user,
                body=form.validated_data["body"],
                **targets,
            )
        comment.depth = 0
        ancestor = comment.parent
        while ancestor is not None and comment.depth < 6:
            comment.depth += 1
            ancestor = ancestor.parent
        return Response(
            self.get_serializer(comment).data, status=status.HTTP_201_CREATED
        )

    def _targets(self, request: Request, case: Case, attrs: dict) -> dict:
        """Resolve the numbers sent into the case's claim, a submission on the case the
        user may see, and a comment of the case; anything else is a field error."""
        targets: dict[str, Any] = {}
        errors: dict[str, str] = {}
        if attrs.get("claim") is not None:
            targets["claim"] = case.claims.filter(number=attrs["claim"]).first()
            if targets["claim"] is None:
                errors["claim"] = _("Claim %(n)s is not a claim of this case.") % {
                    "n": attrs["claim"]
                }
        visible = perms.prior_art_visible_to(request.user).filter(case=case)
        if attrs.get("prior_art") is not None:
            targets["prior_art"] = (
                visible.filter(pk=attrs["prior_art"]).select_related("case").first()
            )
            if targets["prior_art"] is None:
                errors["prior_art"] = _("That submission is not on this case.")
        if attrs.get("parent") is not None:
            targets["parent"] = (
                Comment.objects.filter(pk=attrs["parent"], case=case)
                .filter(Q(prior_art__isnull=True) | Q(prior_art__in=visible))
                .select_related("author", "claim", "prior_art", "parent")
                .first()
            )
            if targets["parent"] is None:
                errors["parent"] = _("You cannot reply to that comment.")
        if errors:
            raise serializers.ValidationError(errors)
        return targets


class FlagCreateView(GenericAPIView):
    """Report a public submission or a visible comment: any verified contributor, not on
    their own contributions (401 anonymous, 403 otherwise, including staff reporting a
    submission the public cannot see). A target the user cannot see is a field error.
    Rate limit ``flag``."""

    filter_backends: list = []
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    serializer_class = FlagSerializer

    @extend_schema(
        summary="Report a submission or a comment",
        tags=["flags"],
        request=FlagInputSerializer,
        responses={201: FlagSerializer, **_errors(400, 401, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        form = FlagInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        attrs = form.validated_data
        target: dict[str, Any] = {}
        try:
            if "prior_art" in attrs:
                target["prior_art"] = selectors.prior_art_detail(
                    user=request.user, pk=attrs["prior_art"]
                )
            else:
                target["comment"] = selectors.comment_detail(
                    user=request.user, pk=attrs["comment"]
                )
        except Http404:
            field = "prior_art" if "prior_art" in attrs else "comment"
            raise serializers.ValidationError(
                {field: _("There is no such item to report.")}
            )
        with service_errors():
            ratelimits.enforce(request, "flag")
            flag = services.flag_create(
                reporter=request.user,
                reason=attrs["reason"],
                details=attrs.get("details", ""),
                **target,
            )
        return Response(self.get_serializer(flag).data, status=status.HTTP_201_CREATED)
