"""The applicant's (or agent's) side of the window's decisions: read the
open correction notice, resubmit once it is answered, withdraw. Fixing the
reopened fields and materials goes through the `form` and `materials`
actions, limited by the notice as on the page."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from approvals import services

from ..models import Scope
from ..serializers.applications import ApplicationDetailSerializer
from ..serializers.window import CorrectionNoticeSerializer, WithdrawalSerializer
from .base import errors

ANSWER_SCOPES = {
    "correction": {Scope.APPLICATIONS_READ},
    "resubmit": {Scope.APPLICATIONS_WRITE},
    "withdraw": {Scope.APPLICATIONS_WRITE},
}


class ApplicantAnswersMixin:
    """Actions of `ApplicationViewSet` for applicants and agents."""

    @extend_schema(
        summary="待答复的补正告知",
        description=(
            "一次性补正告知的全部问题，以及因此重新开放的表单字段和材料。没有待答复的告知时 404。"
        ),
        responses={200: CorrectionNoticeSerializer, **errors(404)},
        tags=["applications"],
    )
    @action(detail=True, methods=["get"])
    def correction(self, request, pk=None):
        application = self.get_object()
        notice = application.correction_notices.filter(answered_at__isnull=True).first()
        if notice is None:
            raise NotFound(_("该申请没有待答复的补正告知。"))
        return Response(CorrectionNoticeSerializer(notice).data)

    @extend_schema(
        summary="补正后重新提交",
        description="补正告知所列问题全部改正后提交；仍有问题时 400 并列出。",
        request=None,
        responses={200: ApplicationDetailSerializer, **errors(400, 403, 404, 409)},
        tags=["applications"],
    )
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        application = self.own_application()
        services.resubmit_application(application.pk, request.user)
        return self.detail_response(application.pk)

    @extend_schema(
        summary="撤回申请",
        description="草稿、已提交未受理或补正中的申请可以撤回，须写明理由。",
        request=WithdrawalSerializer,
        responses={200: ApplicationDetailSerializer, **errors(400, 403, 404, 409)},
        tags=["applications"],
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self.own_application()
        body = WithdrawalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.withdraw_application(application.pk, request.user, body.validated_data["reason"])
        return self.detail_response(application.pk)
