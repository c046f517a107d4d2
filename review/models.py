"""Review state: reviewers' own ratings, and the dossier forwarded to the examiner.

A Dossier is the immutable record of what the examiner received: one per case (a unique
constraint), its items snapshots of the evidence at the moment of forwarding. Database
triggers refuse any change to a snapshot, a rank or a score, and any deletion; only the
examiner's decision on an item (outcome, note, who, when) may be written later. Writes go
through ``review.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReviewerRating(models.Model):
    """A reviewer's own 1–5 relevance rating of a submission on a case they review."""

    prior_art = models.ForeignKey(
        "submissions.PriorArt",
        on_delete=models.CASCADE,
        related_name="reviewer_ratings",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(
        _("relevance"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.TextField(
        _("note for the other reviewers"), blank=True, max_length=2000
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["prior_art", "reviewer"], name="reviewer_rating_once"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5),
                name="reviewer_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Reviewer {self.reviewer_id} rated {self.prior_art_id}: {self.rating}"


class ForwardTrigger(models.TextChoices):
    CLOSE = "close", _("The review window closed")
    REVIEWER = "reviewer", _("A reviewer forwarded it")


class Dossier(models.Model):
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="dossier"
    )
    forwarded_at = models.DateTimeField(_("forwarded"))
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    trigger = models.CharField(max_length=10, choices=ForwardTrigger.choices)
    # Written in the same transaction as the items: a dossier with fewer items than this
    # cannot exist (the forward either commits whole or not at all).
    item_count = models.PositiveSmallIntegerField()
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-forwarded_at", "-id"]

    def __str__(self) -> str:
        return f"Dossier for case {self.case_id}"


class Outcome(models.TextChoices):
    USED_IN_ACTION = "used_in_action", _("Used in an office action")
    RELEVANT = "relevant", _("Relevant")
    CUMULATIVE = "cumulative", _("Cumulative")
    NOT_RELEVANT = "not_relevant", _("Not relevant")


class DossierItem(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="items")
    prior_art = models.ForeignKey(
        "submissions.PriorArt", on_delete=models.PROTECT, related_name="dossier_items"
    )
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    # What the examiner received: citation, relevance, claim mappings, score parts and
    # the contributor's public handle, as they were when the case was forwarded.
    snapshot = models.JSONField()

    outcome = models.CharField(
        _("decision"), max_length=16, choices=Outcome.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True, max_length=5000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "rank"], name="dossier_item_rank_once"
            ),
            models.UniqueConstraint(
                fields=["dossier", "prior_art"], name="dossier_item_evidence_once"
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1), name="dossier_item_rank_1"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(decided_at__isnull=False),
                name="dossier_item_decision_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.rank} of dossier {self.dossier_id}"

    @property
    def is_decided(self) -> bool:
        return bool(self.outcome)

    def display_snapshot(self) -> dict:
        """The snapshot as it may be shown today. The stored snapshot never changes, but
        a contributor who has since erased their account is shown as "former
        contributor", as everywhere else. Load ``prior_art__author`` with the item."""
        snapshot = dict(self.snapshot or {})
        if self.prior_art.author.is_erased:
            snapshot["contributor"] = self.prior_art.author.public_name
        return snapshot
