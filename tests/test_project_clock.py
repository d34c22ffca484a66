"""The project clock against the 100-working-day target, split into
government, applicant (corrections, supplements) and intermediary time."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from approvals import services
from approvals.models import ReviewTask
from approvals.services.clock import answer_supplement, request_supplement
from approvals.services.project_clock import project_clock
from portal.models import Role
from stages.models import Stage

from .factories import ApplicationFactory, complete_draft, staff

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day):
    return time_machine.travel(datetime.datetime(*day, 10, tzinfo=SHANGHAI), tick=False)


def test_clock_counts_working_days_and_applicant_time(catalog, clerk, pdf_bytes, client):
    stage = Stage.objects.get(code="land-planning")
    application = complete_draft(ApplicationFactory(stage=stage), pdf_bytes)
    assert project_clock(application.project) is None
    with at((2026, 9, 25)):  # Friday before National Day
        services.submit_application(application.pk, application.created_by)
    with at((2026, 9, 28)):
        services.request_correction(
            application.pk,
            clerk,
            [{"target": "other", "label": "其他", "problem": "地形图比例尺不符"}],
        )
    with at((2026, 10, 9)):  # 09-29, 09-30, 10-08, 10-09: 4 working days correcting
        services.resubmit_application(application.pk, application.created_by)
    clock = project_clock(application.project, today=datetime.date(2026, 10, 15))
    assert clock.total == 10  # 2026-09-25 .. 10-15 holds 10 working days (FACTS.md)
    assert clock.applicant == 4
    assert clock.intermediary == 0
    assert clock.government == 6
    assert clock.status == "on_track" and not clock.finished
    client.force_login(application.created_by)
    page = client.get(f"/projects/{application.project.pk}/").content.decode()
    assert "100个工作日承诺" in page


def test_supplement_time_counts_as_applicant_time_only_while_every_task_waits(
    catalog, clerk, pdf_bytes
):
    stage = Stage.objects.get(code="land-planning")
    application = complete_draft(ApplicationFactory(stage=stage), pdf_bytes)
    applicant = application.created_by
    with at((2026, 9, 14)):  # Monday
        services.submit_application(application.pk, applicant)
    with at((2026, 9, 15)):
        services.accept_application(application.pk, clerk)
    nrp = staff(Role.REVIEWER, "341000", "nrp")
    with at((2026, 9, 17)):
        for task in ReviewTask.objects.filter(application=application).select_related("matter"):
            if task.department_id == nrp.staff_membership.department_id:
                services.claim_task(task.pk, nrp)
            else:  # the other departments decide at once
                reviewer = staff(Role.REVIEWER, "341000", task.department.code)
                services.claim_task(task.pk, reviewer)
                services.approve_task(task.pk, reviewer, "同意")
    site = ReviewTask.objects.get(application=application, matter__code="site-selection")
    permit = ReviewTask.objects.get(application=application, matter__code="land-planning-permit")
    with at((2026, 9, 18)):
        request_supplement(site.pk, nrp, "请补充选址论证报告")
    with at((2026, 9, 22)):
        request_supplement(permit.pk, nrp, "请补充宗地图")
    with at((2026, 9, 29)):
        answer_supplement(permit.pk, applicant, "已补充")
    with at((2026, 10, 9)):
        answer_supplement(site.pk, applicant, "已补充")

    clock = project_clock(application.project, today=datetime.date(2026, 10, 15))
    # 09-14 .. 10-15: 09-15..18, 09-20 (Sunday make-up day), 09-21..24,
    # 09-28..30, 10-08..10 (10-10 Saturday make-up day), 10-12..15; 09-25 is
    # 中秋节, 10-01..07 国庆节.
    assert clock.total == 19
    # The site selection waits 09-20..24, 09-28..30, 10-08..09 (10 days) and
    # the permit 09-23, 24, 28, 29 (4 days); only on those 4 days does no
    # task of the application run, so only they are the applicant's.
    assert clock.applicant == 4
    assert clock.government == 15
    assert clock.intermediary == 0


def test_a_lone_open_task_waiting_moves_its_days_to_the_applicant(catalog, clerk, pdf_bytes):
    stage = Stage.objects.get(code="land-planning")
    application = complete_draft(ApplicationFactory(stage=stage), pdf_bytes)
    applicant = application.created_by
    with at((2026, 9, 14)):
        services.submit_application(application.pk, applicant)
    with at((2026, 9, 15)):
        services.accept_application(application.pk, clerk)
    nrp = staff(Role.REVIEWER, "341000", "nrp")
    waiting = None
    with at((2026, 9, 16)):
        for task in ReviewTask.objects.filter(application=application).select_related("matter"):
            reviewer = staff(Role.REVIEWER, "341000", task.department.code)
            services.claim_task(task.pk, reviewer)
            if task.matter.code == "site-selection":
                waiting = task
                request_supplement(task.pk, reviewer, "请补充选址论证报告")
            elif task.matter.code != "land-planning-permit":
                services.approve_task(task.pk, reviewer, "同意")
    with at((2026, 9, 24)):
        services.approve_task(
            ReviewTask.objects.get(application=application, matter__code="land-planning-permit").pk,
            nrp,
            "同意",
        )
    # Still waiting on 10-09: 09-25 .. 10-09 holds 09-28, 29, 30, 10-08, 09.
    clock = project_clock(application.project, today=datetime.date(2026, 10, 9))
    assert ReviewTask.objects.get(pk=waiting.pk).state == "needs_supplement"
    assert clock.total == 14  # 09-15..18, 09-20..24, 09-28..30, 10-08, 10-09
    # The supplement waits from 09-16; the permit ran until 09-24, so the
    # applicant holds the application from 09-25 on: 5 working days.
    assert clock.applicant == 5
    assert clock.government == 9


def test_a_correction_ends_when_the_application_is_withdrawn(catalog, clerk, pdf_bytes):
    stage = Stage.objects.get(code="land-planning")
    application = complete_draft(ApplicationFactory(stage=stage), pdf_bytes)
    with at((2026, 9, 25)):
        services.submit_application(application.pk, application.created_by)
    with at((2026, 9, 28)):
        services.request_correction(
            application.pk,
            clerk,
            [{"target": "other", "label": "其他", "problem": "地形图比例尺不符"}],
        )
    with at((2026, 10, 9)):  # withdrawn while correcting: 09-29, 09-30, 10-08, 10-09
        services.withdraw_application(application.pk, application.created_by, "项目调整")
    clock = project_clock(application.project, today=datetime.date(2026, 10, 15))
    assert clock.total == 10
    # The notice no longer waits for an answer after the withdrawal.
    assert clock.applicant == 4
