"""Parsing a query: its lexemes in a text search configuration, and what its operators
ask for. Quoted phrases and ``-words`` are constraints every hit meets (``websearch``
syntax) while the other words relax; ``or`` alone is read as a word as often as an
operator, so it widens too; ``or`` together with a phrase or a ``-word`` makes the
``websearch`` query decide alone."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchQueryField
from django.db import connection
from django.db.models import BooleanField, Func, Value
from django.db.models.functions import Cast

from cases.models import SEARCH_CONFIGS

from .. import stats
from ..sources import Filters

DEFAULT_CONFIG = "english"
MAX_TERMS = 32  # lexemes of a query that count (a pasted paragraph is cut here)
MAX_QUERY_LENGTH = 1000
# Word-boundary operators of websearch syntax: a quote, a leading minus, a lone "or".
OPERATOR_RE = re.compile(r'"|(?:^|\s)-\w|\s(?:or)\s', re.I)
# The operators that narrow (a phrase, an exclusion): no document outside them may show.
NARROWING_RE = re.compile(r'"|(?:^|\s)-\w')
NEGATED_RE = re.compile(r'(?:^|\s)-(?:"[^"]*"?|\S+)')
PHRASE_RE = re.compile(r'"[^"]*"?')
OR_RE = re.compile(r"\s(?:or)\s", re.I)


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


def websearch(text: str, query: Query) -> SearchQuery:
    return SearchQuery(text, config=query.config, search_type="websearch")


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
