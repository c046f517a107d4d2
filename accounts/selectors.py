"""Reads about people for one use case each: public profiles and their counts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from .models import Follow

User = get_user_model()


def public_profile(*, handle: str):
    """The person behind a public handle. 404 for unknown handles and erased accounts:
    an erased person has no profile, only contributions shown as "former contributor"."""
    try:
        return User.objects.only(
            "pk", "username", "date_joined", "erased_at", "is_active"
        ).get(username=handle, erased_at__isnull=True)
    except User.DoesNotExist:
        raise Http404("No such person.") from None


def contribution_counts(*, author, viewer) -> dict[str, int]:
    """How many of ``author``'s submissions ``viewer`` may see, how many of those were
    vetted (forwarded ones were vetted first) and how many were forwarded. One query."""
    from submissions.models import PriorArtStatus
    from submissions.permissions import prior_art_visible_to

    vetted = [PriorArtStatus.VETTED, PriorArtStatus.FORWARDED]
    return (
        prior_art_visible_to(viewer)
        .filter(author=author)
        .aggregate(
            submitted=Count("pk"),
            vetted=Count("pk", filter=Q(status__in=vetted)),
            forwarded=Count("pk", filter=Q(status=PriorArtStatus.FORWARDED)),
        )
    )


def follows_of(*, user) -> QuerySet[Follow]:
    """What ``user`` follows, newest first, with the case or area in the same query."""
    return (
        Follow.objects.filter(user=user)
        .select_related("case", "case__agency", "area")
        .order_by("-created_at", "-pk")
    )


def user_follows(*, user, case=None, area=None) -> bool:
    if not (user and user.is_authenticated):
        return False
    return Follow.objects.filter(user=user, case=case, area=area).exists()
