"""Placeholder: being written (issue #5)."""

from django.http import Http404


def library_detail(request, pk):
    raise Http404
