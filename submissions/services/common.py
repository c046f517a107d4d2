"""Shared by the submission services: limits, messages, the audit helper, followers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.notifications import notify
from cases.models import Case

from ..models import (
    AuditEvent,
    PriorArt,
)

MAX_EXPLANATION = 5000


# Refusals that the pages and the API repeat word for word.
STAFF_CANNOT_SUBMIT = gettext_lazy(
    "You review or examine this case, so you cannot submit evidence on it."
)


STAFF_CANNOT_RATE = gettext_lazy(
    "You review or examine this case, so you cannot rate evidence on it."
)


NOT_PUBLIC_CANNOT_FLAG = gettext_lazy(
    "Only what the public can see can be reported, and this is not public."
)


TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L


PRIOR_ART_FIELDS = [
    "kind",
    "title",
    "authors",
    "published_on",
    "published_on_precision",
    "identifier",
    "url",
    "excerpt",
    "relevance",
]


@dataclass(frozen=True)
class MappingInput:
    claim_number: int
    explanation: str


def _audit(
    *, prior_art=None, comment=None, actor, action, old="", new="", reason=""
) -> None:
    AuditEvent.objects.create(
        prior_art=prior_art,
        comment=comment,
        actor=actor,
        action=action,
        from_status=old,
        to_status=new,
        reason=reason,
    )


def _followers(case: Case):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return User.objects.filter(
        Q(follows__case=case) | Q(follows__area__in=case.technology_areas.all())
    ).distinct()


def notify_followers_of_new_evidence(prior_art: PriorArt) -> None:
    """Tell the followers of the case (and of its areas) about newly public evidence;
    called when it is submitted public, or when screening releases it."""
    case = prior_art.case
    for user in _followers(case).exclude(pk=prior_art.author_id):
        notify(
            recipient=user,
            key=f"new-prior-art:{prior_art.pk}:{user.pk}",
            subject=_("New evidence on %(ref)s: %(title)s")
            % {"ref": case.reference, "title": prior_art.title[:120]},
            body=_("%(who)s submitted prior art on a case you follow, %(case)s.")
            % {"who": prior_art.author.public_name, "case": case.title},
            url=prior_art.get_absolute_url(),
        )
