"""Django for the benchmark scripts: the project on ``sys.path`` and set up, on the
database of ``DATABASE_URL`` (required: a benchmark never starts the embedded server)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def setup() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the benchmark database (see bench/README.md).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from config.process import settle

    settle()  # as the WSGI entry point does, so requests are timed as a worker serves them
