"""Placeholder while the pages are being built (replaced in the same change)."""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404("not built yet")


site = _todo
site_csv = _todo
case = _todo
case_csv = _todo
