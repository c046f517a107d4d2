"""Full-text search with BM25 ranking, inside PostgreSQL.

A search runs in three bounded steps per kind of document (``sources.SOURCES``):

1. **Parse.** With operators (quotes, ``or``, ``-word``) the text is a ``websearch`` query
   and matching is strict. Without, it is natural language: its lexemes, in the
   configuration of the case's (or the chosen) language, stop words dropped.
2. **Retrieve candidates** from the GIN index, never more than ``CANDIDATE_CAP``: every
   lexeme ANDed first; when that finds fewer than ``EXPAND_BELOW``, the documents with
   any of the query's rarest lexemes join them (an OR of the lexemes taken rarest first
   while their postings fit ``OR_BUDGET``), so a document that lacks one common word of the
   query still competes in the rerank. The results count as *relaxed* when the AND found
   fewer than ``RELAX_BELOW``. A query that matches 70,000 documents reads a bounded
   slice, not all of them.
3. **Rerank** the candidates by BM25 (k1 1.2, b 0.75): each query lexeme's inverse
   document frequency from the term statistics (``stats``), its frequency in the document
   from the stored vector's positions, title and identifier positions (weight A) counting
   three times, abstract and claims (B) twice, and the vector's length against the average.

Highlights (``ts_headline``) are computed for the page of hits shown, never for the rest.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from django.contrib.postgres.search import SearchQuery, SearchQueryField
from django.db import connection
from django.db.models import BooleanField, F, Func, Value
from django.db.models.functions import Cast
from django.utils.html import escape
from django.utils.safestring import mark_safe

from cases.models import SEARCH_CONFIGS

from . import stats
from .sources import SOURCES, Filters, Hit, Source

DEFAULT_CONFIG = "english"
CANDIDATE_CAP = 1000  # documents reranked per kind, at most
EXPAND_BELOW = 100  # an AND that finds fewer also takes the documents of the rare words
RELAX_BELOW = 20  # an AND that finds fewer than this: results shown as relaxed
OR_BUDGET = 5000  # total postings of the rare lexemes an OR may read (and no more
# than CANDIDATE_CAP: see retrieve)
# Queries of this many lexemes also take the documents that lack one of them.
QUORUM_MIN, QUORUM_MAX = 3, 12
MAX_TERMS = 32  # lexemes of a query that count (a pasted paragraph is cut here)
MAX_QUERY_LENGTH = 1000
K1 = 1.2
B = 0.75
WEIGHT_A = 3  # an occurrence in a title or identifier counts this many times
WEIGHT_B = 2  # in an abstract, a claim, the authors
# Word-boundary operators of websearch syntax: a quote, a leading minus, a lone "or".
OPERATOR_RE = re.compile(r'"|(?:^|\s)-\w|\s(?:or)\s', re.I)
# The operators that narrow (a phrase, an exclusion): no document outside them may show.
NARROWING_RE = re.compile(r'"|(?:^|\s)-\w')
NEGATED_RE = re.compile(r'(?:^|\s)-(?:"[^"]*"?|\S+)')
OPEN_MARK, CLOSE_MARK = "\u27e6", "\u27e7"  # around matches in ts_headline's output
HEADLINE_OPTIONS = (
    f"StartSel={OPEN_MARK}, StopSel={CLOSE_MARK}, MaxWords=35, MinWords=15, "
    'MaxFragments=2, FragmentDelimiter=" \u2026 "'
)


class Matches(Func):
    """``vector @@ query``, usable in ``filter()``."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def quorum(lexemes: list[str]) -> Cast:
    """Documents with every lexeme but (at most) one."""
    quoted = [stats.quote_lexeme(lexeme) for lexeme in lexemes]
    clauses = [
        "(" + " & ".join(quoted[:i] + quoted[i + 1 :]) + ")" for i in range(len(quoted))
    ]
    return Cast(Value(" | ".join(clauses)), output_field=SearchQueryField())


def tsquery(lexemes: list[str], operator: str) -> Cast:
    text = f" {operator} ".join(stats.quote_lexeme(lexeme) for lexeme in lexemes)
    return Cast(Value(text), output_field=SearchQueryField())


@dataclass
class Query:
    text: str
    config: str
    strict: bool  # websearch operators were used: match exactly what they say
    terms: list[str]  # the lexemes that rank and highlight, in query order
    # Only "or" was used: the websearch match may widen as a natural query does, since a
    # sentence like "a file or a directory" reads "or" as a word as often as an operator.
    widens: bool = False


def parse(text: str, config: str = DEFAULT_CONFIG) -> Query:
    text = (text or "").strip()[:MAX_QUERY_LENGTH]
    strict = bool(OPERATOR_RE.search(f" {text} "))
    positive = NEGATED_RE.sub(" ", text) if strict else text
    if strict:
        positive = re.sub(r"\bor\b", " ", positive, flags=re.I).replace('"', " ")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(array_agg(lexeme ORDER BY positions[1]), '{}') "
            "FROM unnest(to_tsvector(%s::regconfig, %s))",
            [config, positive],
        )
        terms = cursor.fetchone()[0][:MAX_TERMS]
    widens = strict and not NARROWING_RE.search(f" {text} ")
    return Query(text=text, config=config, strict=strict, terms=terms, widens=widens)


def config_for(filters: Filters) -> str:
    if filters.case is not None:
        return filters.case.search_config
    return SEARCH_CONFIGS.get(filters.language, DEFAULT_CONFIG)


@dataclass
class Retrieved:
    ids: list[int]
    # Fewer than RELAX_BELOW documents had every word, and ones with only some were added.
    relaxed: bool
    dfs: dict[str, int]


def _matching_ids(qs, expression, limit=CANDIDATE_CAP) -> list[int]:
    return list(
        qs.filter(Matches(F("search_vector"), expression)).values_list("pk", flat=True)[
            :limit
        ]
    )


def retrieve(source: Source, qs, query: Query) -> Retrieved:
    """Candidate ids of ``qs`` (at most ``CANDIDATE_CAP``) for ``query``."""
    if query.strict:
        expression = SearchQuery(
            query.text, config=query.config, search_type="websearch"
        )
        ids = _matching_ids(qs, expression)
        if not query.widens:
            return Retrieved(ids, False, {})
    elif query.terms:
        ids = _matching_ids(qs, tsquery(query.terms, "&"))
    else:
        return Retrieved([], False, {})
    if len(ids) >= EXPAND_BELOW or len(query.terms) <= 1:
        return Retrieved(ids, False, {})
    and_count = len(ids)
    dfs = stats.document_frequencies(source, query.terms)
    # The OR's documents must fit under the cap: if they did not, the cap would cut them
    # in storage order, not by relevance, and drop the best ones as often as not.
    budget = min(OR_BUDGET, CANDIDATE_CAP)
    rare, postings = [], 0
    for lexeme in sorted(query.terms, key=lambda lexeme: dfs.get(lexeme, 0)):
        df = dfs.get(lexeme, 0)
        if df == 0:
            continue  # matches nothing
        if rare and postings + df > budget:
            break
        rare.append(lexeme)
        postings += df
    seen = set(ids)

    def add(expression):
        room = CANDIDATE_CAP - len(ids)
        if room > 0:
            found = _matching_ids(qs, expression, room + len(seen))
            ids.extend(pk for pk in found if pk not in seen)
            del ids[CANDIDATE_CAP:]
            seen.update(ids)

    if rare:
        add(tsquery(rare, "|"))
    if QUORUM_MIN <= len(query.terms) <= QUORUM_MAX:
        # Then the documents lacking just one of the words, however common: one OR of
        # "all but one" ANDs, answered by the index.
        add(quorum(query.terms))
    relaxed = len(ids) > and_count and and_count < RELAX_BELOW
    return Retrieved(ids, relaxed, dfs)


# Titles and identifiers the parser keeps whole (a module path ``asyncio.tasks.gather``,
# a part number ``disable_plugin``) also count by their words at rank time: the title is
# parsed again with ``._/:`` as spaces, and the lexemes that yields beyond the stored
# title's join the vector with weight A. Only titles with such punctuation pay for it.
TITLE_SQL = {
    "case": "t.reference || ' ' || t.title",
    "prior_art": "t.title",
    "library": "t.title",
}
TITLE_VECTOR = (
    "CASE WHEN {title} ~ '[._/:][[:alnum:]]' THEN t.search_vector || setweight(ts_delete("
    "to_tsvector(%(config)s::regconfig, translate({title}, '._/:', '    ')), "
    "tsvector_to_array(ts_filter(t.search_vector, '{{a}}'))), 'A') "
    "ELSE t.search_vector END"
)
# Each candidate's vector is first cut down to the query's lexemes (two ts_delete calls:
# the lexemes that are not the query's are deleted), so unnest() walks a handful of
# entries instead of the whole document: about three times faster than unnesting it all.
RANK_SQL = """
SELECT d.id, coalesce(sum(q.idf * d.tf * (%(k1)s + 1) / (d.tf + %(k1)s * (
           1 - %(b)s + %(b)s * d.len / %(avgdl)s))), 0) AS score
FROM (
    SELECT t.id, length(t.search_vector) AS len, u.lexeme,
           cardinality(u.weights)
               + (%(weight_a)s - 1) * cardinality(array_positions(u.weights, 'A'))
               + (%(weight_b)s - 1) * cardinality(array_positions(u.weights, 'B')) AS tf
    FROM {table} t
    CROSS JOIN LATERAL (SELECT {vector} AS v) e
    LEFT JOIN LATERAL unnest(ts_delete(e.v, tsvector_to_array(
        ts_delete(e.v, %(lexemes)s::text[])))) u ON TRUE
    WHERE t.id = ANY(%(ids)s::bigint[])
) d
LEFT JOIN unnest(%(lexemes)s::text[], %(idfs)s::float8[]) AS q(lexeme, idf) USING (lexeme)
GROUP BY d.id
ORDER BY score DESC, d.id
LIMIT %(limit)s
"""


def _vector_sql(source: Source) -> str:
    title = TITLE_SQL.get(source.key)
    return TITLE_VECTOR.format(title=title) if title else "t.search_vector"


def rank(
    source: Source, ids: list[int], query: Query, dfs: dict[str, int], limit: int
) -> list[tuple[int, float]]:
    """The best ``limit`` of ``ids`` by BM25, as (id, score), best first."""
    if not ids:
        return []
    if not query.terms:
        return [(pk, 0.0) for pk in sorted(ids)[:limit]]
    missing = [lexeme for lexeme in query.terms if lexeme not in dfs]
    if missing:
        dfs = {**dfs, **stats.document_frequencies(source, missing)}
    doc_count, avg_length = stats.corpus(source)
    doc_count = max(doc_count, 1)
    idfs = []
    for lexeme in query.terms:
        df = min(dfs.get(lexeme, 0), doc_count)
        idfs.append(math.log(1 + (doc_count - df + 0.5) / (df + 0.5)))
    with connection.cursor() as cursor:
        cursor.execute(
            RANK_SQL.format(table=source.table, vector=_vector_sql(source)),
            {
                "config": query.config,
                "lexemes": query.terms,
                "idfs": idfs,
                "k1": K1,
                "weight_a": WEIGHT_A,
                "weight_b": WEIGHT_B,
                "b": B,
                "avgdl": max(avg_length, 1.0),
                "ids": ids,
                "limit": limit,
            },
        )
        return [(pk, float(score)) for pk, score in cursor.fetchall()]


def headlines(source: Source, ids: list[int], query: Query) -> dict[int, str]:
    """Safe HTML snippets with the query's words marked, for ``ids`` only."""
    if not ids:
        return {}
    lexemes = query.terms or ["\u0000"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.id, ts_headline(%s::regconfig, "  # noqa: S608 - names from code
            f"left(translate({source.snippet_sql}, %s, ''), 20000), "
            f"%s::tsquery, %s) FROM {source.table} t WHERE t.id = ANY(%s::bigint[])",
            [
                query.config,
                OPEN_MARK + CLOSE_MARK,
                " | ".join(stats.quote_lexeme(lexeme) for lexeme in lexemes),
                HEADLINE_OPTIONS,
                ids,
            ],
        )
        return {
            pk: mark_safe(  # noqa: S308 - escaped first, only our own <mark> added
                escape(text or "")
                .replace(OPEN_MARK, "<mark>")
                .replace(CLOSE_MARK, "</mark>")
            )
            for pk, text in cursor.fetchall()
        }


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
    total: int = 0  # hits reachable by paging: at most CANDIDATE_CAP per kind

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
    kind of document (each kind counted under every filter but the kind itself)."""
    filters = filters or Filters()
    query = parse(q, config_for(filters))
    results = Results(
        query=query, filters=filters, page=max(1, page), per_page=per_page
    )
    if not query.text or not query.terms:
        return results
    shown = set(filters.types or SOURCES)
    unkinded = replace(filters, types=())
    ranked: list[tuple[float, str, int]] = []
    depth = results.page * per_page
    for key, source in SOURCES.items():
        if not source.applies(unkinded):
            continue
        found = retrieve(source, source.queryset(user, filters), query)
        results.counts.append(
            TypeCount(
                key=key,
                label=source.label,
                count=len(found.ids),
                capped=len(found.ids) >= CANDIDATE_CAP,
                relaxed=found.relaxed,
            )
        )
        if key in shown and found.ids:
            results.total += len(found.ids)
            for pk, score in rank(source, found.ids, query, found.dfs, depth):
                ranked.append((score, key, pk))
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
