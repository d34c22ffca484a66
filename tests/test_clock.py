"""The working-day clock through holidays and make-up days, pauses that shift
due dates by exactly the paused working days, and warnings raised once."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from approvals import services
from approvals.models import Application, Notification, ReviewTask, Suspension
from approvals.services.clock import (
    answer_supplement,
    request_supplement,
    resume,
    resume_expired_suspensions,
    suspend,
)
from approvals.services.warnings import sweep
from portal.models import Role
from stages.calendar import WorkingCalendar

from .factories import ApplicationFactory, complete_draft, staff

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day, hour=10):
    return time_machine.travel(datetime.datetime(*day, hour, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def accepted(catalog, clerk, pdf_bytes):
    """A construction-permit application accepted on Monday 2026-09-28,
    just before the National Day holiday (10-01..07, make-up Saturday 10-10)."""
    with at((2026, 9, 25)):
        application = complete_draft(ApplicationFactory(), pdf_bytes)
        services.submit_application(application.pk, application.created_by)
    with at((2026, 9, 28)):
        services.accept_application(application.pk, clerk)
    return Application.objects.get(pk=application.pk)


def test_due_dates_skip_the_holiday_and_count_the_make_up_day(accepted):
    # 15 working days from 09-28: 09-29, 09-30, 10-08, 10-09, 10-10 (Sat, make-up),
    # 10-12..16, 10-19..23 → 10-23.
    assert accepted.due_on == datetime.date(2026, 10, 23)
    drawing = ReviewTask.objects.get(application=accepted, matter__code="drawing-review")
    assert drawing.due_on == datetime.date(2026, 10, 14)  # 8 working days
    assert WorkingCalendar().working_days_between(datetime.date(2026, 9, 28), drawing.due_on) == 8


def test_a_suspension_shifts_every_due_date_by_the_paused_working_days(accepted, clerk):
    tasks_before = dict(ReviewTask.objects.filter(application=accepted).values_list("pk", "due_on"))
    with at((2026, 10, 12)):
        suspension = suspend(accepted.pk, clerk, "expert_review", "组织专家评审", 5)
    assert Application.objects.get(pk=accepted.pk).state == "suspended"
    with pytest.raises(services.ServiceError), at((2026, 10, 13)):
        services.accept_application(accepted.pk, clerk)  # nothing to accept
    with at((2026, 10, 16)):  # Mon 10-12 → Fri 10-16: 4 working days paused
        resume(suspension.pk, clerk)
    application = Application.objects.get(pk=accepted.pk)
    assert application.state == "in_review"
    assert application.paused_working_days == 4
    calendar = WorkingCalendar()
    assert application.due_on == calendar.add_working_days(datetime.date(2026, 10, 23), 4)
    for task in ReviewTask.objects.filter(application=accepted):
        assert task.due_on == calendar.add_working_days(tasks_before[task.pk], 4)
    assert Suspension.objects.get(pk=suspension.pk).paused_working_days == 4
    with pytest.raises(services.ServiceError, match="已经结束"):
        resume(suspension.pk, clerk)


def test_a_supplement_request_stops_only_that_tasks_clock(accepted):
    task = ReviewTask.objects.get(application=accepted, matter__code="drawing-review")
    reviewer = staff(Role.REVIEWER, "341000", "housing")
    with at((2026, 10, 8)):
        services.claim_task(task.pk, reviewer)
        request_supplement(task.pk, reviewer, "请补充消防设计说明")
    with at((2026, 10, 13)):  # 10-09, 10-10 (make-up), 10-12, 10-13: 4 working days
        answer_supplement(task.pk, accepted.created_by, "已上传")
    task.refresh_from_db()
    assert task.state == "reviewing"
    assert task.paused_working_days == 4
    assert task.due_on == WorkingCalendar().add_working_days(datetime.date(2026, 10, 14), 4)
    assert Application.objects.get(pk=accepted.pk).paused_working_days == 0


def test_an_expired_suspension_resumes_by_itself(accepted, clerk):
    with at((2026, 10, 12)):
        suspend(accepted.pk, clerk, "publicity", "批前公示", 3)
    with at((2026, 10, 14)):
        assert resume_expired_suspensions() == 0
    with at((2026, 10, 15)):
        assert resume_expired_suspensions() == 1
        assert resume_expired_suspensions() == 0
    assert Application.objects.get(pk=accepted.pk).state == "in_review"


def test_warnings_go_out_once_per_level(accepted):
    supervisor = staff(Role.SUPERVISOR, "341000")
    drawing = ReviewTask.objects.get(application=accepted, matter__code="drawing-review")
    # 8-day limit → 20% is 1 day: yellow on 10-13, red after 10-14.
    assert drawing.yellow_on == datetime.date(2026, 10, 13)
    with at((2026, 10, 12)):
        before = sweep()
    assert before[("ReviewTask", "yellow")] == 0
    with at((2026, 10, 13)):
        first = sweep()
        again = sweep()
    assert first[("ReviewTask", "yellow")] >= 1
    assert again[("ReviewTask", "yellow")] == 0
    yellow = Notification.objects.filter(
        event="warning_yellow", title__contains=drawing.matter.name
    )
    recipients = set(yellow.values_list("recipient_id", flat=True))
    assert supervisor.pk in recipients
    assert yellow.count() == len(recipients)  # one each
    with at((2026, 10, 15)):
        sweep()
        sweep()
    red = Notification.objects.filter(event="warning_red", title__contains=drawing.matter.name)
    assert red.count() == len(set(red.values_list("recipient_id", flat=True))) > 0


def test_a_paused_task_is_not_warned(accepted, clerk):
    with at((2026, 10, 12)):
        suspend(accepted.pk, clerk, "hearing", "听证", 10)
    with at((2026, 10, 20)):
        touched = sweep()
    assert touched[("ReviewTask", "red")] == 0
    assert touched[("Application", "yellow")] == 0


def test_reviewer_pauses_and_the_applicant_answers_through_the_pages(accepted, client, pdf_bytes):
    task = ReviewTask.objects.get(application=accepted, matter__code="drawing-review")
    reviewer = staff(Role.REVIEWER, "341000", "housing")
    services.claim_task(task.pk, reviewer)
    client.force_login(reviewer)
    response = client.post(
        f"/staff/tasks/{task.pk}/supplement/", {"request": "请补充节能计算书"}, follow=True
    )
    assert "已要求申请人补充材料" in response.content.decode()
    client.force_login(accepted.created_by)
    page = client.get(f"/applications/{accepted.pk}/").content.decode()
    assert "请补充节能计算书" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/applications/{accepted.pk}/tasks/{task.pk}/supplement/",
        {"answer": "已补充", "file": SimpleUploadedFile("节能计算书.pdf", pdf_bytes)},
        follow=True,
    )
    assert "补充材料已提交" in response.content.decode()
    task.refresh_from_db()
    assert task.state == "reviewing"
    assert accepted.materials.filter(kind="supplement").count() == 1


def test_a_deadline_moved_back_out_warns_red_again_when_crossed_again(accepted):
    drawing = ReviewTask.objects.get(application=accepted, matter__code="drawing-review")
    with at((2026, 10, 15)):
        sweep()
    drawing.refresh_from_db()
    assert drawing.warned_red_at is not None and drawing.warned_yellow_at is not None
    red = Notification.objects.filter(event="warning_red", title__contains=drawing.matter.name)
    first_count = red.count()
    with at((2026, 10, 15)):
        # Five more working days (say the calendar was corrected): due 10-21.
        drawing.paused_working_days += 5
        drawing.recompute_due(WorkingCalendar())
        drawing.save()
    assert drawing.due_on == datetime.date(2026, 10, 21)
    assert drawing.warned_red_at is None and drawing.warned_yellow_at is None
    with at((2026, 10, 20)):
        sweep()
    assert red.count() == first_count  # yellow again, not red yet
    with at((2026, 10, 22)):
        sweep()
        sweep()
    assert red.count() == 2 * first_count


def test_a_second_click_on_the_supplement_answer_adds_no_file(accepted, client, pdf_bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    tasks = ReviewTask.objects.filter(application=accepted).select_related("department")[:2]
    for task in tasks:
        reviewer = staff(Role.REVIEWER, "341000", task.department.code)
        services.claim_task(task.pk, reviewer)
        request_supplement(task.pk, reviewer, "请补充节能计算书")
    client.force_login(accepted.created_by)
    task = tasks[0]
    for _click in range(2):
        client.post(
            f"/applications/{accepted.pk}/tasks/{task.pk}/supplement/",
            {"answer": "已补充", "file": SimpleUploadedFile("节能计算书.pdf", pdf_bytes)},
        )
    task.refresh_from_db()
    assert task.state == "reviewing"
    # The second answer was refused (already answered): its file went with it.
    assert accepted.materials.filter(kind="supplement").count() == 1
