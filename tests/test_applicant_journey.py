"""The applicant's side: check-your-answers with the declaration, the
receipt, one-click reuse of a material given in an earlier stage, file
replacement that keeps history, and a dashboard whose queries do not grow."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals import services
from approvals.models import Application, Material, Notice
from stages.models import Stage

from .factories import ApplicationFactory, ProjectFactory, complete_draft

pytestmark = pytest.mark.django_db


def test_submit_needs_the_declaration_and_issues_a_receipt(catalog, client, pdf_bytes):
    application = complete_draft(ApplicationFactory(), pdf_bytes)
    Application.objects.filter(pk=application.pk).update(declared_at=None)
    client.force_login(application.created_by)
    review = client.get(f"/applications/{application.pk}/review/").content.decode()
    assert "申请承诺书" in review and "请阅读并确认申请承诺书" in review
    response = client.post(f"/applications/{application.pk}/submit/", follow=True)
    assert "请阅读并勾选申请承诺书" in response.content.decode()
    assert Application.objects.get(pk=application.pk).state == "draft"
    client.post(
        f"/applications/{application.pk}/submit/",
        {"declaration": "1", "delivery_method": "collect"},
    )
    application.refresh_from_db()
    assert application.state == "submitted" and application.declared_at
    assert application.delivery_method == "collect"
    assert Notice.objects.filter(application=application, kind="receipt").count() == 1


def test_a_material_from_an_earlier_stage_is_reused_with_one_click(catalog, client, pdf_bytes):
    first = complete_draft(
        ApplicationFactory(stage=Stage.objects.get(code="land-planning")), pdf_bytes
    )
    later = ApplicationFactory(
        project=first.project, stage=Stage.objects.get(code="engineering-permit")
    )
    reusable = services.reusable_materials(later)
    assert "authorization" in reusable and "land-contract" in reusable
    source = reusable["land-contract"][0]
    client.force_login(later.created_by)
    response = client.post(
        f"/applications/{later.pk}/materials/reuse/", {"material": source.pk}, follow=True
    )
    assert "已复用" in response.content.decode()
    copy = Material.objects.get(application=later, kind="land-contract")
    assert copy.reused_from == source and copy.file.name == source.file.name
    assert client.get(f"/applications/{later.pk}/materials/{copy.pk}/").status_code == 200


def test_replacing_a_file_keeps_the_old_version(catalog, client, pdf_bytes):
    application = ApplicationFactory()
    user = application.created_by
    old = services.attach_material(
        application.pk, user, "construction-drawings", SimpleUploadedFile("v1.pdf", pdf_bytes)
    )
    client.force_login(user)
    client.post(
        f"/applications/{application.pk}/materials/{old.pk}/replace/",
        {"file": SimpleUploadedFile("v2.pdf", pdf_bytes + b"%v2")},
    )
    old.refresh_from_db()
    assert old.replaced_at is not None
    current = [f for r, files, c in services.material_slots(application) for f in files]
    assert [f.original_name for f in current if f.kind == "construction-drawings"] == ["v2.pdf"]


def test_applicant_dashboard_queries_do_not_grow(catalog, client, applicant):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/projects/").status_code == 200
        return len(queries)

    client.force_login(applicant)
    ProjectFactory(enterprise=applicant.enterprise, created_by=applicant)
    few = count()
    for _ in range(5):
        project = ProjectFactory(enterprise=applicant.enterprise, created_by=applicant)
        ApplicationFactory(project=project)
    assert count() == few
