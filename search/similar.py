"""Near-identical texts among the submissions on a case, found through the search index.

Two people who submit the same document rarely type it the same way: a word changed, an
ellipsis, a dropped article. The exact fingerprint (``submissions.identifiers``) misses
those; this finds them in two queries, however many submissions the case holds:

1. **Lexemes.** The new text's distinct lexemes A, in the case's text search
   configuration (the one its submissions' stored vectors use), each with its document
   frequency from the term statistics (a lexeme they do not know yet is new, so rare).
2. **Candidates, then similarity, in one statement.** A submission whose text has the
   lexeme set B with Jaccard similarity |A ∩ B| / |A ∪ B| >= t shares at least
   ceil(t·|A|) of A's lexemes, so it holds at least one of *any*
   |A| - ceil(t·|A|) + 1 of them (prefix filtering). An OR of that many of A's rarest
   lexemes, matched against the stored ``search_vector`` through its GIN index, finds
   every such submission and few others. For each candidate (at most
   ``MAX_CANDIDATES``) the similarity is then computed in SQL from the lexemes of its
   own title and excerpt: |B|, and the size of B without A's lexemes (``ts_delete``, a
   binary search per lexeme), give |A ∩ B| and |A ∪ B|. It is kept when it reaches
   the threshold.

The similarity compares the citation's own words (the title and the excerpt, quoted from
the document) rather than the whole stored vector: that vector also holds the
contributor's relevance and claim explanations, which two people finding the same
document write differently. Withdrawn submissions never count.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from django.db import connection

from .stats import quote_lexeme

# Fewer distinct lexemes than this is too little text to call anything a near duplicate
# (a changed word in a five-word title is a different title); the exact fingerprint
# still catches identical short texts.
MIN_LEXEMES = 5
# Candidates whose similarity is computed, at most: the prefix filter on rare lexemes
# leaves far fewer for any real text.
MAX_CANDIDATES = 200
DEFAULT_THRESHOLD = 0.8

LEXEMES_SQL = """
SELECT v.lexeme, coalesce(ts.df, 0)
FROM unnest(tsvector_to_array(to_tsvector(%(config)s::regconfig, %(text)s))) AS v(lexeme)
LEFT JOIN search_termstat ts ON ts.doc_type = 'prior_art' AND ts.lexeme = v.lexeme
"""

SIMILAR_SQL = """
SELECT p.id, (s.size - s.unshared)::float8 / (%(size)s + s.unshared) AS similarity
FROM (
    SELECT id, title, excerpt, relevance
    FROM submissions_priorart
    WHERE case_id = %(case)s
      AND status <> 'withdrawn'
      AND id <> %(exclude)s
      AND search_vector @@ %(query)s::tsquery
    ORDER BY id
    LIMIT %(cap)s
) p
CROSS JOIN LATERAL (
    SELECT length(v) AS size, length(ts_delete(v, %(lexemes)s::text[])) AS unshared
    FROM to_tsvector(%(config)s::regconfig, {text}) AS v
) s
WHERE (s.size - s.unshared)::float8 / (%(size)s + s.unshared) >= %(threshold)s
ORDER BY similarity DESC, p.id
"""


class Similar(NamedTuple):
    id: int
    similarity: float  # Jaccard similarity of the two lexeme sets, 0 to 1


def _joined(*texts: str | None) -> str:
    return " ".join(text for text in texts if text)


def prefix_size(lexeme_count: int, threshold: float) -> int:
    """How many of a text's lexemes a candidate must hold at least one of, to be able to
    reach ``threshold``: |A| - ceil(t·|A|) + 1 (rounded the safe way: more, not fewer)."""
    must_share = math.ceil(threshold * lexeme_count - 1e-9)
    return max(1, min(lexeme_count, lexeme_count - must_share + 1))


def near_duplicates(
    case,
    title: str,
    excerpt: str,
    relevance: str | None = None,
    exclude_pk: int | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Similar]:
    """The submissions on ``case`` (withdrawn ones aside) whose title and excerpt (and
    relevance, when ``relevance`` is given) have lexeme sets with Jaccard similarity at
    least ``threshold`` to the given text's, most similar first. Two queries; none when
    the text has fewer than ``MIN_LEXEMES`` distinct lexemes after the first."""
    if not 0 < threshold <= 1:
        raise ValueError("The threshold is a similarity above 0 and at most 1.")
    text = _joined(title, excerpt, relevance)
    if not text.strip():
        return []
    config = case.search_config
    with connection.cursor() as cursor:
        cursor.execute(LEXEMES_SQL, {"config": config, "text": text})
        frequencies = cursor.fetchall()
    if len(frequencies) < MIN_LEXEMES:
        return []
    # Rarest first; ties by the lexeme itself, so the same text always asks the same.
    frequencies.sort(key=lambda row: (row[1], row[0]))
    lexemes = [lexeme for lexeme, _df in frequencies]
    rare = lexemes[: prefix_size(len(lexemes), threshold)]
    columns = ["p.title", "p.excerpt"] + (
        ["p.relevance"] if relevance is not None else []
    )
    sql = SIMILAR_SQL.format(text=f"concat_ws(' ', {', '.join(columns)})")
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "config": config,
                "case": case.pk,
                "exclude": exclude_pk or 0,
                "query": " | ".join(quote_lexeme(lexeme) for lexeme in rare),
                "cap": MAX_CANDIDATES,
                "lexemes": lexemes,
                "size": len(lexemes),
                "threshold": threshold,
            },
        )
        return [Similar(pk, float(similarity)) for pk, similarity in cursor.fetchall()]
