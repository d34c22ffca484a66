"""Public certificate verification: essential facts, no personal data."""

from django.shortcuts import get_object_or_404, render

from ..models import Certificate


def verify(request, number):
    certificate = get_object_or_404(
        Certificate.objects.select_related(
            "certificate_type", "application__project__enterprise", "matter__department"
        ),
        number=number,
        rendered_at__isnull=False,
    )
    return render(request, "approvals/verify.html", {"certificate": certificate})
