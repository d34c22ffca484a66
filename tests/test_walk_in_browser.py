"""A visitor at the window, in Chromium: the clerk registers the enterprise
and the project, fills the application for the visitor, submits it and
accepts it."""

import pytest
from playwright.sync_api import expect

from approvals.models import Application
from portal.models import Role

from .factories import load_catalog, staff, valid_credit_code
from .test_browser_journey import PASSWORD, fill_field, upload_mandatory_materials

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_walk_in_intake_through_to_acceptance(live_server, page, pdf_bytes, tmp_path):
    load_catalog()
    clerk = staff(Role.CLERK, "341000", "data")
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(clerk.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.get_by_role("link", name="窗口收件（代为申报）").click()
    page.get_by_label("统一社会信用代码").fill(valid_credit_code(4242))
    page.get_by_role("button", name="查找企业").click()
    expect(page.get_by_text("尚未在平台登记")).to_be_visible()
    page.get_by_label("单位名称").fill("黄山徽韵文旅发展有限公司")
    page.get_by_label("法定代表人").fill("汪洋")
    page.get_by_role("button", name="登记企业并继续").click()

    page.get_by_label("办理阶段").select_option(label="立项用地规划许可")
    page.get_by_label("投资项目统一代码").fill("2105-341000-47-01-000808")
    page.get_by_label("项目名称").fill("徽州古城游客中心")
    page.get_by_label("行政区划").select_option(label="黄山市本级")
    page.get_by_label("建设地点").fill("歙县徽城镇")
    page.get_by_label("总投资（万元）").fill("4200")
    page.get_by_role("button", name="创建申请并填写").click()

    for radio in page.get_by_role("radio", name="否").all():
        radio.check()
    page.get_by_role("button", name="下一步：填写申请表").click()
    application = Application.objects.get(project__name="徽州古城游客中心")
    assert application.source == "window"
    for spec in application.configuration.form_fields:
        fill_field(page, spec)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("已保存草稿")).to_be_visible()

    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(pdf_bytes)
    upload_mandatory_materials(page, application, scan)

    page.get_by_role("link", name="核对并提交").click()
    page.get_by_label("我已阅读并同意以上承诺").check()
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_test_id("application-state")).to_have_text("已提交待受理")
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.get_by_test_id("application-state")).to_have_text("审查中")
    assert Application.objects.get(pk=application.pk).state == "in_review"
