"""Certificates: full metadata for those who may see the application; the
public verification shows what the printed certificate shows, no more."""

from rest_framework import serializers

from approvals.models import Certificate

from .common import CodeNameSerializer


class CertificateApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)


class CertificateSerializer(serializers.ModelSerializer):
    certificate_type = CodeNameSerializer()
    matter = CodeNameSerializer()
    issuer = serializers.CharField(source="matter.department.name")
    application = CertificateApplicationSerializer()
    project = serializers.CharField(source="application.project.name")
    rendered = serializers.BooleanField(source="is_rendered")

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "certificate_type",
            "matter",
            "issuer",
            "application",
            "project",
            "issued_on",
            "rendered",
            "rendered_at",
            "sha256",
        ]
        read_only_fields = fields


class CertificateVerificationSerializer(serializers.ModelSerializer):
    """The facts printed on the certificate (as the public /verify/ page):
    no person's name, no contact details, no internal ids."""

    valid = serializers.SerializerMethodField()
    state = serializers.CharField(help_text="valid / revoked / superseded")
    certificate_type = serializers.CharField(source="certificate_type.name")
    project = serializers.CharField(source="application.project.name")
    enterprise = serializers.CharField(source="application.project.enterprise.name")
    issuer = serializers.CharField(source="matter.department.name")

    class Meta:
        model = Certificate
        fields = [
            "valid",
            "state",
            "number",
            "certificate_type",
            "project",
            "enterprise",
            "issuer",
            "issued_on",
            "sha256",
        ]
        read_only_fields = fields

    def get_valid(self, certificate) -> bool:
        return certificate.is_in_force
