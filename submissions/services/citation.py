"""Citing a library document from a submission: which document the input names, and
the citation fields it fills in when they are left blank. The pages and the API reach
these through ``prior_art_submit`` and ``prior_art_update``, so both behave the same."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from search.models import LibraryDocument

from ..models import DatePrecision, PriorArt

# Citation fields a cited library document fills in when they are left blank.
LIBRARY_PREFILL = ("title", "identifier", "url", "published_on", "excerpt")


def library_document_for(value) -> LibraryDocument | None:
    """The library document a submission's data names: an instance, an id, or nothing.
    An id of no document is a ``ValidationError`` on ``library_document``."""
    if value in (None, ""):
        return None
    if isinstance(value, LibraryDocument):
        return value
    try:
        return LibraryDocument.objects.defer("search_vector").get(pk=int(value))
    except (LibraryDocument.DoesNotExist, TypeError, ValueError, OverflowError):
        raise ValidationError(
            {"library_document": _("There is no such document in the library.")}
        ) from None


def _shortened(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a word, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[-200:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "\u2026"


def prefilled_from_library(values: dict, document: LibraryDocument | None) -> dict:
    """``values`` (citation fields) with those left blank filled in from ``document``:
    its title, identifier, link, publication date (with its precision) and text as the
    excerpt, each cut to what a submission holds. What the person typed always wins;
    nothing changes without a document."""
    if document is None:
        return values
    filled = dict(values)
    field = PriorArt._meta.get_field
    if not filled.get("title"):
        filled["title"] = _shortened(document.title, field("title").max_length)
    # An identifier too long to keep whole would no longer identify the document.
    if not filled.get("identifier") and (
        len(document.identifier) <= field("identifier").max_length
    ):
        filled["identifier"] = document.identifier
    if not filled.get("url"):
        filled["url"] = document.url
    if not filled.get("published_on") and document.published_on:
        filled["published_on"] = document.published_on
        filled["published_on_precision"] = (
            DatePrecision.YEAR
            if document.published_on_precision == "year"
            else DatePrecision.DAY
        )
    if not filled.get("excerpt"):
        filled["excerpt"] = _shortened(document.body, field("excerpt").max_length)
    return filled


def cite(prior_art: PriorArt, document: LibraryDocument | None) -> None:
    """Make ``prior_art`` (unsaved changes, the caller saves) cite ``document`` (or
    none). A newly cited document fills in the citation fields that are blank now."""
    if document is not None and document.pk != prior_art.library_document_id:
        current = {field: getattr(prior_art, field) for field in LIBRARY_PREFILL}
        # Sets the date's precision too when it fills in the date.
        for field, value in prefilled_from_library(current, document).items():
            setattr(prior_art, field, value)
    prior_art.library_document = document
