"""The versioned JSON API: /api/v1/..."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import DefaultRouter

from cases.api import CaseViewSet
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
    *router.urls,
]
