"""联合图审 revision rounds and other pauses overlapping: while the
application waits for revised drawings, ending a 特别程序 or answering a
supplement request must not restart the participants' task clocks. The
中秋节 (09-25) and National Day (10-01..07) holidays lie inside the waits."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals import services
from approvals.models import Application, ReviewTask
from approvals.services import joint
from approvals.services.clock import answer_supplement, request_supplement, resume, suspend
from portal.models import Role
from stages.calendar import WorkingCalendar
from stages.models import Stage

from .factories import ApplicationFactory, complete_draft, staff

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day, hour=10):
    return time_machine.travel(datetime.datetime(*day, hour, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def drawings(catalog, clerk, pdf_bytes):
    """A construction-permit application accepted on Monday 2026-09-14,
    with a 联合图审 scheduled for 09-18 (housing leads and is the only
    participant: it owns 施工图联合审查)."""
    stage = Stage.objects.get(code="construction-permit")
    with at((2026, 9, 11)):
        application = complete_draft(ApplicationFactory(stage=stage), pdf_bytes)
        services.submit_application(application.pk, application.created_by)
    with at((2026, 9, 14)):
        services.accept_application(application.pk, clerk)
    housing = staff(Role.REVIEWER, "341000", "housing")
    with at((2026, 9, 15)):
        session = joint.schedule(
            application.pk, housing, datetime.datetime(2026, 9, 18, 9, tzinfo=SHANGHAI), "会审室"
        )
    return Application.objects.get(pk=application.pk), session, housing


def participant(application):
    return ReviewTask.objects.get(application=application, matter__joint_session=True)


def bystander(application):
    """A task outside the session: only the 特别程序 stops its clock."""
    return ReviewTask.objects.filter(application=application, matter__joint_session=False).first()


def request_revision(session, housing, day):
    with at(day):
        joint.record_opinion(session.pk, housing, "pass_with_conditions", "楼梯间宽度不足")
        joint.close_round(session.pk, housing, "revise", "楼梯间加宽")


def hand_in_drawings(session, application, day, pdf_bytes):
    with at(day):
        joint.submit_revision(
            session.pk, application.created_by, [SimpleUploadedFile("图.pdf", pdf_bytes)]
        )


def test_resuming_a_suspension_during_the_revision_keeps_the_drawing_clock_stopped(
    drawings, clerk, pdf_bytes
):
    application, session, housing = drawings
    # 8 working days from 09-14 (Mon): 09-15..18, 09-20 (Sun, make-up), 09-21..23.
    assert participant(application).due_on == datetime.date(2026, 9, 23)
    other_due = bystander(application).due_on
    request_revision(session, housing, (2026, 9, 29))  # Tue
    with at((2026, 9, 30)):
        suspension = suspend(application.pk, clerk, "expert_review", "专家论证", 3)
    with at((2026, 10, 8)):  # first working day after the holiday
        resume(suspension.pk, clerk)

    task = participant(application)
    assert task.paused_since == datetime.date(2026, 9, 29)  # drawings still out
    assert (task.paused_working_days, task.due_on) == (0, datetime.date(2026, 9, 23))
    other = bystander(application)
    # Suspended 09-30 → 10-08: one working day (10-08).
    assert (other.paused_since, other.paused_working_days) == (None, 1)
    assert other.due_on == WorkingCalendar().add_working_days(other_due, 1)

    hand_in_drawings(session, application, (2026, 10, 9), pdf_bytes)
    task = participant(application)
    # Waiting 09-29 → 10-09: 09-30, 10-08, 10-09 — the suspension inside
    # it is not counted twice.
    assert (task.paused_since, task.paused_working_days) == (None, 3)
    # 09-23 plus 3 working days: 09-24, 09-28, 09-29 (09-25 is 中秋节).
    assert task.due_on == datetime.date(2026, 9, 29)


def test_a_revision_asked_during_a_suspension_holds_the_clock_after_it_ends(
    drawings, clerk, pdf_bytes
):
    application, session, housing = drawings
    with at((2026, 9, 28)):
        suspension = suspend(application.pk, clerk, "hearing", "听证", 2)
    request_revision(session, housing, (2026, 9, 29))
    with at((2026, 9, 30)):
        resume(suspension.pk, clerk)

    assert participant(application).paused_since == datetime.date(2026, 9, 28)
    other = bystander(application)
    assert (other.paused_since, other.paused_working_days) == (None, 2)  # 09-29, 09-30

    hand_in_drawings(session, application, (2026, 10, 9), pdf_bytes)
    task = participant(application)
    # One continuous stop 09-28 → 10-09: 09-29, 09-30, 10-08, 10-09.
    assert (task.paused_since, task.paused_working_days) == (None, 4)
    # 09-23 plus 4 working days: 09-24, 09-28, 09-29, 09-30.
    assert task.due_on == datetime.date(2026, 9, 30)


def test_answering_a_supplement_during_the_revision_keeps_the_clock_stopped(drawings, pdf_bytes):
    application, session, housing = drawings
    task = participant(application)
    with at((2026, 9, 24)):  # Thu, before 中秋节
        services.claim_task(task.pk, housing)
        request_supplement(task.pk, housing, "请补充结构计算书")
    request_revision(session, housing, (2026, 9, 29))
    with at((2026, 9, 30)):
        answer_supplement(task.pk, application.created_by, "已上传")

    task = participant(application)
    assert (task.state, task.paused_since) == ("reviewing", datetime.date(2026, 9, 24))

    hand_in_drawings(session, application, (2026, 10, 9), pdf_bytes)
    task = participant(application)
    # 09-24 → 10-09: 09-28, 09-29, 09-30, 10-08, 10-09.
    assert (task.paused_since, task.paused_working_days) == (None, 5)
    # 09-23 plus 5 working days: 09-24, 09-28, 09-29, 09-30, 10-08.
    assert task.due_on == datetime.date(2026, 10, 8)
