"""Who sees what: an applicant never sees another enterprise's data; a
district clerk sees its district; reviewers see their department's tasks."""

import pytest

from approvals import services
from portal.models import Role

from .factories import ApplicantFactory, ApplicationFactory, ProjectFactory, complete_draft, staff

pytestmark = pytest.mark.django_db


def test_applicant_cannot_open_another_enterprises_pages(catalog, client):
    application = ApplicationFactory()
    client.force_login(ApplicantFactory())
    for url in (
        f"/applications/{application.pk}/",
        f"/applications/{application.pk}/edit/",
        f"/projects/{application.project.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/applications/{application.pk}/submit/").status_code == 404
    assert application.project.name not in client.get("/projects/").content.decode()


def test_district_clerk_sees_only_its_district(catalog, client, pdf_bytes):
    tunxi = ApplicationFactory()  # projects default to 屯溪区
    huangshan = ApplicationFactory(project=ProjectFactory(jurisdiction=_j("341003")))
    for application in (tunxi, huangshan):
        complete_draft(application, pdf_bytes)
        services.submit_application(application.pk, application.created_by)
    client.force_login(staff(Role.CLERK, "341002", "data"))
    page = client.get("/staff/window/").content.decode()
    assert tunxi.project.name in page
    assert huangshan.project.name not in page
    assert client.get(f"/applications/{huangshan.pk}/").status_code == 404
    client.force_login(staff(Role.CLERK, "341000", "data"))
    page = client.get("/staff/window/").content.decode()
    assert tunxi.project.name in page and huangshan.project.name in page


def test_applicant_cannot_reach_back_office(applicant, client):
    client.force_login(applicant)
    assert client.get("/staff/window/").status_code == 403
    assert client.get("/staff/tasks/").status_code == 403


def _j(code):
    from stages.models import Jurisdiction

    return Jurisdiction.objects.get(code=code)
