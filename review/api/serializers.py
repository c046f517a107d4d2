"""Serializers of the review API: the screening queue, screening and forwarding answers,
dossiers with their items, and the request bodies. Read-only shapes are built from rows
the selectors have already annotated and prefetched; none of them queries per row."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from cases.models import CaseStatus, Claim
from submissions.api import DetailSerializer, StatusField, StrictIntegerField
from submissions.models import PriorArt, PriorArtKind, PriorArtStatus

from ..models import Dossier, DossierItem, ForwardTrigger, Outcome
from ..permissions import cases_to_screen
from ..selectors import QUEUE_STATUSES
from ..services import DECISIONS
from ..services.decisions import NOTE_MAX

MAX_ID = 2**63 - 1  # primary keys are BigAutoField
MAX_CLAIM = 2**31 - 1  # claim numbers are PositiveIntegerField


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request else path


def _mean(total: int, count: int) -> float | None:
    return round(total / count, 2) if count else None


# --- The screening queue ----------------------------------------------------------------


class QueueFilterSerializer(serializers.Serializer):
    """The queue's query parameters, checked as the queue page checks them (``case`` a
    case the user screens now, ``claim`` a claim number of that case); pass the user in
    the context. ``filters()`` gives what ``screening_queue`` takes."""

    status = serializers.ChoiceField(
        choices=list(QUEUE_STATUSES),
        required=False,
        help_text="Screening state to list; `submitted` when omitted, `all` for every "
        "state.",
    )
    case = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="Only this case (id): one you screen now.",
    )
    claim = serializers.IntegerField(
        min_value=1,
        max_value=MAX_CLAIM,
        required=False,
        help_text="Only evidence mapped to this claim number of `case`.",
    )
    flagged = serializers.BooleanField(
        required=False, help_text="Only evidence with open reports."
    )
    after_priority = serializers.BooleanField(
        required=False, help_text="Only evidence dated after the priority date."
    )
    duplicate = serializers.BooleanField(
        required=False, help_text="Only suspected duplicates of earlier evidence."
    )

    def validate(self, attrs: dict) -> dict:
        case_id, number = attrs.get("case"), attrs.get("claim")
        attrs["claim_id"] = None
        if case_id is not None:
            screened = cases_to_screen(self.context["user"]).filter(pk=case_id)
            reference = screened.values_list("reference", flat=True).first()
            if reference is None:
                raise serializers.ValidationError(
                    {"case": [_("You are not screening a case with this id.")]}
                )
        if number is not None:
            if case_id is None:
                raise serializers.ValidationError(
                    {"claim": [_("Choose a case to filter by claim.")]}
                )
            attrs["claim_id"] = (
                Claim.objects.filter(case_id=case_id, number=number)
                .values_list("pk", flat=True)
                .first()
            )
            if attrs["claim_id"] is None:
                raise serializers.ValidationError(
                    {
                        "claim": [
                            _("Case %(ref)s has no claim %(n)d.")
                            % {"ref": reference, "n": number}
                        ]
                    }
                )
        return attrs

    def filters(self) -> dict:
        attrs = self.validated_data
        return {
            "status": attrs.get("status") or "submitted",
            "case": attrs.get("case"),
            "claim": attrs["claim_id"],
            "flagged": attrs.get("flagged", False),
            "after_priority": attrs.get("after_priority", False),
            "duplicate": attrs.get("duplicate", False),
        }


class CaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()


class RatingTotalsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    mean = serializers.FloatField(
        allow_null=True, help_text="Plain mean, 2 decimals; null without ratings."
    )


class QueueItemSerializer(serializers.ModelSerializer):
    """One row of the screening queue: what a reviewer needs to triage it."""

    case = CaseRefSerializer()
    kind = serializers.ChoiceField(choices=PriorArtKind.choices, read_only=True)
    status = StatusField(
        choices=PriorArtStatus.choices, component_name="PriorArtStatusEnum"
    )
    submitted_at = serializers.DateTimeField(source="created_at")
    contributor = serializers.CharField(
        source="author.public_name", help_text="The contributor's public handle."
    )
    suspected_duplicate = serializers.BooleanField(
        help_text="An earlier live submission on the case has the same identifier or "
        "text."
    )
    open_flags = serializers.IntegerField(help_text="Open reports on it.")
    ratings = serializers.SerializerMethodField(help_text="Community ratings.")
    reviewer_ratings = serializers.SerializerMethodField(
        help_text="The reviewers' own ratings."
    )
    claims = serializers.SerializerMethodField(help_text="Claim numbers it maps to.")
    url = serializers.SerializerMethodField(help_text="Its page in the review area.")

    class Meta:
        model = PriorArt
        fields = [
            "id",
            "tracking_ref",
            "case",
            "title",
            "kind",
            "status",
            "submitted_at",
            "contributor",
            "held_for_screening",
            "after_priority_date",
            "suspected_duplicate",
            "open_flags",
            "ratings",
            "reviewer_ratings",
            "claims",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(RatingTotalsSerializer)
    def get_ratings(self, row: PriorArt) -> dict:
        return {"count": row.votes_count, "mean": _mean(row.votes_sum, row.votes_count)}

    @extend_schema_field(RatingTotalsSerializer)
    def get_reviewer_ratings(self, row: PriorArt) -> dict:
        return {
            "count": row.reviewer_count,
            "mean": _mean(row.reviewer_sum, row.reviewer_count),
        }

    def get_claims(self, row: PriorArt) -> list[int]:
        return [mapping.claim.number for mapping in row.mappings.all()]

    def get_url(self, row: PriorArt) -> str:
        path = reverse("review:item", kwargs={"ref": row.tracking_ref})
        return absolute(self.context.get("request"), path)


# --- Screening --------------------------------------------------------------------------


class ScreeningInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=list(DECISIONS))
    reason = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        help_text="Shown to the contributor. Required for `needs_changes` and "
        "`reject`; optional for `vet` (a note) and `duplicate`.",
    )
    duplicate_of = StrictIntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="For `duplicate`: the id of the earlier submission on the same case.",
    )


class ScreeningResultSerializer(serializers.ModelSerializer):
    status = StatusField(
        choices=PriorArtStatus.choices, component_name="PriorArtStatusEnum"
    )
    status_reason = serializers.CharField(
        help_text="The reviewers' message to the contributor."
    )
    duplicate_of = serializers.IntegerField(
        source="duplicate_of_id", allow_null=True, help_text="Id of the original."
    )

    class Meta:
        model = PriorArt
        fields = ["id", "tracking_ref", "status", "status_reason", "duplicate_of"]
        read_only_fields = fields


# --- Dossiers ---------------------------------------------------------------------------


class DossierCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)


class DossierSummarySerializer(serializers.ModelSerializer):
    case = DossierCaseSerializer()
    trigger = serializers.ChoiceField(choices=ForwardTrigger.choices, read_only=True)

    class Meta:
        model = Dossier
        fields = ["id", "case", "forwarded_at", "trigger", "item_count"]
        read_only_fields = fields


class DossierListSerializer(DossierSummarySerializer):
    decided_count = serializers.IntegerField(
        help_text="Items with the examiner's decision."
    )

    class Meta(DossierSummarySerializer.Meta):
        fields = [*DossierSummarySerializer.Meta.fields, "decided_count"]
        read_only_fields = fields


class ForwardReceiptSerializer(serializers.Serializer):
    """What a reviewer learns of a forward: the dossier itself is the examiner's."""

    forwarded = serializers.BooleanField()
    item_count = serializers.IntegerField()
    created = serializers.BooleanField(
        help_text="False when the case had been forwarded already."
    )


class DecisionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField()
    decided_at = serializers.DateTimeField()
    decided_by = serializers.CharField(
        source="decided_by.public_name",
        allow_null=True,
        help_text="The examiner's public handle.",
    )


SNAPSHOT_KEYS = (
    "tracking_ref, kind, kind_label, title, authors, published_on, "
    "published_on_precision, after_priority_date, identifier, url, excerpt, relevance, "
    "mappings [{claim_number, claim_text, explanation}], contributor, submitted_at, "
    "rank, score {total, community, ratings, reviewer, reviewer_ratings}"
)


@extend_schema_field(OpenApiTypes.OBJECT)
class SnapshotField(serializers.JSONField):
    """The stored snapshot, with an erased contributor shown as "former contributor"
    (``DossierItem.display_snapshot``)."""

    def get_attribute(self, item: DossierItem) -> dict:
        return item.display_snapshot()


class DossierItemSerializer(serializers.ModelSerializer):
    snapshot = SnapshotField(
        help_text=f"The evidence as forwarded, frozen. Keys: {SNAPSHOT_KEYS}."
    )
    decision = serializers.SerializerMethodField(
        help_text="The examiner's decision, or null while undecided."
    )

    class Meta:
        model = DossierItem
        fields = ["id", "rank", "score", "snapshot", "decision"]
        read_only_fields = fields

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, item: DossierItem) -> dict | None:
        return DecisionSerializer(item).data if item.outcome else None


class DossierDetailSerializer(DossierListSerializer):
    items = DossierItemSerializer(many=True)

    class Meta(DossierListSerializer.Meta):
        fields = [*DossierListSerializer.Meta.fields, "items"]
        read_only_fields = fields


class DecisionInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField(
        max_length=NOTE_MAX,
        required=False,
        allow_blank=True,
        default="",
        error_messages={
            "max_length": gettext_lazy("Keep the note under 5,000 characters.")
        },
        help_text="For the file, and told to the contributor.",
    )


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The error answers of an endpoint, for its schema."""
    described = {
        400: OpenApiResponse(
            OpenApiTypes.OBJECT, description="Invalid input: messages by field name."
        ),
        401: OpenApiResponse(DetailSerializer, description="Not logged in."),
        403: OpenApiResponse(DetailSerializer, description="Not allowed (why)."),
        404: OpenApiResponse(DetailSerializer, description="No such object for you."),
    }
    return {code: described[code] for code in codes}
