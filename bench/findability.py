"""Known-item findability: our engine against SQLite FTS5 on the same real documents.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/od_bench_small \\
        .venv/bin/python bench/findability.py --replace-library

The collection is real text on this machine (``corpus``): the long descriptions of the
installed Debian packages and the docstrings of the Python standard library and installed
packages. Each item's one-line summary is a query whose one right answer is the item's
document: its name as the title and the rest of its text, the summary removed, as the body.
Both engines get every document and the same queries; ours is ``search.engine.search``
restricted to the library (natural language, BM25 rerank), FTS5 ranks an OR of the
query's words with ``bm25()`` (tokenizer ``porter unicode61``). Reports MRR@10 and
hits@10 and writes bench/results/findability.json.

The library of the database must hold only these documents (other documents would compete
in our engine but not in FTS5): ``--replace-library`` deletes every library document first.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sqlite3
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "bench"

from .djangosetup import RESULTS, ROOT, setup
from .measure import machine, summary, table, write

SOURCE = "findability"
CACHE = ROOT / "var" / "bench" / "findability-v1.json"
DEPTH = 10
FTS_WORD_RE = re.compile(r"\w+", re.UNICODE)


def collection(limit: int | None = None) -> list[dict]:
    """Every known item (Debian first, then Python), without repeated documents."""
    from . import corpus

    if limit is None and CACHE.exists():
        return json.loads(CACHE.read_text())
    items, seen = [], set()
    for item in [*corpus.debian_descriptions(), *corpus.docstrings(limit=limit)]:
        digest = hashlib.sha256(f"{item.key}\n{item.body}".encode()).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        items.append(
            {
                "key": item.key,
                "query": item.query,
                "body": item.body,
                "origin": item.origin,
                "hash": digest,
            }
        )
    if limit is None:
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        CACHE.write_text(json.dumps(items))
    return items


def load_postgres(items: list[dict], replace: bool) -> dict[int, int]:
    """Load the documents; return {item index: document id}."""
    from django.db import connection

    from search import stats
    from search.models import LibraryDocument

    if replace:
        LibraryDocument.objects.all().delete()
    elif LibraryDocument.objects.exclude(source=SOURCE).exists():
        raise SystemExit(
            "The library holds other documents, which would compete with these in our "
            "engine but not in FTS5. Use a clean database or --replace-library."
        )
    LibraryDocument.objects.filter(source=SOURCE).delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM search_librarydocument")
        first = cursor.fetchone()[0]
        with cursor.copy(
            "COPY search_librarydocument (id, identifier, identifier_key, title, body, "
            "url, published_on_precision, source, language, content_hash, created_at, "
            "updated_at) FROM STDIN"
        ) as copy:
            for index, item in enumerate(items):
                copy.write_row(
                    (
                        first + index,
                        "",
                        "",
                        item["key"][:1000],
                        item["body"],
                        "",
                        "day",
                        SOURCE,
                        "en",
                        item["hash"],
                        "now",
                        "now",
                    )
                )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('search_librarydocument', 'id'), "
            "(SELECT max(id) FROM search_librarydocument))"
        )
        cursor.execute("ANALYZE search_librarydocument")
    stats.refresh(["library"])
    return {index: first + index for index in range(len(items))}


def load_sqlite(items: list[dict]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61')"
    )
    db.executemany(
        "INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)",
        ((index, item["key"], item["body"]) for index, item in enumerate(items)),
    )
    return db


# What a person types who uses no search operators: a summary's quotes (code quoted in
# a docstring), leading minus signs and lone "or"s are not operators there. FTS5 gets
# the words alone too (fts_query), so both engines read the summary as plain words.
OPERATOR_CHARS_RE = re.compile(r'"|(?:(?<=\s)|^)-+|(?<=\s)or(?=\s|$)', re.I)


def plain(text: str) -> str:
    return OPERATOR_CHARS_RE.sub(" ", text)


def fts_query(text: str) -> str:
    return " OR ".join(f'"{word}"' for word in FTS_WORD_RE.findall(text.lower()))


def fts_rank(lite: sqlite3.Connection, query: str, index: int) -> int | None:
    """Where FTS5 ranks item ``index`` for ``query`` (1 to DEPTH), or None."""
    match = fts_query(query)
    rows = (
        lite.execute(
            "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
            (match, DEPTH),
        ).fetchall()
        if match
        else []
    )
    found = [row[0] for row in rows]
    return found.index(index) + 1 if index in found else None


def evaluate(rank_of: list[int | None]) -> dict:
    return {
        "queries": len(rank_of),
        "mrr_at_10": round(sum(1 / r for r in rank_of if r) / max(1, len(rank_of)), 4),
        "hits_at_10": round(sum(1 for r in rank_of if r) / max(1, len(rank_of)), 4),
        "hits_at_1": round(sum(1 for r in rank_of if r == 1) / max(1, len(rank_of)), 4),
    }


def run(
    *,
    queries: int = 2000,
    limit: int | None = None,
    replace: bool = False,
    seed: int = 1,
    out: Path | None = None,
    log=print,
) -> dict:
    from django.contrib.auth.models import AnonymousUser

    from search import engine
    from search.sources import Filters

    started = time.perf_counter()
    items = collection(limit)
    log(f"collection: {len(items):,} documents")
    ids = load_postgres(items, replace)
    lite = load_sqlite(items)
    picked = sorted(
        random.Random(seed).sample(range(len(items)), min(queries, len(items)))
    )
    library = Filters(types=("library",))
    ours, fts, ours_ms, fts_ms, origins = [], [], [], [], []
    for index in picked:
        item = items[index]
        began = time.perf_counter()
        hits = engine.search(
            user=AnonymousUser(),
            q=plain(item["query"]),
            filters=library,
            per_page=DEPTH,
        ).hits
        ours_ms.append((time.perf_counter() - began) * 1000)
        found = [hit.id for hit in hits]
        ours.append(found.index(ids[index]) + 1 if ids[index] in found else None)
        began = time.perf_counter()
        fts.append(fts_rank(lite, item["query"], index))
        fts_ms.append((time.perf_counter() - began) * 1000)
        origins.append(item["origin"])
    result = {
        "documents": len(items),
        "collection": "Debian package long descriptions (/var/lib/dpkg/status) and "
        "docstrings of the Python standard library and installed packages; query = "
        "summary line, answer = the rest of the text, titled with the package or "
        "object name",
        "machine": machine(),
        "seed": seed,
        "ours": {**evaluate(ours), "time": summary(ours_ms)},
        "sqlite_fts5": {**evaluate(fts), "time": summary(fts_ms)},
        "by_origin": {
            origin: {
                "ours": evaluate(
                    [r for r, o in zip(ours, origins, strict=True) if o == origin]
                ),
                "sqlite_fts5": evaluate(
                    [r for r, o in zip(fts, origins, strict=True) if o == origin]
                ),
            }
            for origin in sorted(set(origins))
        },
        "engine": {
            "k1": engine.K1,
            "b": engine.B,
            "candidate_cap": engine.CANDIDATE_CAP,
            "relax_below": engine.RELAX_BELOW,
            "expand_below": engine.EXPAND_BELOW,
            "weight_title": engine.WEIGHT_A,
        },
    }
    result["elapsed_s"] = round(time.perf_counter() - started, 1)
    out = out or RESULTS / "findability.json"
    write(out, result)
    log(report(result))
    log(f"written to {out}")
    return result


def report(result: dict) -> str:
    rows = []
    for label, key in (
        ("ours (PostgreSQL, BM25 rerank)", "ours"),
        ("SQLite FTS5 bm25", "sqlite_fts5"),
    ):
        figures = result[key]
        rows.append(
            [
                label,
                "all",
                figures["queries"],
                figures["mrr_at_10"],
                figures["hits_at_10"],
                figures["hits_at_1"],
                figures["time"]["p50_ms"],
            ]
        )
        for origin, by in result["by_origin"].items():
            f = by[key]
            rows.append(
                [
                    label,
                    origin,
                    f["queries"],
                    f["mrr_at_10"],
                    f["hits_at_10"],
                    f["hits_at_1"],
                    "",
                ]
            )
    return f"documents: {result['documents']:,}\n" + table(
        ["engine", "queries from", "n", "MRR@10", "hits@10", "hits@1", "p50 ms"], rows
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--queries", type=int, default=2000, help="known-item queries (sampled)"
    )
    parser.add_argument("--limit", type=int, help="read at most this many docstrings")
    parser.add_argument(
        "--replace-library",
        action="store_true",
        help="delete every library document of the database first",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="result file (default bench/results/)")
    args = parser.parse_args(argv)
    if args.queries < 1:
        parser.error("--queries must be at least 1")
    setup()
    run(
        queries=args.queries,
        limit=args.limit,
        replace=args.replace_library,
        seed=args.seed,
        out=args.out,
        log=lambda m: print(m, flush=True),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
