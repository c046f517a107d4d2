"""``/api/v1/library/``: the prior-art library, read by anyone, loaded by agency editors.

Reading needs no account. Loading documents (``POST``) is for agency editors and site
admins: a JSON list of document objects, or JSON Lines (one object a line), through the
same importer as ``manage.py import_library`` and the admin upload
(``search.importer``), so a bad line is reported with its number and reason and the
good lines still load, and the same body sent again changes nothing. Bodies over
``MAX_BODY_BYTES`` are refused (413): larger files go through the admin upload, which
runs in the background.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import BaseParser
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from accounts.notifications import enqueue_on_commit
from cases.models import CASE_LANGUAGES, Agency
from cases.permissions import agencies_for_user
from config.api_parsers import JSONParser
from submissions.identifiers import identifier_key

from .. import importer, tasks
from ..models import LibraryDocument
from .common import error_responses
from .serializers import (
    ImportReportSerializer,
    LibraryDocumentDetailSerializer,
    LibraryDocumentSerializer,
    LibraryImportQuerySerializer,
    LibraryRecordSerializer,
)

MAX_BODY_BYTES = 10 * 1024 * 1024


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy(
        "The body is larger than 10 MB. Split it, or upload the file in the admin "
        "(Library), which loads large files in the background."
    )
    default_code = "payload_too_large"


@dataclass
class JSONLines:
    """A JSON Lines body, as raw lines: the importer decodes and reports each line."""

    lines: list[bytes] = field(default_factory=list)


class JSONLinesParser(BaseParser):
    media_type = "application/x-ndjson"

    def parse(self, stream, media_type=None, parser_context=None) -> JSONLines:
        return JSONLines(list(stream) if stream is not None else [])


class JSONLParser(JSONLinesParser):
    media_type = "application/jsonl"


# --- Reading ---------------------------------------------------------------------------


class LibraryFilter(django_filters.FilterSet):
    source = django_filters.CharFilter(help_text="Only documents from this source.")
    language = django_filters.ChoiceFilter(choices=CASE_LANGUAGES)
    identifier = django_filters.CharFilter(
        method="by_identifier",
        help_text="The document with this identifier, in any spelling "
        "(`US 7,654,321 B2` finds `us7654321`).",
    )

    class Meta:
        model = LibraryDocument
        fields = ["source", "language", "identifier"]

    def by_identifier(self, queryset, name, value):
        key = identifier_key(value)
        return queryset.filter(identifier_key=key) if key else queryset.none()


# --- Writing ---------------------------------------------------------------------------


def import_agency(request: Request) -> Agency | None:
    """The agency documents are loaded for: ``?agency=`` or, for an editor of a single
    agency, that agency. Site admins may load documents of no agency. 403 for people
    who edit for no agency, or not for the one named."""
    user = request.user
    editable = list(agencies_for_user(user))
    if not user.is_superuser and not editable:
        raise exceptions.PermissionDenied(
            _("Only agency editors can add documents to the library.")
        )
    params = {key: value for key, value in request.query_params.items() if value}
    form = LibraryImportQuerySerializer(data=params)
    form.is_valid(raise_exception=True)
    slug = form.validated_data.get("agency")
    if not slug:
        if user.is_superuser:
            return None
        if len(editable) > 1:
            raise serializers.ValidationError(
                {
                    "agency": [
                        _(
                            "You edit for several agencies: say which one with "
                            "?agency=<slug>."
                        )
                    ]
                }
            )
        return editable[0]
    agency = next((agency for agency in editable if agency.slug == slug), None)
    if agency is None:
        if not Agency.objects.filter(slug=slug).exists():
            raise serializers.ValidationError(
                {"agency": [_("There is no agency with this slug.")]}
            )
        raise exceptions.PermissionDenied(_("You are not an editor of this agency."))
    return agency


def body_size(request: Request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class LibraryListView(GenericAPIView):
    """The library, newest first (GET, anyone), and loading documents into it (POST,
    agency editors and site admins: 401 anonymous, 403 otherwise)."""

    queryset = LibraryDocument.objects.select_related("agency").order_by("-pk")
    serializer_class = LibraryDocumentSerializer
    filterset_class = LibraryFilter
    permission_classes = [IsAuthenticatedOrReadOnly]
    parser_classes = [JSONParser, JSONLinesParser, JSONLParser]

    @extend_schema(
        summary="List the library's documents",
        tags=["library"],
        responses={
            200: LibraryDocumentSerializer(many=True),
            **error_responses(400, 404, 429),
        },
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Load documents into the library",
        description="A JSON list of documents (`application/json`), or JSON Lines "
        "(`application/x-ndjson` or `application/jsonl`), at most 10 MB. Answers the "
        "import report: 201 when a document was created, 200 otherwise, 400 (with the "
        "report) when no line could be loaded.",
        tags=["library"],
        parameters=[LibraryImportQuerySerializer],
        request={
            "application/json": LibraryRecordSerializer(many=True),
            "application/x-ndjson": OpenApiTypes.STR,
            "application/jsonl": OpenApiTypes.STR,
        },
        responses={
            200: ImportReportSerializer,
            201: ImportReportSerializer,
            **error_responses(400, 401, 403, 413, 415, 429),
        },
        filters=False,
    )
    def post(self, request: Request) -> Response:
        agency = import_agency(request)
        if body_size(request) > MAX_BODY_BYTES:
            raise PayloadTooLarge()
        data = request.data
        if isinstance(data, JSONLines):
            if not any(line.strip() for line in data.lines):
                raise _no_documents()
            report = importer.import_lines(data.lines, agency=agency, user=request.user)
        elif isinstance(data, list):
            if not data:
                raise _no_documents()
            report = importer.import_records(data, agency=agency, user=request.user)
        else:
            raise _no_documents()
        if report.changed:
            # The new text ranks with the statistics once they are refreshed; if the
            # broker is down, the hourly refresh catches up.
            enqueue_on_commit(tasks.refresh_stats)
        loaded = report.created + report.updated + report.unchanged
        if report.created:
            answer = status.HTTP_201_CREATED
        elif not loaded and report.error_count:
            answer = status.HTTP_400_BAD_REQUEST
        else:
            answer = status.HTTP_200_OK
        return Response(ImportReportSerializer(asdict(report)).data, status=answer)


def _no_documents() -> serializers.ValidationError:
    return serializers.ValidationError(
        {
            api_settings.NON_FIELD_ERRORS_KEY: [
                _(
                    "Send the documents as a JSON list of objects, or as JSON Lines "
                    "with one object a line."
                )
            ]
        }
    )


class LibraryDetailView(GenericAPIView):
    """One library document with its text."""

    queryset = LibraryDocument.objects.select_related("agency")
    serializer_class = LibraryDocumentDetailSerializer
    filter_backends: list = []

    @extend_schema(
        summary="One library document",
        tags=["library"],
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="Its id.")
        ],
        responses={
            200: LibraryDocumentDetailSerializer,
            **error_responses(404, 429),
        },
    )
    def get(self, request: Request, id: str) -> Response:
        # The route takes any segment, so that "abc" is a JSON 404 like any unknown id.
        document = None
        if id.isascii() and id.isdigit():
            document = self.get_queryset().filter(pk=int(id)).first()
        if document is None:
            raise exceptions.NotFound(_("No such library document."))
        return Response(self.get_serializer(document).data)
