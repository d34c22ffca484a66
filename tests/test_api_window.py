"""The window's decisions and the applicant's answers through the API:
容缺受理, 一次性补正告知 and the correction round-trip, 不予受理, 送达 and
withdrawal — with the pages' visibility rules, scopes and error codes."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from api.models import ApiToken, Scope
from approvals import services
from approvals.models import Application, Material, Notice, TransitionLog
from portal.models import Role
from stages.models import Jurisdiction

from .factories import ApplicantFactory, ApplicationFactory, ProjectFactory, complete_draft, staff

pytestmark = pytest.mark.django_db
NON_KEY = "injury-insurance"  # 工伤保险参保证明: may be missing under 容缺
KEY = "construction-drawings"


@pytest.fixture(autouse=True)
def own_rate_counts(settings):
    default = {**settings.CACHES["default"], "KEY_PREFIX": f"api-test-{uuid.uuid4().hex}"}
    settings.CACHES = {**settings.CACHES, "default": default}


def bearer(user, *scopes):
    _, text = ApiToken.objects.issue(user, "测试令牌", scopes or Scope.values)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    return client


@pytest.fixture
def submitted(catalog, pdf_bytes):
    application = complete_draft(ApplicationFactory(stage__code="construction-permit"), pdf_bytes)
    return services.submit_application(application.pk, application.created_by)


@pytest.fixture
def window(clerk):
    return bearer(clerk, Scope.WINDOW_DECIDE, Scope.APPLICATIONS_READ)


def url(application, action=""):
    return f"/api/v1/applications/{application.pk}/" + (f"{action}/" if action else "")


def test_a_correction_round_trip_over_tokens_only(submitted, window, pdf_bytes):
    applicant = bearer(submitted.created_by, Scope.APPLICATIONS_READ, Scope.APPLICATIONS_WRITE)
    assert applicant.get(url(submitted, "correction")).status_code == 404

    empty = window.post(url(submitted, "request-correction"), {"items": []}, format="json")
    assert empty.status_code == 400 and empty.data["code"] == "invalid"
    assert "items" in empty.data["errors"]
    stranger = window.post(
        url(submitted, "request-correction"),
        {"items": [{"target": "field:no_such_field", "problem": "?"}]},
        format="json",
    )
    assert stranger.status_code == 400 and "items.0.target" in stranger.data["errors"]

    items = [
        {"target": "field:contract_price", "problem": "与中标通知书不一致"},
        {"target": f"material:{KEY}", "problem": "缺少审查合格书"},
        {"target": "other", "problem": "请补充联系人授权委托书"},
    ]
    asked = window.post(url(submitted, "request-correction"), {"items": items}, format="json")
    assert asked.status_code == 200, asked.data
    assert asked.data["state"] == "correcting"
    again = window.post(url(submitted, "request-correction"), {"items": items}, format="json")
    assert again.status_code == 409 and again.data["code"] == "state_conflict"

    notice = applicant.get(url(submitted, "correction"))
    assert notice.status_code == 200
    assert [(i["target"], i["problem"]) for i in notice.data["items"]] == [
        (i["target"], i["problem"]) for i in items
    ]
    assert notice.data["items"][0]["label"] == "表单：合同价格（万元）"
    assert notice.data["reopened_fields"] == ["contract_price"]
    assert notice.data["reopened_materials"] == [KEY]
    assert notice.data["answered_at"] is None

    locked = applicant.patch(url(submitted, "form"), {"general_contractor": "别家"}, format="json")
    assert locked.status_code == 400 and "general_contractor" in locked.data["errors"]
    fixed = applicant.patch(url(submitted, "form"), {"contract_price": "2900"}, format="json")
    assert fixed.status_code == 200 and fixed.data["form_data"]["contract_price"] == "2900"
    upload = SimpleUploadedFile("drawings.pdf", pdf_bytes, "application/pdf")
    uploaded = applicant.post(
        url(submitted, "materials"), {"kind": KEY, "file": upload}, format="multipart"
    )
    assert uploaded.status_code == 201, uploaded.data

    resubmitted = applicant.post(url(submitted, "resubmit"))
    assert resubmitted.status_code == 200, resubmitted.data
    assert resubmitted.data["state"] == "submitted"
    assert applicant.get(url(submitted, "correction")).status_code == 404
    assert applicant.post(url(submitted, "resubmit")).data["code"] == "state_conflict"

    accepted = window.post(url(submitted, "accept"), {}, format="json")
    assert accepted.status_code == 200 and accepted.data["state"] == "in_review"
    steps = [e["transition"] for e in accepted.data["timeline"] if e["subject"] == "application"]
    assert steps == ["submit", "request_correction", "resubmit", "accept"]
    assert Notice.objects.get(application=submitted, kind="correction").body["items"][0] == {
        "target": "field:contract_price",
        "label": "表单：合同价格（万元）",
        "problem": "与中标通知书不一致",
    }


def test_a_correction_item_may_be_listed_once(submitted, window):
    twice = [
        {"target": "field:contract_price", "problem": "一"},
        {"target": "field:contract_price", "problem": "二"},
    ]
    response = window.post(url(submitted, "request-correction"), {"items": twice}, format="json")
    assert response.status_code == 400 and "items.1.target" in response.data["errors"]
    assert Application.objects.get(pk=submitted.pk).state == "submitted"


def test_acceptance_with_deficiency(submitted, window):
    Material.objects.filter(application=submitted, kind=NON_KEY).delete()
    body = {"missing": [NON_KEY], "commitment": "十个工作日内补交", "committed_by": "张三"}
    plain = window.post(url(submitted, "accept"), {}, format="json")
    assert plain.status_code == 400 and plain.data["code"] == "refused"

    key = window.post(
        url(submitted, "accept-with-deficiency"), {**body, "missing": [KEY]}, format="json"
    )
    assert key.status_code == 400 and "missing" in key.data["errors"]  # not a choice
    too_long = window.post(
        url(submitted, "accept-with-deficiency"), {**body, "supply_days": 61}, format="json"
    )
    assert too_long.status_code == 400 and "supply_days" in too_long.data["errors"]
    no_one = window.post(
        url(submitted, "accept-with-deficiency"), {**body, "committed_by": ""}, format="json"
    )
    assert no_one.status_code == 400 and "committed_by" in no_one.data["errors"]

    accepted = window.post(url(submitted, "accept-with-deficiency"), body, format="json")
    assert accepted.status_code == 200, accepted.data
    assert accepted.data["state"] == "in_review" and accepted.data["tasks"]
    application = Application.objects.get(pk=submitted.pk)
    assert application.deficiency.kinds == [NON_KEY]
    assert application.deficiency.committed_by == "张三"
    assert TransitionLog.objects.filter(
        application=submitted, transition="accept_with_deficiency"
    ).exists()


def test_refusal_needs_reason_and_legal_basis(submitted, window):
    blank = window.post(url(submitted, "refuse"), {"reason": "不属于本机关职权"}, format="json")
    assert blank.status_code == 400 and list(blank.data["errors"]) == ["legal_basis"]
    refused = window.post(
        url(submitted, "refuse"),
        {"reason": "不属于本机关职权", "legal_basis": "《行政许可法》第三十二条"},
        format="json",
    )
    assert refused.status_code == 200 and refused.data["state"] == "refused"
    assert Notice.objects.get(application=submitted, kind="refusal").body["legal_basis"] == (
        "《行政许可法》第三十二条"
    )


def test_delivery_names_the_wrong_field(submitted, clerk, window):
    early = {"method": "collect", "collector_name": "李四", "collector_id_last4": "123X"}
    assert window.post(url(submitted, "deliver"), early, format="json").status_code == 409
    services.accept_application(submitted.pk, clerk)
    Application.objects.filter(pk=submitted.pk).update(state="issued")  # rendering is the worker's
    mail = {"method": "mail", "carrier": "sf", "tracking_number": "12345", "address": "屯溪区"}
    wrong = window.post(url(submitted, "deliver"), mail, format="json")
    assert wrong.status_code == 400 and list(wrong.data["errors"]) == ["tracking_number"]
    unknown = window.post(url(submitted, "deliver"), {**mail, "carrier": "ups"}, format="json")
    assert unknown.status_code == 400 and "carrier" in unknown.data["errors"]
    done = window.post(
        url(submitted, "deliver"), {**mail, "tracking_number": "SF1234567890123"}, format="json"
    )
    assert done.status_code == 200 and done.data["state"] == "delivered"
    assert Application.objects.get(pk=submitted.pk).delivery.tracking_number == "SF1234567890123"


def test_withdrawal_needs_a_reason(submitted):
    applicant = bearer(submitted.created_by, Scope.APPLICATIONS_WRITE)
    silent = applicant.post(url(submitted, "withdraw"), {"reason": ""}, format="json")
    assert silent.status_code == 400 and "reason" in silent.data["errors"]
    done = applicant.post(url(submitted, "withdraw"), {"reason": "项目调整"}, format="json")
    assert done.status_code == 200 and done.data["state"] == "withdrawn"
    assert TransitionLog.objects.get(application=submitted, transition="withdraw").comment == (
        "项目调整"
    )
    twice = applicant.post(url(submitted, "withdraw"), {"reason": "项目调整"}, format="json")
    assert twice.status_code == 409 and twice.data["code"] == "state_conflict"


def test_an_agent_answers_for_the_delegated_project(submitted, window):
    from approvals.models import Delegation

    agent = ApplicantFactory(role=Role.AGENT, enterprise=None)
    Delegation.objects.create(
        project=submitted.project, agent=agent, requested_by=submitted.created_by
    )
    items = [{"target": "other", "problem": "请补充授权委托书"}]
    assert window.post(url(submitted, "request-correction"), {"items": items}, format="json")
    on_behalf = bearer(agent, Scope.APPLICATIONS_READ, Scope.APPLICATIONS_WRITE)
    assert on_behalf.get(url(submitted, "correction")).data["items"][0]["target"] == "other"
    assert on_behalf.post(url(submitted, "resubmit")).data["state"] == "submitted"


def test_who_may_call_what(submitted, clerk):
    decisions = ["accept-with-deficiency", "request-correction", "refuse", "deliver"]
    answers = [("get", "correction"), ("post", "resubmit"), ("post", "withdraw")]

    intruder = bearer(ApplicantFactory())
    for action in decisions:
        assert intruder.post(url(submitted, action), {}, format="json").status_code == 404
    for method, action in answers:
        response = getattr(intruder, method)(url(submitted, action), {}, format="json")
        assert response.status_code == 404, action
        assert response.data["code"] == "not_found"

    other_district = staff(Role.CLERK, "341003", "data")
    elsewhere = bearer(other_district)
    for action in decisions:
        assert elsewhere.post(url(submitted, action), {}, format="json").status_code == 404

    own = bearer(submitted.created_by)
    for action in decisions:
        refused = own.post(url(submitted, action), {}, format="json")
        assert refused.status_code == 403, action
        assert refused.data["code"] == "permission_denied"
    window = bearer(clerk)
    for action in ("resubmit", "withdraw"):
        assert window.post(url(submitted, action), {"reason": "x"}, format="json").status_code == (
            403
        )

    read_only = bearer(clerk, Scope.APPLICATIONS_READ)
    for action in decisions:
        response = read_only.post(url(submitted, action), {}, format="json")
        assert response.status_code == 403 and "window:decide" in response.data["detail"]
    catalogue_only = bearer(submitted.created_by, Scope.CATALOG_READ)
    for method, action in answers:
        response = getattr(catalogue_only, method)(url(submitted, action), {}, format="json")
        assert response.status_code == 403 and response.data["code"] == "permission_denied"
    assert Application.objects.get(pk=submitted.pk).state == "submitted"


def test_errors_have_a_stable_code_and_a_translated_message(submitted):
    anonymous = APIClient().post(url(submitted, "withdraw"), {"reason": "x"}, format="json")
    assert anonymous.status_code == 401 and anonymous.data["code"] == "not_authenticated"
    applicant = bearer(submitted.created_by)
    malformed = applicant.generic(
        "POST", url(submitted, "withdraw"), "{not json", content_type="application/json"
    )
    assert malformed.status_code == 400 and malformed.data["code"] == "parse_error"
    english = applicant.post(
        url(submitted, "withdraw"), {}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    chinese = applicant.post(
        url(submitted, "withdraw"), {}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert english.data["code"] == chinese.data["code"] == "invalid"
    assert chinese.data["errors"]["reason"] == ["该字段是必填项。"]
    assert english.data["errors"]["reason"] == ["This field is required."]
    other = ApplicationFactory(
        project=ProjectFactory(jurisdiction=Jurisdiction.objects.get(code="341003"))
    )
    assert applicant.get(url(other, "correction")).data["code"] == "not_found"
