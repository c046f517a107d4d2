"""Placeholder: being written (issue #5)."""

from django.http import Http404


def search_page(request):
    raise Http404
