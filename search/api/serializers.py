"""Request and response shapes of the search and library API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from cases.forms import PUBLIC_STATUSES
from cases.models import CASE_LANGUAGES, Agency, CaseStatus, TechnologyArea
from submissions.api import StatusField, absolute_url
from submissions.api.fields import MAX_ID
from submissions.models import DatePrecision as PriorArtDatePrecision
from submissions.models import PriorArtKind, PriorArtStatus

from ..engine import MAX_QUERY_LENGTH
from ..models import DatePrecision, LibraryDocument
from ..sources import TYPE_CHOICES

MAX_PAGE = 2**31 - 1

# --- Fields ----------------------------------------------------------------------------


def hit_type(key: str) -> serializers.Field:
    """The ``type`` of one kind of hit: a one-value enum, so that exactly one of the
    hit schemas matches each hit."""

    @extend_schema_field({"type": "string", "enum": [key]})
    class HitTypeField(serializers.ReadOnlyField):
        pass

    return HitTypeField(help_text="The kind of document.")


# --- Search: the query -----------------------------------------------------------------


class SearchQuerySerializer(serializers.Serializer):
    """The search's query parameters. An empty optional parameter counts as absent;
    ``filters_data()`` gives what ``search.sources.Filters`` takes (but ``case``, which
    the view looks up among the cases the user may see)."""

    q = serializers.CharField(
        max_length=MAX_QUERY_LENGTH,
        help_text="What to look for: natural language, or websearch syntax "
        '(`"a phrase"`, `or`, `-word`).',
    )
    type = serializers.ChoiceField(
        choices=TYPE_CHOICES, required=False, help_text="Only this kind of document."
    )
    agency = serializers.SlugField(
        max_length=100, required=False, help_text="Agency slug (not the library)."
    )
    area = serializers.SlugField(
        max_length=100,
        required=False,
        help_text="Technology area slug (not the library).",
    )
    status = serializers.ChoiceField(
        choices=PUBLIC_STATUSES,
        required=False,
        help_text="The case's status (not the library).",
    )
    kind = serializers.ChoiceField(
        choices=PriorArtKind.choices,
        required=False,
        help_text="Kind of evidence (prior art only).",
    )
    date_from = serializers.DateField(
        required=False,
        help_text="On or after this date (YYYY-MM-DD): the review opening of a case, "
        "the publication date of prior art and library documents, the day of a comment.",
    )
    date_to = serializers.DateField(
        required=False, help_text="On or before this date (YYYY-MM-DD)."
    )
    language = serializers.ChoiceField(
        choices=CASE_LANGUAGES,
        required=False,
        help_text="Language of library documents (the library only).",
    )
    case = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="Only the evidence and comments of this published case (id).",
    )
    page = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE, default=1, help_text="Page number, from 1."
    )

    def validate_agency(self, value: str) -> str:
        if not Agency.objects.filter(slug=value).exists():
            raise serializers.ValidationError(_("There is no agency with this slug."))
        return value

    def validate_area(self, value: str) -> str:
        if not TechnologyArea.objects.filter(slug=value).exists():
            raise serializers.ValidationError(
                _("There is no technology area with this slug.")
            )
        return value

    def validate(self, attrs: dict) -> dict:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"date_to": [_("The end date is before the start date.")]}
            )
        return attrs

    def filters_data(self) -> dict[str, Any]:
        data = self.validated_data
        names = ("agency", "area", "status", "kind", "date_from", "date_to", "language")
        filters = {name: data[name] for name in names if name in data}
        if "type" in data:
            filters["types"] = (data["type"],)
        return filters


# --- Search: the answer ----------------------------------------------------------------


class HitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    snippet = serializers.CharField(
        help_text="HTML: the matching passage, escaped, with `<mark>` around the "
        "words that matched."
    )
    rank = serializers.FloatField(help_text="BM25 score; higher is better.")
    url = serializers.URLField(help_text="The document's page on the site.")


class CaseHitSerializer(HitSerializer):
    type = hit_type("case")
    reference = serializers.CharField(help_text="The agency's number for the case.")
    agency = serializers.CharField(help_text="The agency's slug.")
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    review_opens_at = serializers.DateTimeField()


class PriorArtHitSerializer(HitSerializer):
    type = hit_type("prior_art")
    tracking_ref = serializers.CharField()
    case = serializers.IntegerField(help_text="The case's id.")
    case_reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=PriorArtKind.choices)
    status = StatusField(
        choices=PriorArtStatus.choices, component_name="PriorArtStatusEnum"
    )
    published_on = serializers.DateField(allow_null=True)
    published_on_precision = serializers.ChoiceField(
        choices=PriorArtDatePrecision.choices
    )


class CommentHitSerializer(HitSerializer):
    type = hit_type("comment")
    case = serializers.IntegerField(help_text="The case's id.")
    case_reference = serializers.CharField()
    claim = serializers.IntegerField(
        allow_null=True, help_text="The number of the claim it is about, or null."
    )
    prior_art = serializers.IntegerField(
        allow_null=True, help_text="The id of the submission it is about, or null."
    )
    created_at = serializers.DateTimeField()


class LibraryHitSerializer(HitSerializer):
    type = hit_type("library")
    identifier = serializers.CharField()
    source = serializers.CharField()
    language = serializers.ChoiceField(choices=CASE_LANGUAGES)
    published_on = serializers.DateField(allow_null=True)
    published_on_precision = StatusField(
        choices=DatePrecision.choices, component_name="LibraryDatePrecisionEnum"
    )


HIT_SERIALIZERS: dict[str, type[HitSerializer]] = {
    "case": CaseHitSerializer,
    "prior_art": PriorArtHitSerializer,
    "comment": CommentHitSerializer,
    "library": LibraryHitSerializer,
}


class TypeCountSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        help_text="How many documents of this kind match (0 when the filters leave "
        "the kind out)."
    )
    capped = serializers.BooleanField(
        help_text="Counting stopped here: at least this many match."
    )


class SearchCountsSerializer(serializers.Serializer):
    case = TypeCountSerializer()
    prior_art = TypeCountSerializer()
    comment = TypeCountSerializer()
    library = TypeCountSerializer()


class SearchResultsSerializer(serializers.Serializer):
    """The schema of a page of search results (the view builds the dictionary)."""

    count = serializers.IntegerField(
        help_text="Hits reachable by paging, in the kinds shown."
    )
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    relaxed = serializers.BooleanField(
        help_text="Few documents had every word, and documents with only some of "
        "them were added."
    )
    counts = SearchCountsSerializer(
        help_text="Per kind of document, under every filter but `type`."
    )
    results = PolymorphicProxySerializer(
        component_name="SearchHit",
        serializers={key: cls for key, cls in HIT_SERIALIZERS.items()},
        resource_type_field_name="type",
        many=True,
    )


# --- The library -----------------------------------------------------------------------


class LibraryDocumentSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Slug of the agency that loaded it, or null.",
    )
    published_on_precision = StatusField(
        choices=DatePrecision.choices, component_name="LibraryDatePrecisionEnum"
    )
    url = serializers.CharField(help_text="A link to the document, or empty.")
    url_html = serializers.SerializerMethodField(help_text="The document's page.")

    class Meta:
        model = LibraryDocument
        fields = [
            "id",
            "identifier",
            "identifier_key",
            "title",
            "url",
            "published_on",
            "published_on_precision",
            "source",
            "language",
            "agency",
            "created_at",
            "updated_at",
            "url_html",
        ]
        read_only_fields = fields

    def get_url_html(self, document: LibraryDocument) -> str:
        return absolute_url(self.context.get("request"), document.get_absolute_url())


class LibraryDocumentDetailSerializer(LibraryDocumentSerializer):
    class Meta(LibraryDocumentSerializer.Meta):
        fields = LibraryDocumentSerializer.Meta.fields + ["body"]
        read_only_fields = fields


class LibraryImportQuerySerializer(serializers.Serializer):
    agency = serializers.SlugField(
        max_length=100,
        required=False,
        help_text="Slug of the agency the documents are loaded for; required when you "
        "edit for several agencies.",
    )


@extend_schema_field(
    {
        "oneOf": [{"type": "string"}, {"type": "integer"}],
        "example": "2019-05-01",
        "description": 'ISO date (`2019-05-01`) or a year (`2019` or `"2019"`).',
    }
)
class PublishedOnField(serializers.Field):
    pass


class LibraryRecordSerializer(serializers.Serializer):
    """One document to load (for the schema: the importer checks each line itself)."""

    title = serializers.CharField(max_length=1000)
    body = serializers.CharField(help_text="The document's text.")
    identifier = serializers.CharField(
        max_length=320,
        required=False,
        help_text="Patent number, DOI, ISBN, URL...: documents with the same "
        "identifier are one document, updated when the text changes.",
    )
    url = serializers.URLField(max_length=2000, required=False)
    published_on = PublishedOnField(required=False)
    source = serializers.CharField(max_length=200, required=False)
    language = serializers.ChoiceField(choices=CASE_LANGUAGES, required=False)


class LineErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(
        help_text="Line number (or position in the list), from 1."
    )
    reason = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    lines = serializers.IntegerField(help_text="Lines (or list items) read.")
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    error_count = serializers.IntegerField(help_text="Bad lines, all of them.")
    errors = LineErrorSerializer(many=True, help_text="The first bad lines.")
