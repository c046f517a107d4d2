"""Users, what they follow, how they want to hear about it, and the e-mail outbox."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotifyFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("As it happens")
    DAILY = "daily", _("One daily digest")
    NEVER = "never", _("Never")


class User(AbstractUser):
    """The one user model: contributors, reviewers, examiners, editors and operators.

    ``username`` is the public handle; real names and e-mail addresses are never shown to
    other people. Roles are groups plus django-guardian object grants (``cases.permissions``).
    An erased account keeps its contributions, attributed to "former contributor".
    """

    notify_frequency = models.CharField(
        _("notification e-mails"),
        max_length=16,
        choices=NotifyFrequency.choices,
        default=NotifyFrequency.IMMEDIATE,
    )
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def public_name(self) -> str:
        return str(_("former contributor")) if self.is_erased else self.username


class Follow(models.Model):
    """A user follows a case or a technology area (exactly one of them)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    area = models.ForeignKey(
        "cases.TechnologyArea",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(case__isnull=False) & Q(area__isnull=True))
                | (Q(case__isnull=True) & Q(area__isnull=False)),
                name="follow_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "case"],
                condition=Q(case__isnull=False),
                name="follow_case_once",
            ),
            models.UniqueConstraint(
                fields=["user", "area"],
                condition=Q(area__isnull=False),
                name="follow_area_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.case_id or self.area_id}"


class Notification(models.Model):
    """One e-mail to one person, recorded in the same transaction as the event behind it.

    Sent after commit by a Celery task; a periodic sweep sends whatever is still pending
    (the broker was down, a worker died), and the daily digest gathers those marked
    ``digest``. ``key`` makes an event notify a person at most once; ``sent_at`` is set
    under a row lock in the same transaction as the send, so nothing goes out twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    digest = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True),
                name="notification_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.recipient_id}"
