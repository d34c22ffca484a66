"""Review tasks for department systems: their department's tasks (in their
jurisdiction, or all for city level), claim, approve, reject."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from approvals import services
from approvals.models import ReviewTask, ReviewTaskState
from portal.models import Role

from ..models import Scope
from ..query import ValidatedQueryMixin
from ..serializers.review import (
    OPEN,
    OpinionSerializer,
    RejectionSerializer,
    TaskFilterSerializer,
    TaskSerializer,
)
from .base import errors, require

OPEN_STATES = [ReviewTaskState.PENDING, ReviewTaskState.REVIEWING]


@extend_schema_view(
    list=extend_schema(
        summary="本部门的审查任务",
        parameters=[TaskFilterSerializer],
        responses={200: TaskSerializer(many=True), **errors(403)},
    ),
    retrieve=extend_schema(summary="一个审查任务", responses={200: TaskSerializer, **errors(404)}),
)
@extend_schema(tags=["tasks"])
class TaskViewSet(
    ValidatedQueryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = TaskSerializer
    queryset = ReviewTask.objects.none()
    filter_serializer_class = TaskFilterSerializer
    required_scopes = {Scope.TASKS_DECIDE}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReviewTask.objects.none()
        tasks = ReviewTask.objects.for_reviewer(self.request.user).select_related(
            "matter",
            "department",
            "reviewer",
            "application__project__enterprise",
            "application__stage",
        )
        state = self.query.get("state") if self.action == "list" else None
        if state == OPEN:
            tasks = tasks.filter(state__in=OPEN_STATES)
        elif state:
            tasks = tasks.filter(state=state)
        return tasks.order_by("due_on", "pk")

    def list(self, request, *args, **kwargs):
        # As the reviewer's inbox page: only reviewers have one.
        user = request.user
        require(user.role == Role.REVIEWER and hasattr(user, "staff_membership"))
        return super().list(request, *args, **kwargs)

    def task_response(self, pk):
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(
        summary="签收",
        request=None,
        responses={200: TaskSerializer, **errors(403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        task = self.get_object()
        services.claim_task(task.pk, request.user)
        return self.task_response(task.pk)

    @extend_schema(
        summary="审查通过",
        request=OpinionSerializer,
        responses={200: TaskSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        task = self.get_object()
        body = OpinionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.approve_task(task.pk, request.user, body.validated_data["opinion"])
        return self.task_response(task.pk)

    @extend_schema(
        summary="审查不通过",
        description="必须写明理由和依据；必办事项不通过时整个申请不予许可。",
        request=RejectionSerializer,
        responses={200: TaskSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        task = self.get_object()
        body = RejectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.reject_task(task.pk, request.user, body.validated_data["opinion"])
        return self.task_response(task.pk)
