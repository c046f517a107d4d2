"""The contributions part of the JSON API (v1): prior art, ratings, comments and flags.

Views are thin and share everything with the pages: objects are looked up through the
same selectors (what a user may not see is 404), writes are counted against the same
rate limits (``submissions.ratelimits``, 429) and go through the same services, which
check permission and state themselves (403 with their message, 400 with field
messages). Reads are open to anyone; every write needs an account (401 without one,
by token or session). Bodies are JSON; attachments can only be added on the pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, NamedTuple

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from cases.models import Case
from cases.permissions import cases_visible_to

from . import permissions as perms
from . import ratelimits, selectors, services
from .models import (
    ClaimMapping,
    Comment,
    DatePrecision,
    Flag,
    FlagReason,
    FlagStatus,
    PriorArt,
    PriorArtKind,
    PriorArtStatus,
)

MAX_CLAIM = 2**31 - 1  # claim numbers are PositiveIntegerField
MAX_ID = 2**63 - 1  # primary keys are BigAutoField
MAX_MAPPINGS = 1000

# --- Fields ----------------------------------------------------------------------------


class StrictIntegerField(serializers.IntegerField):
    """A JSON number, not a string or a boolean that happens to look like one."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StatusField(serializers.ChoiceField):
    """A read-only status documented as its own named enum: cases, submissions and
    flags all have a ``status``, each with other values."""

    def __init__(self, *, component_name: str, **kwargs: Any) -> None:
        self.component_name = component_name
        super().__init__(read_only=True, **kwargs)


class StatusFieldSchema(OpenApiSerializerFieldExtension):
    target_class = StatusField

    def get_name(self) -> str:
        return self.target.component_name

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(
            self.target, direction, bypass_extensions=True
        )
        schema.pop("readOnly", None)  # belongs to the property, not the enum
        return schema


class PartialDate(NamedTuple):
    value: date
    precision: str


PARTIAL_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
        "example": "2001-06",
        "description": "ISO date; `YYYY-MM` or `YYYY` when only the month or year is "
        "known (the precision follows unless `published_on_precision` is given).",
    }
)
class PartialDateField(serializers.Field):
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``: a date with the precision it implies."""

    default_error_messages = {
        "invalid": gettext_lazy(
            "Enter the date as YYYY-MM-DD, or as YYYY-MM or YYYY when only the month "
            "or the year is known."
        )
    }

    def to_internal_value(self, data: Any) -> PartialDate | None:
        if data == "":
            return None
        match = PARTIAL_DATE_RE.fullmatch(data) if isinstance(data, str) else None
        if match is None:
            self.fail("invalid")
        year, month, day = match.groups()
        precision = (
            DatePrecision.DAY
            if day
            else DatePrecision.MONTH
            if month
            else DatePrecision.YEAR
        )
        try:
            value = date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            self.fail("invalid")
        return PartialDate(value, precision)

    def to_representation(self, value: PartialDate) -> str:
        return value.value.isoformat()


# --- Serializers -----------------------------------------------------------------------


class ClaimMappingSerializer(serializers.ModelSerializer):
    claim = serializers.IntegerField(source="claim.number", help_text="Claim number.")

    class Meta:
        model = ClaimMapping
        fields = ["claim", "explanation"]


class ClaimMappingInputSerializer(serializers.Serializer):
    claim = StrictIntegerField(
        min_value=1, max_value=MAX_CLAIM, help_text="The number of a claim of the case."
    )
    explanation = serializers.CharField(
        max_length=5000, help_text="How the evidence bears on this claim."
    )


class PriorArtSerializer(serializers.ModelSerializer):
    """A submission as its viewer may see it, with the derived fields."""

    claim_mappings = ClaimMappingSerializer(source="mappings", many=True)
    status = StatusField(
        choices=PriorArtStatus.choices, component_name="PriorArtStatusEnum"
    )
    author = serializers.CharField(
        source="author.public_name", help_text="The contributor's public handle."
    )
    rating_count = serializers.IntegerField()
    rating_average = serializers.SerializerMethodField()
    url_html = serializers.SerializerMethodField(help_text="The submission's page.")

    class Meta:
        model = PriorArt
        fields = [
            "id",
            "case",
            "tracking_ref",
            "status",
            "kind",
            "title",
            "authors",
            "published_on",
            "published_on_precision",
            "identifier",
            "identifier_key",
            "url",
            "excerpt",
            "relevance",
            "claim_mappings",
            "after_priority_date",
            "held_for_screening",
            "rating_count",
            "rating_average",
            "author",
            "url_html",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_rating_average(self, prior_art: PriorArt) -> float | None:
        average = prior_art.rating_average
        return None if average is None else round(average, 2)

    def get_url_html(self, prior_art: PriorArt) -> str:
        return _absolute(self.context.get("request"), prior_art.get_absolute_url())


class PriorArtInputSerializer(serializers.Serializer):
    """What a contributor sends; lengths and choices match the model."""

    kind = serializers.ChoiceField(choices=PriorArtKind.choices)
    title = serializers.CharField(max_length=500)
    authors = serializers.CharField(max_length=500, allow_blank=True, required=False)
    published_on = PartialDateField(allow_null=True, required=False)
    published_on_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, required=False
    )
    identifier = serializers.CharField(
        max_length=300,
        allow_blank=True,
        required=False,
        help_text="Patent number, DOI, ISBN or web address.",
    )
    url = serializers.URLField(max_length=2000, allow_blank=True, required=False)
    excerpt = serializers.CharField(max_length=20000, allow_blank=True, required=False)
    relevance = serializers.CharField(
        max_length=5000, help_text="A concise description of relevance."
    )
    claim_mappings = ClaimMappingInputSerializer(many=True, max_length=MAX_MAPPINGS)

    def validate(self, attrs: dict) -> dict:
        partial, explicit = (
            attrs.get("published_on"),
            attrs.get("published_on_precision"),
        )
        order = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]
        if (
            partial
            and explicit
            and order.index(explicit) < order.index(partial.precision)
        ):
            raise serializers.ValidationError(
                {
                    "published_on_precision": _(
                        "The date given is less precise than that."
                    )
                }
            )
        return attrs

    def service_data(self) -> dict:
        """The citation fields for ``prior_art_submit`` / ``prior_art_update``; the
        precision of a partial date applies unless one was given."""
        attrs = self.validated_data
        data = {k: v for k, v in attrs.items() if k in services.PRIOR_ART_FIELDS}
        if "published_on" in attrs:
            partial = attrs["published_on"]
            data["published_on"] = partial.value if partial else None
            if partial and "published_on_precision" not in attrs:
                data["published_on_precision"] = partial.precision
        return data

    def service_mappings(self) -> list[services.MappingInput] | None:
        mappings = self.validated_data.get("claim_mappings")
        if mappings is None:
            return None
        return [services.MappingInput(m["claim"], m["explanation"]) for m in mappings]


class RatingSerializer(serializers.Serializer):
    rating = StrictIntegerField(min_value=1, max_value=5)


class RatingSummarySerializer(serializers.Serializer):
    rating = serializers.IntegerField(help_text="Your rating.")
    rating_count = serializers.IntegerField()
    rating_average = serializers.FloatField(allow_null=True)


class CommentSerializer(serializers.ModelSerializer):
    """A comment in thread order. A hidden one keeps its place, with `hidden: true` and
    a reason but without its text or author."""

    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    depth = serializers.IntegerField(help_text="Nesting level in the thread, 0–6.")
    claim = serializers.IntegerField(
        source="claim.number", allow_null=True, help_text="Claim number, if any."
    )
    prior_art = serializers.IntegerField(source="prior_art_id", allow_null=True)
    author = serializers.CharField(source="author.public_name", allow_null=True)
    body = serializers.CharField(allow_null=True)
    hidden = serializers.SerializerMethodField()
    hidden_reason = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "parent",
            "depth",
            "claim",
            "prior_art",
            "author",
            "body",
            "hidden",
            "hidden_reason",
            "created_at",
            "edited_at",
        ]
        read_only_fields = fields

    def to_representation(self, comment: Comment) -> dict:
        data = super().to_representation(comment)
        if not comment.is_visible:
            data.update(author=None, body=None)
        return data

    def get_hidden(self, comment: Comment) -> bool:
        return not comment.is_visible

    def get_hidden_reason(self, comment: Comment) -> str | None:
        if comment.hidden:
            return comment.hidden_reason
        if comment.hidden_by_flags:
            return _("Hidden after reports, until a reviewer decides.")
        return None


class CommentInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=5000)
    claim = StrictIntegerField(
        min_value=1,
        max_value=MAX_CLAIM,
        required=False,
        allow_null=True,
        help_text="Number of the claim the comment is about.",
    )
    prior_art = StrictIntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="Id of the submission the comment is about.",
    )
    parent = StrictIntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="Id of the comment this one replies to (its target is inherited).",
    )


class FlagSerializer(serializers.ModelSerializer):
    status = StatusField(choices=FlagStatus.choices, component_name="FlagStatusEnum")

    class Meta:
        model = Flag
        fields = [
            "id",
            "prior_art",
            "comment",
            "reason",
            "details",
            "status",
            "created_at",
        ]
        read_only_fields = fields


class FlagInputSerializer(serializers.Serializer):
    prior_art = StrictIntegerField(min_value=1, max_value=MAX_ID, required=False)
    comment = StrictIntegerField(min_value=1, max_value=MAX_ID, required=False)
    reason = serializers.ChoiceField(choices=FlagReason.choices)
    details = serializers.CharField(max_length=2000, allow_blank=True, required=False)

    def validate(self, attrs: dict) -> dict:
        if ("prior_art" in attrs) == ("comment" in attrs):
            raise serializers.ValidationError(
                _("Flag either a submission or a comment.")
            )
        return attrs


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


# --- Helpers ---------------------------------------------------------------------------


def _absolute(request: Request | None, path: str) -> str:
    return request.build_absolute_uri(path) if request else path


def _api_field(key: str, aliases: dict[str, str]) -> str:
    if key == "claims" or key.startswith("explanation_"):
        return "claim_mappings"
    if key == NON_FIELD_ERRORS:
        return api_settings.NON_FIELD_ERRORS_KEY
    return aliases.get(key, key)


@contextmanager
def service_errors(aliases: dict[str, str] | None = None) -> Iterator[None]:
    """Turn what services and rate limits raise into DRF's 400, 403 and 429 answers;
    service error keys map onto the API's field names."""
    try:
        yield
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
            )
        errors: dict[str, list[str]] = {}
        for key, messages in exc.message_dict.items():
            errors.setdefault(_api_field(key, aliases or {}), []).extend(messages)
        raise serializers.ValidationError(errors)
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None)
    except ratelimits.RateLimited as exc:
        raise exceptions.Throttled(detail=str(exc))


def _case(request: Request, case_id: int) -> Case:
    """A published case, or 404."""
    return get_object_or_404(cases_visible_to(request.user), pk=case_id)


def _identifier_alias(identifier: str) -> dict[str, str]:
    # The derived key is checked with the model; its error belongs to what it came from.
    return {"identifier_key": "identifier" if identifier else "url"}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    described = {
        400: OpenApiResponse(
            OpenApiTypes.OBJECT, description="Invalid input: messages by field name."
        ),
        401: OpenApiResponse(DetailSerializer, description="Not logged in."),
        403: OpenApiResponse(DetailSerializer, description="Not allowed (why)."),
        404: OpenApiResponse(DetailSerializer, description="No such object for you."),
        429: OpenApiResponse(DetailSerializer, description="Rate limit reached."),
    }
    return {code: described[code] for code in codes}


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
            headers={"Location": _absolute(request, location)},
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
