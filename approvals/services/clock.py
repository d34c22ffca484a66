"""Stopping and restarting the clock: 特别程序 (suspensions) of a task or a
whole application, and a reviewer's request for supplementary material.
Each pause shifts due dates by exactly the working days it lasted.

Pauses overlap: a task's clock restarts only when nothing else holds it —
not while its application is suspended, nor while a 联合图审 round waits
for revised drawings (joint.py), nor while the task itself is suspended or
waiting for supplementary material."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stages.calendar import CalendarNotAvailable, WorkingCalendar

from ..models import Application, Notice, ReviewTask, ReviewTaskState, Suspension
from ..models.clock import Clocked
from ..models.joint import JointRound
from . import transitions
from .drafting import SUPPLEMENT_KIND
from .errors import ServiceError
from .materials import attach_material
from .notices import issue_notice
from .notifications import notify

# Task states whose own clock is stopped by the task itself.
SELF_PAUSED = {ReviewTaskState.NEEDS_SUPPLEMENT, ReviewTaskState.SUSPENDED}
OPEN_TASK_STATES = {ReviewTaskState.PENDING, ReviewTaskState.REVIEWING, *SELF_PAUSED}


def _calendar():
    try:
        return WorkingCalendar()
    except CalendarNotAvailable as error:
        raise ServiceError(str(error)) from error


def suspend(application_id, actor, kind, reason, expected_working_days, task_id=None):
    """Start a 特别程序 for one task (task_id) or the whole application."""
    if not reason.strip():
        raise ServiceError(_("请写明启动特别程序的理由。"))
    if not 1 <= expected_working_days <= 250:
        raise ServiceError(_("预计时长应为 1–250 个工作日。"))
    if kind not in Suspension.Kind.values:
        raise ServiceError(_("请选择特别程序类型。"))
    calendar = _calendar()
    today = timezone.localdate()
    with transaction.atomic():
        application = transitions.lock(Application, application_id)
        if task_id is None:
            transitions.run(application, "suspend", actor, application=application, comment=reason)
            application.pause_clock(today)
            application.save(update_fields=["paused_since"])
            for task in _open_tasks(application):
                task.pause_clock(today)
                task.save(update_fields=["paused_since"])
            task = None
        else:
            task = transitions.lock(ReviewTask, task_id)
            if task.application_id != application.pk:
                raise ServiceError(_("审查任务不属于该申请。"))
            transitions.run(task, "suspend", actor, application=application, comment=reason)
            task.pause_clock(today)
            task.save(update_fields=["paused_since"])
        suspension = Suspension.objects.create(
            application=application,
            task=task,
            kind=kind,
            reason=reason,
            expected_working_days=expected_working_days,
            started_on=today,
            expected_end_on=calendar.add_working_days(today, expected_working_days),
            created_by=actor,
        )
        issue_notice(
            application,
            Notice.Kind.SUSPENSION,
            {
                "kind": suspension.get_kind_display(),
                "reason": reason,
                "matter": task.matter.name if task else "",
                "expected_end_on": suspension.expected_end_on.isoformat(),
            },
        )
        notify(
            application.project.enterprise.members.all(),
            event="suspended",
            title=_("申请 %(number)s 进入特别程序（%(kind)s），期间不计入审批时限")
            % {"number": application.number, "kind": suspension.get_kind_display()},
            body=reason,
            application=application,
        )
        return suspension


def resume(suspension_id, actor, comment=""):
    """End a 特别程序 (by hand, or by the sweep when its expected length ends;
    actor None). Due dates move by the working days it lasted."""
    calendar = _calendar()
    today = timezone.localdate()
    with transaction.atomic():
        suspension = Suspension.objects.select_for_update().get(pk=suspension_id)
        if suspension.ended_on is not None:
            raise ServiceError(_("该特别程序已经结束，无需恢复。"))
        application = transitions.lock(Application, suspension.application_id)
        comment = comment or _("特别程序结束")
        if suspension.task_id is None:
            transitions.run(
                application,
                "resume",
                actor,
                application=application,
                comment=comment,
                system=actor is None,
            )
            paused = application.resume_clock(calendar, today)
            application.save(update_fields=Clocked.CLOCK_FIELDS)
            held = JointRound.objects.task_ids_held(application.pk)
            for task in _open_tasks(application):
                if task.state not in SELF_PAUSED and task.pk not in held:
                    task.resume_clock(calendar, today)
                    task.save(update_fields=Clocked.CLOCK_FIELDS)
        else:
            task = transitions.lock(ReviewTask, suspension.task_id)
            transitions.run(
                task,
                "resume",
                actor,
                application=application,
                comment=comment,
                system=actor is None,
            )
            paused = 0
            if _may_restart(task, application):
                paused = task.resume_clock(calendar, today)
                task.save(update_fields=Clocked.CLOCK_FIELDS)
        suspension.ended_on = today
        suspension.paused_working_days = paused
        suspension.save(update_fields=["ended_on", "paused_working_days"])
        return suspension


def request_supplement(task_id, reviewer, request):
    """The task waits for the applicant; its clock stops until answered."""
    if not request.strip():
        raise ServiceError(_("请写明需要补充的材料或说明。"))
    with transaction.atomic():
        task = transitions.lock(ReviewTask, task_id)
        application = transitions.lock(Application, task.application_id)
        transitions.run(
            task,
            "request_supplement",
            reviewer,
            application=application,
            comment=request,
            request=request,
        )
        task.pause_clock(timezone.localdate())
        task.save(update_fields=["paused_since"])
        notify(
            application.project.enterprise.members.all(),
            event="supplement_requested",
            title=_("%(matter)s：请补充材料") % {"matter": task.matter.name},
            body=request,
            application=application,
        )
        return task


def answer_supplement(task_id, user, answer, file=None):
    """The applicant answers, with a file or without; the file is kept only
    with the answer (a second click attaches nothing)."""
    calendar = _calendar()
    with transaction.atomic():
        task = transitions.lock(ReviewTask, task_id)
        application = transitions.lock(Application, task.application_id)
        if file is not None:
            # Before the transition: the supplement slot is open only while
            # a task waits for it.
            attach_material(application.pk, user, SUPPLEMENT_KIND, file)
        transitions.run(task, "answer_supplement", user, application=application, comment=answer)
        if _may_restart(task, application):
            task.resume_clock(calendar, timezone.localdate())
        task.save(update_fields=Clocked.CLOCK_FIELDS)
        return task


def resume_expired_suspensions():
    """Sweep: end every 特别程序 whose expected length has run out. Safe to
    run twice: each is locked and skipped once ended."""
    today = timezone.localdate()
    ended = 0
    for pk in Suspension.objects.filter(
        ended_on__isnull=True, expected_end_on__lte=today
    ).values_list("pk", flat=True):
        try:
            resume(pk, None, _("特别程序预计时长届满，自动恢复计时"))
            ended += 1
        except ServiceError:
            continue
    return ended


def _may_restart(task, application):
    """Whether ending the task's own pause restarts its clock."""
    return application.state != "suspended" and task.pk not in JointRound.objects.task_ids_held(
        application.pk
    )


def _open_tasks(application):
    return ReviewTask.objects.select_for_update().filter(
        application=application, state__in=OPEN_TASK_STATES
    )
