"""One template per notification event: the label people see on their
preferences page, the title and body written into the notification, and
whether SMS is on by default (for steps an applicant must act on or has
waited for; staff get SMS only for red warnings).

Callers of `notify()` may still pass their own title and body; the template
fills in what they leave out. Placeholders are %-style names filled from the
application (`number`, `project`, `stage`, `due`, `link`) and from the
caller's `context`; a missing name renders as empty rather than failing a
state change over wording."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EventTemplate:
    label: str
    title: str
    body: str = ""
    sms: bool = False
    staff: bool = False  # sent to back-office staff rather than applicants


_APPLICANT_LINK = _("查看详情：%(link)s")

EVENTS = {
    "application_submitted": EventTemplate(
        _("新申请待受理"),
        _("新申请待受理：%(number)s %(project)s"),
        _("%(project)s 的%(stage)s申请已提交，请及时受理。\n%(link)s"),
        staff=True,
    ),
    "application_accepted": EventTemplate(
        _("申请已受理"),
        _("您的申请 %(number)s 已受理，承诺 %(due)s 前办结"),
        _APPLICANT_LINK,
        sms=True,
    ),
    "correction_requested": EventTemplate(
        _("需要补正"),
        _("申请 %(number)s 需要补正"),
        _("请按补正告知书一次性补齐材料后重新提交。\n%(link)s"),
        sms=True,
    ),
    "application_refused": EventTemplate(
        _("不予受理"),
        _("申请 %(number)s 不予受理"),
        _APPLICANT_LINK,
        sms=True,
    ),
    "application_rejected": EventTemplate(
        _("不予许可"),
        _("您的申请 %(number)s 未获许可"),
        _APPLICANT_LINK,
        sms=True,
    ),
    "suspended": EventTemplate(
        _("进入特别程序"),
        _("申请 %(number)s 进入特别程序，期间不计入审批时限"),
        _APPLICANT_LINK,
        sms=True,
    ),
    "supplement_requested": EventTemplate(
        _("需要补充材料"),
        _("申请 %(number)s：请补充材料"),
        _APPLICANT_LINK,
        sms=True,
    ),
    "task_created": EventTemplate(
        _("新审查任务"),
        _("新审查任务：%(project)s · %(stage)s"),
        "%(link)s",
        staff=True,
    ),
    "warning_yellow": EventTemplate(
        _("黄牌预警"),
        _("黄牌预警：%(subject)s 将于 %(due)s 到期"),
        staff=True,
    ),
    "warning_red": EventTemplate(
        _("红牌预警"),
        _("红牌预警：%(subject)s 已超过办理期限 %(due)s"),
        sms=True,
        staff=True,
    ),
    "certificate_issued": EventTemplate(
        _("证照已签发"),
        _("您的申请 %(number)s 已办结，电子证照可下载"),
        _APPLICANT_LINK,
        sms=True,
    ),
    "certificate_withheld": EventTemplate(
        _("证照暂缓发放（容缺）"),
        _("申请 %(number)s 已审批通过，容缺材料补齐后发放证照"),
        _APPLICANT_LINK,
        sms=True,
    ),
    "certificate_revoked": EventTemplate(
        _("证照被撤销"),
        _("申请 %(number)s 的电子证照已被撤销"),
        _APPLICANT_LINK,
        sms=True,
    ),
    "certificate_amended": EventTemplate(
        _("证照已变更"),
        _("申请 %(number)s 的电子证照已变更"),
        _APPLICANT_LINK,
    ),
    "delivered": EventTemplate(
        _("证照已送达"),
        _("申请 %(number)s 的证照已送达"),
        _APPLICANT_LINK,
        sms=True,
    ),
    "escalated": EventTemplate(
        _("督办"),
        _("督办：申请 %(number)s 请按期办结"),
        "%(link)s",
        sms=True,
        staff=True,
    ),
    "delegation_assigned": EventTemplate(
        _("新的代办项目"),
        _("新的代办项目：%(project)s"),
    ),
    "delegation_revoked": EventTemplate(
        _("代办委托已撤销"),
        _("代办委托已撤销：%(project)s"),
    ),
}

DEFAULT = EventTemplate(_("其他通知"), "")


class _Blank(dict):
    def __missing__(self, key):
        return ""


def template_for(event):
    return EVENTS.get(event, DEFAULT)


def render(text, context):
    """`text` with its %(name)s placeholders filled; blank when unknown."""
    return str(text) % _Blank(context) if text else ""


def event_choices():
    """Every event with its label, audience and channel defaults, in the
    order above. The preferences page (portal) reads this through the setting
    PORTAL_NOTIFICATION_EVENTS, so portal never imports approvals."""
    return [
        {
            "code": code,
            "label": template.label,
            "staff": template.staff,
            "email": True,
            "sms": template.sms,
        }
        for code, template in EVENTS.items()
    ]
