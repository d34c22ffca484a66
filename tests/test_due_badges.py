"""Yellow and red as the clock defines them (Clocked.warning_level and
warning_q): one rule for the badges on every list and page and for the
inboxes' due filters, whatever the limit's length."""

import datetime

import pytest
from django.utils import timezone

from approvals import services
from approvals.models import Application, ReviewTask
from portal.models import Role

from .factories import ApplicationFactory, complete_draft, staff

pytestmark = pytest.mark.django_db


def accepted(pdf_bytes):
    application = complete_draft(ApplicationFactory(), pdf_bytes)
    services.submit_application(application.pk, application.created_by)
    return services.accept_application(application.pk, staff(Role.CLERK, "341000", "data"))


def set_clock(model, pk, due_in, yellow_in):
    today = timezone.localdate()
    model.objects.filter(pk=pk).update(
        due_on=today + datetime.timedelta(days=due_in),
        yellow_on=today + datetime.timedelta(days=yellow_in),
    )


@pytest.fixture
def three(catalog, pdf_bytes):
    """Applications red (overdue), yellow (past its yellow date) and calm —
    the calm one due in 2 days but, with a long limit, not yet yellow."""
    red, yellow, calm = (accepted(pdf_bytes) for _ in range(3))
    set_clock(Application, red.pk, -1, -4)
    set_clock(Application, yellow.pk, 6, -1)
    set_clock(Application, calm.pk, 2, 3)
    for application, (due_in, yellow_in) in zip(
        (red, yellow, calm), [(-1, -4), (6, -1), (2, 3)], strict=True
    ):
        # The same matter in each, so one department's reviewer sees all three.
        task = ReviewTask.objects.filter(application=application).order_by("matter_id").first()
        set_clock(ReviewTask, task.pk, due_in, yellow_in)
    return red, yellow, calm


def numbers_on(page, applications):
    return {a.number for a in applications if a.number in page}


def test_levels_follow_the_yellow_date_not_a_fixed_number_of_days(three):
    red, yellow, calm = (Application.objects.get(pk=a.pk) for a in three)
    assert [a.warning_level for a in (red, yellow, calm)] == ["red", "yellow", ""]
    Application.objects.filter(pk=red.pk).update(decided_at=timezone.now())
    assert Application.objects.get(pk=red.pk).warning_level == ""


def test_clerk_inbox_filters_and_badges(client, three):
    red, yellow, _calm = three
    client.force_login(staff(Role.CLERK, "341000", "data"))
    page = client.get("/staff/window/", {"state": "in_review", "due": "overdue"}).content.decode()
    assert numbers_on(page, three) == {red.number}
    page = client.get("/staff/window/", {"state": "in_review", "due": "soon"}).content.decode()
    assert numbers_on(page, three) == {yellow.number}
    page = client.get("/staff/window/", {"state": "in_review"}).content.decode()
    assert page.count('class="tag tag-key">已超期') == 1
    assert page.count('class="tag tag-warn">即将到期') == 1


def test_reviewer_inbox_filters_and_badges(client, three):
    red, yellow, calm = three
    task = (
        ReviewTask.objects.select_related("department")
        .filter(application=red)
        .order_by("matter_id")
        .first()
    )
    client.force_login(staff(Role.REVIEWER, "341000", task.department.code))
    page = client.get("/staff/tasks/", {"due": "overdue"}).content.decode()
    assert numbers_on(page, three) == {red.number}
    page = client.get("/staff/tasks/", {"due": "soon"}).content.decode()
    assert numbers_on(page, three) == {yellow.number}
    page = client.get("/staff/tasks/").content.decode()
    assert numbers_on(page, three) == {red.number, yellow.number, calm.number}
    detail = client.get(f"/staff/tasks/{task.pk}/").content.decode()
    assert 'class="tag tag-key">已超期' in detail


def test_applicant_pages_show_the_badge(client, three):
    _red, yellow, calm = three
    client.force_login(yellow.created_by)
    page = client.get(f"/applications/{yellow.pk}/").content.decode()
    assert 'class="tag tag-warn">即将到期' in page
    assert (
        'class="tag tag-warn">即将到期'
        in client.get(f"/projects/{yellow.project_id}/").content.decode()
    )
    client.force_login(calm.created_by)
    page = client.get(f"/applications/{calm.pk}/").content.decode()
    assert "即将到期" not in page and "已超期" not in page


def test_a_stopped_clock_shows_the_level_it_had_when_it_stopped(client, three):
    """Paused two days before its due date (a 特别程序): the deadline moves
    out by the pause on resumption, so it is not overdue meanwhile."""
    red, yellow, _calm = three
    paused_since = timezone.localdate() - datetime.timedelta(days=3)
    Application.objects.filter(pk=red.pk).update(paused_since=paused_since)
    assert Application.objects.get(pk=red.pk).warning_level == "yellow"
    Application.objects.filter(pk=yellow.pk).update(paused_since=paused_since)
    assert Application.objects.get(pk=yellow.pk).warning_level == ""
    client.force_login(staff(Role.CLERK, "341000", "data"))
    page = client.get("/staff/window/", {"state": "in_review", "due": "overdue"}).content.decode()
    assert numbers_on(page, three) == set()
    page = client.get("/staff/window/", {"state": "in_review", "due": "soon"}).content.decode()
    assert numbers_on(page, three) == {red.number}
