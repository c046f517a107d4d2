"""Builders for search tests: library documents as an import would store them, and
searchable cases, submissions and comments made through the services, so the triggers
that keep their search vectors run as in production."""

from __future__ import annotations

from datetime import date

from cases.models import Case
from search import engine
from search.importer import content_hash
from search.models import LibraryDocument
from search.sources import Filters
from submissions import services
from submissions.identifiers import identifier_key
from submissions.models import Comment
from tests.submissions.factories import make_prior_art, verified_user


def make_library_document(
    *,
    title: str = "A thermoelectric generator on an exhaust manifold",
    body: str = "Bismuth telluride modules clamped to the exhaust charge a battery.",
    identifier: str = "",
    url: str = "",
    published_on: date | None = None,
    published_on_precision: str = "day",
    source: str = "",
    language: str = "en",
    **extra,
) -> LibraryDocument:
    """A library document; its generated ``search_vector`` is filled by the database."""
    return LibraryDocument.objects.create(
        title=title,
        body=body,
        identifier=identifier,
        identifier_key=identifier_key(identifier) if identifier else "",
        url=url,
        published_on=published_on,
        published_on_precision=published_on_precision,
        source=source,
        language=language,
        content_hash=content_hash(title, body),
        **extra,
    )


def set_language(case: Case, language: str) -> Case:
    """Change a case's language as an editor's save would; the triggers recompute the
    vectors of the case, its submissions and its comments in the new configuration."""
    Case.objects.filter(pk=case.pk).update(language=language)
    case.refresh_from_db()
    return case


def comment_on(case: Case, body: str, *, author=None, **target) -> Comment:
    """A comment posted through the service (the case must be open)."""
    author = author or verified_user("commenter")
    return services.comment_post(case=case, author=author, body=body, **target)


def evidence(case: Case, title: str, *, author=None, public: bool = True, **data):
    """Prior art submitted through the service by a verified contributor."""
    author = author or verified_user("finder")
    return make_prior_art(case, author, public=public, title=title, **data)


def search_hits(user=None, q: str = "", **filters) -> list[tuple[str, str]]:
    """(type, title) of the first page of hits, best first."""
    results = engine.search(user=user, q=q, filters=Filters(**filters), per_page=50)
    return [(hit.type, hit.title) for hit in results.hits]


def search_titles(user=None, q: str = "", **filters) -> list[str]:
    return [title for _type, title in search_hits(user, q, **filters)]
