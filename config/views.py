"""Project-wide views."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt  # it changes nothing: a POST gets the same 404, not a CSRF page
def api_not_found(request, *args, **kwargs) -> JsonResponse:
    """Any address under ``/api/`` that names no endpoint: the API's own 404 (a JSON
    ``detail``, as every API error has), not the site's HTML page."""
    return JsonResponse(
        {"detail": _("No such API endpoint. The endpoints are listed at /api/docs/.")},
        status=404,
    )
