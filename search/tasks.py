"""Celery entry points for search: thin, named, idempotent."""

from celery import shared_task


@shared_task(name="search.refresh_stats")
def refresh_stats() -> dict[str, int]:
    """Beat (hourly): recompute the term statistics BM25 ranks with."""
    from . import stats

    return stats.refresh()


@shared_task(
    name="search.import_library",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def import_library(import_id: int) -> int:
    """Run one uploaded library file (a LibraryImport); returns its id. Running it again
    after it finished changes nothing."""
    from . import importer

    importer.run_import_job(import_id)
    return import_id


@shared_task(name="search.requeue_imports")
def requeue_imports() -> list[int]:
    """Beat (every five minutes): enqueue again the uploads whose task was lost."""
    from .importer.jobs import library_imports_requeue_stale

    return library_imports_requeue_stale()


@shared_task(name="search.export_open_data")
def export_open_data() -> list[str]:
    """Beat (nightly): rewrite the open data files; returns their names."""
    from . import opendata

    return [path.name for path in opendata.export()]
