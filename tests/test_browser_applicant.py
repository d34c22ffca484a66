"""The applicant's side in Chromium: a new enterprise registers, creates a
project and applies for stage 1 reusing a material it gave before, answers
a correction notice and resubmits; an agent applies for a delegated
project; and the main pages work on a 375 px wide phone with every input
labelled."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from approvals import services
from approvals.models import Application, Material, Project, TransitionLog
from approvals.services.delegation import request_agent
from portal.models import Invitation, Role, User
from stages.models import Stage

from .factories import (
    ApplicantFactory,
    ApplicationFactory,
    ProjectFactory,
    complete_draft,
    load_catalog,
    staff,
    valid_credit_code,
)
from .test_browser_journey import PASSWORD, fill_field, log_in, log_out
from .test_delegation import agent_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REUSED = "authorization"  # 授权委托书: the same document for every application


def register(page, base):
    page.goto(f"{base}/accounts/register/")
    page.get_by_label("统一社会信用代码").fill(valid_credit_code(5151))
    page.get_by_label("建设单位名称").fill("黄山新安江文旅建设有限公司")
    page.get_by_label("法定代表人").fill("汪新安")
    page.get_by_label("用户名").fill("wangxa")
    page.get_by_label("经办人姓名").fill("汪经办")
    page.get_by_label("手机号码").fill("13905590011")
    page.get_by_label("电子邮箱").fill("wangxa@example.cn")
    page.get_by_label(re.compile(r"^密码[:：]?$")).fill(PASSWORD + "-Xin")
    page.get_by_label("密码确认").fill(PASSWORD + "-Xin")
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_text("注册成功")).to_be_visible()
    return User.objects.get(username="wangxa")


def create_project(page, name, code):
    page.get_by_role("link", name="新建项目").click()
    page.get_by_label("投资项目统一代码").fill(code)
    page.get_by_label("项目名称").fill(name)
    page.get_by_label("行政区划").select_option(label="屯溪区")
    page.get_by_label("建设地点").fill("屯溪区滨江西路")
    page.get_by_label("总投资（万元）").fill("2600")
    page.get_by_role("button", name="保存项目").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    return Project.objects.get(name=name)


def start_stage_one(page):
    page.get_by_label("办理阶段").select_option(label="立项用地规划许可")
    page.get_by_role("button", name="开始填报").click()
    for radio in page.get_by_role("radio", name="否").all():
        radio.check()
    page.get_by_role("button", name="下一步：填写申请表").click()


def fill_unified_form(page, application):
    for spec in application.configuration.form_fields:
        fill_field(page, spec)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("已保存草稿")).to_be_visible()


def give_materials(page, application, path, reuse=()):
    """Reuse the kinds in `reuse` with one click, upload the other mandatory ones."""
    for requirement in application.applicable_materials():
        if not requirement["mandatory"] or requirement["generated"]:
            continue
        slot = page.locator(f"#material-{requirement['kind']}")
        if requirement["kind"] in reuse:
            slot.get_by_role("button", name="一键复用").click()
            expect(page.get_by_text("已复用之前提交的材料")).to_be_visible()
        else:
            slot.get_by_label(f"上传“{requirement['name']}”").set_input_files(str(path))
            slot.get_by_role("button", name="上传", exact=True).click()
            expect(page.get_by_text("材料已上传")).to_be_visible()


def test_register_apply_with_reused_material_correct_and_resubmit(
    live_server, page, pdf_bytes, tmp_path
):
    load_catalog()
    base = live_server.url
    clerk = staff(Role.CLERK, "341000", "data")
    applicant = register(page, base)
    project = create_project(page, "新安江滨水步道", "2105-341002-47-01-000951")

    # An earlier stage-1 application of the project, withdrawn after its
    # materials were given: they can be reused instead of uploaded again.
    earlier = complete_draft(
        ApplicationFactory(
            project=project,
            stage=Stage.objects.get(code="land-planning"),
            created_by=applicant,
        ),
        pdf_bytes,
    )
    services.withdraw_application(earlier.pk, applicant, "项目名称有误，重新申报")
    given = Material.objects.get(application=earlier, kind=REUSED)

    page.goto(f"{base}/projects/{project.pk}/")
    start_stage_one(page)
    application = Application.objects.get(project=project, state="draft")
    fill_unified_form(page, application)
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(pdf_bytes)
    give_materials(page, application, scan, reuse={REUSED})
    reused = Material.objects.get(application=application, kind=REUSED)
    assert reused.reused_from == given

    page.get_by_role("link", name="核对并提交").click()
    page.get_by_label("免费邮寄").check()
    page.get_by_role("button", name="确认提交").click()
    problem = "邮寄地址：选择免费邮寄时请填写邮寄地址。"
    expect(page.get_by_role("alert").get_by_role("link", name=problem)).to_be_visible()
    page.get_by_label("邮寄地址").fill("黄山市屯溪区滨江西路8号 汪经办 13905590011")
    page.get_by_label("我已阅读并同意以上承诺").check()
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_test_id("application-state")).to_have_text("已提交待受理")

    requirement = next(r for r in application.applicable_materials() if r["kind"] == REUSED)
    services.request_correction(
        application.pk,
        clerk,
        [
            {
                "target": f"material:{REUSED}",
                "label": f"材料：{requirement['name']}",
                "problem": "委托书缺少法定代表人签字",
            }
        ],
    )

    page.reload()
    expect(page.get_by_test_id("application-state")).to_have_text("补正中")
    notice = page.get_by_role("region", name="一次性补正告知")
    expect(notice).to_contain_text("委托书缺少法定代表人签字")
    expect(page.locator("nav .badge")).to_be_visible()
    notice.get_by_role("link", name=f"材料：{requirement['name']}").click()
    slot = page.locator(f"#material-{REUSED}")
    slot.locator("summary", has_text="替换").click()
    signed = tmp_path / "授权委托书（已签字）.pdf"
    signed.write_bytes(pdf_bytes + b"% signed\n")
    slot.get_by_label(f"用新文件替换“{reused.original_name}”").set_input_files(str(signed))
    slot.get_by_role("button", name="替换", exact=True).click()
    expect(page.get_by_text("文件已替换，旧版本保留在历史中")).to_be_visible()
    page.get_by_role("button", name="补正完毕，重新提交").click()
    expect(page.get_by_test_id("application-state")).to_have_text("已提交待受理")

    application.refresh_from_db()
    assert application.delivery_method == "mail"
    current = Material.objects.get(application=application, kind=REUSED, replaced_at__isnull=True)
    assert current.original_name == "授权委托书（已签字）.pdf"
    assert application.correction_notices.get().answered_at is not None
    page.get_by_role("link", name="消息").click()
    expect(page.get_by_text(f"申请 {application.number} 需要补正（共 1 项）")).to_be_visible()


def test_agent_submits_for_the_delegating_enterprise(live_server, page, pdf_bytes, tmp_path):
    load_catalog()
    base = live_server.url
    agent = agent_in("341002")
    applicant = ApplicantFactory(is_enterprise_admin=True)
    project = ProjectFactory(enterprise=applicant.enterprise, created_by=applicant)
    request_agent(project.pk, applicant)

    log_in(page, base, agent)
    page.get_by_role("link", name="代办项目").click()
    page.get_by_role("link", name=project.name).click()
    start_stage_one(page)
    application = Application.objects.get(project=project)
    fill_unified_form(page, application)
    scan = tmp_path / "代办扫描件.pdf"
    scan.write_bytes(pdf_bytes)
    give_materials(page, application, scan)
    page.get_by_role("link", name="核对并提交").click()
    page.get_by_label("我已阅读并同意以上承诺").check()
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_test_id("application-state")).to_have_text("已提交待受理")
    expect(page.locator(".timeline")).to_contain_text(f"（代办员，代 {applicant.enterprise.name}）")
    entry = TransitionLog.objects.get(application=application, transition="submit")
    assert entry.actor == agent
    assert application.created_by_id == agent.pk
    log_out(page)

    log_in(page, base, applicant)  # the enterprise sees what its agent did
    page.goto(f"{base}/applications/{application.pk}/")
    expect(page.get_by_test_id("application-state")).to_have_text("已提交待受理")


UNLABELLED = """() => {
  const named = (el) => (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`))
    || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
  return [...document.querySelectorAll("input, select, textarea")]
    .filter((el) => el.type !== "hidden" && el.getClientRects().length > 0 && !named(el))
    .map((el) => el.outerHTML.slice(0, 160));
}"""


def test_main_pages_fit_a_phone_and_label_every_input(live_server, browser, pdf_bytes):
    load_catalog()
    base = live_server.url
    applicant = ApplicantFactory(is_enterprise_admin=True)
    Invitation.objects.create(
        enterprise=applicant.enterprise, email="pending@example.cn", invited_by=applicant
    )
    project = ProjectFactory(
        enterprise=applicant.enterprise,
        created_by=applicant,
        name="黄山市屯溪区老城区有机更新暨滨江西路历史文化街区保护利用示范工程",
    )
    land = Stage.objects.get(code="land-planning")
    earlier = complete_draft(
        ApplicationFactory(project=project, stage=land, created_by=applicant), pdf_bytes
    )
    services.withdraw_application(earlier.pk, applicant, "重新申报")
    draft = ApplicationFactory(project=project, stage=land, created_by=applicant)
    services.save_situations(
        draft.pk, applicant, {s["code"]: False for s in draft.configuration.situations}
    )
    services.attach_material(
        draft.pk,
        applicant,
        "authorization",
        SimpleUploadedFile("一个很长很长的文件名_授权委托书_2026年11月_盖章扫描版.pdf", pdf_bytes),
    )
    pages = [
        "/",
        "/accounts/login/",
        "/accounts/register/",
        "/guides/",
        "/projects/",
        "/projects/new/",
        f"/projects/{project.pk}/",
        f"/applications/{draft.pk}/situations/",
        f"/applications/{draft.pk}/edit/",
        f"/applications/{draft.pk}/",
        f"/applications/{draft.pk}/review/",
        f"/applications/{earlier.pk}/",
        "/notifications/",
        "/notifications/preferences/",
        "/enterprise/members/",
    ]
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    phone = context.new_page()
    overflowing, unlabelled = {}, {}
    for index, path in enumerate(pages):
        if index == 3:
            log_in(phone, base, applicant)
        response = phone.goto(base + path)
        assert response.ok, path
        for details in phone.locator("details").all():  # closed parts count too
            details.evaluate("(el) => el.open = true")
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            overflowing[path] = width
        missing = phone.evaluate(UNLABELLED)
        if missing:
            unlabelled[path] = missing
    context.close()
    assert overflowing == {}
    assert unlabelled == {}
