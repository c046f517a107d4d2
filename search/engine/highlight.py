"""Snippets: ``ts_headline`` for the page of hits shown, never for the rest."""

from __future__ import annotations

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .. import stats
from ..sources import Source
from .query import Query

OPEN_MARK, CLOSE_MARK = "\u27e6", "\u27e7"  # around matches in ts_headline's output
HEADLINE_OPTIONS = (
    f"StartSel={OPEN_MARK}, StopSel={CLOSE_MARK}, MaxWords=35, MinWords=15, "
    'MaxFragments=2, FragmentDelimiter=" \u2026 "'
)


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
