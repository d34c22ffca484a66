"""Reports: due by beat (one per kind, period and jurisdiction, however
often beat fires), generated as PDF + CSV + XLSX, emailed once to the
configured recipients, listed and downloaded privately, and made for any
period on demand; an empty period gives a report that says so."""

import io
import subprocess

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from openpyxl import load_workbook
from PIL import Image

from portal.models import Role
from stages.models import Jurisdiction
from supervision import reports
from supervision.models import Escalation, Report, ReportRecipient
from supervision.periods import Period, completed_periods, ten_day_period, week_period
from supervision.tasks import generate_periodic_reports, generate_report

from .factories import load_catalog, staff
from .test_supervision_fixtures import (
    NOW,
    application,
    day,
    decided_task,
    local,
    project,
    supervisor,
    task,
)

pytestmark = pytest.mark.django_db
REPORTS = "/staff/supervision/reports/"


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def catalog(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    load_catalog()


def city():
    return Jurisdiction.objects.get(code="341000")


def pdf_text(report):
    with report.pdf.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode()


def csv_text(report):
    with report.csv.open("rb") as handle:
        return handle.read().decode("utf-8-sig")


def test_report_periods():
    friday = day("2026-11-20")
    assert week_period(friday) == Period(day("2026-11-16"), day("2026-11-22"))
    assert ten_day_period(friday) == Period(day("2026-11-11"), day("2026-11-20"))
    assert ten_day_period(day("2026-02-21")) == Period(day("2026-02-21"), day("2026-02-28"))
    assert ten_day_period(day("2026-12-31")) == Period(day("2026-12-21"), day("2026-12-31"))
    saturday = day("2026-11-21")
    assert completed_periods("weekly", saturday, 7) == [
        Period(day("2026-11-09"), day("2026-11-15"))
    ]
    assert completed_periods("ten_day", saturday, 7) == [
        Period(day("2026-11-11"), day("2026-11-20"))
    ]
    assert [p.start for p in completed_periods("daily", saturday, 7)] == [
        day(f"2026-11-{d}") for d in range(14, 21)
    ]


def test_beat_creates_each_due_report_once_however_often_it_runs(catalog, monkeypatch):
    queued = []
    monkeypatch.setattr(generate_report, "delay", queued.append)
    assert generate_periodic_reports("2026-11-21") == 8 * (7 + 1 + 1)
    assert generate_periodic_reports("2026-11-21") == 72  # still not generated: queued again
    assert Report.objects.count() == 72
    assert len(set(queued)) == 72
    assert Report.objects.filter(jurisdiction=city(), kind="weekly").get().period_label == (
        "2026-11-09 ~ 2026-11-15"
    )


def test_one_report_per_kind_period_and_jurisdiction(catalog):
    period = Period(day("2026-11-19"), day("2026-11-19"))
    first, created = reports.request_report("daily", period, city())
    again, created_again = reports.request_report("daily", period, city())
    assert (created, created_again, again.pk) == (True, False, first.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            kind="daily", period_start=period.start, period_end=period.end, jurisdiction=city()
        )


def test_a_period_without_data_gives_a_report_that_says_so(catalog):
    report, _ = reports.request_report(
        "daily", Period(day("2026-01-05"), day("2026-01-05")), city()
    )
    report = reports.generate(report.pk)
    assert report.is_generated and not report.has_data
    text = pdf_text(report)
    assert "本期无数据" in text
    assert "全市工程建设项目审批日报" in text.replace(" ", "")
    assert "本期无数据" in csv_text(report)
    workbook = load_workbook(io.BytesIO(report.xlsx.open("rb").read()))
    assert "本期无数据" in [row[0] for row in workbook["说明"].values if row]


def test_a_report_holds_the_figures_and_the_escalations(catalog):
    for decided in ("2026-11-04", "2026-11-06", "2026-11-10", "2026-11-12", "2026-11-16"):
        decided_task("drawing-review", "2026-11-02", local(decided))
    owner = application(project_=project("341002"), state="in_review")
    late = task(owner, "water-connection", state="pending", due_on=day("2026-11-18"))
    Escalation.objects.create(
        task=late,
        note="请三日内办结",
        new_deadline=day("2026-11-24"),
        created_by=supervisor(),
    )
    report, _ = reports.request_report(
        "custom", Period(day("2026-11-01"), day("2026-11-20")), city()
    )
    report = reports.generate(report.pk)
    assert report.has_data
    text = csv_text(report)
    # The matter's row: 5 decided, average 6.0, 90th percentile 9.2.
    assert (
        "施工图联合审查（含消防、人防技术审查）,施工许可,住房和城乡建设局,8,5,6.0,9.2,10,100.0%"
        in text
    )
    assert "请三日内办结" in text
    assert "红牌,供水公司,供水接入报装" in text
    pdf = pdf_text(report)
    assert "请三日内办结" in pdf
    fonts = subprocess.run(
        ["pdffonts", report.pdf.path], capture_output=True, check=True
    ).stdout.decode()
    assert "Portal-Serif-SC" in fonts  # the CJK font is embedded, not boxes


def test_generating_twice_does_the_work_once(catalog):
    report, _ = reports.request_report(
        "daily", Period(day("2026-11-19"), day("2026-11-19")), city()
    )
    first = reports.generate(report.pk)
    second = reports.generate(report.pk)
    assert (second.generated_at, second.pdf.name) == (first.generated_at, first.pdf.name)


def test_periodic_reports_are_emailed_once_to_their_recipients(catalog):
    ReportRecipient.objects.create(
        name="市长办公室",
        email="mayor@gov.invalid",
        jurisdiction=city(),
        weekly=False,
        ten_day=False,
    )
    ReportRecipient.objects.create(
        name="停用", email="off@gov.invalid", jurisdiction=city(), active=False
    )
    ReportRecipient.objects.create(
        name="屯溪区",
        email="tunxi@gov.invalid",
        jurisdiction=Jurisdiction.objects.get(code="341002"),
    )
    daily, _ = reports.request_report("daily", Period(day("2026-11-19"), day("2026-11-19")), city())
    weekly, _ = reports.request_report(
        "weekly", Period(day("2026-11-09"), day("2026-11-15")), city()
    )
    custom, _ = reports.request_report(
        "custom", Period(day("2026-11-01"), day("2026-11-19")), city()
    )
    for report in (daily, weekly, custom):
        generate_report(report.pk)
    generate_report(daily.pk)  # a second run sends nothing more

    (message,) = mail.outbox
    assert message.to == ["mayor@gov.invalid"]
    assert "日报" in message.subject and "2026-11-19" in message.subject
    assert sorted(name.rsplit(".", 1)[1] for name, _content, _type in message.attachments) == [
        "pdf",
        "xlsx",
    ]
    daily.refresh_from_db()
    assert daily.emailed_at is not None


def test_reports_page_lists_and_serves_reports_of_the_supervisor_s_scope(catalog, client):
    tunxi = Jurisdiction.objects.get(code="341002")
    mine, _ = reports.request_report("daily", Period(day("2026-11-19"), day("2026-11-19")), tunxi)
    citywide, _ = reports.request_report(
        "daily", Period(day("2026-11-19"), day("2026-11-19")), city()
    )
    pending, _ = reports.request_report(
        "weekly", Period(day("2026-11-09"), day("2026-11-15")), tunxi
    )
    reports.generate(mine.pk)
    reports.generate(citywide.pk)

    client.force_login(supervisor("341002"))
    page = client.get(REPORTS)
    assert [r.pk for r in page.context["page"]] == [mine.pk, pending.pk]
    assert "生成中" in page.content.decode()
    response = client.get(f"{REPORTS}{mine.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"{REPORTS}{mine.pk}/xlsx/").status_code == 200
    assert client.get(f"{REPORTS}{citywide.pk}/pdf/").status_code == 404  # another scope
    assert client.get(f"{REPORTS}{pending.pk}/pdf/").status_code == 404  # not generated
    assert client.get(f"{REPORTS}{mine.pk}/exe/").status_code == 404

    client.force_login(supervisor("341000"))
    assert client.get(f"{REPORTS}{mine.pk}/csv/").status_code == 200  # the city sees all
    client.force_login(staff(Role.CLERK, "341002", "data"))
    assert client.get(f"{REPORTS}{mine.pk}/pdf/").status_code == 403


def test_a_report_for_any_period_on_demand(
    catalog, client, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(generate_report, "delay", queued.append)
    client.force_login(supervisor("341000"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REPORTS, {"start": "2026-06-01", "end": "2026-11-20"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.kind, report.jurisdiction, report.period_label) == (
        "custom",
        city(),
        "2026-06-01 ~ 2026-11-20",
    )
    assert queued == [report.pk]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"start": "2026-11-20", "end": "2026-11-01"}, "开始日期不能晚于结束日期"),
        ({"start": "2020-01-01", "end": "2026-11-20"}, "最长 366 天"),
        ({"start": "", "end": ""}, "必填"),
    ],
)
def test_an_on_demand_report_refuses_a_bad_period(catalog, client, data, message):
    client.force_login(supervisor("341000"))
    response = client.post(REPORTS, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_the_pdf_draws_each_chart_above_its_numbers(catalog, tmp_path):
    from approvals.models import Delegation

    from .factories import UserFactory

    for decided in ("2026-11-04", "2026-11-10"):
        decided_task("drawing-review", "2026-11-02", local(decided))
    owner = project()
    application("land-planning", owner, state="in_review", submitted_at=local("2026-11-03"))
    agent = UserFactory(role=Role.AGENT, last_name="代办甲", first_name="")
    Delegation.objects.create(project=owner, agent=agent, requested_by=owner.created_by)
    report, _ = reports.request_report(
        "custom", Period(day("2026-11-01"), day("2026-11-20")), city()
    )
    report = reports.generate(report.pk)
    text = " ".join(pdf_text(report).split())
    # Each chart (titled unlike its table) comes before the table's header row.
    for chart_title, table_title in (
        ("各阶段申请（按状态）", "阶段 已提交待受理 补正中"),
        ("代办员工作量（申请数）", "代办员 代办项目 申请 在办申请 本期提交"),
    ):
        assert chart_title in text
        assert text.index(chart_title) < text.index(table_title)
    # The agent's bar is labelled in the SVG, and the table holds its numbers.
    section = text.split("代办员工作量（申请数）", 1)[1]
    assert section.count("代办甲") >= 2
    assert "代办甲 1 1 1 1" in section
    # The bars are drawn: the first page holds the 审查中 blue of the stage chart.
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            report.pdf.path,
            str(tmp_path / "page"),
        ],
        check=True,
    )
    colours = Image.open(tmp_path / "page.png").convert("RGB").getcolors(1 << 16)
    assert any(colour == (9, 105, 218) for _count, colour in colours)
