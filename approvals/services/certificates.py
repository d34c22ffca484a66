"""Issuing certificates: gap-free numbers in the approving transaction, PDF
rendering after commit, and the `issue` transition once every PDF exists."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stages.models import CertificateType

from ..models import (
    Application,
    ApplicationState,
    Certificate,
    CertificateNumberSeries,
    ReviewTaskState,
)
from . import transitions
from .notifications import notify
from .side_effects import enqueue_on_commit


def next_number(certificate_type, jurisdiction, year):
    """Take the next number of a series under a row lock (gap-free)."""
    CertificateNumberSeries.objects.get_or_create(
        certificate_type=certificate_type, jurisdiction=jurisdiction, year=year
    )
    series = CertificateNumberSeries.objects.select_for_update().get(
        certificate_type=certificate_type, jurisdiction=jurisdiction, year=year
    )
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return f"{certificate_type.number_prefix}{jurisdiction.code}{year}{series.last_number:05d}"


def issue_certificates(application):
    """Number one certificate per approved matter that issues one, then
    render them after commit. With none to render, issue at once."""
    today = timezone.localdate()
    jurisdiction = application.project.jurisdiction
    # The certificate a matter issues comes from the frozen configuration.
    issues = {
        matter["id"]: matter["certificate_type_id"]
        for matter in application.configuration.content["matters"]
        if matter["certificate_type_id"]
    }
    tasks = application.tasks.filter(state=ReviewTaskState.APPROVED, matter_id__in=issues)
    types = CertificateType.objects.in_bulk(set(issues.values()))
    from ..tasks import render_certificate

    created = []
    for task in tasks.select_related("matter"):
        certificate_type = types[issues[task.matter_id]]
        certificate = Certificate.objects.create(
            application=application,
            matter=task.matter,
            certificate_type=certificate_type,
            number=next_number(certificate_type, jurisdiction, today.year),
            issued_on=today,
        )
        enqueue_on_commit(render_certificate, certificate.pk)
        created.append(certificate)
    if not created:
        complete_issue(application)
    return created


def complete_issue_after_render(application_id):
    """Called by the render task: issue when the last PDF is ready. Safe to
    call repeatedly and concurrently."""
    with transaction.atomic():
        application = transitions.lock(Application, application_id)
        if application.state != ApplicationState.APPROVED:
            return application
        if application.certificates.filter(rendered_at__isnull=True).exists():
            return application
        complete_issue(application)
        return application


def complete_issue(application):
    transitions.run(
        application, "issue", None, application=application, comment=_("电子证照已生成")
    )
    notify(
        application.project.enterprise.members.all(),
        event="certificate_issued",
        title=_("您的申请 %(number)s 已办结，电子证照可下载") % {"number": application.number},
        application=application,
    )
