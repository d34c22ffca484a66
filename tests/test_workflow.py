"""The application and review-task state machines, through the services."""

import pytest
from django.core.exceptions import PermissionDenied

from approvals import services
from approvals.models import Application, Certificate, ReviewTask, TransitionLog
from portal.models import Role
from stages.models import MaterialRequirement, Stage

from .factories import ApplicantFactory, ApplicationFactory, complete_draft, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(catalog, pdf_bytes):
    application = ApplicationFactory()
    complete_draft(application, pdf_bytes)
    return services.submit_application(application.pk, application.created_by)


def test_incomplete_draft_cannot_be_submitted_and_says_why(catalog):
    stage = Stage.objects.get(code="construction-permit")
    MaterialRequirement.objects.get_or_create(
        stage=stage, kind="construction-drawings", defaults={"name": "施工图设计文件"}
    )
    application = ApplicationFactory(stage=stage)
    with pytest.raises(services.SubmissionIncomplete) as caught:
        services.submit_application(application.pk, application.created_by)
    problems = caught.value.problems
    assert any("合同价格" in problem for problem in problems)
    assert any("请上传" in problem and "施工图" in problem for problem in problems)
    application.refresh_from_db()
    assert application.state == "draft"


def test_submit_numbers_the_application_and_logs_once(submitted):
    assert submitted.state == "submitted"
    assert submitted.number.endswith(f"{submitted.pk:06d}")
    with pytest.raises(services.StateConflict):
        services.submit_application(submitted.pk, submitted.created_by)
    assert TransitionLog.objects.filter(application=submitted, transition="submit").count() == 1


def test_another_enterprise_cannot_submit(catalog, pdf_bytes):
    application = ApplicationFactory()
    complete_draft(application, pdf_bytes)
    with pytest.raises(PermissionDenied):
        services.submit_application(application.pk, ApplicantFactory())


def test_accept_creates_one_task_per_matter_with_due_dates(submitted, clerk):
    application = services.accept_application(submitted.pk, clerk)
    assert application.state == "in_review"
    assert application.due_on is not None
    tasks = ReviewTask.objects.filter(application=application)
    # Situations answered "no": no special fire review, no gas connection.
    assert set(tasks.values_list("matter__code", flat=True)) == {
        "drawing-review",
        "quality-safety",
        "construction-permit",
        "water-connection",
        "power-connection",
    }
    assert all(task.due_on <= application.due_on or not task.mandatory for task in tasks)
    assert set(tasks.values_list("state", flat=True)) == {"pending"}


def test_second_accept_is_refused_with_who_did_it_and_no_second_log_row(submitted, clerk):
    other_clerk = staff(Role.CLERK, "341000", "data", last_name="周")
    services.accept_application(submitted.pk, clerk)
    with pytest.raises(services.StateConflict) as caught:
        services.accept_application(submitted.pk, other_clerk)
    assert clerk.display_name in caught.value.message
    assert TransitionLog.objects.filter(application=submitted, transition="accept").count() == 1


def test_clerk_of_another_district_cannot_accept(submitted):
    huangshan_district_clerk = staff(Role.CLERK, "341003", "data")
    with pytest.raises(PermissionDenied):
        services.accept_application(submitted.pk, huangshan_district_clerk)


def _review_all(application, decide):
    for task in ReviewTask.objects.filter(application=application).select_related("department"):
        reviewer = staff(Role.REVIEWER, "341000", task.department.code)
        services.claim_task(task.pk, reviewer)
        decide(task, reviewer)


def test_all_mandatory_approved_approves_and_numbers_certificates(submitted, clerk):
    services.accept_application(submitted.pk, clerk)

    def approve_mandatory(task, reviewer):
        if task.mandatory:
            services.approve_task(task.pk, reviewer, "符合要求")

    _review_all(submitted, approve_mandatory)
    application = Application.objects.get(pk=submitted.pk)
    assert application.state == "approved"  # the worker issues it after rendering
    certificate = Certificate.objects.get(application=application)
    assert certificate.number == f"SG341002{certificate.issued_on.year}00001"
    assert certificate.certificate_type.code == "construction-permit"


def test_one_mandatory_rejection_rejects_the_application(submitted, clerk):
    services.accept_application(submitted.pk, clerk)
    task = ReviewTask.objects.filter(application=submitted, mandatory=True).first()
    reviewer = staff(Role.REVIEWER, "341000", task.department.code)
    services.claim_task(task.pk, reviewer)
    with pytest.raises(services.ServiceError):
        services.reject_task(task.pk, reviewer, "  ")
    services.reject_task(task.pk, reviewer, "不符合《建筑法》第八条")
    assert Application.objects.get(pk=submitted.pk).state == "rejected"


def test_reviewer_of_another_department_cannot_decide(submitted, clerk):
    services.accept_application(submitted.pk, clerk)
    task = ReviewTask.objects.filter(application=submitted, department__code="power").first()
    with pytest.raises(PermissionDenied):
        services.claim_task(task.pk, staff(Role.REVIEWER, "341000", "gas"))


def test_timeline_is_append_only(submitted):
    entry = TransitionLog.objects.filter(application=submitted).first()
    entry.comment = "changed"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
