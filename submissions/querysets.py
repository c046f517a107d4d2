"""Read building blocks for submissions; selectors add permissions and prefetching."""

from __future__ import annotations

from django.db import models
from django.db.models import Avg, Count

PUBLIC_STATUS_VALUES = ["submitted", "vetted", "forwarded"]


class PriorArtQuerySet(models.QuerySet):
    def public(self):
        """What anyone may see: a public state on a published case, not held for a first
        screening and not hidden by flags."""
        return self.filter(
            status__in=PUBLIC_STATUS_VALUES,
            held_for_screening=False,
            hidden_by_flags=False,
            case__live=True,
        )

    def on_case(self, case):
        return self.filter(case=case)

    def with_rating_summary(self):
        return self.annotate(
            rating_count=Count("votes", distinct=True),
            rating_average=Avg("votes__rating"),
        )


class CommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden=False, hidden_by_flags=False)
