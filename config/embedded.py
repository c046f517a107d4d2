"""Services that need no server, for a fresh machine.

With no ``DATABASE_URL`` the project runs on an embedded PostgreSQL 16 (the ``pgserver``
package) whose data lives under ``var/pgdata``; with no ``CELERY_BROKER_URL`` Celery uses
kombu's filesystem transport under ``var/celery-broker``. ``scripts/dev.py`` starts the
database once for a whole ``make run`` or ``make test`` and hands its URL to every child
process through the environment, so only that script owns the server's lifetime.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OPENDOCKET_VAR_DIR", BASE_DIR / "var"))
PGDATA = VAR_DIR / "pgdata"
BROKER_DIR = VAR_DIR / "celery-broker"
DATABASE_NAME = "opendocket"


def start_database(*, stop_on_exit: bool):
    """Start (or attach to) the embedded server and make sure our database exists.

    Returns the ``pgserver`` handle; with ``stop_on_exit`` the server stops when the last
    process holding a handle exits.
    """
    import warnings

    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); pgserver only
    # keeps a lock file there, so the fallback it picks is fine.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    import pgserver

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(PGDATA, cleanup_mode="stop" if stop_on_exit else None)
    # DATABASE_NAME is a constant of this module, never user input.
    exists = server.psql(
        f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';"  # noqa: S608
    )
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{DATABASE_NAME}";')
    return server


def database_url(server) -> str:
    """A ``DATABASE_URL`` for the embedded server, connecting over its Unix socket."""
    socket_dir = server.get_postmaster_info().socket_dir
    return f"postgresql://postgres@{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"


def broker_url() -> str:
    return "filesystem://"


def broker_transport_options(folder: Path = BROKER_DIR) -> dict:
    """Kombu filesystem transport: producers and consumers share one queue folder."""
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }
