"""Rate limits for contributions, the same for pages and the API (django-ratelimit on the
shared cache): per user, or per address for anonymous requests."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited


class RateLimited(Exception):
    """Too many actions of one kind; the message says what and when to retry."""

    def __init__(self, group: str, rate: str):
        self.group, self.rate = group, rate
        super().__init__(
            _(
                "You have reached the limit of %(rate)s for this action. Please wait a while "
                "and try again; nothing you entered was saved."
            )
            % {"rate": rate.replace("/h", " an hour").replace("/m", " a minute")}
        )


def enforce(request, group: str) -> None:
    """Count one ``group`` action for this request's user; raise RateLimited past the
    limit in ``OPENDOCKET_RATE_LIMITS``."""
    rate = settings.OPENDOCKET_RATE_LIMITS[group]
    django_request = getattr(request, "_request", request)  # DRF wraps the request
    if is_ratelimited(
        django_request,
        group=f"opendocket:{group}",
        key="user_or_ip",
        rate=rate,
        increment=True,
    ):
        raise RateLimited(group, rate)
