"""Search speed, page times and searchable-after-commit on the database of DATABASE_URL.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/od_bench \\
        .venv/bin/python bench/speed.py --repetitions 50

Queries are picked from the data itself (words of the library with a given document
frequency), so the same script measures any scale. Each query is timed, after warm-up,
through the API (``GET /api/v1/search/`` with Django's test Client, in process: the full
view, serializer and engine, no network), through ``search.engine.search`` restricted to the
library, and as the raw SQL ``ts_rank`` ordering of all library matches. Then the case
pages (the target's case of 100 claims and 1,000 submissions, the busiest case and the
smallest), a submission page and the comments API on the busiest case, and the search
page, with their query counts, and how soon a saved library document is found. Writes bench/results/speed-<size>.json.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import secrets
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "bench"

from .djangosetup import RESULTS, setup
from .measure import machine, size_label, summary, table, timed, write

RAW_SQL = (
    "SELECT id FROM search_librarydocument "
    "WHERE search_vector @@ websearch_to_tsquery('english', %(q)s) "
    "ORDER BY ts_rank(search_vector, websearch_to_tsquery('english', %(q)s)) DESC "
    "LIMIT 20"
)
WORDS_SQL = """
WITH words AS (
    SELECT DISTINCT w FROM (
        SELECT regexp_split_to_table(lower(title || ' ' || left(body, 300)), '[^a-z]+') w
        FROM (SELECT title, body FROM search_librarydocument ORDER BY id LIMIT 3000) d
    ) s WHERE length(w) >= 4
)
SELECT DISTINCT ON (t.lexeme) w, t.df  -- one word per lexeme: no "compare", "compared"
FROM words JOIN search_termstat t ON t.doc_type = 'library'
 AND t.lexeme = array_to_string(tsvector_to_array(to_tsvector('english', w)), ' ')
ORDER BY t.lexeme, length(w), w
"""


def library_size(cursor) -> int:
    cursor.execute("SELECT count(*) FROM search_librarydocument")
    return cursor.fetchone()[0]


def matches(cursor, q: str) -> int:
    cursor.execute(
        "SELECT count(*) FROM search_librarydocument "
        "WHERE search_vector @@ websearch_to_tsquery('english', %s)",
        [q],
    )
    return cursor.fetchone()[0]


def pick_queries(cursor, size: int) -> list[dict]:
    """Selective and broad queries for a library of ``size`` documents, from its words."""
    cursor.execute(WORDS_SQL)
    words = cursor.fetchall()

    def near(target: float, count: int, exclude=()) -> list[str]:
        ranked = sorted(
            (w for w in words if w[0] not in exclude),
            key=lambda w: (abs(math.log(w[1]) - math.log(max(target, 1))), w[0]),
        )
        return [w for w, _df in ranked[:count]]

    queries = [{"kind": "selective", "q": w} for w in near(min(500, size * 5e-4), 3)]
    used = {q["q"] for q in queries}
    middling = near(size * 0.02, 24, used)
    pairs = 0
    for first, second in zip(middling[::2], middling[1::2], strict=False):
        q = f"{first} {second}"
        if matches(cursor, q) <= 1000 and pairs < 3:
            queries.append({"kind": "selective", "q": q})
            pairs += 1
    queries += [{"kind": "broad", "q": w} for w in near(size * 0.05, 3, used)]
    common = near(size * 0.25, 9, used)
    for i in range(0, len(common) - 2, 3):
        queries.append({"kind": "broad", "q": " ".join(common[i : i + 3])})
    cursor.execute(
        "SELECT title, body FROM search_librarydocument ORDER BY id LIMIT 3 OFFSET %s",
        [size // 2],
    )
    for title, body in cursor.fetchall():
        queries.append({"kind": "natural", "q": title[:120]})
        sentence = body.split(". ")[min(1, body.count(". "))]
        queries.append({"kind": "natural", "q": " ".join(sentence.split()[:8])})
    phrase = body.split()[2:4]
    queries.append(
        {"kind": "operators", "q": f'"{" ".join(phrase)}" or {common[0]} -{common[1]}'}
    )
    for query in queries:
        query["matches"] = matches(cursor, query["q"])
    return queries


def time_queries(queries, repetitions, warmup, log) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from search import engine
    from search.sources import Filters

    client = Client()
    library = Filters(types=("library",))
    for query in queries:
        q = query["q"]
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/search/", {"q": q})
        query["api_status"] = response.status_code
        query["api_queries"] = len(captured)
        if response.status_code == 200:
            query["api_total"] = response.json().get("total")
            query["api"] = timed(
                lambda q=q: client.get("/api/v1/search/", {"q": q}), repetitions, warmup
            )
        found = engine.search(user=AnonymousUser(), q=q, filters=library)
        query["engine_library_total"] = found.total
        query["engine_relaxed"] = found.relaxed
        query["engine_library"] = timed(
            lambda q=q: engine.search(user=AnonymousUser(), q=q, filters=library),
            repetitions,
            warmup,
        )
        with connection.cursor() as cursor:
            query["raw_ts_rank"] = timed(
                lambda q=q, cursor=cursor: (
                    cursor.execute(RAW_SQL, {"q": q}),
                    cursor.fetchall(),
                ),
                repetitions,
                warmup,
            )
        log(
            f"{query['kind']:<10} {q[:50]!r:<54} matches {query['matches']:>7} "
            f"api p95 {query.get('api', {}).get('p95_ms', '-')} "
            f"raw p95 {query['raw_ts_rank']['p95_ms']}"
        )


def page(client, url: str, repetitions: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    result = {"url": url, "status": response.status_code, "queries": len(captured)}
    if response.status_code == 200:
        result.update(timed(lambda: client.get(url), repetitions, warmup))
    return result


def case_pages(cursor, repetitions, warmup) -> dict:
    """The case page of the case the target names (the most claims, the number of
    submissions nearest a thousand: the generator's showcase), of the busiest case
    (the most submissions), and of the smallest; on the busiest, also one of its
    submission pages and the first page of its comments in the API."""
    from django.test import Client
    from django.urls import reverse

    from submissions.models import PriorArt

    cursor.execute(
        """
        SELECT c.id, (SELECT count(*) FROM cases_claim WHERE case_id = c.id) claims,
               (SELECT count(*) FROM submissions_priorart WHERE case_id = c.id) subs,
               (SELECT count(*) FROM submissions_comment WHERE case_id = c.id) comments
        FROM cases_case c WHERE c.live
        """
    )
    rows = cursor.fetchall()
    if not rows:
        return {}
    chosen = {
        "target": min(rows, key=lambda r: (-r[1], abs(r[2] - 1000), r[0])),
        "busiest": min(rows, key=lambda r: (-r[2], r[0])),
        "smallest": min(rows, key=lambda r: (r[1], r[2], r[0])),
    }
    client = Client()
    result = {}
    for label, (pk, claims, subs, comments) in chosen.items():
        result[label] = {
            "claims": claims,
            "submissions": subs,
            "comments": comments,
            **page(client, reverse("cases:detail", args=[pk]), repetitions, warmup),
        }
    busiest = chosen["busiest"][0]
    evidence = PriorArt.objects.public().filter(case_id=busiest).order_by("pk").first()
    if evidence is not None:
        result["busiest_submission"] = page(
            client, evidence.get_absolute_url(), repetitions, warmup
        )
    result["busiest_comments_api"] = page(
        client, f"/api/v1/cases/{busiest}/comments/", repetitions, warmup
    )
    return result


def search_pages(queries, repetitions, warmup) -> list[dict]:
    from urllib.parse import urlencode

    from django.test import Client

    client = Client()
    picked = [
        next(q for q in queries if q["kind"] == kind) for kind in ("selective", "broad")
    ]
    return [
        {
            "kind": q["kind"],
            "q": q["q"],
            **page(client, "/search/?" + urlencode({"q": q["q"]}), repetitions, warmup),
        }
        for q in picked
    ]


def after_commit(repetitions: int) -> dict:
    """Save (create, then edit) a library document in autocommit, then search for it."""
    from django.contrib.auth.models import AnonymousUser

    from search import engine
    from search.models import LibraryDocument
    from search.sources import Filters

    library = Filters(types=("library",))

    def until_found(word: str, pk: int) -> tuple[float, int]:
        started, polls = time.perf_counter(), 0
        while True:
            polls += 1
            hits = engine.search(user=AnonymousUser(), q=word, filters=library).hits
            if any(hit.id == pk for hit in hits):
                return (time.perf_counter() - started) * 1000, polls
            if time.perf_counter() - started > 30:
                return math.inf, polls

    creates, edits, found_ms, first_poll = [], [], [], 0
    for _ in range(repetitions):
        word = f"freshbench{secrets.token_hex(5)}"
        body = f"A newly written disclosure about {word} and its configuration."
        started = time.perf_counter()
        doc = LibraryDocument.objects.create(
            title=f"Fresh document {word}",
            body=body,
            source="bench",
            content_hash=hashlib.sha256(body.encode()).hexdigest(),
        )
        creates.append((time.perf_counter() - started) * 1000)
        elapsed, polls = until_found(word, doc.pk)
        found_ms.append(elapsed)
        first_poll += polls == 1
        edited = f"freshedit{secrets.token_hex(5)}"
        doc.body = f"{body} Revised to mention {edited}."
        started = time.perf_counter()
        doc.save(update_fields=["body", "updated_at"])
        edits.append((time.perf_counter() - started) * 1000)
        elapsed, polls = until_found(edited, doc.pk)
        found_ms.append(elapsed)
        first_poll += polls == 1
        doc.delete()
    return {
        "create": summary(creates),
        "edit": summary(edits),
        "found_after_commit": summary(found_ms),
        "found_on_first_search": f"{first_poll}/{2 * repetitions}",
    }


def run(
    repetitions: int = 50, warmup: int = 3, out: Path | None = None, log=print
) -> dict:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        size = library_size(cursor)
        queries = pick_queries(cursor, size)
        cursor.execute("SELECT pg_database_size(current_database())")
        database_bytes = cursor.fetchone()[0]
    result = {
        "library_documents": size,
        "database_bytes": database_bytes,
        "machine": machine(),
        "repetitions": repetitions,
        "warmup": warmup,
        "api_via": "django.test.Client in process (GET /api/v1/search/, anonymous, all kinds)",
    }
    time_queries(queries, repetitions, warmup, log)
    result["queries"] = queries
    with connection.cursor() as cursor:
        result["case_page"] = case_pages(cursor, repetitions, warmup)
    result["search_page"] = search_pages(queries, repetitions, warmup)
    result["after_commit"] = after_commit(max(5, repetitions // 5))
    result["elapsed_s"] = round(time.perf_counter() - started, 1)
    out = out or RESULTS / f"speed-{size_label(size)}.json"
    write(out, result)
    log(report(result))
    log(f"written to {out}")
    return result


def report(result: dict) -> str:
    def ms(figures, key):
        return figures.get(key, "-") if figures else "-"

    rows = [
        [
            q["kind"],
            q["q"][:44],
            q["matches"],
            ms(q.get("api"), "p50_ms"),
            ms(q.get("api"), "p95_ms"),
            ms(q.get("api"), "p99_ms"),
            ms(q["engine_library"], "p95_ms"),
            ms(q["raw_ts_rank"], "p50_ms"),
            ms(q["raw_ts_rank"], "p95_ms"),
        ]
        for q in result["queries"]
    ]
    lines = [
        f"library documents: {result['library_documents']:,}",
        table(
            [
                "kind",
                "query",
                "matches",
                "api p50",
                "api p95",
                "api p99",
                "engine(lib) p95",
                "raw p50",
                "raw p95",
            ],
            rows,
        ),
        "",
    ]
    pages = [
        [
            f"case page ({label}: {p['claims']} claims, {p['submissions']} "
            f"submissions, {p['comments']} comments)"
            if "claims" in p
            else label.replace("_", " ").replace("busiest ", "busiest case: "),
            p["status"],
            p["queries"],
            p.get("p50_ms", "-"),
            p.get("p95_ms", "-"),
        ]
        for label, p in result["case_page"].items()
    ] + [
        [
            f"search page ({p['kind']}: {p['q'][:30]})",
            p["status"],
            p["queries"],
            p.get("p50_ms", "-"),
            p.get("p95_ms", "-"),
        ]
        for p in result["search_page"]
    ]
    lines += [table(["page", "status", "queries", "p50 ms", "p95 ms"], pages), ""]
    after = result["after_commit"]
    lines.append(
        f"save (create) p50 {after['create']['p50_ms']} ms, edit p50 "
        f"{after['edit']['p50_ms']} ms; found after commit p50 "
        f"{after['found_after_commit']['p50_ms']} ms, on the first search "
        f"{after['found_on_first_search']}"
    )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repetitions", type=int, default=50, help="timed runs per query"
    )
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first")
    parser.add_argument("--out", type=Path, help="result file (default bench/results/)")
    args = parser.parse_args(argv)
    if args.repetitions < 1 or args.warmup < 0:
        parser.error("--repetitions must be at least 1 and --warmup at least 0")
    setup()
    run(args.repetitions, args.warmup, args.out, log=lambda m: print(m, flush=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
