"""The "Cite a document from the library" picker of the prior-art forms.

It works without JavaScript: a "Find in the library" button (``name="find_library"``) on
the same form sends everything typed so far; the page comes back with it all kept, plus
up to ten library documents found by ``search.engine.search`` as radio buttons, and
"none". Choosing one and submitting cites it (``PriorArt.library_document``); the
services fill in the citation fields left blank from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from search.engine import MAX_QUERY_LENGTH
from search.models import LibraryDocument

LIBRARY_HITS = 10  # documents offered per search
NONE_CHOICE = ("", _("None: do not cite a library document"))


@dataclass
class LibraryOption:
    """One library document offered to cite: from a search hit (with its snippet) or
    the document already chosen."""

    id: int
    title: str
    identifier: str
    year: int | None
    url: str
    snippet: str = ""  # safe HTML from the search engine

    @classmethod
    def from_hit(cls, hit) -> LibraryOption:
        when = hit.meta.get("date")
        return cls(
            id=hit.id,
            title=hit.title,
            identifier=hit.meta.get("identifier") or "",
            year=when.year if isinstance(when, date) else None,
            url=hit.url,
            snippet=hit.snippet,
        )

    @classmethod
    def from_document(cls, document: LibraryDocument) -> LibraryOption:
        return cls(
            id=document.pk,
            title=document.title,
            identifier=document.identifier,
            year=document.published_on.year if document.published_on else None,
            url=document.get_absolute_url(),
        )


class LibraryDocumentField(forms.ModelChoiceField):
    """A library document by id, offered as radio buttons. Only the documents a search
    found (and the one already chosen) are ever listed: ``PriorArtForm.offer_library``
    sets them, never the whole library."""

    default_error_messages = {
        "invalid_choice": _(
            "That document is not in the library. Find it again and choose it, or "
            "choose “none”."
        )
    }

    def __init__(self, **kwargs):
        super().__init__(
            queryset=LibraryDocument.objects.defer("body", "search_vector"),
            widget=forms.RadioSelect,
            empty_label=None,
            **kwargs,
        )
        self.choices = [NONE_CHOICE]


def int_or_none(value) -> int | None:
    if isinstance(value, LibraryDocument):
        return value.pk
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


class LibraryFindForm(forms.Form):
    """The words of the "Find in the library" button of the prior-art form."""

    library_query = forms.CharField(
        label=_("Find it in the library"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        help_text=_("Words from its title or text, or its identifier."),
    )

    def clean_library_query(self):
        text = (self.cleaned_data.get("library_query") or "").strip()
        if not text:
            raise ValidationError(
                _(
                    "Type words from the document's title or text, or its identifier, "
                    "then choose “Find in the library”."
                )
            )
        return text


class LibraryPickerMixin:
    """For a form with a ``library_document`` field (a ``LibraryDocumentField``)."""

    def offer_library(self, hits, chosen: LibraryDocument | None = None) -> None:
        """Offer ``hits`` (library search hits) to cite, after the document already
        chosen (``chosen``, or the one the input names, read in one query) and before
        "none"."""
        options = [LibraryOption.from_hit(hit) for hit in hits]
        pk = int_or_none(self["library_document"].value())
        if chosen is None and pk and pk not in {option.id for option in options}:
            chosen = (
                LibraryDocument.objects.filter(pk=pk)
                .only("pk", "title", "identifier", "published_on")
                .first()
            )
        if chosen is not None and chosen.pk == pk:
            options = [option for option in options if option.id != chosen.pk]
            options.insert(0, LibraryOption.from_document(chosen))
        self._library_options = options
        self.fields["library_document"].choices = [
            *((str(option.id), option.title) for option in options),
            NONE_CHOICE,
        ]

    @property
    def library_options(self) -> list[LibraryOption]:
        """The documents offered. Without a search, the one already chosen: a form shown
        again never loses its citation."""
        if not hasattr(self, "_library_options"):
            self.offer_library([])
        return self._library_options

    @property
    def library_rows(self):
        """Each offered document with its radio button, then "none", for the template."""
        options = self.library_options
        radios = {radio.data["value"]: radio for radio in self["library_document"]}
        rows = [
            {"option": option, "radio": radios[str(option.id)]} for option in options
        ]
        return rows + [{"option": None, "radio": radios[""]}]
