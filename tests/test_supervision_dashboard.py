"""The supervisor's dashboard: who sees what, the period filter refusing
bad input, a fixed number of queries, exports with the filters applied,
and 督办 from the page to the top of the department's inbox."""

import csv
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from approvals import services
from approvals.models import Notification, ReviewTask
from portal.models import Role
from supervision.escalations import escalated_first, escalated_task_ids
from supervision.models import Escalation

from .factories import load_catalog, staff
from .test_supervision_fixtures import (
    NOW,
    application,
    day,
    decided_task,
    load_hall,
    local,
    project,
    supervisor,
    task,
    visit,
)

pytestmark = pytest.mark.django_db
URL = "/staff/supervision/"
PERIOD = "?start=2026-10-01&end=2026-11-20"


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def catalog(db):
    load_catalog()


@pytest.fixture
def city(catalog, client):
    user = supervisor("341000")
    client.force_login(user)
    return user


def overdue_task(jurisdiction_code="341002", matter="drawing-review", **fields):
    owner = application(project_=project(jurisdiction_code), state="in_review")
    fields.setdefault("state", "pending")
    fields.setdefault("due_on", day("2026-11-18"))
    return task(owner, matter, **fields)


def some_of_everything(n):
    """n of each kind of row every section lists (the hall loaded first)."""
    for i in range(n):
        overdue_task(matter="drawing-review" if i % 2 else "water-connection")
        task(
            application(state="in_review"),
            "power-connection",
            state="reviewing",
            due_on=day("2026-11-24"),
            yellow_on=day("2026-11-19"),
        )
        decided_task("quality-safety", "2026-11-02", local("2026-11-10"))
        application(
            "land-planning",
            project(),
            state="issued",
            submitted_at=local("2026-03-02"),
            accepted_at=local("2026-03-03"),
            clock_started_on=day("2026-03-03"),
            decided_at=local("2026-11-05"),
        )
        visit("A", "2026-11-02", 5 + i, 10)
        escalated = overdue_task()
        Escalation.objects.create(
            task=escalated,
            note="请加快",
            new_deadline=day("2026-11-27"),
            created_by_id=staff(Role.SUPERVISOR, "341000").pk,
        )


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


def test_only_supervisors_see_the_dashboard(catalog, client):
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(staff(Role.CLERK, "341000", "data"))
    assert client.get(URL).status_code == 403
    client.force_login(supervisor())
    assert client.get(URL).status_code == 200


def test_the_page_draws_charts_each_followed_by_its_numbers(city, client):
    overdue_task()
    page = client.get(URL + PERIOD).content.decode()
    assert page.count('<svg class="bar-chart"') >= 2
    assert "http://" not in page.split("<main", 1)[1].replace("http://testserver", "")
    section = page.split('id="warnings"', 1)[1]
    assert section.index("<svg") < section.index('<table class="numbers">')
    assert "住房和城乡建设局" in section


def test_a_district_supervisor_sees_only_its_district(catalog, client):
    overdue_task("341002", matter="drawing-review")
    overdue_task("341003", matter="water-connection")
    client.force_login(supervisor("341002"))
    response = client.get(URL + PERIOD)
    departments = [r["department_name"] for r in response.context["figures"].warnings_by_department]
    assert departments == ["住房和城乡建设局"]
    assert "jurisdiction" not in response.context["form"].fields
    # Trying to widen the scope by hand changes nothing.
    response = client.get(URL + PERIOD + "&jurisdiction=1")
    assert [r["department_name"] for r in response.context["figures"].warnings_by_department] == [
        "住房和城乡建设局"
    ]


def test_a_city_supervisor_sees_all_and_may_narrow_to_a_district(city, client):
    overdue_task("341002", matter="drawing-review")
    overdue_task("341003", matter="water-connection")
    figures = client.get(URL + PERIOD).context["figures"]
    assert len(figures.warnings_by_department) == 2
    from stages.models import Jurisdiction

    huangshan = Jurisdiction.objects.get(code="341003").pk
    figures = client.get(URL + PERIOD + f"&jurisdiction={huangshan}").context["figures"]
    assert [r["department_name"] for r in figures.warnings_by_department] == ["供水公司"]


@pytest.mark.parametrize(
    "query, message",
    [
        ("?start=2026-11-20&end=2026-10-01", "开始日期不能晚于结束日期"),
        ("?start=2025-01-01&end=2026-11-20", "统计区间最长 366 天"),
        ("?start=2026-11-01&end=2026-12-31", "结束日期不能晚于今天"),
        ("?start=yesterday&end=2026-11-20", "有效"),
    ],
)
def test_a_bad_period_is_refused_with_a_message(city, client, query, message):
    response = client.get(URL + query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "figures" not in response.context
    export = client.get(URL + "export/warnings.csv" + query)
    assert export.status_code == 400


def test_a_year_is_the_longest_period(city, client):
    assert client.get(URL + "?start=2025-11-20&end=2026-11-20").status_code == 200  # 366 days
    assert client.get(URL + "?start=2025-11-19&end=2026-11-20").status_code == 400


def test_no_period_means_the_last_30_days(city, client):
    period = client.get(URL).context["figures"].filters.period
    assert (period.start, period.end) == (day("2026-10-22"), day("2026-11-20"))


def test_an_empty_period_shows_empty_sections_not_an_error(city, client):
    page = client.get(URL + "?start=2026-01-01&end=2026-01-31").content.decode()
    assert "本期没有办结的事项" in page
    assert "本期没有取号记录" in page


def test_the_dashboard_runs_a_fixed_number_of_queries(city, client):
    load_hall()
    some_of_everything(1)
    few = queries_for(client, URL + PERIOD)
    some_of_everything(6)
    many = queries_for(client, URL + PERIOD)
    assert many == few
    # 22 before, + the summary's edge for the two duration figures, + the
    # agent and intermediary workloads.
    assert few <= 26
    # Narrowed by stage and department: two more, to look the choices up.
    filtered = URL + PERIOD + "&stage=3&department=3&level=red"
    assert queries_for(client, filtered) == few + 2


def test_exports_apply_the_filters(city, client):
    red = overdue_task()
    task(
        application(state="in_review"),
        "power-connection",
        state="reviewing",
        due_on=day("2026-11-24"),
        yellow_on=day("2026-11-19"),
    )
    response = client.get(URL + "export/warnings.csv" + PERIOD + "&level=red")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "预警"
    assert [row[0] for row in rows[1:]] == ["红牌"]
    assert rows[1][4] == red.application.number

    response = client.get(URL + "export/warnings.xlsx" + PERIOD)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert [row[0] for row in values[1:]] == ["红牌", "黄牌"]


def test_exports_of_every_list(city, client):
    load_hall()
    some_of_everything(1)
    for key in (
        "stages",
        "warnings_by_department",
        "warnings",
        "durations_stage",
        "durations_matter",
        "durations_department",
        "projects_summary",
        "projects",
        "window",
        "escalations",
    ):
        for fmt in ("csv", "xlsx"):
            response = client.get(f"{URL}export/{key}.{fmt}{PERIOD}")
            assert response.status_code == 200, (key, fmt)
    assert client.get(URL + "export/nothing.csv" + PERIOD).status_code == 404
    assert client.get(URL + "export/warnings.pdf" + PERIOD).status_code == 404


def test_exported_text_cannot_become_a_formula(city, client):
    overdue = overdue_task()
    overdue.application.project.name = '=HYPERLINK("http://evil.invalid","点我")'
    overdue.application.project.save()
    for fmt in ("csv", "xlsx"):
        response = client.get(f"{URL}export/warnings.{fmt}{PERIOD}")
        if fmt == "csv":
            text = b"".join(response.streaming_content).decode("utf-8-sig")
            assert "'=HYPERLINK" in text
        else:
            sheet = load_workbook(io.BytesIO(response.content)).active
            assert list(sheet.values)[1][3].startswith("'=HYPERLINK")


def test_a_supervisor_escalates_an_overdue_task(city, client):
    reviewer = staff(Role.REVIEWER, "341000", "housing")
    overdue = overdue_task()
    page = client.get(URL + PERIOD).content.decode()
    assert f"/staff/supervision/tasks/{overdue.pk}/escalate/" in page

    form = client.get(f"{URL}tasks/{overdue.pk}/escalate/")
    assert form.status_code == 200
    response = client.post(
        f"{URL}tasks/{overdue.pk}/escalate/",
        {"note": "请于下周三前出具审查意见", "new_deadline": "2026-11-25", "next": URL + PERIOD},
    )
    assert response.status_code == 302
    assert response["Location"] == URL + PERIOD
    escalation = Escalation.objects.get()
    assert (escalation.task, escalation.created_by, escalation.new_deadline) == (
        overdue,
        city,
        day("2026-11-25"),
    )
    notice = Notification.objects.get(recipient=reviewer, event="escalated")
    assert "督办" in notice.title and "2026-11-25" in notice.title
    assert "督办中" in client.get(URL + PERIOD).content.decode()

    again = client.post(
        f"{URL}tasks/{overdue.pk}/escalate/", {"note": "再催", "new_deadline": "2026-11-26"}
    )
    assert again.status_code == 400
    assert Escalation.objects.count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"note": "", "new_deadline": "2026-11-25"}, "必填"),
        ({"note": "请加快", "new_deadline": "2026-11-19"}, "不能早于今天"),
        ({"note": "请加快", "new_deadline": "2027-06-01"}, "不能晚于 60 天之后"),
    ],
)
def test_an_escalation_needs_a_note_and_a_sensible_deadline(city, client, data, message):
    overdue = overdue_task()
    response = client.post(f"{URL}tasks/{overdue.pk}/escalate/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Escalation.objects.exists()


def test_only_overdue_open_tasks_in_scope_can_be_escalated(catalog, client):
    client.force_login(supervisor("341002"))
    not_late = overdue_task(due_on=day("2026-11-30"))
    decided = overdue_task(state="approved")
    elsewhere = overdue_task("341003")
    for target, status in ((not_late, 400), (decided, 400), (elsewhere, 404)):
        response = client.post(
            f"{URL}tasks/{target.pk}/escalate/", {"note": "请加快", "new_deadline": "2026-11-25"}
        )
        assert response.status_code == status
    assert not Escalation.objects.exists()


def test_escalated_tasks_come_first_in_the_reviewer_inbox_order(city):
    reviewer = staff(Role.REVIEWER, "341000", "housing")
    early = overdue_task(due_on=day("2026-11-02"))
    late = overdue_task(due_on=day("2026-11-18"))
    Escalation.objects.create(
        task=late, note="请加快", new_deadline=day("2026-11-25"), created_by=city
    )
    inbox = ReviewTask.objects.for_reviewer(reviewer).filter(state__in=["pending", "reviewing"])
    with CaptureQueriesContext(connection) as queries:
        ordered = list(escalated_first(inbox, "due_on", "pk"))
    assert len(queries) == 1
    assert [t.pk for t in ordered] == [late.pk, early.pk]
    assert (ordered[0].escalated, ordered[0].escalation_deadline) == (True, day("2026-11-25"))
    assert ordered[1].escalated is False
    assert escalated_task_ids(inbox) == {late.pk}


def test_deciding_the_task_resolves_its_escalation(city, client):
    reviewer = staff(Role.REVIEWER, "341002", "housing")
    overdue = overdue_task(state="reviewing", reviewer=reviewer)
    escalation = Escalation.objects.create(
        task=overdue, note="请加快", new_deadline=day("2026-11-25"), created_by=city
    )
    services.approve_task(overdue.pk, reviewer, "同意")
    escalation.refresh_from_db()
    assert escalation.resolved_at is not None
    # A new escalation is possible once the old one is resolved (not here:
    # the task is decided), and the page lists none open.
    assert "没有督办事项" in client.get(URL + PERIOD).content.decode()


def test_a_supervisor_may_close_an_escalation_by_hand(city, client):
    escalation = Escalation.objects.create(
        task=overdue_task(), note="请加快", new_deadline=day("2026-11-25"), created_by=city
    )
    response = client.post(f"{URL}escalations/{escalation.pk}/resolve/", {"next": URL})
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.resolved_at is not None
    district = supervisor("341003")
    client.force_login(district)
    other = Escalation.objects.create(
        task=overdue_task(), note="请加快", new_deadline=day("2026-11-25"), created_by=city
    )
    assert client.post(f"{URL}escalations/{other.pk}/resolve/").status_code == 404
    other.refresh_from_db()
    assert other.resolved_at is None


def test_the_return_link_after_escalating_stays_on_this_site(city, client):
    overdue = overdue_task()
    page = client.get(f"{URL}tasks/{overdue.pk}/escalate/?next=javascript:alert(1)")
    assert 'href="javascript:' not in page.content.decode()
    assert 'value="javascript:' not in page.content.decode().split("<main", 1)[1]


def test_agent_and_intermediary_workloads_each_have_a_chart_and_a_table(city, client):
    from approvals.models import Delegation

    from .factories import UserFactory

    owner = project()
    application("land-planning", owner, state="in_review", submitted_at=local("2026-11-03"))
    agent = UserFactory(role=Role.AGENT, last_name="代办乙", first_name="")
    Delegation.objects.create(project=owner, agent=agent, requested_by=owner.created_by)
    page = client.get(URL + PERIOD).content.decode()
    section = page.split('id="workloads"', 1)[1].split("</section>", 1)[0]
    agents = section.split("中介机构", 1)[0]
    assert agents.index('<svg class="bar-chart"') < agents.index('<table class="numbers">')
    assert "代办乙" in agents.split('<table class="numbers">', 1)[1]
    assert "本期没有中介服务" in section
    response = client.get("/staff/supervision/export/agents.csv" + PERIOD)
    assert "代办乙,1,1,1,1" in b"".join(response.streaming_content).decode("utf-8-sig")
