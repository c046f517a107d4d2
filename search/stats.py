"""Term statistics for BM25: per kind of document, each lexeme's document frequency, the
number of documents and their average length (``search_length``, in characters).

They are refreshed in bulk with ``ts_stat`` (after a library import, and hourly by the
beat task ``search.refresh_stats``), never per save, so saving a document costs the same
however large the index grows. Between refreshes a lexeme the statistics do not know yet
is counted live, up to a cap: it is new, so it is rare. Both count only what anyone
may see (``Source.stats_where``), whoever searches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from .models import CorpusStat
from .sources import SOURCES, Source

# A lexeme unknown to the statistics is counted live up to this many documents.
LIVE_DF_CAP = 10_000


def refresh(doc_types: list[str] | None = None) -> dict[str, int]:
    """Recompute the statistics of the given kinds (all by default) in one transaction
    each, so searches see the old figures or the new, never half. Returns the number of
    distinct lexemes per kind."""
    counts = {}
    for key in doc_types or list(SOURCES):
        source = SOURCES[key]
        with transaction.atomic(), connection.cursor() as cursor:
            inner = (
                f"SELECT search_vector FROM {source.table} "  # noqa: S608 - names from code
                f"WHERE search_vector IS NOT NULL AND {source.stats_where}"
            )
            cursor.execute("DELETE FROM search_termstat WHERE doc_type = %s", [key])
            cursor.execute(
                "INSERT INTO search_termstat (doc_type, lexeme, df) "
                "SELECT %s, word, ndoc FROM ts_stat(%s)",
                [key, inner],
            )
            counts[key] = cursor.rowcount
            cursor.execute(
                f"SELECT count(*), coalesce(avg(search_length), 0) "  # noqa: S608
                f"FROM {source.table} WHERE search_vector IS NOT NULL "
                f"AND {source.stats_where}"
            )
            doc_count, avg_length = cursor.fetchone()
            CorpusStat.objects.update_or_create(
                doc_type=key,
                defaults={
                    "doc_count": doc_count,
                    "avg_length": float(avg_length),
                    "refreshed_at": timezone.now(),
                },
            )
    return counts


@dataclass
class Corpus:
    """What BM25 needs to know of one kind of document for one query."""

    doc_count: int
    avg_length: float
    dfs: dict[str, int] = field(default_factory=dict)


LOAD_SQL = """
SELECT k.doc_type, c.doc_count, c.avg_length,
       coalesce(array_agg(t.lexeme) FILTER (WHERE t.lexeme IS NOT NULL), '{}'),
       coalesce(array_agg(t.df) FILTER (WHERE t.lexeme IS NOT NULL), '{}')
FROM unnest(%(keys)s::text[]) AS k(doc_type)
LEFT JOIN search_corpusstat c ON c.doc_type = k.doc_type
LEFT JOIN search_termstat t ON t.doc_type = k.doc_type AND t.lexeme = ANY(%(lexemes)s)
GROUP BY k.doc_type, c.doc_count, c.avg_length
"""


def load(sources: list[Source], lexemes: list[str]) -> dict[str, Corpus]:
    """The statistics of ``sources`` for ``lexemes``, in one query. What they do not hold
    yet (a kind never refreshed, a lexeme new since the last refresh) is counted live."""
    if not sources:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            LOAD_SQL, {"keys": [source.key for source in sources], "lexemes": lexemes}
        )
        rows = {row[0]: row[1:] for row in cursor.fetchall()}
    found = {}
    for source in sources:
        doc_count, avg_length, known, dfs = rows[source.key]
        if not doc_count:
            doc_count, avg_length = _live_corpus(source)
        frequencies = dict(zip(known, dfs, strict=True))
        missing = [lexeme for lexeme in lexemes if lexeme not in frequencies]
        if missing:
            frequencies.update(_live_frequencies(source, missing))
        found[source.key] = Corpus(
            doc_count=max(doc_count, 1),
            avg_length=float(avg_length or 0) or 1.0,
            dfs=frequencies,
        )
    return found


def _live_corpus(source: Source) -> tuple[int, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), coalesce(avg(search_length), 0) "  # noqa: S608
            f"FROM {source.table} WHERE search_vector IS NOT NULL "
            f"AND {source.stats_where}"
        )
        doc_count, avg_length = cursor.fetchone()
    return doc_count, float(avg_length)


def _live_frequencies(source: Source, lexemes: list[str]) -> dict[str, int]:
    """Document frequencies counted from the index among the rows the statistics are
    taken from (what anyone may see), each capped at ``LIVE_DF_CAP``."""
    known = {}
    if lexemes:
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT m.lexeme, (
                    SELECT count(*) FROM (
                        SELECT 1 FROM {source.table} t
                        WHERE t.search_vector @@ m.lexeme::tsquery
                        AND {source.stats_where}
                        LIMIT %s
                    ) capped
                ) FROM unnest(%s::text[]) AS m(lexeme)
                """,  # noqa: S608 - the table name comes from code
                [LIVE_DF_CAP, [quote_lexeme(lexeme) for lexeme in lexemes]],
            )
            for quoted, df in cursor.fetchall():
                known[unquote_lexeme(quoted)] = df
    return known


def quote_lexeme(lexeme: str) -> str:
    """A lexeme as a tsquery operand: quoted, so no character in it is an operator."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def unquote_lexeme(quoted: str) -> str:
    return quoted[1:-1].replace("''", "'").replace("\\\\", "\\")
