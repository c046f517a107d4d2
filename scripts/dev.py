"""Run OpenDocket or its tests with whatever services the machine has.

    python scripts/dev.py run        # migrate, seed demo data, serve site + worker + beat
    python scripts/dev.py test [...] # the test suite (pytest arguments pass through)

With ``DATABASE_URL`` unset, an embedded PostgreSQL (pgserver) is started for the duration
of the command and stopped at the end; with ``CELERY_BROKER_URL`` unset, Celery uses a
broker on the filesystem under ``var/``. Ctrl-C stops every process this script started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import embedded  # noqa: E402

PY = sys.executable


def ensure_database(env: dict) -> object | None:
    """Start the embedded database unless DATABASE_URL names one. Returns its handle."""
    if env.get("DATABASE_URL"):
        return None
    started = time.monotonic()
    server = embedded.start_database(stop_on_exit=True)
    env["DATABASE_URL"] = embedded.database_url(server)
    elapsed = time.monotonic() - started
    print(
        f"Embedded PostgreSQL ready in {elapsed:.1f}s (data in {embedded.PGDATA}).",
        flush=True,
    )
    return server


def manage(env: dict, *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def run() -> int:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    env.setdefault("PYTHONUNBUFFERED", "1")
    port = env.get("PORT", "8000")
    # Links in e-mails point at this server unless told otherwise.
    env.setdefault("OPENDOCKET_BASE_URL", f"http://127.0.0.1:{port}")
    server = ensure_database(env)  # noqa: F841 - kept alive until this process exits
    if not env.get("CELERY_BROKER_URL"):
        print(
            "Celery broker: filesystem (var/celery-broker), no server needed.",
            flush=True,
        )
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo")
    # The nightly open data export, once now, so /open-data/ has files to offer.
    manage(env, "export_open_data", "-v", "0")
    beat_schedule = embedded.VAR_DIR / "celerybeat-schedule"
    beat_schedule.parent.mkdir(parents=True, exist_ok=True)
    commands = {
        "web": [PY, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        "worker": [
            PY,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel=INFO",
            "--concurrency=2",
            "--hostname=opendocket@%h",
        ],
        "beat": [
            PY,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "--loglevel=INFO",
            f"--schedule={beat_schedule}",
        ],
    }
    procs = {
        name: subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
        for name, cmd in commands.items()
    }
    print(
        f"\nOpenDocket is running at http://127.0.0.1:{port}/  (admin: /admin/, API: /api/docs/)\n"
        "Web, Celery worker and beat are up. Press Ctrl-C to stop everything.\n",
        flush=True,
    )

    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    while not stopping:
        for name, proc in procs.items():
            if proc.poll() is not None:
                print(
                    f"{name} exited with code {proc.returncode}; stopping.", flush=True
                )
                exit_code = proc.returncode or 1
                stopping = True
                break
        time.sleep(0.5)
    for proc in procs.values():
        if proc.poll() is None:
            proc.terminate()  # the main process only: Celery then stops its pool itself
    deadline = time.monotonic() + 15
    for proc in procs.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    print(
        "Stopped web, worker and beat."
        + (" Stopping the embedded database." if server else ""),
        flush=True,
    )
    return exit_code


NO_TESTS_COLLECTED = 5


def test(args: list[str]) -> int:
    """The suite in two passes. Transactional tests (a real worker, a live server) empty
    the test database when they finish, so they run after every other test has finished,
    each restoring the migration data it needs when it starts (serialized rollback)."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    server = ensure_database(env)  # noqa: F841
    codes = []
    for marker in ("not serial", "serial"):
        print(f"\n== pytest -m '{marker}'", flush=True)
        command = [PY, "-m", "pytest", "-m", marker, *args]
        codes.append(subprocess.run(command, cwd=ROOT, env=env).returncode)
    if all(code == NO_TESTS_COLLECTED for code in codes):
        return NO_TESTS_COLLECTED
    failed = [code for code in codes if code not in (0, NO_TESTS_COLLECTED)]
    return failed[0] if failed else 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test"}:
        print(__doc__)
        return 2
    if argv[0] == "run":
        return run()
    return test(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
