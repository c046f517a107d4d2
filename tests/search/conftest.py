"""Fixtures for search tests, general enough for any of them: library documents, an
anonymous searcher, and the term statistics refreshed on demand."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from search import stats

from .factories import make_library_document


@pytest.fixture
def library_document(db):
    """Build library documents: ``library_document(title=..., body=...)``."""
    return make_library_document


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def refresh_stats(db):
    """Recompute the term statistics (as the hourly task does) after building data:
    ``refresh_stats()``. Without it the engine counts frequencies live."""
    return stats.refresh
