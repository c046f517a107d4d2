"""Fill the database of ``DATABASE_URL`` with realistic data for the benchmarks.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/od_bench \\
        .venv/bin/python bench/generate.py --scale 1

Scale 1 is the full benchmark: 1,000,000 library documents, 100,000 submissions on 2,000
cases (one case with 100 claims and 1,000 submissions, 5% of the others with 100 claims),
20,000 users, 200,000 comments and about 300,000 ratings. Counts can be set one by one
(``--library``, ``--submissions``...). Rows are loaded with COPY; the trigger-kept vectors
are computed in bulk afterwards, GIN indexes are rebuilt once at the end, then ANALYZE and
``search.stats.refresh()``. It appends to whatever the (migrated) database holds.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "bench"

from . import tables
from .djangosetup import setup

FULL = {
    "library": 1_000_000,
    "submissions": 100_000,
    "cases": 2_000,
    "users": 20_000,
    "comments": 200_000,
    "agencies": 20,
    "areas": 40,
}
GIN_TABLES = (
    "search_librarydocument",
    "cases_case",
    "submissions_priorart",
    "submissions_comment",
)


@dataclass
class Counts:
    library: int
    submissions: int
    cases: int
    users: int
    comments: int
    agencies: int
    areas: int

    @classmethod
    def scaled(cls, scale: float, **given) -> Counts:
        values = {key: max(1, round(full * scale)) for key, full in FULL.items()}
        values["agencies"] = max(2, min(FULL["agencies"], values["agencies"] * 50))
        values["areas"] = max(3, min(FULL["areas"], values["areas"] * 50))
        values.update({key: value for key, value in given.items() if value is not None})
        return cls(**values)


class Loader:
    """COPY into tables with explicit ids, continuing after the largest id present."""

    def __init__(self, cursor, log):
        self.cursor = cursor
        self.log = log
        self.timings: dict[str, float] = {}

    def next_id(self, table: str) -> int:
        self.cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608
        return self.cursor.fetchone()[0]

    def copy(self, table: str, columns: list[str], rows) -> int:
        started = time.perf_counter()
        count = 0
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with self.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
                if count % 100_000 == 0:
                    self.log(f"  {table}: {count:,}")
        if "id" in columns:
            self.cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
        elapsed = time.perf_counter() - started
        self.timings[table] = self.timings.get(table, 0) + elapsed
        self.log(f"{table}: {count:,} rows in {elapsed:.1f}s")
        return count

    def timed(self, label: str, sql: str, params=()) -> None:
        started = time.perf_counter()
        self.cursor.execute(sql, params)
        self.timings[label] = time.perf_counter() - started
        self.log(f"{label}: {self.timings[label]:.1f}s")


def generate(
    counts: Counts, *, seed: int = 1, limit_text: int | None = None, log=print
):
    """Load ``counts`` of everything; return a report of what was loaded and how long
    each step took."""
    from django.db import connection

    from search import stats
    from submissions.identifiers import identifier_key
    from submissions.services.intake import TRACKING_ALPHABET

    from .text import TextMaker

    started = time.perf_counter()
    text = TextMaker(seed=seed, limit=limit_text)
    rng = text.random
    log(
        f"text: {len(text.sentences):,} sentences ({time.perf_counter() - started:.1f}s)"
    )
    now = datetime.now(UTC)
    run = f"{int(now.timestamp()):x}"
    report: dict = {"counts": asdict(counts), "seed": seed, "run": run}

    with connection.cursor() as cursor:
        load = Loader(cursor, log)
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = ANY(%s) AND indexdef ILIKE '%%USING gin%%'",
            [list(GIN_TABLES)],
        )
        gin = cursor.fetchall()
        for name, _definition in gin:
            cursor.execute(f'DROP INDEX "{name}"')
        try:
            ids = tables.load_people_and_cases(load, counts, text, rng, now, run)
            tables.load_submissions(
                load, counts, text, rng, now, ids, TRACKING_ALPHABET
            )
            tables.load_comments(load, counts, text, rng, now, ids)
            tables.load_library(load, counts, text, rng, now, identifier_key)
            load.timed(
                "vectors:cases",
                "UPDATE cases_case c SET (search_vector, title_vector, search_length) = "
                "(SELECT v, ts_filter(v, '{a}'), opendocket_case_length(c) "
                "FROM (SELECT opendocket_case_vector(c) AS v) s) WHERE id >= %s",
                [ids["case"]],
            )
            load.timed(
                "vectors:submissions",
                "UPDATE submissions_priorart p "
                "SET (search_vector, title_vector, search_length) = "
                "(SELECT v, ts_filter(v, '{a}'), opendocket_prior_art_length(p) "
                "FROM (SELECT opendocket_prior_art_vector(p) AS v) s) WHERE id >= %s",
                [ids["prior_art"]],
            )
            load.timed(
                "vectors:comments",
                "UPDATE submissions_comment m SET search_vector = setweight(to_tsvector("
                "opendocket_regconfig(c.language), m.body), 'C'), "
                "search_length = length(m.body) FROM cases_case c "
                "WHERE c.id = m.case_id AND m.id >= %s",
                [ids["comment"]],
            )
        finally:
            for name, definition in gin:
                load.timed(f"index:{name}", definition)
            cursor.execute("SET session_replication_role = DEFAULT")
        # VACUUM also marks pages all-visible, for index-only scans; not in a transaction.
        load.timed(
            "analyze", "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        )
    refresh_started = time.perf_counter()
    stats.refresh()
    load.timings["stats.refresh"] = time.perf_counter() - refresh_started
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        report["database_bytes"] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT pg_total_relation_size('search_librarydocument'), "
            "pg_relation_size('library_search_gin')"
        )
        report["library_bytes"], report["library_gin_bytes"] = cursor.fetchone()
    report["showcase_case_id"] = ids["showcase"]
    report["timings_s"] = {key: round(value, 2) for key, value in load.timings.items()}
    report["total_s"] = round(time.perf_counter() - started, 1)
    log(
        f"done in {report['total_s']}s, database {report['database_bytes'] / 2**30:.2f} GiB"
    )
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiple of the full benchmark (1 = 1,000,000 library documents)",
    )
    for key in FULL:
        parser.add_argument(
            f"--{key}", type=int, help=f"number of {key} (overrides --scale)"
        )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--report", type=Path, help="write the generation report (JSON) here"
    )
    args = parser.parse_args(argv)
    if args.scale <= 0 or not math.isfinite(args.scale):
        parser.error("--scale must be a positive number")
    setup()
    counts = Counts.scaled(args.scale, **{key: getattr(args, key) for key in FULL})
    print(f"generating {asdict(counts)}", flush=True)
    report = generate(counts, seed=args.seed, log=lambda m: print(m, flush=True))
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
