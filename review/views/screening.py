"""Placeholder while the pages are being built (replaced in the same change)."""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404("not built yet")


queue = _todo
bulk = _todo
item = _todo
decide = _todo
rate = _todo
reports = _todo
resolve_reports = _todo
restore_comment = _todo
ranking = _todo
forward = _todo
