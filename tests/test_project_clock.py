"""The project clock against the 100-working-day target, split into
government, applicant (correction) and intermediary time."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from approvals import services
from approvals.services.project_clock import project_clock
from stages.models import Stage

from .factories import ApplicationFactory, complete_draft

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
