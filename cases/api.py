"""The cases part of the JSON API (v1): read-only, same selectors as the pages."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from . import selectors
from .forms import PUBLIC_STATUSES
from .models import Case, Claim


class ClaimSerializer(serializers.ModelSerializer):
    depends_on = serializers.IntegerField(
        allow_null=True, help_text="Number of the claim this one depends on, or null."
    )

    class Meta:
        model = Claim
        fields = ["number", "text", "depends_on"]


class CaseSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    technology_areas = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    url = serializers.SerializerMethodField(help_text="The public case page.")

    class Meta:
        model = Case
        fields = [
            "id",
            "agency",
            "reference",
            "title",
            "abstract",
            "status",
            "language",
            "priority_date",
            "review_opens_at",
            "review_closes_at",
            "forward_limit",
            "technology_areas",
            "url",
        ]

    def get_url(self, case: Case) -> str:
        request = self.context.get("request")
        path = case.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class CaseDetailSerializer(CaseSerializer):
    claims = ClaimSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = CaseSerializer.Meta.fields + ["claims"]


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PUBLIC_STATUSES)
    agency = django_filters.CharFilter(
        field_name="agency__slug", help_text="Agency slug, e.g. `patent-office`."
    )
    area = django_filters.CharFilter(
        field_name="technology_areas__slug", help_text="Technology area slug."
    )

    class Meta:
        model = Case
        fields = ["status", "agency", "area"]


@extend_schema_view(
    list=extend_schema(summary="List published cases"),
    retrieve=extend_schema(summary="One published case with its claims"),
)
class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Published cases. Drafts and unpublished cases do not exist here (404)."""

    filterset_class = CaseFilter

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.case_list(user=self.request.user).prefetch_related(
                "claims"
            )
        return selectors.case_list(user=self.request.user)

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer
