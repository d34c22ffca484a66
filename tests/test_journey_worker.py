"""One application through all four stages on PostgreSQL, with a real Celery
worker consuming from Redis and WeasyPrint rendering each certificate."""

import pytest

from approvals import services
from approvals.models import Application, Certificate, Project, ReviewTask
from portal.models import Role
from stages.models import Jurisdiction, Stage

from .conftest import wait_for
from .factories import ApplicantFactory, complete_draft, load_catalog, staff
from .test_certificates import compact, pdf_fonts, pdf_text


@pytest.mark.django_db(transaction=True)
def test_four_stages_end_to_end_with_worker(celery_worker_process, pdf_bytes):
    load_catalog()
    applicant = ApplicantFactory()
    project = Project.objects.create(
        enterprise=applicant.enterprise,
        jurisdiction=Jurisdiction.objects.get(code="341021"),
        code="2105-341000-47-01-000777",
        name="黄山市歙县徽州古城保护利用工程",
        address="歙县徽城镇",
        total_investment=8800,
        created_by=applicant,
    )
    clerk = staff(Role.CLERK, "341000", "data")
    reviewers = {}
    for stage in Stage.objects.order_by("number"):
        application = services.create_application(project, stage, applicant)
        complete_draft(application, pdf_bytes)
        services.submit_application(application.pk, applicant)
        services.accept_application(application.pk, clerk)
        for task in ReviewTask.objects.filter(application=application).select_related("department"):
            code = task.department.code
            reviewer = reviewers.setdefault(code, staff(Role.REVIEWER, "341000", code))
            services.claim_task(task.pk, reviewer)
            services.approve_task(task.pk, reviewer, "符合要求")
        issued = wait_for(
            lambda application=application: Application.objects.filter(
                pk=application.pk, state="issued"
            ).first()
        )
        certificates = Certificate.objects.filter(application=issued)
        assert certificates.exists() and all(c.is_rendered for c in certificates)
        for certificate in certificates:
            path = certificate.pdf.path
            fonts = pdf_fonts(path)
            assert "Portal-Serif-SC" in fonts, fonts  # the bundled CJK font, embedded
            text = compact(pdf_text(path))
            assert compact(certificate.certificate_type.name) in text
            assert compact(project.name) in text
            assert certificate.number in text
    assert Certificate.objects.filter(application__project=project).count() == 5
    assert set(Application.objects.filter(project=project).values_list("state", flat=True)) == {
        "issued"
    }
