"""The window's decisions and their effects: tasks, due dates, notices,
history, notifications — and the applicant's side of each."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals import services
from approvals.models import (
    Application,
    Certificate,
    Material,
    Notice,
    Notification,
    ReviewTask,
    TransitionLog,
)
from portal.models import Role

from .factories import ApplicationFactory, complete_draft, staff

pytestmark = pytest.mark.django_db
NON_KEY = "injury-insurance"  # 工伤保险参保证明: may be missing under 容缺
KEY = "construction-drawings"


@pytest.fixture
def submitted(catalog, pdf_bytes):
    application = complete_draft(ApplicationFactory(), pdf_bytes)
    return services.submit_application(application.pk, application.created_by)


def drop_material(application, kind):
    Material.objects.filter(application=application, kind=kind).delete()


def approve_all(application):
    for task in ReviewTask.objects.filter(application=application).select_related("department"):
        reviewer = staff(Role.REVIEWER, "341000", task.department.code)
        services.claim_task(task.pk, reviewer)
        services.approve_task(task.pk, reviewer, "同意")


def test_plain_acceptance_refuses_when_a_material_is_missing(submitted, clerk):
    drop_material(submitted, KEY)
    with pytest.raises(services.ServiceError) as caught:
        services.accept_application(submitted.pk, clerk)
    assert "施工图设计文件" in caught.value.message
    assert Application.objects.get(pk=submitted.pk).state == "submitted"
    assert not ReviewTask.objects.filter(application=submitted).exists()


def test_acceptance_writes_notice_history_and_notifications(clerk, submitted):
    services.accept_application(submitted.pk, clerk)
    assert Notice.objects.filter(application=submitted, kind="acceptance").count() == 1
    assert TransitionLog.objects.filter(application=submitted, transition="accept").exists()
    events = set(Notification.objects.filter(application=submitted).values_list("event", flat=True))
    assert {"application_submitted", "application_accepted"} <= events


def test_key_material_cannot_be_accepted_with_deficiency(submitted, clerk):
    drop_material(submitted, KEY)
    with pytest.raises(services.ServiceError) as caught:
        services.accept_with_deficiency(submitted.pk, clerk, [KEY], "承诺补交", "张三", 5)
    assert "关键材料不能容缺" in caught.value.message


def test_deficiency_withholds_the_certificate_until_cleared(submitted, clerk, pdf_bytes):
    drop_material(submitted, NON_KEY)
    services.accept_with_deficiency(
        submitted.pk, clerk, [NON_KEY], "十个工作日内补交参保证明", "张三", 10
    )
    application = Application.objects.get(pk=submitted.pk)
    assert application.state == "in_review" and application.due_on
    assert application.deficiency.supply_due_on > application.accepted_at.date()
    assert Notice.objects.filter(application=application, kind="deficiency_acceptance").exists()
    approve_all(application)
    assert Application.objects.get(pk=submitted.pk).state == "approved"
    assert not Certificate.objects.filter(application=application).exists()

    with pytest.raises(services.ServiceError, match="尚未补齐"):
        services.clear_deficiency(application.pk, clerk)
    with pytest.raises(services.ServiceError, match="不在补正或容缺范围"):
        services.attach_material(
            application.pk, application.created_by, KEY, SimpleUploadedFile("x.pdf", pdf_bytes)
        )
    services.attach_material(
        application.pk, application.created_by, NON_KEY, SimpleUploadedFile("参保.pdf", pdf_bytes)
    )
    services.clear_deficiency(application.pk, clerk)
    assert Certificate.objects.filter(application=application).count() == 1


def test_one_correction_notice_lists_everything_and_reopens_only_that(submitted, clerk):
    with pytest.raises(services.ServiceError, match="至少要列出一项"):
        services.request_correction(
            submitted.pk, clerk, [{"target": "other", "label": "其他", "problem": " "}]
        )
    items = [
        {"target": "field:contract_price", "label": "合同价格", "problem": "与中标通知书不一致"},
        {"target": f"material:{KEY}", "label": "施工图设计文件", "problem": "缺少审查合格书"},
    ]
    services.request_correction(submitted.pk, clerk, items)
    application = Application.objects.get(pk=submitted.pk)
    assert application.state == "correcting"
    assert application.correction_notices.count() == 1
    assert Notice.objects.get(application=application, kind="correction").body["items"] == items
    notification = Notification.objects.get(application=application, event="correction_requested")
    assert "共 2 项" in notification.title

    user = application.created_by
    old_contractor = application.form_data["general_contractor"]
    services.save_form_data(
        application.pk, user, {"contract_price": "2900", "general_contractor": "别的单位"}
    )
    application.refresh_from_db()
    assert application.form_data["contract_price"] == "2900"
    assert application.form_data["general_contractor"] == old_contractor  # not reopened
    with pytest.raises(services.ServiceError):
        services.save_situations(application.pk, user, {})

    services.resubmit_application(application.pk, user)
    application.refresh_from_db()
    assert application.state == "submitted"
    assert application.correction_notices.get().answered_at is not None


def test_refusal_needs_reason_and_basis(submitted, clerk):
    with pytest.raises(services.ServiceError, match="理由和法律依据"):
        services.refuse_application(submitted.pk, clerk, "不属于本机关职权范围", "")
    services.refuse_application(
        submitted.pk, clerk, "不属于本机关职权范围", "《行政许可法》第三十二条第一款第（二）项"
    )
    assert Application.objects.get(pk=submitted.pk).state == "refused"
    assert Notice.objects.filter(application=submitted, kind="refusal").exists()
    assert Notification.objects.filter(application=submitted, event="application_refused").exists()


def test_withdraw_before_a_decision_with_a_reason(submitted):
    with pytest.raises(services.ServiceError):
        services.withdraw_application(submitted.pk, submitted.created_by, "")
    services.withdraw_application(submitted.pk, submitted.created_by, "项目调整")
    assert Application.objects.get(pk=submitted.pk).state == "withdrawn"
    entry = TransitionLog.objects.get(application=submitted, transition="withdraw")
    assert entry.comment == "项目调整"


def test_delivery_validates_the_tracking_number(submitted, clerk):
    services.accept_application(submitted.pk, clerk)
    Application.objects.filter(pk=submitted.pk).update(state="issued")  # rendering is the worker's
    with pytest.raises(services.ServiceError) as caught:
        services.record_delivery(
            submitted.pk,
            clerk,
            method="mail",
            carrier="sf",
            tracking_number="12345",
            address="屯溪区",
        )
    assert any("不是有效的顺丰速运运单号" in p for p in caught.value.problems)
    services.record_delivery(
        submitted.pk,
        clerk,
        method="mail",
        carrier="sf",
        tracking_number="SF1234567890123",
        address="屯溪区黎阳路1号",
    )
    application = Application.objects.get(pk=submitted.pk)
    assert application.state == "delivered"
    assert application.delivery.tracking_number == "SF1234567890123"


def test_clerk_decision_pages(client, submitted, clerk):
    drop_material(submitted, NON_KEY)
    client.force_login(clerk)
    page = client.get(f"/applications/{submitted.pk}/").content.decode()
    for label in ("受理", "容缺受理", "一次性告知补正", "不予受理"):
        assert label in page
    response = client.post(
        f"/staff/applications/{submitted.pk}/request-correction/",
        {"problem__field__contract_price": "金额有误"},
        follow=True,
    )
    assert "已一次性告知补正" in response.content.decode()
    assert Application.objects.get(pk=submitted.pk).state == "correcting"


def test_deficiency_deadline_reminds_then_warns_once(submitted, clerk):
    import datetime

    import time_machine

    from approvals.services.deficiency_reminders import sweep_deficiencies

    drop_material(submitted, NON_KEY)
    services.accept_with_deficiency(submitted.pk, clerk, [NON_KEY], "按期补交", "张三", 5)
    due = Application.objects.get(pk=submitted.pk).deficiency.supply_due_on
    day_before = datetime.datetime.combine(due, datetime.time(10)) - datetime.timedelta(days=1)
    with time_machine.travel(day_before, tick=False):
        assert sweep_deficiencies(due - datetime.timedelta(days=1))["reminded"] == 1
        assert sweep_deficiencies(due - datetime.timedelta(days=1))["reminded"] == 0
    later = due + datetime.timedelta(days=1)
    assert sweep_deficiencies(later)["overdue"] == 1
    assert sweep_deficiencies(later)["overdue"] == 0
    events = Notification.objects.filter(application=submitted).values_list("event", flat=True)
    assert "deficiency_due_soon" in events and "deficiency_overdue" in events
    assert Notification.objects.filter(event="deficiency_overdue", recipient=clerk).exists()


def test_a_dishonest_enterprise_cannot_be_accepted_with_deficiency(submitted, clerk, client):
    from portal.models import CreditRecord

    CreditRecord.objects.create(
        credit_code=submitted.project.enterprise.credit_code,
        status="dishonest",
        reason="列入严重失信主体名单",
    )
    drop_material(submitted, NON_KEY)
    with pytest.raises(services.ServiceError, match="失信"):
        services.accept_with_deficiency(submitted.pk, clerk, [NON_KEY], "承诺", "张三", 5)
    client.force_login(clerk)
    page = client.get(f"/applications/{submitted.pk}/").content.decode()
    assert "申请单位信用状态：失信" in page
    assert "application_accept_with_deficiency" not in page and "accept-with-deficiency" not in page
