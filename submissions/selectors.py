"""Reads of submissions and comments for one use case each, shared by pages and the API.
Every list runs a constant number of queries whatever its length."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from cases.models import Case

from . import permissions as perms
from .models import Attachment, ClaimMapping, Comment, PriorArt


def _prior_art_base(user) -> QuerySet[PriorArt]:
    return (
        perms.prior_art_visible_to(user)
        .select_related("author", "case", "case__agency", "duplicate_of")
        .prefetch_related(
            Prefetch(
                "mappings",
                queryset=ClaimMapping.objects.select_related("claim").order_by(
                    "claim__number"
                ),
            ),
            Prefetch(
                "attachments", queryset=Attachment.objects.order_by("created_at", "pk")
            ),
        )
        .with_rating_summary()
    )


def prior_art_for_case(*, case: Case, user) -> QuerySet[PriorArt]:
    """The submissions on ``case`` that ``user`` may see, oldest first."""
    return _prior_art_base(user).filter(case=case).order_by("created_at", "pk")


def prior_art_detail(
    *, user, ref: str | None = None, pk: int | None = None
) -> PriorArt:
    """One submission by tracking reference or id; 404 when the user may not see it."""
    qs = _prior_art_base(user)
    try:
        prior_art = qs.get(tracking_ref=ref) if ref is not None else qs.get(pk=int(pk))
    except (PriorArt.DoesNotExist, TypeError, ValueError):
        raise Http404("No such submission.") from None
    return prior_art


def prior_art_by_author(*, author, viewer) -> QuerySet[PriorArt]:
    """A contributor's submissions as ``viewer`` may see them (all of them for the owner)."""
    return _prior_art_base(viewer).filter(author=author).order_by("-created_at", "-pk")


def comments_for_case(*, case: Case, user) -> list[Comment]:
    """Every comment of a case in thread order (parents before replies, oldest first),
    each with ``depth``. Hidden comments stay in the thread so replies keep their place;
    templates show only that they were hidden, and why."""
    comments = list(
        Comment.objects.filter(case=case)
        .select_related("author", "claim", "prior_art")
        .annotate(flag_count=Count("flags"))
        .order_by("created_at", "pk")
    )
    visible_prior_art = set(
        perms.prior_art_visible_to(user).filter(case=case).values_list("pk", flat=True)
    )
    children: dict[int | None, list[Comment]] = {}
    for comment in comments:
        comment.case = case  # saves a query per comment in permission checks
        if comment.prior_art_id and comment.prior_art_id not in visible_prior_art:
            continue  # a comment on evidence this user cannot see
        children.setdefault(comment.parent_id, []).append(comment)
    ordered: list[Comment] = []

    def walk(parent_id, depth):
        for comment in children.get(parent_id, []):
            comment.depth = depth
            ordered.append(comment)
            walk(comment.pk, min(depth + 1, 6))

    walk(None, 0)
    return ordered


def comment_detail(*, user, pk) -> Comment:
    try:
        comment = Comment.objects.select_related("case", "author", "prior_art").get(
            pk=int(pk)
        )
    except (Comment.DoesNotExist, TypeError, ValueError):
        raise Http404("No such comment.") from None
    if not comment.case.live or (
        comment.prior_art_id
        and not perms.user_can_view_prior_art(user, comment.prior_art)
    ):
        raise Http404("No such comment.")
    return comment
