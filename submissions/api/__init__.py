"""The contributions part of the JSON API (v1): prior art, ratings, comments and flags.

``fields`` (strict integers, status enums, partial dates), ``serializers`` (request and
response shapes), ``common`` (service errors as DRF answers) and ``views``. The review
API reuses the fields and the error handling from here.
"""

from .common import service_errors
from .fields import StatusField, StrictIntegerField, absolute_url
from .serializers import DetailSerializer
from .views import (
    CaseCommentsView,
    CasePriorArtView,
    FlagCreateView,
    PriorArtDetailView,
    PriorArtRatingView,
)

__all__ = [
    "CaseCommentsView",
    "CasePriorArtView",
    "DetailSerializer",
    "FlagCreateView",
    "PriorArtDetailView",
    "PriorArtRatingView",
    "StatusField",
    "StrictIntegerField",
    "absolute_url",
    "service_errors",
]
