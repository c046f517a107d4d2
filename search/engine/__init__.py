"""Full-text search with BM25 ranking, inside PostgreSQL.

A search runs, for each kind of document the filters allow (``sources.SOURCES``):

1. **Parse** (``query``): the lexemes, in the configuration of the case's (or the chosen)
   language, and what the operators ask for.
2. **Retrieve** (``retrieval``): bounded candidates from the GIN indexes: the AND, a title
   tier for broad queries, and MaxScore's expansion when the search as a whole finds few
   documents with every word.
3. **Rank** (``ranking``): BM25 from the stored vectors, lengths and term statistics, in
   the statement that retrieves the candidates.
4. **Highlight** (``highlight``) and load the page of hits shown, only those.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from .. import stats
from ..sources import SOURCES, Filters, Hit
from .highlight import headlines
from .query import (
    DEFAULT_CONFIG,
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    Query,
    config_for,
    parse,
)
from .ranking import K1, WEIGHT_A, WEIGHT_B, B
from .retrieval import (
    BOUND_DEPTH,
    CANDIDATE_CAP,
    EXPAND_BELOW,
    MAX_POOL,
    RELAX_BELOW,
    KindSearch,
    retrieve,
)

__all__ = [
    "B",
    "BOUND_DEPTH",
    "CANDIDATE_CAP",
    "DEFAULT_CONFIG",
    "EXPAND_BELOW",
    "K1",
    "MAX_POOL",
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "RELAX_BELOW",
    "WEIGHT_A",
    "WEIGHT_B",
    "Query",
    "Results",
    "TypeCount",
    "config_for",
    "parse",
    "search",
]


@dataclass
class TypeCount:
    key: str
    label: str
    count: int
    capped: bool  # there are at least this many; counting stopped at the cap
    relaxed: bool


@dataclass
class Results:
    query: Query
    filters: Filters
    page: int
    per_page: int
    hits: list[Hit] = field(default_factory=list)
    counts: list[TypeCount] = field(default_factory=list)
    total: int = 0  # hits reachable by paging: at most MAX_POOL per kind

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def relaxed(self) -> bool:
        shown = set(self.filters.types or SOURCES)
        return any(c.relaxed and c.count for c in self.counts if c.key in shown)

    @property
    def empty(self) -> bool:
        return not self.hits


def search(
    *, user, q: str, filters: Filters | None = None, page: int = 1, per_page: int = 20
) -> Results:
    """A page of hits for ``q`` among what ``user`` may see, best first, with counts per
    kind of document (each kind counted under every filter but the kind itself). Kinds
    left out by the type filter are counted, not ranked."""
    filters = filters or Filters()
    query = parse(q, config_for(filters))
    results = Results(
        query=query, filters=filters, page=max(1, page), per_page=per_page
    )
    if not query.text or not query.terms:
        return results
    shown = set(filters.types or SOURCES)
    unkinded = replace(filters, types=())
    sources = [source for source in SOURCES.values() if source.applies(unkinded)]
    corpora = stats.load(sources, query.terms)
    depth = results.page * per_page
    kinds = [
        KindSearch(
            source,
            source.queryset(user, filters),
            query,
            corpora[source.key],
            depth,
            ranking=source.key in shown,
        )
        for source in sources
    ]
    retrieve(kinds)
    ranked: list[tuple[float, str, int]] = []
    for kind in kinds:
        found = kind.found()
        key = kind.source.key
        results.counts.append(
            TypeCount(
                key=key,
                label=kind.source.label,
                count=len(found.ids),
                capped=found.capped,
                relaxed=found.relaxed,
            )
        )
        if kind.ranking:
            results.total += len(found.ids)
            ranked += [(score, key, pk) for pk, score in found.ranked]
    ranked.sort(key=lambda row: (-row[0], row[1], row[2]))
    page_rows = ranked[(results.page - 1) * per_page : depth]
    by_type: dict[str, list[int]] = {}
    for _score, key, pk in page_rows:
        by_type.setdefault(key, []).append(pk)
    loaded: dict[tuple[str, int], Hit] = {}
    for key, ids in by_type.items():
        source = SOURCES[key]
        snippets = headlines(source, ids, query)
        for pk, hit in source.load(ids).items():
            hit.snippet = snippets.get(pk, "")
            loaded[(key, pk)] = hit
    for score, key, pk in page_rows:
        if hit := loaded.get((key, pk)):
            hit.rank = round(score, 4)
            results.hits.append(hit)
    return results
