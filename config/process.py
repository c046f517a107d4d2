"""What a long-lived web process does once the project is loaded."""

from __future__ import annotations

import gc

from django.urls import get_resolver


def settle() -> None:
    """Import every view (through the URLconf), then move everything loaded out of the
    cyclic garbage collector's way (``gc.freeze``). Those objects live as long as the
    process; left in, each full collection walks all of them: about 70 ms, once in a
    few dozen requests, instead of about 1 ms (docs/performance.md). Frozen objects are
    never freed, so this runs once, at start, after a collection."""
    get_resolver().url_patterns  # noqa: B018 - imports the views
    gc.collect()
    gc.freeze()
