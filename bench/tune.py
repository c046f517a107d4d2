"""How BM25's parameters were chosen: every variant ranks every document, in memory.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/od_findability \\
        .venv/bin/python bench/tune.py

Reads the library that ``findability.py --replace-library`` loaded (the known-item
collection) with its stored vectors: each lexeme's occurrences by weight, each
document's length three ways (distinct lexemes, occurrences, characters). Each query is
the summary parsed as the engine parses it. A variant scores every document holding any
query word (no candidate cap, no retrieval steps), so it measures the formula alone:

- ``lengths``: the document length as the vector's distinct lexemes, its occurrences or
  the characters of its text, with the parameters the engine had before (k1 1.2, b 0.75,
  titles x3);
- ``grid``: k1, b and the title weight, chosen on the queries of even-numbered items
  and checked on the odd ones, with FTS5's scores on each half beside them;
- ``engine``: the engine's own parameters on both halves.

Writes bench/results/tune.json and prints the tables. Needs NumPy (requirements-dev).
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "bench"

from .djangosetup import RESULTS, setup
from .measure import machine, table, write

DEPTH = 10
GRID = {"k1": (0.9, 1.2, 1.5, 2.0), "b": (0.6, 0.75, 0.85), "title": (3, 5, 8)}
BEFORE = {"k1": 1.2, "b": 0.75, "title": 3, "length": "distinct"}


class Collection:
    """The library's vectors as arrays: per lexeme, the documents holding it and the
    occurrences of each weight there."""

    def __init__(self, np, documents, lengths, postings):
        self.np = np
        self.n = len(documents)
        self.index = {pk: i for i, pk in enumerate(documents)}
        self.lengths = {
            name: np.array(values, float) for name, values in lengths.items()
        }
        self.postings = {
            lexeme: tuple(np.array(column) for column in zip(*rows, strict=True))
            for lexeme, rows in postings.items()
        }

    @classmethod
    def load(cls, np) -> Collection:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, length(search_vector), search_length "
                "FROM search_librarydocument ORDER BY id"
            )
            rows = cursor.fetchall()
            documents = [pk for pk, _distinct, _chars in rows]
            index = {pk: i for i, pk in enumerate(documents)}
            occurrences = [0] * len(rows)
            postings: dict[str, list] = {}
            cursor.execute(
                "SELECT t.id, u.lexeme, "
                "cardinality(array_positions(u.weights, 'A')), "
                "cardinality(array_positions(u.weights, 'B')), "
                "cardinality(u.weights) FROM search_librarydocument t, "
                "unnest(t.search_vector) u"
            )
            for pk, lexeme, a, b, total in cursor.fetchall():
                i = index[pk]
                occurrences[i] += total
                postings.setdefault(lexeme, []).append((i, a, b, total - a - b))
        lengths = {
            "distinct": [distinct for _pk, distinct, _chars in rows],
            "occurrences": occurrences,
            "characters": [chars for _pk, _distinct, chars in rows],
        }
        return cls(np, documents, lengths, postings)

    def ranks(self, queries, answers, *, k1, b, title, length, weight_b=2) -> list:
        """The rank (1 to DEPTH, or None) of each query's answer."""
        np = self.np
        lengths = self.lengths[length]
        norm = k1 * (1 - b + b * lengths / lengths.mean())
        found = []
        for terms, answer in zip(queries, answers, strict=True):
            scores = np.zeros(self.n)
            for lexeme in dict.fromkeys(terms):
                posting = self.postings.get(lexeme)
                if posting is None:
                    continue
                docs, a, bb, c = posting
                idf = math.log(1 + (self.n - len(docs) + 0.5) / (len(docs) + 0.5))
                tf = title * a + weight_b * bb + c
                scores[docs] += idf * tf * (k1 + 1) / (tf + norm[docs])
            best = np.lexsort((np.arange(self.n), -scores))[:DEPTH]
            best = [i for i in best if scores[i] > 0]
            target = self.index[answer]
            found.append(best.index(target) + 1 if target in best else None)
        return found


def run(
    *,
    out: Path | None = None,
    grid: dict | None = None,
    limit: int | None = None,
    log=print,
) -> dict:
    import numpy as np

    from search import engine

    from . import findability

    grid = grid or GRID
    items = findability.collection(limit)  # as findability.py loaded it
    collection = Collection.load(np)
    by_hash = _ids_by_hash()
    known = [i for i, item in enumerate(items) if item["hash"] in by_hash]
    if len(known) < len(items):
        log(f"{len(items) - len(known)} items are not in the library; left out")
    queries = [engine.parse(findability.plain(items[i]["query"])).terms for i in known]
    answers = [by_hash[items[i]["hash"]] for i in known]
    lite = findability.load_sqlite(items)
    fts = [findability.fts_rank(lite, items[i]["query"], i) for i in known]
    halves = {"tune": range(0, len(known), 2), "check": range(1, len(known), 2)}

    def part(values, half):
        return [values[i] for i in halves[half]]

    def score(half, **params):
        return findability.evaluate(
            collection.ranks(part(queries, half), part(answers, half), **params)
        )

    result = {
        "documents": collection.n,
        "queries": len(known),
        "machine": machine(),
        "sqlite_fts5": {half: findability.evaluate(part(fts, half)) for half in halves},
        "lengths": {
            length: score("tune", **{**BEFORE, "length": length})
            for length in collection.lengths
        },
    }
    variants = []
    for k1, b, title in itertools.product(grid["k1"], grid["b"], grid["title"]):
        params = {"k1": k1, "b": b, "title": title, "length": "characters"}
        variants.append({**params, "tune": score("tune", **params)})
    variants.sort(key=lambda v: -v["tune"]["mrr_at_10"])
    for variant in variants[:5]:
        params = {key: variant[key] for key in ("k1", "b", "title", "length")}
        variant["check"] = score("check", **params)
    result["grid"] = variants
    chosen = {
        "k1": engine.K1,
        "b": engine.B,
        "title": engine.WEIGHT_A,
        "length": "characters",
    }
    result["engine"] = {
        **chosen,
        **{half: score(half, **chosen) for half in halves},
    }
    write(out or RESULTS / "tune.json", result)
    log(report(result))
    return result


def _ids_by_hash() -> dict[str, int]:
    from search.models import LibraryDocument

    return dict(LibraryDocument.objects.values_list("content_hash", "pk"))


def report(result: dict) -> str:
    fts = result["sqlite_fts5"]
    lines = [
        f"documents: {result['documents']:,}, queries: {result['queries']:,} "
        f"(tune on even items, check on odd)",
        f"SQLite FTS5: tune MRR@10 {fts['tune']['mrr_at_10']}, "
        f"check {fts['check']['mrr_at_10']}",
        "",
        "length (k1 1.2, b 0.75, title x3), tune half:",
        table(
            ["length", "MRR@10", "hits@10"],
            [
                [name, figures["mrr_at_10"], figures["hits_at_10"]]
                for name, figures in result["lengths"].items()
            ],
        ),
        "",
        "best of the grid (length in characters):",
        table(
            ["k1", "b", "title", "tune MRR@10", "check MRR@10", "check hits@10"],
            [
                [
                    v["k1"],
                    v["b"],
                    v["title"],
                    v["tune"]["mrr_at_10"],
                    v.get("check", {}).get("mrr_at_10", ""),
                    v.get("check", {}).get("hits_at_10", ""),
                ]
                for v in result["grid"][:5]
            ],
        ),
    ]
    engine = result["engine"]
    lines.append(
        f"\nthe engine's (k1 {engine['k1']}, b {engine['b']}, title x{engine['title']}): "
        f"tune {engine['tune']['mrr_at_10']}, check {engine['check']['mrr_at_10']}"
    )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="result file (default bench/results/)")
    parser.add_argument(
        "--limit", type=int, help="the --limit findability.py loaded the library with"
    )
    args = parser.parse_args(argv)
    setup()
    run(out=args.out, limit=args.limit, log=lambda m: print(m, flush=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
