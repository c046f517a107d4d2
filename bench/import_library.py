"""Time ``manage.py import_library`` on generated technical disclosures.

    DATABASE_URL=postgresql://... .venv/bin/python bench/import_library.py --documents 64000

Writes a JSON Lines file of N documents (bodies of 1-2 KB of technical prose; half with
an identifier, half without, every 50th line bad), then times, through the command's
own code path: the first load (all created), loading the same file again (all
unchanged), and a file in which a tenth of the documents changed (updated). Prints a
table and writes bench/results/import_library.json, with the CPU time the client and the
database spent besides the wall time (the database must run on this machine), since on
a busy machine the wall time depends on everything else running. The documents it loads carry the
source "bench-import" and are deleted at the end (``--keep`` leaves them).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import sys
import tempfile
import threading
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "bench-import"

SUBJECTS = [
    "the thermoelectric module",
    "the heat exchanger",
    "the DC-DC converter",
    "the battery management system",
    "the base station",
    "the user equipment",
    "the beam codebook",
    "the reference signal",
    "the inverter",
    "the grid operator",
    "the hub motor",
    "the freewheel clutch",
    "the coating",
    "the microcapsule",
    "the pressure sensor",
    "the optical fibre",
    "the autoencoder",
    "the edge device",
    "the chunking stage",
    "the deduplication index",
    "the storage controller",
    "the data centre",
    "the cooling loop",
    "the charge controller",
    "the cell stack",
]
VERBS = [
    "regulates",
    "measures",
    "predicts",
    "converts",
    "limits",
    "stores",
    "reports",
    "transmits",
    "compensates",
    "recovers",
    "schedules",
    "estimates",
    "balances",
    "isolates",
    "encodes",
    "selects",
    "filters",
    "monitors",
    "switches",
    "heats",
]
OBJECTS = [
    "exhaust gas heat",
    "the received power of unmeasured beams",
    "the state of charge",
    "the coolant temperature",
    "regenerative braking torque",
    "waste heat",
    "the reactive power at the point of connection",
    "the disulfide exchange",
    "blood pressure near the distal tip",
    "the drift of the sensing membrane",
    "near-duplicate chunks",
    "a rolling hash",
    "gradient updates with added noise",
    "the annual energy consumption",
    "the collection rate of portable batteries",
    "the bismuth telluride legs",
    "the channel state information",
    "the duty cycle",
    "the open-circuit voltage",
    "the ripple current",
    "the beam failure instance",
]
TAILS = [
    "in response to a measured temperature difference",
    "within a predetermined window",
    "according to a lookup table stored in memory",
    "when the vehicle decelerates",
    "using a trained machine learning model",
    "at a rate of at least 10 Hz",
    "so that the cold side stays below 90 degrees Celsius",
    "before the friction pads engage",
    "without transmitting the raw data",
    "as described in the first embodiment",
    "for each of the candidate beams",
    "while the engine idles",
    "over a rolling average of fifteen minutes",
]


def sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} "
        f"{rng.choice(OBJECTS)} {rng.choice(TAILS)} (variant {rng.randint(1, 9999)})."
    )


def document(rng: random.Random, number: int, *, revision: int = 0) -> dict:
    body = []
    while sum(len(s) + 1 for s in body) < rng.randint(1000, 2000):
        body.append(sentence(rng))
    if revision:
        body.append(f"Revised text, revision {revision}.")
    doc = {
        "title": f"Technical disclosure {number}: {sentence(rng)[:-1]}",
        "body": " ".join(body),
        "published_on": f"{rng.randint(1995, 2024)}-{rng.randint(1, 12):02d}-"
        f"{rng.randint(1, 28):02d}",
        "source": SOURCE,
        "url": f"https://disclosures.example.org/td/{number}",
    }
    if number % 2:
        doc["identifier"] = f"BENCH-TD-{number:08d}"
    return doc


def write_file(path: Path, documents: int, *, seed: int, revised: float) -> int:
    """Write the input; returns its number of lines. Every 50th line is bad."""
    rng = random.Random(seed)
    revision_rng = random.Random(seed + 1)
    with path.open("w", encoding="utf-8") as out:
        for number in range(1, documents + 1):
            doc = document(rng, number)
            if revised and revision_rng.random() < revised:
                doc["body"] += " Revised."
            if number % 50 == 0:
                out.write('{"title": "a line cut short", "body": \n')
            else:
                out.write(json.dumps(doc) + "\n")
    return documents


class ServerCpu:
    """CPU seconds used by the database's backends serving this database while the
    block runs, polled from /proc (the server must run on this machine): on a busy
    machine wall time says little, CPU time says what the import costs."""

    def __init__(self, interval: float = 0.2):
        self.interval, self.seen, self.stop = interval, {}, threading.Event()

    def _poll(self, dsn: dict) -> None:
        import psycopg

        ticks = os.sysconf("SC_CLK_TCK")
        with psycopg.connect(**dsn, autocommit=True) as conn:
            while not self.stop.is_set():
                pids = conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                    " AND pid <> pg_backend_pid()"
                ).fetchall()
                for (pid,) in pids:
                    try:
                        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)
                        values = fields[1].split()
                        cpu = (int(values[11]) + int(values[12])) / ticks
                    except (OSError, IndexError, ValueError):
                        continue
                    self.seen[pid] = max(self.seen.get(pid, 0.0), cpu)
                self.stop.wait(self.interval)

    def __enter__(self):
        from django.db import connection

        settings = connection.settings_dict
        dsn = {
            "host": settings["HOST"] or None,
            "port": settings["PORT"] or None,
            "user": settings["USER"],
            "password": settings["PASSWORD"] or None,
            "dbname": settings["NAME"],
        }
        self.before = {}
        self.thread = threading.Thread(target=self._poll, args=(dsn,), daemon=True)
        self.thread.start()
        time.sleep(self.interval * 2)
        self.before = dict(self.seen)
        return self

    def __exit__(self, *exc):
        time.sleep(self.interval * 2)
        self.stop.set()
        self.thread.join()
        self.seconds = sum(
            cpu - self.before.get(pid, 0.0) for pid, cpu in self.seen.items()
        )


def run_command(path: Path) -> dict:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    client_before = resource.getrusage(resource.RUSAGE_SELF)
    with ServerCpu() as server:
        started = time.perf_counter()
        with contextlib.suppress(CommandError):  # the bad lines, on purpose
            call_command("import_library", str(path), stdout=out, stderr=StringIO())
        seconds = time.perf_counter() - started
    client_after = resource.getrusage(resource.RUSAGE_SELF)
    client = (client_after.ru_utime - client_before.ru_utime) + (
        client_after.ru_stime - client_before.ru_stime
    )
    return {
        "seconds": round(seconds, 2),
        "client_cpu_seconds": round(client, 2),
        "server_cpu_seconds": round(server.seconds, 2),
        "load_average": round(os.getloadavg()[0], 1),
        "summary": out.getvalue().strip(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=64_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the documents")
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "bench" / "results" / "import_library.json",
    )
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.db import connection

    from search.models import LibraryDocument

    if LibraryDocument.objects.filter(source=SOURCE).exists():
        sys.exit(f"Documents with source {SOURCE!r} exist: delete them first.")
    before = LibraryDocument.objects.count()
    results = {"documents": args.documents, "library_before": before, "runs": []}
    with tempfile.TemporaryDirectory() as folder:
        first, revised = Path(folder, "first.jsonl"), Path(folder, "revised.jsonl")
        write_file(first, args.documents, seed=args.seed, revised=0)
        write_file(revised, args.documents, seed=args.seed, revised=0.1)
        size = first.stat().st_size
        try:
            for label, path in [
                ("first load", first),
                ("same file again", first),
                ("a tenth revised", revised),
            ]:
                run = {"run": label} | run_command(path)
                results["runs"].append(run)
                print(
                    f"{label:<16} {run['seconds']:6.1f} s wall, CPU "
                    f"{run['client_cpu_seconds']:5.1f} s client + "
                    f"{run['server_cpu_seconds']:5.1f} s server, load "
                    f"{run['load_average']:4.1f}: {run['summary'].split(': ', 1)[1]}"
                )
        finally:
            if not args.keep:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "DELETE FROM search_librarydocument WHERE source = %s", [SOURCE]
                    )
    results["file_megabytes"] = round(size / 1e6, 1)
    results["cpus"] = os.cpu_count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        results["postgresql"] = cursor.fetchone()[0]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{args.documents:,} documents, {size / 1e6:,.1f} MB; wrote {args.output}")


if __name__ == "__main__":
    main()
