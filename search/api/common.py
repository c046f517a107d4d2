"""What the search and library views share: documented error answers, the anonymous
search rate limit."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from submissions.api import DetailSerializer


class AnonSearchRateThrottle(AnonRateThrottle):
    """Anonymous clients of the search, per address: scope ``search_anon``, on top of the
    general anonymous limit. Signed-in users are not counted here (they have the general
    per-user limit). Without a ``search_anon`` rate in the settings, the ``anon`` rate
    applies. The rates are read when a request comes, so a changed setting counts."""

    scope = "search_anon"

    def get_rate(self) -> str | None:
        rates = api_settings.DEFAULT_THROTTLE_RATES
        return rates.get(self.scope) or rates.get("anon")


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The error answers of an endpoint, for its schema."""
    described = {
        400: OpenApiResponse(
            OpenApiTypes.OBJECT, description="Invalid input: messages by field name."
        ),
        401: OpenApiResponse(DetailSerializer, description="Not logged in."),
        403: OpenApiResponse(DetailSerializer, description="Not allowed (why)."),
        404: OpenApiResponse(DetailSerializer, description="No such object for you."),
        413: OpenApiResponse(DetailSerializer, description="The body is too large."),
        415: OpenApiResponse(
            DetailSerializer, description="The body is neither JSON nor JSON Lines."
        ),
        429: OpenApiResponse(DetailSerializer, description="Rate limit reached."),
    }
    return {code: described[code] for code in codes}
