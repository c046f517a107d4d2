"""Agencies, technology areas, cases and their claims.

A Case is a Wagtail snippet with drafts, revisions, locking, an approval workflow and
preview; its claims and documents are inline children (django-modelcluster), so they are
part of every revision. ``status`` is the case's place in the review lifecycle and is owned
by ``cases.services``: it is deliberately kept out of revision content (see
``Case.with_content_json``) so publishing an old revision can never move a case back.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.models.audit_log import BaseLogEntry, BaseLogEntryManager
from wagtail.models.workflows import AbstractGroupApprovalTask

from .querysets import CaseQuerySet


class Agency(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # The agency's own document collection and the group that may use it, so one agency's
    # unpublished documents never show in another's library. Set up by
    # ``services.agency_ensure_workspace``.
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    editors_group = models.ForeignKey(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        permissions = [
            (
                "edit_agency_cases",
                _("Can create, edit and publish this agency's cases"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TechnologyArea(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("technology area")
        verbose_name_plural = _("technology areas")
        permissions = [
            ("review_area", _("Can review evidence in this technology area"))
        ]

    def __str__(self) -> str:
        return self.name


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    OPEN = "open", _("Open for review")
    CLOSED = "closed", _("Review closed")
    FORWARDED = "forwarded", _("Forwarded to examiner")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The order in which the periodic lifecycle moves a case; it never moves one backwards.
LIFECYCLE_ORDER = [
    CaseStatus.DRAFT,
    CaseStatus.SCHEDULED,
    CaseStatus.OPEN,
    CaseStatus.CLOSED,
]
# States whose claims may still change: nobody can have cited them yet.
UNFROZEN_STATES = {CaseStatus.DRAFT, CaseStatus.SCHEDULED}

# Case.language -> PostgreSQL text search configuration (all built into PostgreSQL).
SEARCH_CONFIGS = {
    "en": "english",
    "fr": "french",
    "de": "german",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
    "sv": "swedish",
    "da": "danish",
    "fi": "finnish",
}
CASE_LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("it", _("Italian")),
    ("pt", _("Portuguese")),
    ("nl", _("Dutch")),
    ("sv", _("Swedish")),
    ("da", _("Danish")),
    ("fi", _("Finnish")),
]


class Case(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    ClusterableModel,
):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="cases", verbose_name=_("agency")
    )
    reference = models.CharField(
        _("reference"),
        max_length=64,
        help_text=_(
            "The agency's own number for the case, e.g. an application number."
        ),
    )
    title = models.CharField(_("title"), max_length=255)
    abstract = models.TextField(_("abstract"))
    body = RichTextField(
        _("description"),
        blank=True,
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link"],
        help_text=_(
            "Background for reviewers: what the case is about, what to look for."
        ),
    )
    priority_date = models.DateField(
        _("priority date"),
        help_text=_(
            "Evidence must predate this; later evidence is accepted but marked."
        ),
    )
    review_opens_at = models.DateTimeField(_("review opens"))
    review_closes_at = models.DateTimeField(_("review closes"))
    forward_limit = models.PositiveSmallIntegerField(
        _("forward limit"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How many vetted items go to the examiner at most."),
    )
    technology_areas = ParentalManyToManyField(
        TechnologyArea,
        blank=True,
        related_name="cases",
        verbose_name=_("technology areas"),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=CASE_LANGUAGES, default="en"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CaseStatus.choices,
        default=CaseStatus.DRAFT,
        editable=False,
    )
    status_changed_at = models.DateTimeField(
        _("status changed"), null=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Reference and title (A), abstract and claims (B), description (C), in the case's
    # language; kept current by a trigger (search migration 0002). Not in revisions.
    search_vector = SearchVectorField(null=True, editable=False, serialize=False)
    # The length in characters of the text the vector is made of: BM25's document
    # length. Kept by the same trigger.
    search_length = models.PositiveIntegerField(
        default=0, db_default=0, editable=False, serialize=False
    )
    # The vector's weight-A part (reference and title): the first tier a broad query
    # takes its candidates from. Kept by the same trigger.
    title_vector = SearchVectorField(null=True, editable=False, serialize=False)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="case")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="case",
        for_concrete_model=False,
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["review_closes_at", "id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "reference"], name="case_reference_unique_per_agency"
            ),
            models.CheckConstraint(
                condition=Q(review_closes_at__gt=models.F("review_opens_at")),
                name="case_window_closes_after_opening",
                violation_error_message=_("The review must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(forward_limit__gte=1) & Q(forward_limit__lte=100),
                name="case_forward_limit_range",
                violation_error_message=_(
                    "The forward limit must be between 1 and 100."
                ),
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "review_closes_at"], name="case_status_closes"
            ),
            models.Index(fields=["live", "status"], name="case_live_status"),
            GinIndex(fields=["search_vector"], name="case_search_gin"),
            GinIndex(fields=["title_vector"], name="case_title_gin"),
        ]
        permissions = [
            ("review_case", _("Can review evidence on this case")),
            ("examine_case", _("Can examine this case's dossier")),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def revisions(self):
        # Wagtail's documented pattern for a GenericRelation named other than ``revisions``.
        return self._revisions

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"pk": self.pk})

    @property
    def search_config(self) -> str:
        return SEARCH_CONFIGS.get(self.language, "simple")

    def claims_frozen(self, now=None) -> bool:
        """Claims are frozen once the review window has opened on a published case.

        Evidence points at claims by number from the moment the window opens, so from then
        on an amendment is a new case, never an edit.
        """
        if self.status not in UNFROZEN_STATES:
            return True
        now = now or timezone.now()
        return bool(self.live and self.review_opens_at and self.review_opens_at <= now)

    def with_content_json(self, content):
        """Revision content never carries lifecycle state, nor changes frozen claims."""
        obj = super().with_content_json(content)
        obj.status = self.status
        obj.status_changed_at = self.status_changed_at
        obj.agency_id = self.agency_id  # a case never moves between agencies
        if self.pk and self.claims_frozen():
            obj.claims = list(self.claims.all())
        return obj

    # Wagtail preview: the public case page, rendered from the unsaved object.
    def get_preview_template(self, request, mode_name):
        return "cases/case_detail.html"

    def get_preview_context(self, request, mode_name):
        claims = sorted(self.claims.all(), key=lambda claim: claim.number)
        return {
            "case": self,
            "claims": claims,
            "documents": list(self.documents.all()),
            "areas": list(self.technology_areas.all()),
            "is_preview": True,
        }


class Claim(models.Model):
    """One numbered claim of a case. ``depends_on`` is the number of an earlier claim."""

    case = ParentalKey(Case, on_delete=models.CASCADE, related_name="claims")
    number = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1)])
    text = models.TextField(_("text"))
    depends_on = models.PositiveIntegerField(
        _("depends on claim"),
        null=True,
        blank=True,
        help_text=_("For a dependent claim, the number of the claim it refers to."),
    )

    class Meta:
        ordering = ["case", "number"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "number"],
                name="claim_number_unique_per_case",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="claim_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(depends_on__isnull=True)
                | Q(depends_on__lt=models.F("number")),
                name="claim_depends_on_earlier_claim",
                violation_error_message=_(
                    "A dependent claim can only refer to an earlier claim (a lower number)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("Claim %(number)s") % {"number": self.number}

    @property
    def is_independent(self) -> bool:
        return self.depends_on is None


class CaseDocument(Orderable):
    """A document published with the case (the application as filed, drawings, ...)."""

    case = ParentalKey(Case, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_("Defaults to the document's title."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.document.title


# django-guardian direct foreign-key grant tables (DESIGN.md, Permissions).
class AgencyUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Agency, on_delete=models.CASCADE)


class AgencyGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Agency, on_delete=models.CASCADE)


class TechnologyAreaUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(TechnologyArea, on_delete=models.CASCADE)


class TechnologyAreaGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(TechnologyArea, on_delete=models.CASCADE)


class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class AgencyApprovalTask(AbstractGroupApprovalTask):
    """A workflow step that only editors of the case's own agency can act on.

    Wagtail's group approval lets any member of the chosen groups moderate every object in
    the workflow; here membership is necessary but not enough: the approver must also be an
    editor of the case's agency, so agency B never sees, approves or rejects agency A's
    cases, not even in the dashboard's "awaiting your review" list.
    """

    def _may_moderate(self, obj, user) -> bool:
        from .permissions import user_can_edit_case

        if user.is_superuser:
            return True
        return (
            self._user_in_groups(user)
            and isinstance(obj, Case)
            and user_can_edit_case(user, obj)
        )

    def user_can_access_editor(self, obj, user):
        return self._may_moderate(obj, user)

    def locked_for_user(self, obj, user):
        return not self._may_moderate(obj, user)

    def user_can_lock(self, obj, user):
        return self._may_moderate(obj, user)

    def get_actions(self, obj, user):
        return super().get_actions(obj, user) if self._may_moderate(obj, user) else []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from .permissions import cases_for_user

        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if user.is_superuser:
            return states
        case_ids = (
            cases_for_user(user)
            .annotate(pk_text=Cast("pk", models.CharField()))
            .values("pk_text")
        )
        return states.filter(
            workflow_state__base_content_type=ContentType.objects.get_for_model(Case),
            workflow_state__object_id__in=case_ids,
        )

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups who are editors of the case's agency can approve"
        )

    class Meta:
        verbose_name = _("Agency approval task")
        verbose_name_plural = _("Agency approval tasks")


class CaseLogEntryManager(BaseLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        kwargs.update(case_id=instance.pk)
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance):
        return self.filter(case_id=instance.pk)

    def viewable_by_user(self, user):
        """Editors read the history of their own agencies' cases only (site history
        report included); superusers read everything."""
        from .permissions import cases_for_user

        if user.is_superuser:
            return self.all()
        # Not super(): Wagtail caches the user's allowed content types on the user object
        # across log models, so another model's answer would decide this one.
        return self.filter(case_id__in=cases_for_user(user).values("pk"))


class CaseLogEntry(BaseLogEntry):
    """The audit trail of a case: Wagtail's edits, publishes and workflow steps, and our
    lifecycle moves and appointments (who, when, what, with ``data`` holding from/to/why).

    Append-only: a database trigger (migration 0004) refuses UPDATE and DELETE, except
    Wagtail flagging entries ``deleted`` when their case is deleted. The case reference has
    no database constraint so the trail outlives the case, as Wagtail's page log does.
    """

    case = models.ForeignKey(
        Case,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    objects = CaseLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("case log entry")
        verbose_name_plural = _("case log entries")

    def __str__(self) -> str:
        return f"CaseLogEntry {self.pk}: {self.action} on case {self.case_id}"

    @cached_property
    def object_id(self):
        return self.case_id
