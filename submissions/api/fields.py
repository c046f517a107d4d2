"""API fields shared by the contributions and review APIs: strict integers, status
enums, partial dates."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, NamedTuple

from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from ..models import (
    DatePrecision,
)

MAX_CLAIM = 2**31 - 1  # claim numbers are PositiveIntegerField
MAX_ID = 2**63 - 1  # primary keys are BigAutoField
MAX_MAPPINGS = 1000

# --- Fields ----------------------------------------------------------------------------


class StrictIntegerField(serializers.IntegerField):
    """A JSON number, not a string or a boolean that happens to look like one."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """The id of an object that exists, as a JSON number (not a string or a boolean
    that happens to look like one)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 0 < data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class StatusField(serializers.ChoiceField):
    """A read-only choice documented as its own named enum: cases, submissions and
    flags all have a ``status``, each with other values (and a library document's date
    precision has fewer values than a submission's)."""

    def __init__(self, *, component_name: str, **kwargs: Any) -> None:
        self.component_name = component_name
        super().__init__(read_only=True, **kwargs)


class StatusFieldSchema(OpenApiSerializerFieldExtension):
    target_class = StatusField

    def get_name(self) -> str:
        return self.target.component_name

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(
            self.target, direction, bypass_extensions=True
        )
        schema.pop("readOnly", None)  # belongs to the property, not the enum
        return schema


class PartialDate(NamedTuple):
    value: date
    precision: str


PARTIAL_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
        "example": "2001-06",
        "description": "ISO date; `YYYY-MM` or `YYYY` when only the month or year is "
        "known (the precision follows unless `published_on_precision` is given).",
    }
)
class PartialDateField(serializers.Field):
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``: a date with the precision it implies."""

    default_error_messages = {
        "invalid": gettext_lazy(
            "Enter the date as YYYY-MM-DD, or as YYYY-MM or YYYY when only the month "
            "or the year is known."
        )
    }

    def to_internal_value(self, data: Any) -> PartialDate | None:
        if data == "":
            return None
        match = PARTIAL_DATE_RE.fullmatch(data) if isinstance(data, str) else None
        if match is None:
            self.fail("invalid")
        year, month, day = match.groups()
        precision = (
            DatePrecision.DAY
            if day
            else DatePrecision.MONTH
            if month
            else DatePrecision.YEAR
        )
        try:
            value = date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            self.fail("invalid")
        return PartialDate(value, precision)

    def to_representation(self, value: PartialDate) -> str:
        return value.value.isoformat()


def absolute_url(request: Request | None, path: str) -> str:
    return request.build_absolute_uri(path) if request else path
