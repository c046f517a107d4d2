"""The versioned JSON API: /api/v1/..."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings

from cases.api import CaseViewSet
from review.api import (
    CaseForwardView,
    ClaimChartCsvView,
    ClaimChartPdfView,
    DossierDetailView,
    DossierItemDecisionView,
    DossierListView,
    ReviewQueueView,
    ScreeningView,
)
from search.api import LibraryDetailView, LibraryListView, SearchView
from submissions.api import (
    CaseCommentsView,
    CasePriorArtView,
    FlagCreateView,
    PriorArtDetailView,
    PriorArtRatingView,
)


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (rate-limited)."""

    throttle_scope = "auth"
    # DRF's view names its own parsers; ours refuse a too deeply nested body with a 400.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES

    def get_throttles(self):
        from rest_framework.throttling import ScopedRateThrottle

        return [ScopedRateThrottle()]


ObtainTokenView = extend_schema(summary="Obtain an API token", tags=["auth"])(
    ObtainTokenView
)


def only_public_api(endpoints):
    """drf-spectacular hook: the schema documents our API, not Wagtail's admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


router = DefaultRouter()
router.register("cases", CaseViewSet, basename="case")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path(
        "cases/<int:id>/prior-art/",
        CasePriorArtView.as_view(),
        name="case-prior-art",
    ),
    path("cases/<int:id>/comments/", CaseCommentsView.as_view(), name="case-comments"),
    path("prior-art/<int:id>/", PriorArtDetailView.as_view(), name="prior-art-detail"),
    path(
        "prior-art/<int:id>/rating/",
        PriorArtRatingView.as_view(),
        name="prior-art-rating",
    ),
    path("flags/", FlagCreateView.as_view(), name="flags"),
    # Review and examination (review/api/)
    path("review/queue/", ReviewQueueView.as_view(), name="review-queue"),
    path(
        "prior-art/<int:id>/screening/",
        ScreeningView.as_view(),
        name="prior-art-screening",
    ),
    path("cases/<int:id>/forward/", CaseForwardView.as_view(), name="case-forward"),
    path("dossiers/", DossierListView.as_view(), name="dossier-list"),
    path("dossiers/<int:id>/", DossierDetailView.as_view(), name="dossier-detail"),
    path(
        "dossiers/<int:id>/claim-chart.csv",
        ClaimChartCsvView.as_view(),
        name="dossier-claim-chart-csv",
    ),
    path(
        "dossiers/<int:id>/claim-chart.pdf",
        ClaimChartPdfView.as_view(),
        name="dossier-claim-chart-pdf",
    ),
    path(
        "dossier-items/<int:id>/decision/",
        DossierItemDecisionView.as_view(),
        name="dossier-item-decision",
    ),
    # Search and the prior-art library (search/api/)
    path("search/", SearchView.as_view(), name="search"),
    path("library/", LibraryListView.as_view(), name="library-list"),
    path("library/<str:id>/", LibraryDetailView.as_view(), name="library-detail"),
    *router.urls,
]
