"""Certificates: metadata for whoever may see the application, and the
public verification by number (what the QR code on the paper leads to)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, viewsets

from approvals.models import Application, Certificate

from ..models import Scope
from ..permissions import HasRequiredScopes
from ..query import ValidatedQueryMixin
from ..serializers.certificates import CertificateSerializer, CertificateVerificationSerializer
from .base import errors


@extend_schema_view(
    list=extend_schema(summary="可见申请的电子证照"),
    retrieve=extend_schema(
        summary="一张电子证照", responses={200: CertificateSerializer, **errors(404)}
    ),
)
@extend_schema(tags=["certificates"])
class CertificateViewSet(
    ValidatedQueryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = CertificateSerializer
    queryset = Certificate.objects.none()
    required_scopes = {Scope.CERTIFICATES_READ}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Certificate.objects.none()
        visible = Application.objects.visible_to(self.request.user).values("pk")
        return Certificate.objects.filter(application_id__in=visible).select_related(
            "certificate_type", "matter__department", "application__project"
        )


@extend_schema(
    summary="核验电子证照",
    description="公开接口：只返回证照上印有的信息，不含个人信息。未生成或不存在的编号为 404。",
    responses={200: CertificateVerificationSerializer, **errors(404)},
    tags=["certificates"],
)
class CertificateVerifyView(generics.RetrieveAPIView):
    serializer_class = CertificateVerificationSerializer
    permission_classes = [HasRequiredScopes]
    required_scopes = set()  # public, like the /verify/ page the QR code opens
    lookup_field = "number"
    queryset = Certificate.objects.filter(rendered_at__isnull=False).select_related(
        "certificate_type", "application__project__enterprise", "matter__department"
    )
