"""Reads of submissions and comments for one use case each, shared by pages and the API.
Every list runs a constant number of queries whatever its length."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from cases.models import Case

from . import permissions as perms
from .models import Attachment, ClaimMapping, Comment, PriorArt
from .querysets import PUBLIC_STATUS_VALUES


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


def _shown(qs: QuerySet[Comment]) -> QuerySet[Comment]:
    """Comments with what their template shows, in one query."""
    return qs.select_related("author", "claim", "prior_art").annotate(
        flag_count=Count("flags")
    )


def _placed(case: Case, comment: Comment, depth: int) -> Comment:
    comment.case = case  # saves a query per comment in permission checks
    comment.depth = depth
    return comment


def _load_comments(case: Case, qs, order: list[tuple[int, int]]) -> list[Comment]:
    """The comments of ``order`` ((id, depth) pairs) from ``qs``, in that order, each
    with ``depth``, in one query."""
    loaded = _shown(qs.filter(pk__in=[pk for pk, _depth in order])).in_bulk()
    return [_placed(case, loaded[pk], depth) for pk, depth in order if pk in loaded]


def _threaded(
    case: Case, qs: QuerySet[Comment], roots: list[int] | None = None
) -> list[Comment]:
    """Every comment of ``qs`` in thread order from ``roots`` (by default the
    comments without a parent), each with ``depth``, in one query. A reply whose
    parent is not in ``qs`` is left out."""
    loaded = {c.pk: c for c in _shown(qs).order_by("created_at", "pk")}
    order = _thread_order(((c.pk, c.parent_id) for c in loaded.values()), roots)
    return [_placed(case, loaded[pk], depth) for pk, depth in order]


def _thread_order(rows, roots: list[int] | None = None) -> list[tuple[int, int]]:
    """(id, depth) in thread order of ``rows`` ((id, parent id), oldest first): parents
    before replies, from ``roots`` (those of the rows; by default the rows without a
    parent). A reply whose parent is not among the rows is left out."""
    children: dict[int | None, list[int]] = {}
    ids = set()
    for pk, parent_id in rows:
        children.setdefault(parent_id, []).append(pk)
        ids.add(pk)
    if roots is None:
        roots = children.get(None, [])
    return list(_walk(children, [pk for pk in roots if pk in ids]))


class ThreadedComments(Sequence):
    """A case's comments that a user may see, in thread order, as a sequence that
    loads only the slice asked for (a page of the API): the order is read as ids, the
    comments of the slice in one query."""

    def __init__(self, case: Case, qs: QuerySet[Comment]):
        self.case, self.qs = case, qs
        self.order = _thread_order(
            qs.order_by("created_at", "pk").values_list("pk", "parent_id")
        )

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return _load_comments(self.case, self.qs, self.order[index])
        return _load_comments(self.case, self.qs, [self.order[index]])[0]


def comments_for_case(*, case: Case, user) -> ThreadedComments:
    """Every comment of a case the user may see, in thread order (parents before
    replies, oldest first), each with ``depth``, loaded a slice at a time. Comments on
    evidence the user cannot see are left out with their replies. Hidden comments stay
    in the thread so replies keep their place; templates show only that they were
    hidden, and why."""
    return ThreadedComments(case, _visible_comments(case, user))


def comments_for_prior_art(*, prior_art: PriorArt) -> list[Comment]:
    """The comments on one submission, in thread order, each with ``depth``; whoever
    may see the submission may see them. One query, whatever the case holds."""
    case = prior_art.case
    return _threaded(case, Comment.objects.filter(case=case, prior_art=prior_art))


THREADS_PER_PAGE = 20


@dataclass
class Discussion:
    """One page of a case's threads: ``comments`` in thread order (each with
    ``depth``), ``page`` the page of threads, ``count`` every comment shown over all
    pages."""

    comments: list[Comment]
    page: Page
    count: int


def _evidence_seen(case: Case, user, prefix: str = "") -> Q:
    """The submissions of ``case`` (a published case) that ``user`` may see: the rules
    of ``prior_art_visible_to`` as a condition, on PriorArt or, with ``prefix``, on a
    row that joins it; no query is run here (staff cases are a subquery)."""
    seen = Q(
        **{
            f"{prefix}status__in": PUBLIC_STATUS_VALUES,
            f"{prefix}held_for_screening": False,
            f"{prefix}hidden_by_flags": False,
        }
    )
    if user is not None and user.is_authenticated:
        staff = perms.staff_cases(user).filter(pk=case.pk).values("pk")
        seen |= Q(**{f"{prefix}author": user}) | Q(**{f"{prefix}case__in": staff})
    return seen


def _on_visible_evidence(case: Case, user) -> Q:
    """Comments on no submission, or on one ``user`` may see, written on the joined
    submission so that the database can walk an index in order and stop at a page (a
    reply is on its parent's submission)."""
    return Q(prior_art__isnull=True) | _evidence_seen(case, user, "prior_art__")


def _discussion_counts(case: Case, user) -> tuple[int, int]:
    """The comments and the threads the user can reach, in one statement: those of
    the case less those on evidence the user cannot see. The first two counts read
    only indexes; the others only the comments on unseen evidence, usually few, so
    a busy case is not read whole."""
    comments = Comment.objects.filter(case=case)
    counted = [comments, comments.filter(parent__isnull=True)]
    unseen = PriorArt.objects.filter(case=case).exclude(_evidence_seen(case, user))
    on_unseen = Comment.objects.filter(prior_art__in=unseen.values("pk"))
    counted += [on_unseen, on_unseen.filter(parent__isnull=True)]
    parts, params = [], []
    for n, qs in enumerate(counted):
        sql, qs_params = qs.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT count(*) FROM ({sql}) AS q{n})")  # noqa: S608
        params += qs_params
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        comments, threads, unseen_comments, unseen_threads = cursor.fetchone()
    return comments - unseen_comments, threads - unseen_threads


class _Counted(Sequence):
    """A queryset whose length is known already: a paginator slices it without
    counting it again."""

    def __init__(self, qs: QuerySet, length: int):
        self.qs, self.length = qs, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index):
        return self.qs[index]


def _visible_comments(case: Case, user) -> QuerySet[Comment]:
    return Comment.objects.filter(case=case).filter(_on_visible_evidence(case, user))


# The ids of a page's threads and every reply below them.
THREADS_SQL = """
WITH RECURSIVE tree(id) AS (
    SELECT unnest(%s::bigint[])
    UNION ALL
    SELECT c.id FROM submissions_comment c JOIN tree ON c.parent_id = tree.id
)
SELECT id FROM tree
"""
# The thread (its first comment) that holds a comment of the case.
ROOT_SQL = """
WITH RECURSIVE up(id, parent_id, created_at) AS (
    SELECT id, parent_id, created_at FROM submissions_comment
    WHERE id = %s AND case_id = %s
    UNION ALL
    SELECT c.id, c.parent_id, c.created_at
    FROM submissions_comment c JOIN up ON c.id = up.parent_id
)
SELECT id, created_at FROM up WHERE parent_id IS NULL
"""


def discussion_for_case(
    *, case: Case, user, page=None, comment=None, per_page: int | None = None
) -> Discussion:
    """A page of the case's threads, each whole: ``page`` by number, or the page that
    holds ``comment`` (an id) when it is one of the case's that the user can reach.
    Threads are read a page at a time in the order of an index (oldest first), and
    only the page's comments are loaded, so the page costs the same queries and about
    the same time for ten comments or a hundred thousand (counting them is the only
    step that reads them all, an index-only count). Comments on evidence the user
    cannot see are left out with their replies."""
    visible = _visible_comments(case, user)
    roots = visible.filter(parent__isnull=True).order_by("created_at", "pk")
    per_page = per_page or THREADS_PER_PAGE
    comment_count, thread_count = _discussion_counts(case, user)
    paginator = Paginator(
        _Counted(roots.values_list("pk", flat=True), thread_count), per_page
    )
    number = page
    if comment is not None and (root := _root_of(case, comment)) is not None:
        pk, created_at = root
        place = roots.aggregate(
            shown=Count("pk", filter=Q(pk=pk)),
            before=Count(
                "pk",
                filter=Q(created_at__lt=created_at)
                | Q(created_at=created_at, pk__lt=pk),
            ),
        )
        if place["shown"]:
            number = place["before"] // per_page + 1
    page_obj = paginator.get_page(number)
    page_roots = list(page_obj.object_list)
    comments = []
    if page_roots:
        threads = visible.filter(pk__in=RawSQL(THREADS_SQL, [page_roots]))  # noqa: S611
        comments = _threaded(case, threads, roots=page_roots)
    return Discussion(comments=comments, page=page_obj, count=comment_count)


def _root_of(case: Case, comment) -> tuple[int, datetime] | None:
    """(id, created_at) of the first comment of the thread that holds ``comment`` (an
    id), if it is one of the case's."""
    try:
        wanted = int(comment)
    except (TypeError, ValueError):
        return None
    if not 0 < wanted < 2**63:
        return None
    with connection.cursor() as cursor:
        cursor.execute(ROOT_SQL, [wanted, case.pk])
        return cursor.fetchone()


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
