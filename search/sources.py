"""The four kinds of searchable document, each with who may see it, the filters that
apply to it, the text its snippets come from, and how a page of hits is shown.

Visibility is the same as the pages': ``cases_visible_to`` for cases,
``prior_art_visible_to`` for submissions (public ones, the user's own, and those of cases
they staff), visible comments of published cases on evidence the user may see, and the
whole library. Retrieval, counts and snippets all start from these querysets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.permissions import cases_visible_to
from submissions import permissions as perms
from submissions.models import Comment, PriorArt, PriorArtKind
from submissions.querysets import PUBLIC_STATUS_VALUES

from .models import LibraryDocument


@dataclass
class Filters:
    """What a search is narrowed to. A filter that does not apply to a kind of
    document (an agency for the library, a kind of evidence for a comment) leaves that
    kind out: the searcher asked for something it cannot have."""

    agency: str = ""
    area: str = ""
    status: str = ""
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None
    language: str = ""
    case: Case | None = None
    types: tuple[str, ...] = field(default_factory=tuple)

    def given(self) -> set[str]:
        names = {"agency", "area", "status", "kind", "date_from", "date_to", "language"}
        return {name for name in names if getattr(self, name)} | (
            {"case"} if self.case is not None else set()
        )


@dataclass
class Hit:
    type: str
    id: int
    title: str
    url: str
    rank: float
    snippet: str = ""  # safe HTML: escaped text with <mark> around matched words
    meta: dict = field(default_factory=dict)


class Source:
    key: str
    label: str
    model: type
    supports: frozenset[str]
    # SQL over the table aliased "t": the text its snippet is cut from.
    snippet_sql: str
    # SQL WHERE clause over the table (unqualified column names, so that it reads the
    # same with or without an alias): the rows term statistics are taken from, stored or
    # counted live. What anyone may see, and nothing more: a document frequency taken
    # over private text would tell, through the scores, whether a word is in it.
    stats_where: str = "TRUE"
    # Has a ``title_vector`` (the weight-A part of its vector, with a GIN index of its
    # own): the first tier a broad query takes candidates from.
    tiered: bool = True

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def applies(self, filters: Filters) -> bool:
        if filters.types and self.key not in filters.types:
            return False
        return filters.given() <= self.supports

    def visible(self, user) -> QuerySet:
        raise NotImplementedError

    def narrow(self, qs: QuerySet, filters: Filters) -> QuerySet:
        return qs

    def queryset(self, user, filters: Filters) -> QuerySet:
        return self.narrow(self.visible(user), filters).order_by()

    def load(self, ids: list[int]) -> dict[int, Hit]:
        raise NotImplementedError


# ``PriorArt.objects.public()`` in SQL, for the term statistics.
PUBLIC_PRIOR_ART_SQL = (  # noqa: S608 - statuses from code
    "status IN ({statuses}) AND NOT held_for_screening AND NOT hidden_by_flags "
    "AND case_id IN (SELECT id FROM cases_case WHERE live)"
).format(statuses=", ".join(f"'{value}'" for value in PUBLIC_STATUS_VALUES))

# Comments anyone may see: not hidden, on a published case, on no submission or a
# public one.
PUBLIC_COMMENT_SQL = " ".join(
    [
        "NOT hidden AND NOT hidden_by_flags",
        "AND case_id IN (SELECT id FROM cases_case WHERE live)",
        "AND (prior_art_id IS NULL OR prior_art_id IN",
        f"(SELECT id FROM submissions_priorart WHERE {PUBLIC_PRIOR_ART_SQL}))",  # noqa: S608
    ]
)


def _case_filters(qs: QuerySet, filters: Filters, prefix: str) -> QuerySet:
    if filters.agency:
        qs = qs.filter(**{f"{prefix}agency__slug": filters.agency})
    if filters.area:
        cases = Case.objects.filter(technology_areas__slug=filters.area)
        qs = qs.filter(
            **{f"{prefix}pk__in" if prefix else "pk__in": cases.values("pk")}
        )
    if filters.status:
        qs = qs.filter(**{f"{prefix}status": filters.status})
    if filters.case is not None:
        qs = qs.filter(**{f"{prefix}pk" if prefix else "pk": filters.case.pk})
    return qs


class CaseSource(Source):
    key = "case"
    label = _("Cases")
    model = Case
    supports = frozenset({"agency", "area", "status", "date_from", "date_to"})
    snippet_sql = (
        "t.abstract || ' ' || coalesce((SELECT string_agg(cl.text, ' ' ORDER BY "
        "cl.number) FROM cases_claim cl WHERE cl.case_id = t.id), '')"
    )
    stats_where = "live"

    def visible(self, user):
        return cases_visible_to(user)

    def narrow(self, qs, filters):
        qs = _case_filters(qs, filters, "")
        if filters.date_from:
            qs = qs.filter(review_opens_at__date__gte=filters.date_from)
        if filters.date_to:
            qs = qs.filter(review_opens_at__date__lte=filters.date_to)
        return qs

    def load(self, ids):
        return {
            case.pk: Hit(
                type=self.key,
                id=case.pk,
                title=f"{case.reference}: {case.title}",
                url=case.get_absolute_url(),
                rank=0.0,
                meta={
                    "agency": case.agency.name,
                    "status": case.get_status_display(),
                    "date": case.review_opens_at.date(),
                },
            )
            for case in Case.objects.filter(pk__in=ids).select_related("agency")
        }


class PriorArtSource(Source):
    key = "prior_art"
    label = _("Prior art")
    model = PriorArt
    supports = frozenset(
        {"agency", "area", "status", "kind", "date_from", "date_to", "case"}
    )
    snippet_sql = "t.relevance || ' ' || t.excerpt"
    stats_where = PUBLIC_PRIOR_ART_SQL

    def visible(self, user):
        return perms.prior_art_visible_to(user)

    def narrow(self, qs, filters):
        qs = _case_filters(qs, filters, "case__")
        if filters.kind:
            qs = qs.filter(kind=filters.kind)
        if filters.date_from:
            qs = qs.filter(published_on__gte=filters.date_from)
        if filters.date_to:
            qs = qs.filter(published_on__lte=filters.date_to)
        return qs

    def load(self, ids):
        kinds = dict(PriorArtKind.choices)
        return {
            item.pk: Hit(
                type=self.key,
                id=item.pk,
                title=item.title,
                url=item.get_absolute_url(),
                rank=0.0,
                meta={
                    "case": item.case.reference,
                    # A case taken down is not public; its staff still find the
                    # evidence, which they may see, but the case page is not there.
                    "case_url": item.case.get_absolute_url() if item.case.live else "",
                    "kind": kinds.get(item.kind, item.kind),
                    "status": item.get_status_display(),
                    "date": item.published_on,
                    "date_precision": item.published_on_precision,
                    "tracking_ref": item.tracking_ref,
                },
            )
            for item in PriorArt.objects.filter(pk__in=ids).select_related("case")
        }


class CommentSource(Source):
    key = "comment"
    label = _("Comments")
    model = Comment
    supports = frozenset({"agency", "area", "status", "date_from", "date_to", "case"})
    snippet_sql = "t.body"
    stats_where = PUBLIC_COMMENT_SQL
    tiered = False  # no titles

    def visible(self, user):
        # The rules of prior_art_visible_to, written on the joined submission: an
        # "IN (visible submissions)" subquery costs a hashed set of every public
        # submission on each search (131 ms against 7 ms at 100,000, docs/performance.md).
        on_visible_evidence = Q(prior_art__isnull=True) | Q(
            prior_art__status__in=PUBLIC_STATUS_VALUES,
            prior_art__held_for_screening=False,
            prior_art__hidden_by_flags=False,
        )
        if user is not None and user.is_authenticated:
            on_visible_evidence |= Q(prior_art__author=user) | Q(
                case__in=perms.staff_cases(user).values("pk")
            )
        return (
            Comment.objects.visible()
            .filter(case__in=cases_visible_to(user).values("pk"))
            .filter(on_visible_evidence)
        )

    def narrow(self, qs, filters):
        qs = _case_filters(qs, filters, "case__")
        if filters.date_from:
            qs = qs.filter(created_at__date__gte=filters.date_from)
        if filters.date_to:
            qs = qs.filter(created_at__date__lte=filters.date_to)
        return qs

    def load(self, ids):
        hits = {}
        for comment in Comment.objects.filter(pk__in=ids).select_related(
            "case", "author", "prior_art"
        ):
            case_url = comment.case.get_absolute_url()
            hits[comment.pk] = Hit(
                type=self.key,
                id=comment.pk,
                title=_("Comment on %(ref)s") % {"ref": comment.case.reference},
                url=comment.get_absolute_url(),
                rank=0.0,
                meta={
                    "case": comment.case.reference,
                    "case_url": case_url,
                    "date": comment.created_at.date(),
                },
            )
        return hits


class LibrarySource(Source):
    key = "library"
    label = _("Library")
    model = LibraryDocument
    supports = frozenset({"date_from", "date_to", "language"})
    snippet_sql = "t.body"

    def visible(self, user):
        return LibraryDocument.objects.all()

    def narrow(self, qs, filters):
        if filters.language:
            qs = qs.filter(language=filters.language)
        if filters.date_from:
            qs = qs.filter(published_on__gte=filters.date_from)
        if filters.date_to:
            qs = qs.filter(published_on__lte=filters.date_to)
        return qs

    def load(self, ids):
        return {
            doc.pk: Hit(
                type=self.key,
                id=doc.pk,
                title=doc.title,
                url=doc.get_absolute_url(),
                rank=0.0,
                meta={
                    "identifier": doc.identifier,
                    "source": doc.source,
                    "date": doc.published_on,
                    "year_only": doc.published_on_precision == "year",
                },
            )
            for doc in LibraryDocument.objects.filter(pk__in=ids).only(
                "pk",
                "title",
                "identifier",
                "source",
                "published_on",
                "published_on_precision",
            )
        }


SOURCES: dict[str, Source] = {
    source.key: source
    for source in (CaseSource(), PriorArtSource(), CommentSource(), LibrarySource())
}
TYPE_CHOICES = [(key, source.label) for key, source in SOURCES.items()]
