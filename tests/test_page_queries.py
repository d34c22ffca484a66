"""Pages run a fixed number of queries, however much data there is."""

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


def submitted_applications(count, pdf_bytes):
    applications = []
    for _ in range(count):
        application = ApplicationFactory()
        complete_draft(application, pdf_bytes)
        applications.append(services.submit_application(application.pk, application.created_by))
    return applications


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_clerk_inbox_queries_do_not_grow(catalog, client, pdf_bytes):
    client.force_login(staff(Role.CLERK, "341000", "data"))
    submitted_applications(2, pdf_bytes)
    few = queries_for(client, "/staff/window/")
    submitted_applications(6, pdf_bytes)
    assert queries_for(client, "/staff/window/") == few
    assert few <= 12


def test_reviewer_inbox_and_application_page_queries_do_not_grow(catalog, client, pdf_bytes):
    clerk = staff(Role.CLERK, "341000", "data")
    reviewer = staff(Role.REVIEWER, "341000", "housing")
    first = submitted_applications(1, pdf_bytes)[0]
    services.accept_application(first.pk, clerk)
    client.force_login(reviewer)
    few_inbox = queries_for(client, "/staff/tasks/")
    few_page = queries_for(client, f"/applications/{first.pk}/")
    for application in submitted_applications(4, pdf_bytes):
        services.accept_application(application.pk, clerk)
    task = ReviewTask.objects.filter(application=first, department__code="housing").first()
    services.claim_task(task.pk, reviewer)
    services.approve_task(task.pk, reviewer, "同意")
    assert queries_for(client, "/staff/tasks/") == few_inbox
    assert queries_for(client, f"/applications/{first.pk}/") == few_page
    assert few_page <= 20


def test_reviewer_inbox_filters_run_the_same_queries_for_one_task_and_many(
    catalog, client, pdf_bytes
):
    clerk = staff(Role.CLERK, "341000", "data")
    reviewer = staff(Role.REVIEWER, "341000", "power")  # one matter per application
    supervisor = staff(Role.SUPERVISOR, "341000")
    first = submitted_applications(1, pdf_bytes)[0]
    services.accept_application(first.pk, clerk)
    power = ReviewTask.objects.filter(department__code="power")
    power.update(due_on=datetime.date(2026, 1, 5))  # overdue, so every filter lists it
    urls = [
        "/staff/tasks/",
        "/staff/tasks/?due=overdue",
        "/staff/tasks/?sort=-due",
        "/staff/tasks/?state=&sort=due",
        "/staff/tasks/?sort=-created",
        "/staff/tasks/?page=2",
        "/staff/tasks/?q=示范工程",
        f"/staff/tasks/?state=&q={first.number}",
    ]
    client.force_login(reviewer)
    assert power.count() == 1
    one = {url: queries_for(client, url) for url in urls}

    for application in submitted_applications(24, pdf_bytes):
        services.accept_application(application.pk, clerk)
    power.update(due_on=datetime.date(2026, 1, 5))
    task = power.exclude(application=first).first()
    Escalation.objects.create(
        task=task, note="请加快", new_deadline=datetime.date(2026, 1, 9), created_by=supervisor
    )
    other = power.exclude(pk=task.pk).exclude(application=first).first()
    services.claim_task(other.pk, reviewer)
    assert power.count() == 25  # more than one page of 20
    many = {url: queries_for(client, url) for url in urls}
    assert many == one
    page = client.get("/staff/tasks/").content.decode()
    assert "督办：限 2026-01-09 前办结" in page and "已超期" in page
