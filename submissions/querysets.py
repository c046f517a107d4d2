"""Read building blocks for submissions; selectors add permissions and prefetching."""

from __future__ import annotations

from django.db import models
from django.db.models import Avg, Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

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
        """``rating_count`` and ``rating_average`` of the community's ratings. Each is
        a subquery on the rows returned, not a join grouped over every row: a page of
        20 of a case's 1,000 submissions reads the ratings of those 20 only."""
        from .models import Vote

        votes = (
            Vote.objects.filter(prior_art=OuterRef("pk")).order_by().values("prior_art")
        )
        return self.annotate(
            rating_count=Coalesce(
                Subquery(votes.annotate(n=Count("*")).values("n")),
                Value(0),
                output_field=IntegerField(),
            ),
            rating_average=Subquery(votes.annotate(a=Avg("rating")).values("a")),
        )


class CommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden=False, hidden_by_flags=False)
