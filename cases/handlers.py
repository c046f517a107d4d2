"""Wagtail's publish actions are where a case goes live; these receivers hand the case to
the lifecycle services, which hold the logic. Nothing else here."""

from . import services


def case_published(sender, instance, revision=None, **kwargs):
    services.case_advance(case_id=instance.pk, actor=getattr(revision, "user", None))


def case_unpublished(sender, instance, user=None, **kwargs):
    services.case_unpublished(case_id=instance.pk, actor=user)


def ensure_role_groups(sender, **kwargs):
    services.roles_ensure_groups()
