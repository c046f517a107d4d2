"""Full-text search with BM25 ranking, inside PostgreSQL.

A search runs in bounded steps for each kind of document (``sources.SOURCES``):

1. **Parse** the text into lexemes, in the configuration of the case's (or the chosen)
   language, stop words dropped. Quoted phrases and ``-words`` are constraints every hit
   meets (``websearch`` syntax), the other words relax as below; ``or`` alone is read as
   a word as often as an operator, so it widens too; ``or`` together with a phrase or a
   ``-word`` makes the ``websearch`` query decide alone.
2. **Candidates** from the GIN indexes, each step taking at most ``CANDIDATE_CAP``:

   - the documents with every word (for operators: what the websearch query matches);
   - *broad* queries, whose AND fills the cap, take the first tier first: the documents
     whose title or identifier holds every word (``title_vector``, its own small GIN
     index), then the others up to the cap. A word found in 50,000 documents is ranked
     among those that carry it in their title, not among the first thousand stored, and
     the big index is not read at all when the titles fill the cap. Whether a query is
     broad is known before retrieval from the term statistics (the number of documents
     with every word, were the words independent), or found when the AND fills the cap;

   - natural queries whose AND finds fewer than ``EXPAND_BELOW`` (and ``or`` queries):
     the documents with only some of the words, chosen as MaxScore chooses (Turtle and
     Flood, 1995). Each word can add at most ``idf · (k1 + 1)`` to a score. After the AND
     the rarest words are ORed (while their postings fit the cap) and every candidate is
     ranked; a document with none of those words can score no more than the bounds of the
     other words together, so when that is below the 20th best score found, no such
     document can reach the first page and retrieval stops. Otherwise only the documents
     whose words' bounds could beat it are fetched: an OR of the smallest sets of the
     remaining words whose bounds add up to more. On the known-item benchmark this finds
     the same first page as ranking every document with any word, at a bounded cost.

   The results count as *relaxed* when fewer than ``RELAX_BELOW`` documents had every word
   and ones with only some were added.
3. **Rank** by BM25 (``K1``, ``B``): each lexeme's inverse document frequency from the
   term statistics (``stats``), its frequency in the document read from the stored
   vector by ``ts_rank_cd`` (one lexeme, no normalisation: the sum of its occurrences'
   weights, titles and identifiers counting ``WEIGHT_A`` times, abstracts, claims and
   authors ``WEIGHT_B`` times), and the document's length (``search_length``, in
   characters) against the average.

Highlights (``ts_headline``) are computed for the page of hits shown, never for the rest.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field, replace

from django.contrib.postgres.search import SearchQuery, SearchQueryField
from django.db import connection
from django.db.models import BooleanField, F, Func, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils.html import escape
from django.utils.safestring import mark_safe

from cases.models import SEARCH_CONFIGS

from . import stats
from .sources import SOURCES, Filters, Hit, Source

DEFAULT_CONFIG = "english"
CANDIDATE_CAP = 1000  # documents one retrieval step takes, at most
EXPAND_BELOW = (
    100  # an AND that finds fewer also takes documents with some of the words
)
RELAX_BELOW = 20  # an AND that finds fewer than this: results shown as relaxed
# The rank whose score bounds what the expansion fetches: the first page. The same for
# every page asked for, so paging walks one fixed set of hits.
BOUND_DEPTH = 20
MAX_CLAUSES = 64  # sets of words ORed by the last expansion step, at most
# The postings the index reads for that step, at most: its words are the common ones, and
# an OR of ANDs of words each in 100,000 documents costs the index about 90 ms at 1M.
POSTINGS_BUDGET = 250 * CANDIDATE_CAP
# Documents of one kind that can be ranked: the AND (or the tier and the AND), or a
# small AND and two expansions.
MAX_POOL = EXPAND_BELOW + 2 * CANDIDATE_CAP
MAX_TERMS = 32  # lexemes of a query that count (a pasted paragraph is cut here)
MAX_QUERY_LENGTH = 1000
# BM25, tuned on half of the known-item collection of bench/findability.py and checked
# on the other half (docs/performance.md).
K1 = 1.5
B = 0.8
WEIGHT_A = 6  # an occurrence in a title or identifier counts this many times
WEIGHT_B = 2  # in an abstract, a claim, the authors
# ts_rank_cd's weights, {D, C, B, A}, at most 1 each: scaled down by WEIGHT_A, and the
# frequency scaled back up.
RANK_WEIGHTS = [1 / WEIGHT_A, 1 / WEIGHT_A, WEIGHT_B / WEIGHT_A, 1.0]
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


def tsquery(lexemes: list[str], operator: str) -> Cast:
    text = f" {operator} ".join(stats.quote_lexeme(lexeme) for lexeme in lexemes)
    return Cast(Value(text), output_field=SearchQueryField())


def any_of_all(groups: list[list[str]]) -> Cast:
    """Documents with every lexeme of at least one group."""
    text = " | ".join(
        "(" + " & ".join(stats.quote_lexeme(lexeme) for lexeme in group) + ")"
        for group in groups
    )
    return Cast(Value(text), output_field=SearchQueryField())


@dataclass
class Query:
    text: str
    config: str
    strict: bool  # websearch operators were used
    terms: list[str]  # the lexemes that rank and highlight, in query order
    # Only "or" was used: the websearch match may widen as a natural query does, since a
    # sentence like "a file or a directory" reads "or" as a word as often as an operator.
    widens: bool = False
    # The quoted phrases and the -words, as websearch text: every hit matches them,
    # while the other words relax as in a natural query.
    required: str = ""
    # "or" and a phrase or -word together: the websearch query alone decides.
    exact: bool = False


PHRASE_RE = re.compile(r'"[^"]*"?')
OR_RE = re.compile(r"\s(?:or)\s", re.I)


def parse(text: str, config: str = DEFAULT_CONFIG) -> Query:
    text = (text or "").strip()[:MAX_QUERY_LENGTH]
    padded = f" {text} "
    strict = bool(OPERATOR_RE.search(padded))
    narrows = bool(NARROWING_RE.search(padded))
    with_or = bool(OR_RE.search(padded))
    positive = NEGATED_RE.sub(" ", text) if strict else text
    if strict:
        positive = re.sub(r"\bor\b", " ", positive, flags=re.I).replace('"', " ")
    required = ""
    if narrows and not with_or:
        required = " ".join(
            [m.group(0).strip() for m in NEGATED_RE.finditer(text)]
            + PHRASE_RE.findall(NEGATED_RE.sub(" ", text))
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce((SELECT array_agg(lexeme ORDER BY positions[1]) "
            "FROM unnest(to_tsvector(%(config)s::regconfig, %(positive)s))), '{}'), "
            "numnode(websearch_to_tsquery(%(config)s::regconfig, %(required)s))",
            {"config": config, "positive": positive, "required": required},
        )
        terms, required_nodes = cursor.fetchone()
    return Query(
        text=text,
        config=config,
        strict=strict,
        terms=terms[:MAX_TERMS],
        widens=with_or and not narrows,
        # A phrase of stop words alone requires nothing.
        required=required if required_nodes else "",
        exact=with_or and narrows,
    )


def config_for(filters: Filters) -> str:
    if filters.case is not None:
        return filters.case.search_config
    return SEARCH_CONFIGS.get(filters.language, DEFAULT_CONFIG)


@dataclass
class Found:
    """One kind's candidates and, when ranked, the best of them."""

    ids: list[int]
    # Fewer than RELAX_BELOW documents had every word, and ones with only some were added.
    relaxed: bool = False
    ranked: list[tuple[int, float]] = field(default_factory=list)  # best first


class Ranker:
    """BM25 of one kind of document for one query: the inverse document frequencies
    and the upper bound of each lexeme's part of a score."""

    def __init__(self, source: Source, query: Query, corpus: stats.Corpus):
        self.source = source
        self.query = query
        self.corpus = corpus
        n = corpus.doc_count
        self.df = {t: min(corpus.dfs.get(t, 0), n) for t in query.terms}
        self.idf = {
            t: math.log(1 + (n - df + 0.5) / (df + 0.5)) for t, df in self.df.items()
        }
        # tf · (k1 + 1) / (tf + norm) < k1 + 1 for any frequency and length.
        self.bound = {t: idf * (K1 + 1) for t, idf in self.idf.items()}

    def expected(self) -> float:
        """How many documents hold every lexeme, were they independent."""
        n = self.corpus.doc_count
        return n * math.prod(self.df[t] / n for t in self.query.terms)

    def fetch(
        self, qs, *conditions, exclude=(), limit=CANDIDATE_CAP, ranking=True
    ) -> list[tuple[int, float]]:
        """The first ``limit`` documents of ``qs`` that meet ``conditions``, less
        ``exclude``, as (id, BM25 score), best first; retrieved and ranked in one
        statement. Without ``ranking``, the ids alone (scored 0)."""
        qs = qs.filter(*conditions)
        if exclude:
            among = RawSQL("SELECT unnest(%s::bigint[])", [list(exclude)])
            qs = qs.exclude(pk__in=among)
        qs = qs.values_list("pk", flat=True)[:limit]
        if not ranking or not self.query.terms:
            return [(pk, 0.0) for pk in qs]
        inner, params = qs.query.sql_with_params()
        sql, lexemes = self.rank_sql(inner)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *lexemes])
            return [(pk, float(score)) for pk, score in cursor.fetchall()]

    def rank_sql(self, inner: str) -> tuple[str, list[str]]:
        """BM25 of the rows ``inner`` selects, and the parameters it adds. Each lexeme's
        weighted frequency is one ``ts_rank_cd`` of the stored vector (a binary search
        in it, no unnesting); ``OFFSET 0`` keeps each computed once per row. The
        numbers are the engine's own floats, written out."""
        terms = self.query.terms
        weights = "{" + ",".join(repr(w) for w in RANK_WEIGHTS) + "}"
        frequencies = ", ".join(
            f"{WEIGHT_A} * ts_rank_cd('{weights}'::float4[], t.search_vector, "
            f"%s::tsquery, 0) AS f{i}"
            for i in range(len(terms))
        )
        score = " + ".join(
            f"{self.idf[t]!r} * f.f{i} / (f.f{i} + f.norm)" for i, t in enumerate(terms)
        )
        avgdl = float(self.corpus.avg_length)
        sql = f"""
WITH c(id) AS MATERIALIZED ({inner})
SELECT t.id, coalesce(({score}) * {K1 + 1}, 0) AS score
FROM {self.source.table} t
JOIN c ON c.id = t.id
CROSS JOIN LATERAL (
    SELECT {K1} * (1 - {B} + {B} * t.search_length / {avgdl!r}) AS norm, {frequencies}
    OFFSET 0
) f
ORDER BY score DESC, t.id
"""  # noqa: S608 - names and numbers from code, text in parameters
        return sql, [stats.quote_lexeme(t) for t in terms]


def websearch(text: str, query: Query) -> SearchQuery:
    return SearchQuery(text, config=query.config, search_type="websearch")


def _merge(*ranked: list[tuple[int, float]], limit: int) -> list[tuple[int, float]]:
    rows = [row for rows in ranked for row in rows]
    return sorted(rows, key=lambda row: (-row[1], row[0]))[:limit]


def _kth(ranked: list[tuple[int, float]]) -> float:
    return ranked[BOUND_DEPTH - 1][1] if len(ranked) >= BOUND_DEPTH else 0.0


def _kth_over(kinds: list[KindSearch]) -> float:
    """The score to beat for the first page of the hits of every kind shown."""
    scores = sorted(
        (score for kind in kinds if kind.ranking for _pk, score in kind.pool.ranked),
        reverse=True,
    )
    return scores[BOUND_DEPTH - 1] if len(scores) >= BOUND_DEPTH else 0.0


def _rarest_within_cap(terms: list[str], df: dict[str, int]) -> list[str]:
    """The rarest lexemes (at least one) whose postings together fit under the cap."""
    chosen, postings = [], 0
    for lexeme in sorted(terms, key=lambda t: (df[t], t)):
        if chosen and postings + df[lexeme] > CANDIDATE_CAP:
            break
        chosen.append(lexeme)
        postings += df[lexeme]
    return chosen


def _clauses_beating(terms: list[str], bound: dict[str, float], score: float):
    """The smallest sets of ``terms`` whose bounds add up to more than ``score``: a
    document can only beat ``score`` if it holds all the words of one of them. None when
    there are more than MAX_CLAUSES of them (too many to be worth an index query)."""
    terms = sorted(terms, key=lambda t: (-bound[t], t))
    suffix = [0.0] * (len(terms) + 1)
    for i in range(len(terms) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + bound[terms[i]]
    found: list[list[str]] = []

    def grow(start: int, chosen: list[str], total: float) -> bool:
        if total > score:
            found.append(list(chosen))
            return len(found) <= MAX_CLAUSES
        if total + suffix[start] <= score:
            return True  # these words together cannot get there
        for i in range(start, len(terms)):
            chosen.append(terms[i])
            going = grow(i + 1, chosen, total + bound[terms[i]])
            chosen.pop()
            if not going:
                return False
        return True

    return found if grow(0, [], 0.0) else None


class KindSearch:
    """The retrieval of one kind of document for one query, in two steps: ``start``
    (the AND, or the tier for a broad query) and, when the search as a whole found few
    documents with every word, ``expand`` (MaxScore). Without ``ranking`` (a kind only
    counted for its tab) nothing is scored, so the expansion stops after the rarest
    words."""

    def __init__(
        self,
        source: Source,
        qs,
        query: Query,
        corpus: stats.Corpus,
        depth: int,
        ranking: bool,
    ):
        self.source = source
        self.query = query
        self.ranking = ranking
        self.ranker = Ranker(source, query, corpus)
        self.pool = Pool(max(depth, BOUND_DEPTH))
        if query.required:
            qs = qs.filter(
                Matches(F("search_vector"), websearch(query.required, query))
            )
        self.fetch = functools.partial(self.ranker.fetch, qs, ranking=ranking)
        self.every_word = 0
        self.relaxed = False

    def start(self) -> None:
        query, terms = self.query, self.query.terms
        if not terms:
            return
        if query.exact or query.widens:
            matches = websearch(query.text, query)
        else:
            matches = tsquery(terms, "&")
        match = Matches(F("search_vector"), matches)
        pool, fetch, tiered = self.pool, self.fetch, self.source.tiered
        if tiered:
            # The first tier: the documents whose title holds every word (so the whole
            # text does too), from the small index of titles.
            tier = [Matches(F("title_vector"), tsquery(terms, "&"))]
            if query.exact:
                tier.append(match)  # and what the websearch query says
        if tiered and not query.strict and self.ranker.expected() >= CANDIDATE_CAP:
            # Broad, as the statistics tell: the tier first, then others up to the cap.
            pool.add(fetch(*tier))
            if len(pool.ids) < CANDIDATE_CAP:
                room = CANDIDATE_CAP - len(pool.ids)
                pool.add(fetch(match, exclude=pool.ids, limit=room))
        else:
            pool.add(fetch(match))
            if len(pool.ids) >= CANDIDATE_CAP and tiered:
                pool.add(fetch(*tier, exclude=pool.ids))  # broad after all
        self.every_word = len(pool.ids)

    @property
    def expands(self) -> bool:
        """Whether documents with only some of the words may join."""
        query = self.query
        return bool(query.terms) and not query.exact and len(query.terms) > 1

    def expand(self, kth: float, page_full: bool) -> None:
        """Add the documents with only some of the words that could score more than
        ``kth`` (the score to beat for the first page, over every kind shown), as far
        as the cap allows. A step the cap would cut (in storage order, not by score) is
        taken only while the documents with every word do not fill the first page."""
        ranker, pool, fetch = self.ranker, self.pool, self.fetch
        terms, bound = self.query.terms, ranker.bound
        every_word = self.every_word
        kth = max(kth, pool.kth())
        # A document outside a complete AND lacks a word, the least of them at best.
        complete_and = not self.query.widens
        lacking_one = sum(bound.values()) - min(bound.values())
        if complete_and and self.ranking and every_word and lacking_one <= kth:
            return
        known = [t for t in terms if ranker.df[t] > 0]
        rare = _rarest_within_cap(known, ranker.df) if known else []
        # When every document with a rare word fits, the documents outside hold only
        # the rest.
        all_rare_in = sum(ranker.df[t] for t in rare) <= CANDIDATE_CAP
        if rare and (all_rare_in or not page_full):
            pool.add(
                fetch(Matches(F("search_vector"), tsquery(rare, "|")), exclude=pool.ids)
            )
        self.relaxed = every_word < RELAX_BELOW and len(pool.ids) > every_word
        rest = [t for t in known if t not in rare]
        if not self.ranking or not rest:
            return
        kth = max(kth, pool.kth())
        if all_rare_in and sum(bound[t] for t in rest) <= kth:
            return
        clauses = _clauses_beating(rest, bound, kth)
        if clauses is None:
            # Too many ways to get there: the documents lacking at most one word.
            clauses = [terms[:i] + terms[i + 1 :] for i in range(len(terms))]
        postings = sum(ranker.df[t] for t in {t for clause in clauses for t in clause})
        if clauses and postings <= POSTINGS_BUDGET:
            rows = fetch(
                Matches(F("search_vector"), any_of_all(clauses)), exclude=pool.ids
            )
            if len(rows) < CANDIDATE_CAP or not page_full:
                pool.add(rows)
        self.relaxed = every_word < RELAX_BELOW and len(pool.ids) > every_word

    def found(self) -> Found:
        return Found(self.pool.ids, relaxed=self.relaxed, ranked=self.pool.ranked)


class Pool:
    """The candidates of one kind so far, and the best ``limit`` of them."""

    def __init__(self, limit: int):
        self.limit = limit
        self.ids: list[int] = []
        self.ranked: list[tuple[int, float]] = []

    def add(self, rows: list[tuple[int, float]]) -> None:
        self.ids += [pk for pk, _score in rows]
        self.ranked = _merge(self.ranked, rows[: self.limit], limit=self.limit)

    def kth(self) -> float:
        """The score to beat to reach the first page."""
        return _kth(self.ranked)


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
    for kind in kinds:
        kind.start()
    # Relaxing is decided for the search as a whole, as one index would: documents with
    # some of the words join when those with every word are few in all the kinds shown.
    # A kind only counted for its tab relaxes by its own count.
    shown_every_word = sum(kind.every_word for kind in kinds if kind.ranking)
    page_full = shown_every_word >= BOUND_DEPTH
    for kind in kinds:
        if not kind.expands:
            continue
        if kind.ranking and shown_every_word < EXPAND_BELOW:
            kind.expand(_kth_over(kinds), page_full)
        elif not kind.ranking and kind.every_word < EXPAND_BELOW:
            kind.expand(0.0, kind.every_word >= BOUND_DEPTH)
    ranked: list[tuple[float, str, int]] = []
    for kind in kinds:
        found = kind.found()
        key = kind.source.key
        results.counts.append(
            TypeCount(
                key=key,
                label=kind.source.label,
                count=len(found.ids),
                capped=len(found.ids) >= CANDIDATE_CAP,
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
