"""数据共享: the national data-sharing tables are exported incrementally —
everything once, then only what changed — with the fields the receiving
system reads."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.core.management import call_command

from approvals import services
from approvals.models import Certificate, ReviewTask
from approvals.services.certificates import revoke_certificate
from exchange.export import export_changes
from exchange.models import ExportCursor, ExportFile
from exchange.tasks import export_spgl
from portal.celery import app as celery_app
from portal.models import Role

from .factories import ApplicationFactory, complete_draft, staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.EXCHANGE_SPGL_SETTLE_SECONDS = 0


@pytest.fixture
def accepted(catalog, clerk, pdf_bytes):
    application = complete_draft(ApplicationFactory(), pdf_bytes)
    services.submit_application(application.pk, application.created_by)
    return services.accept_application(application.pk, clerk)


def rows(file):
    with default_storage.open(file.path) as stored:
        return [json.loads(line) for line in stored.read().decode().splitlines()]


def by_table(files):
    return {file.table: rows(file) for file in files}


def decide_all(application):
    for task in ReviewTask.objects.filter(application=application).select_related("department"):
        reviewer = staff(Role.REVIEWER, "341000", task.department.code)
        services.claim_task(task.pk, reviewer)
        services.approve_task(task.pk, reviewer, "同意")


def test_first_run_exports_everything_with_the_national_fields(accepted):
    decide_all(accepted)
    project = accepted.project
    tasks = list(ReviewTask.objects.filter(application=accepted).select_related("matter"))
    certificates = list(Certificate.objects.filter(application=accepted))
    assert tasks and certificates

    files = export_changes()
    assert [f.path.rsplit("/", 1)[-1] for f in files] == [
        "SPGL_XMJBXXB.jsonl",
        "SPGL_XMDWXXB.jsonl",
        "SPGL_XMSPSXBLXXB.jsonl",
        "SPGL_XMSPSXBLXXXXB.jsonl",
        "SPGL_XMSPSXPFWJXXB.jsonl",
    ]
    assert files[0].path.startswith("exchange/spgl/")
    tables = by_table(files)

    [basics] = tables["SPGL_XMJBXXB"]
    assert basics["DFSJZJ"] == f"project-{project.pk}"
    assert basics["XMDM"] == basics["GCDM"] == project.code
    assert basics["XMMC"] == project.name and basics["JSDD"] == project.address
    assert basics["XZQHDM"] == project.jurisdiction.code and len(basics["XZQHDM"]) == 6
    assert basics["ZTZE"] == str(project.total_investment)
    assert basics["SBSJ"].startswith(f"{accepted.submitted_at.year}-")
    assert basics["SJYXBS"] == 1 and basics["GXSJ"]

    [unit] = tables["SPGL_XMDWXXB"]
    assert unit["DWTYSHXYDM"] == project.enterprise.credit_code
    assert unit["DWMC"] == project.enterprise.name and unit["DWLX"] == 1

    handling = {row["SPSXBM"]: row for row in tables["SPGL_XMSPSXBLXXB"]}
    assert set(handling) == {task.matter.code for task in tasks}
    task = tasks[0]
    row = handling[task.matter.code]
    assert row["DFSJZJ"] == f"task-{task.pk}"
    assert row["SPSXSLBM"] == f"{accepted.number}-{task.matter.code}"
    assert row["BLSPSLBM"] == accepted.number and row["SPJDDM"] == accepted.stage.number
    assert row["SPBMBM"] == task.department.code
    assert row["BLZT"] == 6  # 办结（通过）
    assert row["SLSJ"] and row["BJSJ"] and row["BLYJ"] == "同意"

    documents = {row["PFWH"]: row for row in tables["SPGL_XMSPSXPFWJXXB"]}
    assert set(documents) == {c.number for c in certificates}
    certificate = certificates[0]
    document = documents[certificate.number]
    assert document["PFRQ"] == certificate.issued_on.isoformat()
    assert document["PFWJBT"] == certificate.certificate_type.name
    assert document["SJYXBS"] == 1
    assert document["SPSXSLBM"] == f"{accepted.number}-{certificate.matter.code}"

    assert set(ExportCursor.objects.values_list("table", flat=True)) == {f.table for f in files}


def test_every_handling_step_is_a_row_per_matter_instance(accepted, clerk):
    decide_all(accepted)
    tasks = list(ReviewTask.objects.filter(application=accepted).select_related("matter"))
    steps = by_table(export_changes())["SPGL_XMSPSXBLXXXXB"]
    instances = {f"{accepted.number}-{task.matter.code}" for task in tasks}
    by_instance = {}
    for step in steps:
        by_instance.setdefault(step["SPSXSLBM"], []).append(step)
    assert set(by_instance) == instances
    for task in tasks:
        mine = by_instance[f"{accepted.number}-{task.matter.code}"]
        # 申报 (the applicant: no name), 受理 (the clerk), 签收, 办结（通过）
        assert [s["BLZT"] for s in mine] == [1, 2, 3, 6]
        submitted, taken, claimed, approved = mine
        assert submitted["BLR"] is None and taken["BLR"] == clerk.display_name
        assert claimed["BLCS"] == approved["BLCS"] == task.department.name
        assert approved["BLYJ"] == "同意" and approved["BLSJ"]
        assert approved["GCDM"] == accepted.project.code and approved["SJYXBS"] == 1
    assert len({s["DFSJZJ"] for s in steps}) == len(steps)


def test_refusals_and_withdrawals_are_matter_handling_rows_too(catalog, clerk, pdf_bytes):
    def submitted():
        draft = complete_draft(ApplicationFactory(), pdf_bytes)
        return services.submit_application(draft.pk, draft.created_by)

    refused, withdrawn = submitted(), submitted()
    services.refuse_application(refused.pk, clerk, "不属于本机关职权范围", "行政许可法第三十二条")
    services.withdraw_application(withdrawn.pk, withdrawn.created_by, "项目暂缓")
    draft = ApplicationFactory()
    services.withdraw_application(draft.pk, draft.created_by, "填错了")  # never submitted
    matters = {m["code"] for m in refused.applicable_matters()}
    assert matters

    tables = by_table(export_changes())
    handling = tables["SPGL_XMSPSXBLXXB"]
    assert {row["BLSPSLBM"] for row in handling} == {refused.number, withdrawn.number}
    refusals = [row for row in handling if row["BLSPSLBM"] == refused.number]
    assert {row["SPSXBM"] for row in refusals} == matters
    row = refusals[0]
    assert row["BLZT"] == 8 and row["SLSJ"] is None and row["BJSJ"]
    assert row["BLYJ"] == "不属于本机关职权范围（行政许可法第三十二条）"
    assert row["SPSXSLBM"] == f"{refused.number}-{row['SPSXBM']}" and row["SPBMBM"]
    assert {r["BLZT"] for r in handling if r["BLSPSLBM"] == withdrawn.number} == {9}

    steps = tables["SPGL_XMSPSXBLXXXXB"]
    refusal_steps = [s for s in steps if s["BLZT"] == 8]
    assert {s["SPSXSLBM"] for s in refusal_steps} == {f"{refused.number}-{m}" for m in matters}
    assert refusal_steps[0]["BLR"] == clerk.display_name
    withdrawal_steps = [s for s in steps if s["BLZT"] == 9]
    assert {s["SPSXSLBM"] for s in withdrawal_steps} == {
        f"{withdrawn.number}-{m['code']}" for m in withdrawn.applicable_matters()
    }
    assert withdrawal_steps[0]["BLR"] is None and withdrawal_steps[0]["BLYJ"] == "项目暂缓"
    assert export_changes() == []


def test_a_second_run_exports_nothing_and_a_change_exports_just_that_row(accepted):
    assert len(export_changes()) == 4  # no certificate yet
    assert export_changes() == []

    task = ReviewTask.objects.filter(application=accepted).select_related("department").first()
    services.claim_task(task.pk, staff(Role.REVIEWER, "341000", task.department.code))
    handling, step = export_changes()
    assert handling.table == "SPGL_XMSPSXBLXXB" and handling.rows == 1
    [row] = rows(handling)
    assert row["DFSJZJ"] == f"task-{task.pk}" and row["BLZT"] == 3  # 审查中
    assert handling.changed_after is not None
    assert step.table == "SPGL_XMSPSXBLXXXXB" and step.rows == 1
    [row] = rows(step)
    assert row["BLZT"] == 3 and row["SPSXSLBM"] == f"{accepted.number}-{task.matter.code}"
    assert export_changes() == []


def test_a_revoked_document_is_exported_again_as_invalid(accepted):
    decide_all(accepted)
    export_changes()
    certificate = Certificate.objects.filter(application=accepted).first()
    officer = staff(Role.SUPERVISOR, "341000", is_staff=True)
    officer.user_permissions.add(Permission.objects.get(codename="revoke_certificate"))
    officer = type(officer).objects.get(pk=officer.pk)
    revoke_certificate(certificate.pk, officer, "以欺骗手段取得")
    files = export_changes()
    assert [f.table for f in files] == ["SPGL_XMSPSXPFWJXXB"]
    [row] = rows(files[0])
    assert row["PFWH"] == certificate.number
    assert row["SJYXBS"] == 0 and row["SJWXYY"] == "以欺骗手段取得"


def test_rows_wait_until_settled_and_are_not_lost(accepted, settings):
    settings.EXCHANGE_SPGL_SETTLE_SECONDS = 3600
    assert export_changes() == []
    settings.EXCHANGE_SPGL_SETTLE_SECONDS = 0
    assert {f.table for f in export_changes()} == {
        "SPGL_XMJBXXB",
        "SPGL_XMDWXXB",
        "SPGL_XMSPSXBLXXB",
        "SPGL_XMSPSXBLXXXXB",
    }


def test_the_command_and_the_periodic_task(accepted, settings, capsys):
    call_command("export_spgl")
    first = capsys.readouterr().out
    assert "SPGL_XMJBXXB\t1\t" in first
    call_command("export_spgl")
    assert "没有新的变更" in capsys.readouterr().out
    call_command("export_spgl", "--full")
    assert "SPGL_XMJBXXB\t1\t" in capsys.readouterr().out
    assert ExportFile.objects.filter(table="SPGL_XMJBXXB").count() == 2

    entry = settings.CELERY_BEAT_SCHEDULE["exchange-export-spgl"]
    assert entry["task"] == "exchange.export_spgl"
    assert export_spgl.name in celery_app.tasks
    assert export_spgl.apply().get() == []
