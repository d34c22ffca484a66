"""督办 in the department's inbox: escalated tasks come first, marked, and
the page's query count does not change."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals import services
from approvals.models import ReviewTask
from portal.models import Role
from supervision.models import Escalation

from .factories import ApplicationFactory, complete_draft, staff

pytestmark = pytest.mark.django_db


def test_escalated_task_is_first_and_marked(catalog, clerk, client, pdf_bytes):
    reviewer = staff(Role.REVIEWER, "341000", "housing")
    supervisor = staff(Role.SUPERVISOR, "341000")
    applications = []
    for _ in range(3):
        application = complete_draft(ApplicationFactory(), pdf_bytes)
        services.submit_application(application.pk, application.created_by)
        services.accept_application(application.pk, clerk)
        applications.append(application)
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as before:
        client.get("/staff/tasks/")
    last = ReviewTask.objects.filter(department__code="housing").order_by("-due_on", "-pk").first()
    Escalation.objects.create(
        task=last,
        note="请加快办理",
        new_deadline=datetime.date(2026, 12, 31),
        created_by=supervisor,
    )
    with CaptureQueriesContext(connection) as after:
        page = client.get("/staff/tasks/").content.decode()
    assert len(after) == len(before)
    assert "督办：限 2026-12-31 前办结" in page
    first_link = page.index(f'href="/staff/tasks/{last.pk}/"')
    for other in ReviewTask.objects.filter(department__code="housing").exclude(pk=last.pk):
        assert first_link < page.index(f'href="/staff/tasks/{other.pk}/"')
