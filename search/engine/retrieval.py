"""Which documents of one kind are ranked for a query, in bounded steps, each taking at
most ``CANDIDATE_CAP`` from the GIN indexes:

- the documents with every word (for operators: what the websearch query matches);
- *broad* queries, whose AND fills the cap, take the first tier first: the documents
  whose title or identifier holds every word (``title_vector``, its own small GIN index),
  then the others up to the cap. A word found in 50,000 documents is ranked among those
  that carry it in their title, not among the first thousand stored, and the big index
  is not read at all when the titles fill the cap. Whether a query is broad is known
  before retrieval from the term statistics (the number of documents with every word,
  were the words independent), or found when the AND fills the cap;
- when the search as a whole finds fewer than ``EXPAND_BELOW`` documents with every word
  (and for ``or`` queries): the documents with only some of the words, chosen as MaxScore
  chooses (Turtle and Flood, 1995). Each word can add at most ``idf · (k1 + 1)`` to a
  score. The rarest words are ORed (while their postings fit the cap) and every candidate
  is ranked; a document with none of those words can score no more than the bounds of
  the other words together, so when that is below the score to beat for the first page,
  no such document can reach it and retrieval stops. Otherwise only the documents whose
  words' bounds could beat it are fetched: an OR of the smallest sets of the remaining
  words whose bounds add up to more. On the known-item benchmark this scores almost
  as well as ranking every document with any word (MRR@10 0.513 against 0.514), at a
  bounded cost.

The results count as *relaxed* when fewer than ``RELAX_BELOW`` documents had every word
and ones with only some were added.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.db.models import F

from .. import stats
from ..sources import Source
from .query import Matches, Query, any_of_all, tsquery, websearch
from .ranking import Ranker

CANDIDATE_CAP = 1000  # documents one retrieval step takes, at most
EXPAND_BELOW = 100  # an AND that finds fewer may take documents with some of the words
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


@dataclass
class Found:
    """One kind's candidates and, when ranked, the best of them."""

    ids: list[int]
    # Fewer than RELAX_BELOW documents had every word, and ones with only some were added.
    relaxed: bool = False
    ranked: list[tuple[int, float]] = field(default_factory=list)  # best first
    capped: bool = False  # there are at least this many; retrieval stopped at the cap


def _merge(*ranked: list[tuple[int, float]], limit: int) -> list[tuple[int, float]]:
    rows = [row for rows in ranked for row in rows]
    return sorted(rows, key=lambda row: (-row[1], row[0]))[:limit]


def _kth(ranked: list[tuple[int, float]]) -> float:
    return ranked[BOUND_DEPTH - 1][1] if len(ranked) >= BOUND_DEPTH else 0.0


def retrieve(kinds: list[KindSearch]) -> None:
    """Run every kind's retrieval. Relaxing is decided for the search as a whole, as
    one index would: documents with some of the words join when those with every word
    are few in all the kinds shown. A kind only counted for its tab relaxes by its own
    count."""
    for kind in kinds:
        kind.start()
    shown_every_word = sum(kind.every_word for kind in kinds if kind.ranking)
    page_full = shown_every_word >= BOUND_DEPTH
    for kind in kinds:
        if not kind.expands:
            continue
        if kind.ranking and shown_every_word < EXPAND_BELOW:
            kind.expand(kth_over(kinds), page_full)
        elif not kind.ranking and kind.every_word < EXPAND_BELOW:
            kind.expand(0.0, kind.every_word >= BOUND_DEPTH)


def kth_over(kinds: list[KindSearch]) -> float:
    """The score to beat for the first page of the hits of every kind shown."""
    scores = sorted(
        (score for kind in kinds if kind.ranking for _pk, score in kind.pool.ranked),
        reverse=True,
    )
    return scores[BOUND_DEPTH - 1] if len(scores) >= BOUND_DEPTH else 0.0


def rarest_within_cap(terms: list[str], df: dict[str, int]) -> list[str]:
    """The rarest lexemes (at least one) whose postings together fit under the cap."""
    chosen, postings = [], 0
    for lexeme in sorted(terms, key=lambda t: (df[t], t)):
        if chosen and postings + df[lexeme] > CANDIDATE_CAP:
            break
        chosen.append(lexeme)
        postings += df[lexeme]
    return chosen


def clauses_beating(terms: list[str], bound: dict[str, float], score: float):
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
        self.fetch = functools.partial(
            self.ranker.fetch, qs, ranking=ranking, limit=CANDIDATE_CAP
        )
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
        rare = rarest_within_cap(known, ranker.df) if known else []
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
        clauses = clauses_beating(rest, bound, kth)
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
        ids = self.pool.ids
        return Found(
            ids,
            relaxed=self.relaxed,
            ranked=self.pool.ranked,
            capped=len(ids) >= CANDIDATE_CAP,
        )


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
