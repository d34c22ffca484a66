"""The window's decisions on a submitted application besides plain
acceptance — 容缺受理, 一次性补正告知, 不予受理 — the applicant's resubmission
and withdrawal, clearing a 容缺, and delivery (送达). Each one is a
transition through `transitions.run` with its notice and notifications."""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.credit import credit_source
from stages.calendar import CalendarNotAvailable, WorkingCalendar

from ..models import (
    Application,
    ApplicationState,
    CorrectionNotice,
    Deficiency,
    Delivery,
    Notice,
)
from ..models.certificate import CertificateState
from . import transitions
from .applications import open_review
from .certificates import issue_certificates
from .drafting import material_slots, problems_before_submission
from .errors import ServiceError, SubmissionIncomplete
from .notices import issue_notice
from .notifications import notify

# 行政许可法 §32: a one-time correction notice within 5 days of receipt.
CORRECTION_NOTICE_DAYS = 5


def missing_materials(application):
    """Applicable mandatory materials with no file and no certificate."""
    return [
        requirement
        for requirement, files, from_certificate in material_slots(application)
        if requirement["mandatory"]
        and not requirement["generated"]
        and not files
        and not from_certificate
    ]


def accept_with_deficiency(
    application_id, clerk, missing_kinds, commitment, committed_by, supply_days, comment=""
):
    """容缺受理: only non-key materials may be missing; the applicant's
    commitment is recorded with a supply deadline in working days."""
    if not missing_kinds:
        raise ServiceError(_("请勾选容缺的材料。"))
    if not commitment.strip() or not committed_by.strip():
        raise ServiceError(_("容缺受理须记录申请人的承诺内容和承诺人。"))
    if not 1 <= supply_days <= 60:
        raise ServiceError(_("补交期限应为 1–60 个工作日。"))
    with transaction.atomic():
        application = transitions.lock(Application, application_id)
        credit = credit_source().status(application.project.enterprise.credit_code)
        if credit.blocks_commitments:
            raise ServiceError(
                _("该企业信用状态为“%(status)s”，不适用容缺受理。") % {"status": credit.label}
            )
        requirements = {r["kind"]: r for r in application.applicable_materials()}
        key = [requirements[k]["name"] for k in missing_kinds if requirements.get(k, {}).get("key")]
        if key:
            raise ServiceError(_("关键材料不能容缺：%(names)s。") % {"names": "、".join(key)})
        unknown = [k for k in missing_kinds if k not in requirements]
        if unknown:
            raise ServiceError(_("所选材料不属于本申请。"))
        try:
            supply_due_on = WorkingCalendar().add_working_days(timezone.localdate(), supply_days)
        except CalendarNotAvailable as error:
            raise ServiceError(str(error)) from error
        open_review(
            application, clerk, "accept_with_deficiency", comment, allow_missing=missing_kinds
        )
        Deficiency.objects.create(
            application=application,
            items=[{"kind": k, "name": requirements[k]["name"]} for k in missing_kinds],
            commitment=commitment,
            committed_by=committed_by,
            supply_due_on=supply_due_on,
            created_by=clerk,
        )
        issue_notice(
            application,
            Notice.Kind.DEFICIENCY_ACCEPTANCE,
            {
                "missing": [requirements[k]["name"] for k in missing_kinds],
                "supply_due_on": supply_due_on.isoformat(),
                "due_on": application.due_on.isoformat(),
            },
        )
        return application


def request_correction(application_id, clerk, items):
    """一次性补正告知: every problem in ONE notice; the listed fields and
    materials reopen for the applicant, nothing else."""
    items = [item for item in items if item.get("problem", "").strip()]
    if not items:
        raise ServiceError(_("补正告知至少要列出一项问题，并写明需要如何补正。"))
    with transaction.atomic():
        application = transitions.lock(Application, application_id)
        transitions.run(
            application,
            "request_correction",
            clerk,
            application=application,
            comment="；".join(f"{i['label']}：{i['problem']}" for i in items),
        )
        CorrectionNotice.objects.create(application=application, items=items, created_by=clerk)
        issue_notice(application, Notice.Kind.CORRECTION, {"items": items})
        notify(
            application.project.enterprise.members.all(),
            event="correction_requested",
            title=_("申请 %(number)s 需要补正（共 %(count)d 项）")
            % {"number": application.number, "count": len(items)},
            body="\n".join(f"{i['label']}：{i['problem']}" for i in items),
            application=application,
        )
        return application


def resubmit_application(application_id, user):
    with transaction.atomic():
        application = transitions.lock(Application, application_id)
        if application.state == ApplicationState.CORRECTING:
            problems = problems_before_submission(application)
            if problems:
                raise SubmissionIncomplete(_("补正尚未完成，不能提交。"), problems)
        transitions.run(application, "resubmit", user, application=application)
        application.correction_notices.filter(answered_at__isnull=True).update(
            answered_at=timezone.now()
        )
        return application


def refuse_application(application_id, clerk, reason, legal_basis):
    """不予受理, with the reason and its legal basis, in a written decision."""
    if not reason.strip() or not legal_basis.strip():
        raise ServiceError(_("不予受理须写明理由和法律依据。"))
    with transaction.atomic():
        application = transitions.lock(Application, application_id)
        transitions.run(
            application,
            "refuse",
            clerk,
            application=application,
            comment=f"{reason}（{legal_basis}）",
        )
        issue_notice(
            application, Notice.Kind.REFUSAL, {"reason": reason, "legal_basis": legal_basis}
        )
        notify(
            application.project.enterprise.members.all(),
            event="application_refused",
            title=_("申请 %(number)s 不予受理") % {"number": application.number},
            body=reason,
            application=application,
        )
        return application


def withdraw_application(application_id, user, reason):
    if not reason.strip():
        raise ServiceError(_("请填写撤回理由。"))
    with transaction.atomic():
        application = transitions.lock(Application, application_id)
        return transitions.run(
            application, "withdraw", user, application=application, comment=reason
        )


def clear_deficiency(application_id, clerk):
    """The clerk confirms the missing materials arrived; a withheld
    certificate is issued now."""
    with transaction.atomic():
        application = transitions.lock(Application, application_id)
        if not rules.test_rule("accept_application", clerk, application):
            raise PermissionDenied
        deficiency = Deficiency.objects.select_for_update().filter(application=application).first()
        if deficiency is None or not deficiency.is_open:
            raise ServiceError(_("该申请没有待补齐的容缺材料。"))
        still_missing = [
            r["name"] for r in missing_materials(application) if r["kind"] in deficiency.kinds
        ]
        if still_missing:
            raise ServiceError(
                _("容缺材料尚未补齐：%(names)s。") % {"names": "、".join(still_missing)}
            )
        deficiency.cleared_at = timezone.now()
        deficiency.cleared_by = clerk
        deficiency.save(update_fields=["cleared_at", "cleared_by"])
        if application.state == ApplicationState.APPROVED and not application.certificates.exists():
            issue_certificates(application)
        return application


def record_delivery(application_id, clerk, **details):
    """送达: collected at the window or mailed; validated before the
    transition. What the clerk leaves out defaults to the applicant's choice."""
    with transaction.atomic():
        application = transitions.lock(Application, application_id)
        details.setdefault("method", application.delivery_method)
        if details["method"] == application.delivery_method and not details.get("address"):
            details["address"] = application.delivery_address
        delivery = Delivery(application=application, delivered_by=clerk, **details)
        try:
            delivery.full_clean(exclude=["application", "delivered_by"])
        except ValidationError as error:
            raise ServiceError(
                _("送达信息有误。"), [m for ms in error.message_dict.values() for m in ms]
            ) from error
        certificates = list(
            application.certificates.filter(state=CertificateState.VALID).order_by("number")
        )
        if any(not certificate.is_rendered for certificate in certificates):
            raise ServiceError(_("证照正在生成，生成完毕后才能登记送达。"))
        transitions.run(application, "deliver", clerk, application=application)
        delivery.save()
        handed_over = "、".join(c.number for c in certificates)
        notify(
            application.project.enterprise.members.all(),
            event="delivered",
            title=_("申请 %(number)s 的证照已%(method)s")
            % {"number": application.number, "method": delivery.get_method_display()},
            body=(
                _("证照编号：%(numbers)s。%(carrier)s %(tracking)s")
                % {
                    "numbers": handed_over,
                    "carrier": delivery.get_carrier_display(),
                    "tracking": delivery.tracking_number,
                }
                if delivery.method == Delivery.Method.MAIL
                else _("证照编号：%(numbers)s。") % {"numbers": handed_over}
            ),
            application=application,
        )
        return application
