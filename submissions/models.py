"""Prior art and its claim mappings and attachments; comments, ratings, flags; the audit
trail of every state change and moderation action.

Writes go through ``submissions.services``; nothing here changes state on save.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .querysets import PUBLIC_STATUS_VALUES, CommentQuerySet, PriorArtQuerySet


def private_storage():
    """Attachments live outside MEDIA_ROOT and have no public URL: they are served only by
    ``submissions.views.attachment`` after a permission check."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


class PriorArtKind(models.TextChoices):
    PATENT = "patent", _("Patent")
    PATENT_APPLICATION = "patent_application", _("Patent application")
    PUBLICATION = "publication", _("Publication (paper, book, thesis)")
    WEB_PAGE = "web_page", _("Web page")
    PRODUCT = "product", _("Product")
    SOFTWARE = "software", _("Software")
    STANDARD = "standard", _("Standard")
    OTHER = "other", _("Other")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")


class PriorArtStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    VETTED = "vetted", _("Vetted")
    NEEDS_CHANGES = "needs_changes", _("Changes requested")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FORWARDED = "forwarded", _("Forwarded to the examiner")


# The contributor may still edit or withdraw in these states (while the window is open).
EDITABLE_STATES = {PriorArtStatus.SUBMITTED, PriorArtStatus.NEEDS_CHANGES}
# States the public can see (unless held for screening or hidden by flags).
PUBLIC_STATES = {
    PriorArtStatus.SUBMITTED,
    PriorArtStatus.VETTED,
    PriorArtStatus.FORWARDED,
}


class PriorArt(models.Model):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="prior_art"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="prior_art"
    )
    tracking_ref = models.CharField(_("tracking reference"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=PriorArtKind.choices)
    title = models.CharField(_("title"), max_length=500)
    authors = models.CharField(_("authors or owner"), max_length=500, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    published_on_precision = models.CharField(
        _("precision of the date"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    identifier = models.CharField(
        _("identifier"),
        max_length=300,
        blank=True,
        help_text=_("Patent number, DOI, ISBN or web address."),
    )
    identifier_key = models.CharField(max_length=320, blank=True, editable=False)
    url = models.URLField(_("link"), max_length=2000, blank=True)
    excerpt = models.TextField(_("excerpt"), blank=True, max_length=20000)
    relevance = models.TextField(_("why it is relevant"), max_length=5000)
    text_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PriorArtStatus.choices,
        default=PriorArtStatus.SUBMITTED,
        editable=False,
    )
    status_changed_at = models.DateTimeField(null=True, editable=False)
    status_reason = models.TextField(
        _("message from the reviewers"), blank=True, editable=False
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    after_priority_date = models.BooleanField(default=False, editable=False)
    held_for_screening = models.BooleanField(default=False, editable=False)
    hidden_by_flags = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Title and identifier (A), authors (B), excerpt, relevance and the claim
    # explanations (C), in the case's language; kept current by triggers (search 0002).
    search_vector = SearchVectorField(null=True, editable=False)
    # The length in characters of that text: BM25's document length. Kept by the same
    # triggers.
    search_length = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    # The vector's weight-A part (title and identifier): the first tier a broad query
    # takes its candidates from. Kept by the same triggers.
    title_vector = SearchVectorField(null=True, editable=False)
    library_document = models.ForeignKey(
        "search.LibraryDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="citations",
        verbose_name=_("library document"),
    )

    objects = PriorArtQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("prior art")
        verbose_name_plural = _("prior art")
        indexes = [
            models.Index(fields=["case", "status"], name="priorart_case_status"),
            # The case page's evidence, oldest first: a page read in index order.
            models.Index(
                fields=["case", "created_at", "id"], name="priorart_case_created"
            ),
            # A case's submissions that are not public: what its discussion's counts
            # leave out, found without reading the case's public ones.
            models.Index(
                fields=["case", "author", "id"],
                name="priorart_case_unseen",
                condition=~(
                    models.Q(status__in=PUBLIC_STATUS_VALUES)
                    & models.Q(held_for_screening=False)
                    & models.Q(hidden_by_flags=False)
                ),
            ),
            models.Index(
                fields=["case", "identifier_key"], name="priorart_case_identifier"
            ),
            models.Index(
                fields=["case", "text_fingerprint"], name="priorart_case_fingerprint"
            ),
            models.Index(
                fields=["author", "created_at"], name="priorart_author_created"
            ),
            GinIndex(fields=["search_vector"], name="priorart_search_gin"),
            GinIndex(fields=["title_vector"], name="priorart_title_gin"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_ref}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("submissions:detail", kwargs={"ref": self.tracking_ref})

    @property
    def is_public(self) -> bool:
        return (
            self.status in PUBLIC_STATES
            and not self.held_for_screening
            and not self.hidden_by_flags
        )


class ClaimMapping(models.Model):
    """Which claim a piece of prior art bears on, and how, in the contributor's words."""

    prior_art = models.ForeignKey(
        PriorArt, on_delete=models.CASCADE, related_name="mappings"
    )
    claim = models.ForeignKey(
        "cases.Claim", on_delete=models.PROTECT, related_name="mappings"
    )
    explanation = models.TextField(_("explanation"), max_length=5000)

    class Meta:
        ordering = ["claim__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["prior_art", "claim"], name="mapping_once_per_claim"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prior_art_id} → claim {self.claim_id}"


class Attachment(models.Model):
    prior_art = models.ForeignKey(
        PriorArt, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        storage=private_storage, upload_to="prior-art/%Y/%m/", max_length=300
    )
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Comment(models.Model):
    """A threaded comment on a case, one of its claims, or one piece of prior art.
    Moderation hides a comment with a reason; nothing is silently deleted."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="comments"
    )
    claim = models.ForeignKey(
        "cases.Claim",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
    )
    prior_art = models.ForeignKey(
        PriorArt,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    hidden = models.BooleanField(default=False, editable=False)
    hidden_reason = models.TextField(blank=True, editable=False)
    hidden_by_flags = models.BooleanField(default=False, editable=False)
    # The body (C) in the case's language; kept current by a trigger (search 0002).
    search_vector = SearchVectorField(null=True, editable=False)
    search_length = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["case", "created_at"], name="comment_case_created"),
            # The case page's threads, oldest first: a page read in index order.
            models.Index(
                fields=["case", "created_at", "id"],
                name="comment_case_threads",
                condition=models.Q(parent__isnull=True),
            ),
            # Threads on a submission, counted from the index alone.
            models.Index(
                fields=["prior_art"],
                name="comment_evidence_threads",
                condition=models.Q(parent__isnull=True),
            ),
            GinIndex(fields=["search_vector"], name="comment_search_gin"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on case {self.case_id}"

    def get_absolute_url(self) -> str:
        """The comment in its thread: on its submission's page, or on the page of the
        case's discussion that holds it (``?comment=``)."""
        if self.prior_art_id:
            return f"{self.prior_art.get_absolute_url()}#comment-{self.pk}"
        case_url = reverse("cases:detail", args=[self.case_id])
        return f"{case_url}?comment={self.pk}#comment-{self.pk}"

    @property
    def is_visible(self) -> bool:
        return not self.hidden and not self.hidden_by_flags


class Vote(models.Model):
    """One contributor's relevance rating (1–5) of someone else's prior art."""

    prior_art = models.ForeignKey(
        PriorArt, on_delete=models.CASCADE, related_name="votes"
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="votes"
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prior_art", "voter"], name="vote_once"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="vote_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} rated {self.prior_art_id}: {self.rating}"


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abusive or offensive")
    OFF_TOPIC = "off_topic", _("Off topic")
    CONFIDENTIAL = "confidential", _("Confidential or personal information")
    COPYRIGHT = "copyright", _("Copyright infringement")
    OTHER = "other", _("Something else")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Flag(models.Model):
    """A report of a submission or comment. Enough open flags hide the item until a
    reviewer decides."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="flags"
    )
    prior_art = models.ForeignKey(
        PriorArt, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=FlagReason.choices)
    details = models.TextField(_("details"), blank=True, max_length=2000)
    status = models.CharField(
        max_length=10,
        choices=FlagStatus.choices,
        default=FlagStatus.OPEN,
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(prior_art__isnull=False) & Q(comment__isnull=True))
                | (Q(prior_art__isnull=True) & Q(comment__isnull=False)),
                name="flag_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "prior_art"],
                condition=Q(status="open", prior_art__isnull=False),
                name="flag_prior_art_once_while_open",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(status="open", comment__isnull=False),
                name="flag_comment_once_while_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Flag {self.pk} ({self.reason})"


class AuditEvent(models.Model):
    """Append-only record of every state change of a submission and every moderation
    action (who, when, from, to, why). A database trigger refuses UPDATE and DELETE."""

    prior_art = models.ForeignKey(
        PriorArt,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="audit_events",
    )
    comment = models.ForeignKey(
        Comment,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}→{self.to_status} at {self.at}"
