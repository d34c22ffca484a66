"""The window's decisions on a submitted application besides plain
acceptance — 容缺受理, 一次性补正告知, 不予受理 — and 送达 of the result,
for a clerk's program. Each validates its body with the same form the page
uses, then calls the same service."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError

from approvals import services
from approvals.forms import CorrectionForm, DeficiencyForm, DeliveryForm, RefusalForm
from portal.models import Role

from ..models import Scope
from ..serializers.applications import ApplicationDetailSerializer
from ..serializers.window import (
    CorrectionRequestSerializer,
    DeficiencyAcceptanceSerializer,
    DeliverySerializer,
    RefusalSerializer,
)
from .base import errors, require

WINDOW_SCOPES = {
    "accept_with_deficiency": {Scope.WINDOW_DECIDE},
    "request_correction": {Scope.WINDOW_DECIDE},
    "refuse": {Scope.WINDOW_DECIDE},
    "deliver": {Scope.WINDOW_DECIDE},
}
DECISION_RESPONSES = {200: ApplicationDetailSerializer, **errors(400, 403, 404, 409)}


def valid_form(form):
    """The page's form, bound to an already well-typed body: its cross-field
    rules (and the model's clean()) answer with field names."""
    if not form.is_valid():
        raise ValidationError(form.errors)
    return form


class WindowDecisionsMixin:
    """Actions of `ApplicationViewSet` for window clerks."""

    def clerk_application(self, body_serializer):
        """404 when the clerk's jurisdiction cannot see it, 403 for anyone
        but a clerk; then the well-typed body."""
        application = self.get_object()
        user = self.request.user
        require(user.role == Role.CLERK and hasattr(user, "staff_membership"))
        body = body_serializer(data=self.request.data)
        body.is_valid(raise_exception=True)
        return application, body.validated_data

    @extend_schema(
        summary="容缺受理",
        description=(
            "非关键材料暂缺时受理：列出容缺的材料、申请人的承诺与补交期限（工作日）。"
            "证照在容缺材料补齐后才发放；失信企业不适用。"
        ),
        request=DeficiencyAcceptanceSerializer,
        responses=DECISION_RESPONSES,
        tags=["window"],
    )
    @action(detail=True, methods=["post"], url_path="accept-with-deficiency")
    def accept_with_deficiency(self, request, pk=None):
        application, data = self.clerk_application(DeficiencyAcceptanceSerializer)
        non_key = [r for r in application.applicable_materials() if not r["key"]]
        form = valid_form(DeficiencyForm(data, missing_non_key=non_key))
        services.accept_with_deficiency(
            application.pk,
            request.user,
            form.cleaned_data["missing"],
            form.cleaned_data["commitment"],
            form.cleaned_data["committed_by"],
            form.cleaned_data["supply_days"],
            data["comment"],
        )
        return self.detail_response(application.pk)

    @extend_schema(
        summary="一次性补正告知",
        description=(
            "一份告知列出全部问题：每项指向一个表单字段（field:<键>）、一份材料"
            "（material:<种类>）或其他（other）。只有所列字段和材料向申请人重新开放；"
            "审批时限暂停计算。"
        ),
        request=CorrectionRequestSerializer,
        responses=DECISION_RESPONSES,
        tags=["window"],
    )
    @action(detail=True, methods=["post"], url_path="request-correction")
    def request_correction(self, request, pk=None):
        application, data = self.clerk_application(CorrectionRequestSerializer)
        form = CorrectionForm(
            configuration=application.configuration, answers=application.situation_answers
        )
        names = {target: name for target, name, __ in form.targets}
        bound, unknown = {}, {}
        for index, item in enumerate(data["items"]):
            target = item["target"]
            if target == "other":
                name = "other"
            elif target in names:
                name = names[target]
            else:
                unknown[f"items.{index}.target"] = [_("不是本申请的表单字段或材料。")]
                continue
            if name in bound:
                unknown[f"items.{index}.target"] = [_("同一项只能列一次。")]
            bound[name] = item["problem"]
        if unknown:
            raise ValidationError(unknown)
        form = valid_form(
            CorrectionForm(
                bound,
                configuration=application.configuration,
                answers=application.situation_answers,
            )
        )
        services.request_correction(application.pk, request.user, form.items())
        return self.detail_response(application.pk)

    @extend_schema(
        summary="不予受理",
        description="写明理由和法律依据，出具不予受理决定书。",
        request=RefusalSerializer,
        responses=DECISION_RESPONSES,
        tags=["window"],
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        application, data = self.clerk_application(RefusalSerializer)
        form = valid_form(RefusalForm(data))
        services.refuse_application(
            application.pk,
            request.user,
            form.cleaned_data["reason"],
            form.cleaned_data["legal_basis"],
        )
        return self.detail_response(application.pk)

    @extend_schema(
        summary="登记送达",
        description=(
            "窗口领取（collect：领取人及其证件号后四位）或免费邮寄（mail：快递公司、"
            "运单号、地址）。证照已发放后才能登记。"
        ),
        request=DeliverySerializer,
        responses=DECISION_RESPONSES,
        tags=["window"],
    )
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        application, data = self.clerk_application(DeliverySerializer)
        form = valid_form(DeliveryForm(data))
        services.record_delivery(
            application.pk,
            request.user,
            **{k: v for k, v in form.cleaned_data.items() if v is not None},
        )
        return self.detail_response(application.pk)
