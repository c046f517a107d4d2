"""Placeholder: being written (issue #5)."""

from django.http import Http404


def open_data_page(request):
    raise Http404


def open_data_file(request, name):
    raise Http404
