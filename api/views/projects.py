"""Projects of the caller's enterprise, and starting an application on one.

As on the pages, only an enterprise's people (applicants) work with
projects; another enterprise's project answers 404."""

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from approvals import services
from approvals.models import Application, Project
from approvals.models.application import CLOSED_STATES

from ..models import Scope
from ..query import ValidatedQueryMixin
from ..serializers.applications import ApplicationDetailSerializer
from ..serializers.projects import ProjectSerializer, StartApplicationSerializer
from .applications import detail_queryset
from .base import errors


class IsEnterpriseMember(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user.enterprise_id)


@extend_schema_view(
    list=extend_schema(summary="本单位的项目"),
    retrieve=extend_schema(summary="一个项目", responses={200: ProjectSerializer, **errors(404)}),
    create=extend_schema(
        summary="登记项目", responses={201: ProjectSerializer, **errors(400, 403)}
    ),
)
@extend_schema(tags=["projects"])
class ProjectViewSet(
    ValidatedQueryMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ProjectSerializer
    queryset = Project.objects.none()
    required_scopes = {
        "list": {Scope.APPLICATIONS_READ},
        "retrieve": {Scope.APPLICATIONS_READ},
        "create": {Scope.APPLICATIONS_WRITE},
        "start_application": {Scope.APPLICATIONS_WRITE},
    }

    def get_permissions(self):
        return [*super().get_permissions(), IsEnterpriseMember()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        return (
            Project.objects.visible_to(self.request.user)
            .select_related("jurisdiction", "flow_type", "enterprise")
            .prefetch_related(
                Prefetch("applications", queryset=Application.objects.select_related("stage"))
            )
        )

    def perform_create(self, serializer):
        user = self.request.user
        try:
            with transaction.atomic():
                serializer.save(enterprise_id=user.enterprise_id, created_by=user)
        except IntegrityError:  # the same code registered concurrently
            serializer.validate(serializer.validated_data)
            raise

    @extend_schema(
        summary="申请一个阶段",
        description="已有未办结的同阶段申请时返回该申请（200），否则新建草稿（201）。",
        request=StartApplicationSerializer,
        responses={
            200: OpenApiResponse(ApplicationDetailSerializer, description="已有的申请"),
            201: OpenApiResponse(ApplicationDetailSerializer, description="新建的草稿"),
            **errors(400, 403, 404),
        },
    )
    @action(detail=True, methods=["post"], url_path="applications")
    def start_application(self, request, pk=None):
        project = self.get_object()
        serializer = StartApplicationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        stage = serializer.validated_data["stage"]
        code = status.HTTP_200_OK
        application = (
            project.applications.exclude(state__in=CLOSED_STATES).filter(stage=stage).first()
        )
        if application is None:
            try:
                with transaction.atomic():
                    application = services.create_application(project, stage, request.user)
                code = status.HTTP_201_CREATED
            except IntegrityError:  # a concurrent request started it first
                application = project.applications.exclude(state__in=CLOSED_STATES).get(stage=stage)
        application = detail_queryset(request.user).get(pk=application.pk)
        context = self.get_serializer_context()
        return Response(ApplicationDetailSerializer(application, context=context).data, status=code)
