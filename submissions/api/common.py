"""Helpers of the API views: service errors as DRF errors, documented error answers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.settings import api_settings

from cases.models import Case
from cases.permissions import cases_visible_to

from .. import ratelimits
from .serializers import (
    DetailSerializer,
)

# --- Helpers ---------------------------------------------------------------------------


def _api_field(key: str, aliases: dict[str, str]) -> str:
    if key == "claims" or key.startswith("explanation_"):
        return "claim_mappings"
    if key == NON_FIELD_ERRORS:
        return api_settings.NON_FIELD_ERRORS_KEY
    return aliases.get(key, key)


@contextmanager
def service_errors(aliases: dict[str, str] | None = None) -> Iterator[None]:
    """Turn what services and rate limits raise into DRF's 400, 403 and 429 answers;
    service error keys map onto the API's field names."""
    try:
        yield
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
            )
        errors: dict[str, list[str]] = {}
        for key, messages in exc.message_dict.items():
            errors.setdefault(_api_field(key, aliases or {}), []).extend(messages)
        raise serializers.ValidationError(errors)
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None)
    except ratelimits.RateLimited as exc:
        raise exceptions.Throttled(detail=str(exc))


def _case(request: Request, case_id: int) -> Case:
    """A published case, or 404."""
    return get_object_or_404(cases_visible_to(request.user), pk=case_id)


def _identifier_alias(identifier: str) -> dict[str, str]:
    # The derived key is checked with the model; its error belongs to what it came from.
    return {"identifier_key": "identifier" if identifier else "url"}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    described = {
        400: OpenApiResponse(
            OpenApiTypes.OBJECT, description="Invalid input: messages by field name."
        ),
        401: OpenApiResponse(DetailSerializer, description="Not logged in."),
        403: OpenApiResponse(DetailSerializer, description="Not allowed (why)."),
        404: OpenApiResponse(DetailSerializer, description="No such object for you."),
        429: OpenApiResponse(DetailSerializer, description="Rate limit reached."),
    }
    return {code: described[code] for code in codes}
