"""Writes about one's own account: follows, preferences, data export and erasure."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Follow

User = get_user_model()


def follow_set(*, user, case=None, area=None, follow: bool) -> bool:
    """Follow or unfollow a case or a technology area. Idempotent; returns whether the
    user follows it afterwards."""
    if (case is None) == (area is None):
        raise ValueError("Follow exactly one case or area.")
    lookup = {"user": user, "case": case, "area": area}
    if follow:
        try:
            with transaction.atomic():
                Follow.objects.get_or_create(**lookup)
        except IntegrityError:  # a concurrent request followed it first
            pass
        return True
    Follow.objects.filter(**lookup).delete()
    return False


def account_export(*, user) -> dict:
    """Everything we hold about ``user``, as JSON-ready data (GDPR-style access request)."""
    from allauth.account.models import EmailAddress

    from submissions.models import Comment, Flag, PriorArt, Vote

    def iso(value):
        return value.isoformat() if value else None

    prior_art = (
        PriorArt.objects.filter(author=user)
        .select_related("case")
        .prefetch_related("mappings__claim", "attachments")
    )
    return {
        "account": {
            "handle": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "notify_frequency": user.notify_frequency,
            "email_addresses": [
                {"email": e.email, "verified": e.verified, "primary": e.primary}
                for e in EmailAddress.objects.filter(user=user)
            ],
        },
        "follows": [
            {
                "case": f.case.reference if f.case else None,
                "area": f.area.slug if f.area else None,
            }
            for f in user.follows.select_related("case", "area")
        ],
        "prior_art": [
            {
                "tracking_ref": p.tracking_ref,
                "case": p.case.reference,
                "status": p.status,
                "kind": p.kind,
                "title": p.title,
                "authors": p.authors,
                "published_on": iso(p.published_on),
                "identifier": p.identifier,
                "url": p.url,
                "excerpt": p.excerpt,
                "relevance": p.relevance,
                "claim_mappings": [
                    {"claim": m.claim.number, "explanation": m.explanation}
                    for m in p.mappings.all()
                ],
                "attachments": [a.original_name for a in p.attachments.all()],
                "created_at": iso(p.created_at),
            }
            for p in prior_art
        ],
        "comments": [
            {
                "case": c.case.reference,
                "claim": c.claim.number if c.claim else None,
                "prior_art": c.prior_art.tracking_ref if c.prior_art else None,
                "in_reply_to": c.parent_id,
                "body": c.body,
                "hidden": c.hidden,
                "created_at": iso(c.created_at),
            }
            for c in Comment.objects.filter(author=user).select_related(
                "case", "claim", "prior_art"
            )
        ],
        "ratings": [
            {"prior_art": v.prior_art.tracking_ref, "rating": v.rating}
            for v in Vote.objects.filter(voter=user).select_related("prior_art")
        ],
        "flags": [
            {
                "prior_art": f.prior_art.tracking_ref if f.prior_art else None,
                "comment": f.comment_id,
                "reason": f.reason,
                "details": f.details,
                "status": f.status,
                "created_at": iso(f.created_at),
            }
            for f in Flag.objects.filter(reporter=user).select_related("prior_art")
        ],
        "notifications": [
            {
                "subject": n.subject,
                "created_at": iso(n.created_at),
                "sent_at": iso(n.sent_at),
            }
            for n in user.notifications.order_by("created_at")
        ],
    }


def account_erase(*, user) -> None:
    """Erase an account: personal data goes, contributions stay, shown as "former
    contributor". The row stays (contributions point at it) with a random unusable
    handle, no e-mail, no password, no follows, no pending e-mails, and cannot sign in."""
    from allauth.account.models import EmailAddress
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from rest_framework.authtoken.models import Token

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        old_username = user.username
        user.username = f"erased-{secrets.token_hex(8)}"
        user.email = ""
        user.first_name = ""
        user.last_name = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.last_login = None
        user.erased_at = timezone.now()
        user.set_unusable_password()
        user.save(
            update_fields=[
                "username",
                "email",
                "first_name",
                "last_name",
                "is_active",
                "is_staff",
                "is_superuser",
                "last_login",
                "erased_at",
                "password",
            ]
        )
        EmailAddress.objects.filter(user=user).delete()
        Token.objects.filter(user=user).delete()
        user.follows.all().delete()
        user.notifications.all().delete()
        # Sign-in records of django-axes hold the old handle, addresses and browsers.
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.filter(username=old_username).delete()
        user.groups.clear()
        user.user_permissions.clear()
        from cases.models import (
            AgencyUserObjectPermission,
            CaseUserObjectPermission,
            TechnologyAreaUserObjectPermission,
        )

        for grants in (
            AgencyUserObjectPermission,
            CaseUserObjectPermission,
            TechnologyAreaUserObjectPermission,
        ):
            grants.objects.filter(user=user).delete()
