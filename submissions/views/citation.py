"""The library picker of the submit and edit pages, without JavaScript.

"Find in the library" is a second submit button (``name="find_library"``) of the prior-art
form: the page comes back with everything typed kept (the form shown again unbound, so
nothing unfinished is an error yet) and up to ten library documents as radio buttons.

Pressing Enter in a text field submits a form through its first submit button, which
would be "Find" for every field. So the form starts with a hidden default button
(``name="default_action"``): Enter searches when the library box holds words not yet
searched, and otherwise submits, as Enter does on any form.
"""

from __future__ import annotations

from django.shortcuts import render

from search.engine import search
from search.models import LibraryDocument
from search.sources import Filters

from ..library_picker import LIBRARY_HITS, LibraryFindForm, int_or_none


def wants_library_search(request) -> bool:
    """Whether a POST of the prior-art form asks for "Find in the library"."""
    if "find_library" in request.POST:
        return True
    query = request.POST.get("library_query", "").strip()
    return (
        "default_action" in request.POST
        and bool(query)
        and query != request.POST.get("library_searched", "").strip()
    )


def preselected_document(request) -> LibraryDocument | None:
    """The document ``?library=<id>`` names (the library page's "Cite this" link), or
    None for a missing or unknown id."""
    pk = int_or_none(request.GET.get("library"))
    if pk is None:
        return None
    return (
        LibraryDocument.objects.filter(pk=pk)
        .only("pk", "title", "identifier", "published_on")
        .first()
    )


def cited_document(prior_art) -> LibraryDocument | None:
    """The library document ``prior_art`` cites, its citation only (a document's text
    can be long): one query, none when it cites nothing."""
    if not prior_art.library_document_id:
        return None
    return (
        LibraryDocument.objects.filter(pk=prior_art.library_document_id)
        .only("pk", "title", "identifier")
        .first()
    )


def find_in_library(request, form, template: str, context: dict):
    """Render ``form`` (unbound, with what was typed as its initial data) with the
    library documents that match the words of the picker, best first."""
    find_form = LibraryFindForm(request.POST)
    hits = []
    if find_form.is_valid():
        query = find_form.cleaned_data["library_query"]
        hits = search(
            user=request.user,
            q=query,
            filters=Filters(types=("library",)),
            per_page=LIBRARY_HITS,
        ).hits
    form.offer_library(hits)
    return render(
        request,
        template,
        {
            **context,
            "form": form,
            "find_form": find_form,
            "library_searched": find_form.cleaned_data["library_query"]
            if find_form.is_valid()
            else None,
            "library_hit_count": len(hits) if find_form.is_valid() else None,
            "files_dropped": bool(request.FILES),
        },
    )


def picker_context(request) -> dict:
    """The picker as typed, for a page shown again after a submit (no error on it), or
    empty on a first visit."""
    if request.method != "POST":
        return {"find_form": LibraryFindForm()}
    return {
        "find_form": LibraryFindForm(
            initial={"library_query": request.POST.get("library_query", "")}
        ),
        "library_searched": request.POST.get("library_searched", ""),
    }
