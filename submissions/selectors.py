"""Reads of submissions and comments for one use case each, shared by pages and the API.
Every list runs a constant number of queries whatever its length."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
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


def _thread_order(rows, visible_prior_art: set[int]) -> dict[int | None, list[int]]:
    """Replies by parent (None: the threads), oldest first, leaving out comments on
    evidence the user cannot see (and so their replies)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id, prior_art_id in rows:
        if prior_art_id and prior_art_id not in visible_prior_art:
            continue
        children.setdefault(parent_id, []).append(pk)
    return children


def _walk(children: dict[int | None, list[int]], roots: list[int]):
    """(id, depth) of ``roots`` and their replies in thread order, without recursion
    (a long chain of replies is no deeper than the stack allows)."""
    stack = [(pk, 0) for pk in reversed(roots)]
    while stack:
        pk, depth = stack.pop()
        yield pk, depth
        stack.extend(
            (child, min(depth + 1, 6)) for child in reversed(children.get(pk, []))
        )


def _visible_prior_art(case: Case, user) -> set[int]:
    return set(
        perms.prior_art_visible_to(user).filter(case=case).values_list("pk", flat=True)
    )


def comments_for_case(*, case: Case, user) -> list[Comment]:
    """Every comment of a case in thread order (parents before replies, oldest first),
    each with ``depth``. Hidden comments stay in the thread so replies keep their place;
    templates show only that they were hidden, and why."""
    comments = {
        comment.pk: comment
        for comment in Comment.objects.filter(case=case)
        .select_related("author", "claim", "prior_art")
        .annotate(flag_count=Count("flags"))
        .order_by("created_at", "pk")
    }
    children = _thread_order(
        ((c.pk, c.parent_id, c.prior_art_id) for c in comments.values()),
        _visible_prior_art(case, user),
    )
    ordered: list[Comment] = []
    for pk, depth in _walk(children, children.get(None, [])):
        comment = comments[pk]
        comment.case = case  # saves a query per comment in permission checks
        comment.depth = depth
        ordered.append(comment)
    return ordered


THREADS_PER_PAGE = 20


@dataclass
class Discussion:
    """One page of a case's threads: ``comments`` in thread order (each with
    ``depth``), ``page`` the page of threads, ``count`` every comment shown over all
    pages."""

    comments: list[Comment]
    page: Page
    count: int


def discussion_for_case(
    *, case: Case, user, page=None, comment=None, per_page: int | None = None
) -> Discussion:
    """A page of the case's threads, each whole: ``page`` by number, or the page that
    holds ``comment`` (an id) when it is one of the case's. The order of every comment
    is read in one light query (ids only); only the page's comments are loaded, so the
    page costs the same queries and about the same time for ten comments or ten
    thousand."""
    rows = Comment.objects.filter(case=case).order_by("created_at", "pk")
    children = _thread_order(
        rows.values_list("pk", "parent_id", "prior_art_id"),
        _visible_prior_art(case, user),
    )
    roots = children.get(None, [])
    count = sum(1 for _ in _walk(children, roots))  # what the user can reach
    per_page = per_page or THREADS_PER_PAGE
    paginator = Paginator(roots, per_page)
    number = page
    if comment is not None:
        root = _root_of(children, comment)
        if root is not None:
            number = roots.index(root) // per_page + 1
    page_obj = paginator.get_page(number)
    order = list(_walk(children, list(page_obj.object_list)))
    loaded = (
        Comment.objects.filter(pk__in=[pk for pk, _depth in order])
        .select_related("author", "claim", "prior_art")
        .annotate(flag_count=Count("flags"))
        .in_bulk()
    )
    comments = []
    for pk, depth in order:
        if (item := loaded.get(pk)) is not None:
            item.case = case  # saves a query per comment in permission checks
            item.depth = depth
            comments.append(item)
    return Discussion(comments=comments, page=page_obj, count=count)


def _root_of(children: dict[int | None, list[int]], comment) -> int | None:
    """The thread ``comment`` (an id) belongs to, if it is shown."""
    try:
        wanted = int(comment)
    except (TypeError, ValueError):
        return None
    parent_of = {child: parent for parent, kids in children.items() for child in kids}
    if wanted not in parent_of:
        return None
    while parent_of.get(wanted) is not None:
        wanted = parent_of[wanted]
    return wanted


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
