"""The review part of the JSON API (v1): the reviewers' screening queue, screening and
forwarding (``screening``), and the examiners' dossiers, decisions and claim charts
(``examination``).

The views share everything with the review pages: the same selectors, the same
permission functions (``review.permissions``) and the same services, which check
permission and state themselves; what they raise becomes 403 with their message or 400
with messages by field (``submissions.api.service_errors``). Every endpoint needs an
account (401 without one, by token or session); writes take JSON and count against the
API's general per-user rate limit.
"""

from .examination import (
    ClaimChartCsvView,
    ClaimChartPdfView,
    DossierDetailView,
    DossierItemDecisionView,
    DossierListView,
)
from .screening import CaseForwardView, ReviewQueueView, ScreeningView

__all__ = [
    "CaseForwardView",
    "ClaimChartCsvView",
    "ClaimChartPdfView",
    "DossierDetailView",
    "DossierItemDecisionView",
    "DossierListView",
    "ReviewQueueView",
    "ScreeningView",
]
