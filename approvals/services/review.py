"""Department reviewers' actions on their tasks, and the stage decision rule:
every mandatory task approved → the application is approved and its
certificates are issued; a mandatory task rejected → the application is
rejected."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Application, ApplicationState, Deficiency, ReviewTask, ReviewTaskState
from . import transitions
from .certificates import issue_certificates
from .errors import ServiceError
from .notifications import notify


def claim_task(task_id, reviewer):
    with transaction.atomic():
        task = transitions.lock(ReviewTask, task_id)
        return transitions.run(
            task, "claim", reviewer, application=task.application, reviewer=reviewer
        )


def approve_task(task_id, reviewer, opinion=""):
    return _decide(task_id, reviewer, "approve", opinion)


def reject_task(task_id, reviewer, opinion):
    if not opinion.strip():
        raise ServiceError(_("不通过时必须填写理由和依据。"))
    return _decide(task_id, reviewer, "reject", opinion)


def _decide(task_id, reviewer, name, opinion):
    with transaction.atomic():
        task = transitions.lock(ReviewTask, task_id)
        # Lock the application before reading its sibling tasks, so the last
        # two parallel approvals cannot both miss each other.
        application = transitions.lock(Application, task.application_id)
        transitions.run(
            task, name, reviewer, application=application, comment=opinion, opinion=opinion
        )
        decide_stage(application)
        return task


def decide_stage(application):
    """Apply the stage decision rule to a locked application in review."""
    if application.state != ApplicationState.IN_REVIEW:
        return
    mandatory = list(application.tasks.filter(mandatory=True).values_list("state", flat=True))
    members = application.project.enterprise.members.all()
    if ReviewTaskState.REJECTED in mandatory:
        transitions.run(
            application, "reject", None, application=application, comment=_("必办事项审查不通过")
        )
        notify(
            members,
            event="application_rejected",
            title=_("您的申请 %(number)s 未获许可") % {"number": application.number},
            application=application,
        )
    elif all(state == ReviewTaskState.APPROVED for state in mandatory):
        transitions.run(
            application, "approve", None, application=application, comment=_("必办事项全部通过")
        )
        if Deficiency.objects.filter(application=application, cleared_at__isnull=True).exists():
            notify(
                members,
                event="certificate_withheld",
                title=_("申请 %(number)s 已审批通过，容缺材料补齐后发放证照")
                % {"number": application.number},
                application=application,
            )
        else:
            issue_certificates(application)
