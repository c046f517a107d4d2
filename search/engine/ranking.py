"""BM25 inside PostgreSQL: each lexeme's inverse document frequency from the term
statistics (``search.stats``), its frequency in a document read from the stored vector
by ``ts_rank_cd`` (one lexeme, no normalisation: the sum of its occurrences' weights,
titles and identifiers counting ``WEIGHT_A`` times, abstracts, claims and authors
``WEIGHT_B`` times), and the document's length (``search_length``, in characters)
against the average. Candidates are retrieved and ranked in one statement."""

from __future__ import annotations

import math

from django.db import connection
from django.db.models.expressions import RawSQL

from .. import stats
from ..sources import Source
from .query import Query

# BM25, tuned on half of the known-item collection of bench/findability.py and checked
# on the other half (docs/performance.md).
K1 = 1.5
B = 0.8
WEIGHT_A = 6  # an occurrence in a title or identifier counts this many times
WEIGHT_B = 2  # in an abstract, a claim, the authors
# ts_rank_cd's weights, {D, C, B, A}, at most 1 each: scaled down by WEIGHT_A, and the
# frequency scaled back up.
RANK_WEIGHTS = [1 / WEIGHT_A, 1 / WEIGHT_A, WEIGHT_B / WEIGHT_A, 1.0]


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
        self, qs, *conditions, limit: int, exclude=(), ranking=True
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
