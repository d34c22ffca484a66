"""Applications: read them (as the application page), fill a draft (the
situations, the unified form, materials), submit, and the window's
acceptance; the other window decisions and the applicant's answers to them
are the mixins of `window` and `answers`. Every change is a service call;
the API adds only the checks the pages make before calling it."""

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from approvals import services
from approvals.models import Application, Certificate, ReviewTask, TransitionLog
from portal.models import Role
from stages.forms import SituationsForm, UnifiedForm

from ..models import Scope
from ..query import ValidatedQueryMixin
from ..serializers.applications import (
    ApplicationDetailSerializer,
    ApplicationFilterSerializer,
    ApplicationSummarySerializer,
    CommentSerializer,
    DeclarationSerializer,
    MaterialSerializer,
    MaterialUploadSerializer,
)
from .answers import ANSWER_SCOPES, ApplicantAnswersMixin
from .base import errors, require
from .window import WINDOW_SCOPES, WindowDecisionsMixin

TASKS = Prefetch("tasks", queryset=ReviewTask.objects.select_related("matter", "department"))


def detail_queryset(user):
    """One application with everything its page shows, in a fixed number of
    queries."""
    return (
        Application.objects.visible_to(user)
        .select_related("project", "stage", "stage_version")
        .prefetch_related(
            TASKS,
            "materials",
            Prefetch("timeline", queryset=TransitionLog.objects.select_related("actor")),
            Prefetch(
                "certificates", queryset=Certificate.objects.select_related("certificate_type")
            ),
        )
    )


ANSWERS_BODY = {
    "type": "object",
    "additionalProperties": {"type": "boolean"},
    "description": "每个情形编码的回答：true 为“是”，false 为“否”；须回答全部情形。",
    "example": {"civil-defense": False},
}
FORM_BODY = {
    "type": "object",
    "additionalProperties": {},
    "description": "表单字段键及其值（只改所给字段）；多选字段的值为数组。",
    "example": {"contract_price": "1200"},
}


@extend_schema_view(
    list=extend_schema(
        summary="可见的申请",
        parameters=[ApplicationFilterSerializer],
    ),
    retrieve=extend_schema(
        summary="一个申请：状态、任务、材料、时间线",
        responses={200: ApplicationDetailSerializer, **errors(404)},
    ),
)
@extend_schema(tags=["applications"])
class ApplicationViewSet(
    WindowDecisionsMixin,
    ApplicantAnswersMixin,
    ValidatedQueryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Application.objects.none()
    filter_serializer_class = ApplicationFilterSerializer
    required_scopes = {
        "list": {Scope.APPLICATIONS_READ},
        "retrieve": {Scope.APPLICATIONS_READ},
        "situations": {Scope.APPLICATIONS_WRITE},
        "form": {Scope.APPLICATIONS_WRITE},
        "materials": {Scope.APPLICATIONS_WRITE},
        "submit": {Scope.APPLICATIONS_WRITE},
        "accept": {Scope.WINDOW_DECIDE},
        **WINDOW_SCOPES,
        **ANSWER_SCOPES,
    }

    def get_serializer_class(self):
        if self.action == "list":
            return ApplicationSummarySerializer
        return ApplicationDetailSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        user = self.request.user
        if self.action == "retrieve":
            return detail_queryset(user)
        if self.action != "list":  # an action: the object to act on, nothing more
            return Application.objects.visible_to(user).select_related(
                "project", "stage", "stage_version"
            )
        applications = (
            Application.objects.visible_to(user)
            .select_related("project", "stage")
            .prefetch_related(TASKS)
        )
        filters = self.query
        if "state" in filters:
            applications = applications.filter(state=filters["state"])
        if "stage" in filters:
            applications = applications.filter(stage__code=filters["stage"])
        if "project" in filters:
            applications = applications.filter(project_id=filters["project"])
        return applications.order_by("-created_at", "-pk")

    def detail_response(self, pk, code=status.HTTP_200_OK):
        application = detail_queryset(self.request.user).get(pk=pk)
        return Response(self.get_serializer(application).data, status=code)

    def own_application(self):
        """404 if the caller cannot see it, 403 if it is not the caller's
        enterprise's. Whether its state allows a change is the service's
        to say."""
        application = self.get_object()
        require(self.request.user.has_perm("approvals.edit_application", application))
        return application

    @extend_schema(
        summary="回答情形问题",
        request={"application/json": ANSWERS_BODY},
        responses={200: ApplicationDetailSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["put"], parser_classes=[JSONParser])
    def situations(self, request, pk=None):
        application = self.own_application()
        situations = application.configuration.situations
        answers = _as_mapping(request.data)
        form = SituationsForm(
            {
                code: ("yes" if value else "no") if isinstance(value, bool) else value
                for code, value in answers.items()
            },
            situations=situations,
        )
        unknown = {code: [_("未知的情形。")] for code in answers.keys() - form.fields.keys()}
        if unknown or not form.is_valid():
            raise ValidationError({**form.errors, **unknown})
        services.save_situations(application.pk, request.user, form.answers())
        return self.detail_response(application.pk)

    @extend_schema(
        summary="保存表单内容（草稿）",
        description="按填报页面的规则校验所给字段（格式、范围、选项）；必填项在提交时检查。",
        request={"application/json": FORM_BODY},
        responses={200: ApplicationDetailSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["patch"], parser_classes=[JSONParser])
    def form(self, request, pk=None):
        application = self.own_application()
        scope = services.edit_scope(application)
        if scope is None:
            raise services.ServiceError(_("申请已提交，不能再修改。"))
        values = _as_mapping(request.data)
        form = UnifiedForm(values, field_specs=application.configuration.form_fields)
        problems = {key: [_("未知的表单字段。")] for key in values.keys() - form.fields.keys()}
        for key, value in values.items():
            multiple = isinstance(form.fields.get(key), forms.MultipleChoiceField)
            if isinstance(value, dict) or (isinstance(value, list) and not multiple):
                problems[key] = [_("应为单个值。")]
            elif key in form.fields and not scope.allows_field(key):
                problems[key] = [_("该字段不在补正范围内，不能修改。")]
        if problems or not form.is_valid():
            raise ValidationError({**form.errors, **problems})
        # The form cleans every configured field; save only those given, so a
        # PATCH never blanks what it did not mention.
        cleaned = {key: value for key, value in form.as_json().items() if key in values}
        services.save_form_data(application.pk, request.user, cleaned)
        return self.detail_response(application.pk)

    @extend_schema(
        summary="上传材料",
        request={"multipart/form-data": MaterialUploadSerializer},
        responses={201: MaterialSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def materials(self, request, pk=None):
        application = self.own_application()
        upload = MaterialUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        material = services.attach_material(
            application.pk,
            request.user,
            upload.validated_data["kind"],
            upload.validated_data["file"],
        )
        return Response(MaterialSerializer(material).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="提交申请",
        description=(
            '请求体 {"declaration": true} 表示申请人确认申请承诺书（草稿首次提交必需）。'
            "不完整时 400 并列出全部问题；已提交的再次提交为 409。"
        ),
        request=DeclarationSerializer,
        responses={200: ApplicationDetailSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = self.own_application()
        declaration = DeclarationSerializer(data=request.data)
        declaration.is_valid(raise_exception=True)
        if declaration.validated_data["declaration"] and application.state == "draft":
            services.declare(application.pk, request.user)
        services.submit_application(application.pk, request.user)
        return self.detail_response(application.pk)

    @extend_schema(
        summary="窗口受理",
        description="综合窗口收件员受理；各事项审查任务并联分发。已受理的再次受理为 409。",
        request=CommentSerializer,
        responses={200: ApplicationDetailSerializer, **errors(400, 403, 404, 409)},
        tags=["window"],
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        application = self.get_object()
        user = request.user
        require(user.role == Role.CLERK and hasattr(user, "staff_membership"))
        body = CommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.accept_application(application.pk, user, body.validated_data["comment"])
        return self.detail_response(application.pk)


def _as_mapping(data):
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": [_("请求体应为 JSON 对象。")]})
    return data
