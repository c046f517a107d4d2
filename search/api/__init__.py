"""The search part of the JSON API (v1): one search over everything a user may see
(``search``), and the prior-art library, read by anyone and loaded by agency editors
(``library``)."""

from .library import LibraryDetailView, LibraryListView
from .search import SearchView

__all__ = ["LibraryDetailView", "LibraryListView", "SearchView"]
