"""Stages as configuration: a non-construction thing runs on the same engine,
a submitted application keeps its configuration, the form pre-fills and
validates by each field's own rules."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from approvals import services
from approvals.models import Application, Certificate, Project, ReviewTask
from portal.models import Role
from stages.models import FormField, Jurisdiction, Matter, Stage

from .conftest import wait_for
from .factories import ApplicantFactory, ApplicationFactory, complete_draft, load_catalog, staff


@pytest.mark.django_db(transaction=True)
def test_open_restaurant_runs_on_the_same_workflow(celery_worker_process, pdf_bytes):
    load_catalog()
    call_command("loaddata", "open_restaurant", verbosity=0)
    stage = Stage.objects.get(code="open-restaurant")
    applicant = ApplicantFactory()
    shop = Project.objects.create(
        enterprise=applicant.enterprise,
        jurisdiction=Jurisdiction.objects.get(code="341002"),
        name="屯溪老街徽菜馆",
        address="屯溪区老街88号",
        total_investment=80,
        created_by=applicant,
    )
    application = services.create_application(shop, stage, applicant)
    complete_draft(application, pdf_bytes, answers={"has-signboard": True})
    services.submit_application(application.pk, applicant)
    services.accept_application(application.pk, staff(Role.CLERK, "341002", "data"))
    tasks = ReviewTask.objects.filter(application=application).select_related("department")
    assert {t.matter.code for t in tasks} == {m.code for m in stage.matters.all()}
    for task in tasks:
        reviewer = staff(Role.REVIEWER, "341000", task.department.code)
        services.claim_task(task.pk, reviewer)
        services.approve_task(task.pk, reviewer, "同意")
    wait_for(lambda: Application.objects.filter(pk=application.pk, state="issued").exists())
    certificate = Certificate.objects.get(application=application)
    assert certificate.certificate_type.name == "食品经营许可证"
    assert certificate.number.startswith("SP341002")


@pytest.mark.django_db
def test_a_submitted_application_keeps_its_configuration(catalog, clerk, pdf_bytes):
    stage = Stage.objects.get(code="construction-permit")
    application = complete_draft(ApplicationFactory(stage=stage), pdf_bytes)
    services.submit_application(application.pk, application.created_by)
    submitted_version = Application.objects.get(pk=application.pk).stage_version

    drawing_review = stage.matters.get(code="drawing-review")
    drawing_review.time_limit_working_days = 2
    drawing_review.save()
    FormField.objects.create(stage=stage, key="new-field", label="新增字段", field_type="text")

    application.refresh_from_db()
    assert application.stage_version == submitted_version
    assert "new-field" not in [f["key"] for f in application.configuration.form_fields]
    services.accept_application(application.pk, clerk)
    task = ReviewTask.objects.get(application=application, matter=drawing_review)
    new_draft = ApplicationFactory(stage=stage)
    assert new_draft.stage_version.number == submitted_version.number + 1
    assert "new-field" in [f["key"] for f in new_draft.configuration.form_fields]
    # The task's limit came from the frozen configuration (8 days), not the edit (2).
    from stages.calendar import WorkingCalendar

    accepted_on = timezone.localtime(Application.objects.get(pk=application.pk).accepted_at).date()
    assert WorkingCalendar().working_days_between(accepted_on, task.due_on) == 8


@pytest.mark.django_db
def test_prerequisite_certificate_is_explained(catalog):
    project = ApplicationFactory(stage=Stage.objects.get(code="land-planning")).project
    with pytest.raises(services.ServiceError) as caught:
        services.create_application(
            project, Stage.objects.get(code="construction-permit"), project.created_by
        )
    assert any("建设工程规划许可证" in problem for problem in caught.value.problems)


@pytest.mark.django_db
def test_project_fields_prefill_and_are_shared(catalog, client):
    stage = Stage.objects.get(code="land-planning")
    application = ApplicationFactory(stage=stage)
    mapped = [f for f in application.configuration.form_fields if f["project_attribute"] == "name"]
    assert mapped, "the land-planning form maps a field to the project name"
    client.force_login(application.created_by)
    page = client.get(f"/applications/{application.pk}/edit/").content.decode()
    assert f'value="{application.project.name}"' in page


@pytest.mark.django_db
def test_a_value_breaking_a_field_rule_gets_that_fields_message(catalog, client):
    stage = Stage.objects.get(code="construction-permit")
    field = stage.form_fields.get(key="contract_duration_days")
    application = ApplicationFactory(stage=stage)
    client.force_login(application.created_by)
    response = client.post(f"/applications/{application.pk}/edit/", {"contract_duration_days": "0"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in page
    assert f'href="#id_{field.key}"' in page
    assert "大于或等于" in page or "greater than or equal" in page
    application.refresh_from_db()
    assert "contract_duration_days" not in application.form_data


@pytest.mark.django_db
def test_matter_limit_longer_than_its_stage_is_refused(catalog):
    from django.core.exceptions import ValidationError

    matter = Matter.objects.get(code="drawing-review")
    matter.time_limit_working_days = matter.stage.time_limit_working_days + 1
    with pytest.raises(ValidationError) as caught:
        matter.full_clean()
    assert "time_limit_working_days" in caught.value.message_dict
