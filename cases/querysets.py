"""Read building blocks for cases. Selectors compose them with permissions and prefetching."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone


class CaseQuerySet(models.QuerySet):
    def published(self):
        """Cases the public may see: published (live) in the CMS."""
        return self.filter(live=True)

    def with_status(self, *statuses):
        return self.filter(status__in=statuses)

    def open(self):
        return self.filter(status="open")

    def closing_within(self, days: int, now=None):
        now = now or timezone.now()
        return self.open().filter(
            review_closes_at__gt=now, review_closes_at__lte=now + timedelta(days=days)
        )

    def for_agency(self, agency_slug: str):
        return self.filter(agency__slug=agency_slug)

    def in_area(self, area_slug: str):
        return self.filter(technology_areas__slug=area_slug)

    def due_for_lifecycle(self, now=None):
        """Published cases whose status may lag behind their review window."""
        now = now or timezone.now()
        return self.published().filter(
            models.Q(status="draft")
            | models.Q(status="scheduled", review_opens_at__lte=now)
            | models.Q(status="open", review_closes_at__lte=now)
        )
