"""The Open data page and its downloads. Public: the files hold only what the public
pages show (``search.opendata``). No database query: everything comes from the manifest
the last export wrote."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import opendata


@require_safe
def open_data_page(request):
    manifest = opendata.read_manifest()
    files = []
    if manifest is not None:
        for entry in manifest["files"]:
            description = opendata.FILES.get(entry["name"], (None,))[0]
            files.append(
                {**entry, "description": description or entry.get("description")}
            )
    return render(
        request,
        "search/open_data.html",
        {
            "manifest": manifest,
            "files": files,
            "licence": opendata.LICENCE,
            "manifest_name": opendata.MANIFEST,
        },
    )


@require_safe
def open_data_file(request, name: str):
    """One file the manifest lists (or the manifest itself); 404 for any other name."""
    path = opendata.file_path(name)
    if path is None:
        raise Http404
    try:
        handle = path.open("rb")
    except OSError:  # replaced or removed since it was looked up
        raise Http404
    return FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=opendata.content_type(name),
    )
