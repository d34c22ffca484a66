"""窗口收件: a visitor's application taken at the window continues exactly
like a web one, and the enterprise sees it once someone registers."""

import pytest

from approvals import services
from approvals.models import Application
from portal.models import Enterprise

from .factories import complete_draft, valid_credit_code

pytestmark = pytest.mark.django_db


def test_walk_in_from_registration_to_acceptance(client, clerk, pdf_bytes):
    client.force_login(clerk)
    code = valid_credit_code(777)
    response = client.post("/staff/walk-in/", {"credit_code": code})
    assert "尚未在平台登记" in response.content.decode()
    response = client.post(
        "/staff/walk-in/",
        {
            "credit_code": code,
            "register": "1",
            "new-name": "黄山徽韵置业有限公司",
            "new-legal_representative": "汪洋",
            "new-contact": "程前",
            "new-phone": "13905591234",
        },
    )
    enterprise = Enterprise.objects.get(credit_code=code)
    assert response.url == f"/staff/walk-in/{enterprise.pk}/"
    response = client.post(
        response.url,
        {
            "start-stage": "1",
            "project-code": "2105-341000-47-01-000555",
            "project-name": "徽州文化园",
            "project-jurisdiction": "1",
            "project-address": "徽州区岩寺镇",
            "project-total_investment": "9000",
        },
    )
    application = Application.objects.get(project__name="徽州文化园")
    assert application.source == "window"
    assert response.url == f"/applications/{application.pk}/situations/"

    # The clerk fills and submits for the visitor, then it is accepted as usual.
    application.created_by = clerk
    complete_draft(application, pdf_bytes)
    services.submit_application(application.pk, clerk)
    services.accept_application(application.pk, clerk)
    assert Application.objects.get(pk=application.pk).state == "in_review"

    # The visitor registers later with the same credit code and sees it.
    client.logout()
    response = client.post(
        "/accounts/register/",
        {
            "username": "chengqian",
            "last_name": "程前",
            "phone": "13905591234",
            "email": "cq@example.invalid",
            "credit_code": code,
            "enterprise_name": "黄山徽韵置业有限公司",
            "legal_representative": "汪洋",
            "password1": "a-Long-passw0rd",
            "password2": "a-Long-passw0rd",
        },
    )
    assert response.status_code == 302
    assert Enterprise.objects.filter(credit_code=code).count() == 1
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert "徽州文化园" in page and "审查中" in page


def test_clerk_of_another_district_cannot_take_over_a_project(client, catalog):
    from .factories import ProjectFactory, staff

    project = ProjectFactory()  # 屯溪区
    client.force_login(staff("clerk", "341003", "data"))
    response = client.post(
        f"/staff/walk-in/{project.enterprise.pk}/", {"start-stage": "1", "project": project.pk}
    )
    assert response.status_code == 404


def test_a_stage_already_open_is_continued_not_started_twice(client, clerk, project):
    first = services.create_application(project, _stage(1), project.created_by)
    client.force_login(clerk)
    response = client.post(
        f"/staff/walk-in/{project.enterprise.pk}/",
        {"start-stage": "1", "project": project.pk},
        follow=True,
    )
    assert "本阶段已有办理中的申请" in response.content.decode()
    assert list(project.applications.all()) == [first]


def _stage(number):
    from stages.models import Stage

    return Stage.objects.get(number=number)
