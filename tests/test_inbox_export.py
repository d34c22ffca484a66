"""The clerk's inbox exports what the page shows: the same filters, the same
visibility, every row rather than one page, and text a spreadsheet would run
as a formula defused."""

import csv
import io

import pytest
from openpyxl import load_workbook

from approvals import services
from portal.models import Role
from stages.models import Jurisdiction

from .factories import ApplicationFactory, ProjectFactory, complete_draft, staff

pytestmark = pytest.mark.django_db


def submitted(pdf_bytes, **project):
    application = ApplicationFactory(project=ProjectFactory(**project))
    complete_draft(application, pdf_bytes)
    return services.submit_application(application.pk, application.created_by)


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.fixture
def applications(catalog, pdf_bytes):
    tunxi = [submitted(pdf_bytes) for _ in range(3)]
    formula = submitted(pdf_bytes, name='=HYPERLINK("http://evil.invalid")')
    other_district = submitted(pdf_bytes, jurisdiction=Jurisdiction.objects.get(code="341003"))
    accepted = submitted(pdf_bytes)
    services.accept_application(accepted.pk, staff(Role.CLERK, "341002", "data"))
    return {"tunxi": tunxi, "formula": formula, "other": other_district, "accepted": accepted}


def test_csv_has_every_filtered_row_of_the_clerks_district_only(client, applications):
    client.force_login(staff(Role.CLERK, "341002", "data"))
    response = client.get("/staff/window/export.csv", {"state": "submitted", "page": 2})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    header, *rows = csv_rows(response)
    assert header[0] == "申请编号" and "办结期限" in header
    numbers = {row[0] for row in rows}
    expected = {a.number for a in applications["tunxi"]} | {applications["formula"].number}
    assert numbers == expected  # not the accepted one, not the other district's
    names = {row[2] for row in rows}
    assert '\'=HYPERLINK("http://evil.invalid")' in names


def test_xlsx_follows_the_state_filter_and_search(client, applications):
    client.force_login(staff(Role.CLERK, "341002", "data"))
    accepted = applications["accepted"]
    response = client.get("/staff/window/export.xlsx", {"state": "in_review", "q": accepted.number})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == accepted.number
    assert rows[1][7] == "审查中"


def test_an_empty_selection_says_so_and_only_clerks_may_export(client, applications):
    client.force_login(staff(Role.CLERK, "341002", "data"))
    _header, *rows = csv_rows(client.get("/staff/window/export.csv", {"q": "没有这个项目"}))
    assert rows == [["没有符合条件的申请。"]]
    assert client.get("/staff/window/export.pdf").status_code == 404
    client.force_login(applications["accepted"].created_by)
    assert client.get("/staff/window/export.csv").status_code == 403
    client.logout()
    assert client.get("/staff/window/export.csv").status_code == 302


def test_reviewer_export_has_the_departments_filtered_tasks_only(client, applications):
    from approvals.models import ReviewTask

    accepted = applications["accepted"]
    task = ReviewTask.objects.select_related("department").filter(application=accepted).first()
    reviewer = staff(Role.REVIEWER, "341000", task.department.code)
    client.force_login(reviewer)
    response = client.get("/staff/tasks/export.csv", {"state": ""})
    assert response.status_code == 200
    header, *rows = csv_rows(response)
    assert header[:2] == ["事项", "申请编号"]
    own = ReviewTask.objects.filter(department=task.department)
    assert sorted(row[1] for row in rows) == sorted(
        own.values_list("application__number", flat=True)
    )
    assert {row[0] for row in rows} == set(own.values_list("matter__name", flat=True))
    sheet = load_workbook(
        io.BytesIO(client.get("/staff/tasks/export.xlsx", {"due": "overdue"}).content)
    ).active
    [empty] = list(sheet.iter_rows(values_only=True))[1:]
    assert empty[0] == "没有符合条件的审查任务。" and not any(empty[1:])
    client.force_login(staff(Role.CLERK, "341002", "data"))
    assert client.get("/staff/tasks/export.csv").status_code == 403
