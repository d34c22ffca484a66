"""The journey people click through, in Debian's Chromium: the applicant
submits, the clerk accepts, each reviewer approves, the applicant downloads
the certificate."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from approvals.models import Application, ReviewTask
from portal.models import Role

from .conftest import wait_for
from .factories import ApplicantFactory, load_catalog, sample_value, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-123456"


def log_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def log_out(page):
    page.get_by_role("button", name="退出").click()


def upload_mandatory_materials(page, application, path):
    """Upload `path` into every mandatory material slot, through its label."""
    for requirement in application.applicable_materials():
        if requirement["mandatory"] and not requirement["generated"]:
            slot = page.locator(f"#material-{requirement['kind']}")
            slot.get_by_label(f"上传“{requirement['name']}”").set_input_files(str(path))
            slot.get_by_role("button", name="上传", exact=True).click()
            expect(page.get_by_text("材料已上传")).to_be_visible()


def fill_field(page, spec):
    """Fill one unified-form field through its label, like a person would."""
    field = page.get_by_label(spec["label"], exact=False).first
    kind = spec["field_type"]
    if kind == "multiple_choice":
        page.get_by_role("checkbox", name=spec["choices"][0]).check()
    elif kind == "yes_no":
        field.select_option(label="否")
    elif kind == "choice":
        field.select_option(label=spec["choices"][0])
    elif field.input_value():
        return  # pre-filled from the project
    elif spec.get("project_attribute") == "planned_end":
        field.fill("2028-06-30")
    else:
        field.fill(str(sample_value(spec)))


def test_submit_accept_approve_download(
    live_server, page, celery_worker_process, pdf_bytes, tmp_path
):
    load_catalog()
    base = live_server.url
    applicant = ApplicantFactory()
    clerk = staff(Role.CLERK, "341000", "data")

    log_in(page, base, applicant)
    page.get_by_role("link", name="新建项目").click()
    page.get_by_label("投资项目统一代码").fill("2105-341002-47-01-000901")
    page.get_by_label("项目名称").fill("屯溪老街游客服务中心")
    page.get_by_label("行政区划").select_option(label="屯溪区")
    page.get_by_label("建设地点").fill("屯溪区老街东口")
    page.get_by_label("总投资（万元）").fill("3200")
    page.get_by_role("button", name="保存项目").click()
    expect(page.get_by_role("heading", name="屯溪老街游客服务中心")).to_be_visible()

    page.get_by_label("办理阶段").select_option(label="立项用地规划许可")
    page.get_by_role("button", name="开始填报").click()

    # 情形: answer every question "否", so only the unconditional matters apply.
    for radio in page.get_by_role("radio", name="否").all():
        radio.check()
    page.get_by_role("button", name="下一步：填写申请表").click()

    application = Application.objects.get(project__name="屯溪老街游客服务中心")
    for spec in application.configuration.form_fields:
        fill_field(page, spec)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("已保存草稿")).to_be_visible()

    drawing = tmp_path / "材料.pdf"
    drawing.write_bytes(pdf_bytes)
    upload_mandatory_materials(page, application, drawing)

    page.get_by_role("link", name="核对并提交").click()
    page.get_by_label("我已阅读并同意以上承诺").check()
    page.get_by_role("button", name="确认提交").dblclick()
    expect(page.get_by_test_id("application-state")).to_have_text("已提交待受理")
    application.refresh_from_db()
    assert application.timeline.filter(transition="submit").count() == 1
    log_out(page)

    log_in(page, base, clerk)
    page.get_by_role("link", name=application.number).click()
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.get_by_test_id("application-state")).to_have_text("审查中")
    log_out(page)

    for task in ReviewTask.objects.filter(application=application).select_related("department"):
        reviewer = staff(Role.REVIEWER, "341000", task.department.code)
        log_in(page, base, reviewer)
        page.get_by_role("link", name=task.matter.name).click()
        page.get_by_role("button", name="签收").click()
        page.get_by_label("审查意见").fill("符合要求")
        page.get_by_role("button", name="通过", exact=True).click()
        expect(page.get_by_test_id("task-state")).to_have_text("通过")
        log_out(page)

    wait_for(lambda: Application.objects.filter(pk=application.pk, state="issued").exists())
    log_in(page, base, applicant)
    page.goto(f"{base}/applications/{application.pk}/")
    expect(page.get_by_test_id("application-state")).to_have_text("已发证")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载建设用地规划许可证").click()
    download = download_info.value
    assert re.fullmatch(r"DZ341002\d{4}\d{5}\.pdf", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = subprocess.run(
        ["pdftotext", "-raw", str(saved), "-"], capture_output=True, text=True
    ).stdout
    text = re.sub(r"\s+", "", text)  # the permit layout breaks long lines
    assert "屯溪老街游客服务中心" in text
    assert "建设用地规划许可证" in text
