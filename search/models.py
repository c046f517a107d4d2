"""The prior-art library, its import jobs, and the term statistics search ranks with.

Every searchable table carries a weighted ``search_vector`` with a GIN index (DESIGN.md,
Search). The library's is a generated column: its text and language are in one row. Cases,
submissions and comments take their text search configuration from the case's language,
another row, so theirs are kept current by database triggers (migration 0002, ADR 0005).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Case, F, Func, Q, Value, When
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CASE_LANGUAGES
from submissions.models import private_storage


class RegConfig(Func):
    """``opendocket_regconfig(language)``: an IMMUTABLE SQL function (migration 0001) from
    a language code to its text search configuration, usable in a generated column."""

    function = "opendocket_regconfig"
    output_field = models.CharField()


# A title like "asyncio.tasks.gather" or "disable_plugin" is one token to PostgreSQL's
# parser; the same title with ._/: read as spaces adds its words (weight A too), so a
# query for "gather" finds it. Titles without such punctuation add nothing.
DOTTED_TITLE = r"[._/:][[:alnum:]]"


def library_title_vector():
    """The title and identifier (weight A), a dotted title also by its words."""
    config = RegConfig(F("language"))
    split_title = Case(
        When(
            title__regex=DOTTED_TITLE,
            then=Func(F("title"), Value("._/:"), Value("    "), function="translate"),
        ),
        default=Value(""),
        output_field=models.TextField(),
    )
    return SearchVector("title", "identifier", config=config, weight="A") + (
        SearchVector(split_title, config=config, weight="A")
    )


def library_vector():
    config = RegConfig(F("language"))
    return library_title_vector() + SearchVector("body", config=config, weight="C")


def library_length():
    """BM25's document length: the characters the vector is made of."""
    return Length("title") + Length("identifier") + Length("body")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    YEAR = "year", _("Year")


class LibraryDocument(models.Model):
    """A document of prior art that is not a submission: a technical disclosure, a
    manual, a paper, product documentation. Loaded in bulk (``import_library``, the admin
    upload, ``POST /api/v1/library/``); citable from a submission."""

    identifier = models.CharField(_("identifier"), max_length=320, blank=True)
    identifier_key = models.CharField(max_length=320, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=1000)
    body = models.TextField(_("text"))
    url = models.URLField(_("link"), max_length=2000, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    published_on_precision = models.CharField(
        max_length=4, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=CASE_LANGUAGES, default="en"
    )
    # sha256 of the normalised title and text: the identity of a document without an
    # identifier, and how an import tells an unchanged document from an edited one.
    content_hash = models.CharField(max_length=64, editable=False)
    agency = models.ForeignKey(
        "cases.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_documents",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = models.GeneratedField(
        expression=library_vector(),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # The first tier a broad query takes its candidates from: the weight-A part.
    title_vector = models.GeneratedField(
        expression=library_title_vector(),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    search_length = models.GeneratedField(
        expression=library_length(),
        output_field=models.IntegerField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("library document")
        constraints = [
            models.UniqueConstraint(
                fields=["identifier_key"],
                condition=~Q(identifier_key=""),
                name="library_identifier_once",
            ),
            models.UniqueConstraint(
                fields=["content_hash"],
                condition=Q(identifier_key=""),
                name="library_unidentified_content_once",
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="library_search_gin"),
            GinIndex(fields=["title_vector"], name="library_title_gin"),
            models.Index(fields=["published_on"], name="library_published_on"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("search:library_detail", args=[self.pk])


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def library_upload_path(instance, filename: str) -> str:
    """Where an upload is kept: a name of our own (the original is in original_name)."""
    return timezone.now().strftime(f"library-imports/%Y/%m/{uuid.uuid4().hex}.jsonl")


class LibraryImport(models.Model):
    """One uploaded JSON Lines file and its progress, for the admin's upload page. The
    file is kept in private storage: it is never served, only read by the import job."""

    file = models.FileField(
        storage=private_storage, upload_to=library_upload_path, max_length=300
    )
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    agency = models.ForeignKey(
        "cases.Agency", null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    bytes_read = models.PositiveBigIntegerField(default=0)
    lines_read = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # The first errors, as [{"line": n, "reason": "..."}]; error_count holds them all.
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.original_name

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.size:
            return 0
        return min(99, int(100 * self.bytes_read / self.size))


class TermStat(models.Model):
    """How many searchable documents of a kind hold a lexeme: the document frequency
    BM25's inverse document frequency is computed from. Refreshed in bulk by
    ``search.stats.refresh`` (after imports and hourly), never per save."""

    doc_type = models.CharField(max_length=12)
    lexeme = models.TextField()
    df = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["doc_type", "lexeme"], name="termstat_type_lexeme"
            )
        ]

    def __str__(self):
        return f"{self.doc_type}:{self.lexeme} ({self.df})"


class CorpusStat(models.Model):
    """Per kind of document: how many there are and their average vector length."""

    doc_type = models.CharField(max_length=12, primary_key=True)
    doc_count = models.PositiveIntegerField()
    avg_length = models.FloatField()
    refreshed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.doc_type}: {self.doc_count} documents"
