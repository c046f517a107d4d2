"""Placeholder while the pages are being built (replaced in the same change)."""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404("not built yet")


inbox = _todo
dossier = _todo
decide = _todo
claim_chart = _todo
claim_chart_csv = _todo
claim_chart_pdf = _todo
