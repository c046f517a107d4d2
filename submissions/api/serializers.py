"""Request and response shapes of the contributions API."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _
from rest_framework import serializers

from search.models import LibraryDocument

from .. import services
from ..models import (
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
from .fields import (
    MAX_CLAIM,
    MAX_ID,
    MAX_MAPPINGS,
    PartialDateField,
    StatusField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
    absolute_url,
)

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
            "library_document",
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
        return absolute_url(self.context.get("request"), prior_art.get_absolute_url())


class PriorArtInputSerializer(serializers.Serializer):
    """What a contributor sends; lengths and choices match the model. With a
    ``library_document``, the title may be left out: the citation fields left blank are
    taken from the document (``services.prefilled_from_library``)."""

    kind = serializers.ChoiceField(choices=PriorArtKind.choices)
    title = serializers.CharField(
        max_length=500,
        help_text="Required unless `library_document` is given (its title is used).",
    )
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
    library_document = StrictPrimaryKeyRelatedField(
        queryset=LibraryDocument.objects.defer("search_vector"),
        allow_null=True,
        required=False,
        help_text="Id of the library document this evidence is (`/api/v1/library/`). "
        "Its title, identifier, link, publication date and text fill in those left "
        "blank. `null` cites none.",
    )
    claim_mappings = ClaimMappingInputSerializer(many=True, max_length=MAX_MAPPINGS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        data = kwargs.get("data")
        if isinstance(data, Mapping) and data.get("library_document") is not None:
            self.fields["title"].required = False

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
        if "library_document" in attrs:
            data["library_document"] = attrs["library_document"]
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
