"""Term statistics for BM25: per kind of document, each lexeme's document frequency, the
number of documents and their average vector length.

They are refreshed in bulk with ``ts_stat`` (after a library import, and hourly by the
beat task ``search.refresh_stats``), never per save, so saving a document costs the same
however large the index grows. Between refreshes a lexeme the statistics do not know yet
is counted live, up to a cap: it is new, so it is rare.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from .models import CorpusStat, TermStat
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
                f"SELECT count(*), coalesce(avg(length(search_vector)), 0) "  # noqa: S608
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


def corpus(source: Source) -> tuple[int, float]:
    """(number of documents, average vector length) of a kind, from the statistics or,
    before the first refresh, counted live."""
    stat = CorpusStat.objects.filter(doc_type=source.key).first()
    if stat is not None and stat.doc_count:
        return stat.doc_count, stat.avg_length or 1.0
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), coalesce(avg(length(search_vector)), 0) "  # noqa: S608
            f"FROM {source.table} WHERE search_vector IS NOT NULL"
        )
        doc_count, avg_length = cursor.fetchone()
    return doc_count, float(avg_length) or 1.0


def document_frequencies(source: Source, lexemes: list[str]) -> dict[str, int]:
    """Each lexeme's document frequency: from the statistics, or counted live (capped at
    ``LIVE_DF_CAP``) for lexemes the statistics do not hold; all in one query."""
    if not lexemes:
        return {}
    known = dict(
        TermStat.objects.filter(doc_type=source.key, lexeme__in=lexemes).values_list(
            "lexeme", "df"
        )
    )
    missing = [lexeme for lexeme in lexemes if lexeme not in known]
    if missing:
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT m.lexeme, (
                    SELECT count(*) FROM (
                        SELECT 1 FROM {source.table} t
                        WHERE t.search_vector @@ m.lexeme::tsquery
                        LIMIT %s
                    ) capped
                ) FROM unnest(%s::text[]) AS m(lexeme)
                """,  # noqa: S608 - the table name comes from code
                [LIVE_DF_CAP, [quote_lexeme(lexeme) for lexeme in missing]],
            )
            for quoted, df in cursor.fetchall():
                known[unquote_lexeme(quoted)] = df
    return known


def quote_lexeme(lexeme: str) -> str:
    """A lexeme as a tsquery operand: quoted, so no character in it is an operator."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def unquote_lexeme(quoted: str) -> str:
    return quoted[1:-1].replace("''", "'").replace("\\\\", "\\")
