"""The public catalogue of stages (一件事), read-only, no sign-in needed."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from stages.models import MaterialRequirement, Matter, Stage

from ..models import Scope
from ..permissions import HasRequiredScopes
from ..query import ValidatedQueryMixin
from ..serializers.catalogue import StageSerializer
from .base import errors


@extend_schema_view(
    list=extend_schema(summary="阶段目录", responses={200: StageSerializer(many=True)}),
    retrieve=extend_schema(
        summary="一个阶段的事项、材料、表单、情形和办事指南",
        responses={200: StageSerializer, **errors(404)},
    ),
)
@extend_schema(tags=["catalogue"])
class StageViewSet(ValidatedQueryMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = StageSerializer
    lookup_field = "code"
    permission_classes = [HasRequiredScopes]  # public; a token still needs its scope
    required_scopes = {Scope.CATALOG_READ}
    # A fixed number of queries however many stages, matters and materials.
    queryset = (
        Stage.objects.filter(active=True)
        .select_related("lead_department", "guide")
        .prefetch_related(
            "prerequisites",
            "project_types",
            "situations",
            "form_fields",
            Prefetch(
                "matters",
                queryset=Matter.objects.select_related(
                    "department", "situation", "certificate_type"
                ),
            ),
            Prefetch(
                "materials",
                queryset=MaterialRequirement.objects.select_related(
                    "situation", "from_certificate_type"
                ).prefetch_related("matters"),
            ),
        )
        .order_by("-is_construction", "order", "number")
    )
