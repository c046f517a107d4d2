"""Wagtail's publish actions are where a case goes live; these receivers hand the case to
the lifecycle services, which hold the logic. Nothing else here."""

from . import services
from .models import CaseLogEntry


def case_published(sender, instance, revision=None, **kwargs):
    services.case_advance(case_id=instance.pk, actor=getattr(revision, "user", None))


def case_unpublished(sender, instance, **kwargs):
    # Wagtail's signal carries no user; its own "wagtail.unpublish" entry, written just
    # before the signal, names who did it.
    entry = (
        CaseLogEntry.objects.filter(
            case_id=instance.pk,
            action__in=["wagtail.unpublish", "wagtail.unpublish.scheduled"],
        )
        .order_by("-timestamp", "-pk")
        .first()
    )
    services.case_unpublished(case_id=instance.pk, actor=entry.user if entry else None)


def ensure_role_groups(sender, **kwargs):
    services.roles_ensure_groups()
