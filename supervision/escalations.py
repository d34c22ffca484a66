"""督办: flagging an overdue review task, resolving it, and what other
pages need to show escalated tasks first.

`escalated_first` is the one thing the reviewer's inbox (approvals) uses;
it only annotates and orders, so the inbox keeps its query count."""

import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import ReviewTask, ReviewTaskState
from approvals.services.notifications import notify
from portal.models import Role
from stages.models import Jurisdiction

from .models import Escalation

# Beyond this a "new deadline" is no longer pressing anyone.
MAX_DEADLINE_DAYS = 60
NOTE_MAX_LENGTH = 1000
ESCALATABLE = [ReviewTaskState.PENDING, ReviewTaskState.REVIEWING]


class EscalationError(Exception):
    pass


def escalated_first(tasks, *ordering):
    """`tasks` annotated with `escalated` (an open 督办 exists),
    `escalation_deadline` and `escalation_note`, ordered escalated first and
    then by `ordering`."""
    open_escalation = Escalation.objects.filter(task=OuterRef("pk"), resolved_at__isnull=True)
    return tasks.annotate(
        escalated=Exists(open_escalation),
        escalation_deadline=Subquery(open_escalation.values("new_deadline")[:1]),
        escalation_note=Subquery(open_escalation.values("note")[:1]),
    ).order_by(F("escalated").desc(), *ordering)


def escalated_task_ids(tasks):
    """The ids among `tasks` with an open 督办 (one query)."""
    return set(
        Escalation.objects.open()
        .filter(task__in=tasks.values("pk"))
        .values_list("task_id", flat=True)
    )


def check(task, scope, today):
    """Why `task` may not be escalated by a supervisor of `scope`, or None."""
    if not scope.covers(task.jurisdiction_id):
        return _("该任务不在您的监督范围内。")
    if task.state not in ESCALATABLE:
        return _("只有待签收或审查中的任务可以督办。")
    if task.due_on is None or task.due_on >= today:
        return _("只有已超过审查期限的任务可以督办。")
    return None


def escalate(task_id, supervisor, scope, note, new_deadline, today=None):
    today = today or timezone.localdate()
    note = (note or "").strip()
    if not note:
        raise EscalationError(_("请填写督办意见。"))
    if len(note) > NOTE_MAX_LENGTH:
        raise EscalationError(_("督办意见不超过 %(n)d 字。") % {"n": NOTE_MAX_LENGTH})
    if new_deadline is None or new_deadline < today:
        raise EscalationError(_("限期办结日期不能早于今天。"))
    if new_deadline > today + datetime.timedelta(days=MAX_DEADLINE_DAYS):
        raise EscalationError(_("限期办结日期不能晚于 %(n)d 天之后。") % {"n": MAX_DEADLINE_DAYS})
    with transaction.atomic():
        task = (
            ReviewTask.objects.select_for_update(of=("self",))
            .select_related("matter", "application__project")
            .get(pk=task_id)
        )
        if problem := check(task, scope, today):
            raise EscalationError(problem)
        try:
            with transaction.atomic():
                escalation = Escalation.objects.create(
                    task=task, note=note, new_deadline=new_deadline, created_by=supervisor
                )
        except IntegrityError as error:
            raise EscalationError(_("该任务已在督办中。")) from error
        notify(
            _people_to_press(task),
            event="escalated",
            title=_("督办：%(matter)s（%(project)s）请于 %(deadline)s 前办结")
            % {
                "matter": task.matter.name,
                "project": task.application.project.name,
                "deadline": new_deadline.isoformat(),
            },
            body=note,
            application=task.application,
        )
        return escalation


def resolve(escalation_id, scope):
    with transaction.atomic():
        escalation = (
            Escalation.objects.select_for_update(of=("self",))
            .select_related("task")
            .get(pk=escalation_id)
        )
        if not scope.covers(escalation.task.jurisdiction_id):
            raise EscalationError(_("该督办不在您的监督范围内。"))
        if escalation.resolved_at is None:
            escalation.resolved_at = timezone.now()
            escalation.save(update_fields=["resolved_at"])
        return escalation


def resolve_for_decided_task(task_id):
    """The task was decided: its open escalation is done."""
    return Escalation.objects.filter(task_id=task_id, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )


def _people_to_press(task):
    """The reviewer who holds the task, else the department's reviewers who
    see its jurisdiction (their own, or the city level above it)."""
    users = get_user_model().objects.filter(is_active=True)
    if task.reviewer_id:
        return users.filter(pk=task.reviewer_id)
    return users.filter(
        Q(staff_membership__jurisdiction_id=task.jurisdiction_id)
        | Q(staff_membership__jurisdiction__level=Jurisdiction.Level.CITY),
        role=Role.REVIEWER,
        staff_membership__department_id=task.department_id,
    )


RELATED = ("task__matter", "task__department", "task__application__project", "created_by")


def _narrowed(escalations, scope, filters):
    escalations = scope.escalations(escalations)
    if filters.department_id:
        escalations = escalations.filter(task__department_id=filters.department_id)
    if filters.stage_id:
        escalations = escalations.filter(task__matter__stage_id=filters.stage_id)
    return escalations.select_related(*RELATED)


def open_escalations(scope, filters):
    return _narrowed(Escalation.objects.open(), scope, filters).order_by("new_deadline", "pk")


def escalations_in_period(scope, filters):
    """Escalations raised in the period, open or resolved (for reports)."""
    first, after = filters.period.bounds()
    raised = Escalation.objects.filter(created_at__gte=first, created_at__lt=after)
    return _narrowed(raised, scope, filters).order_by("created_at", "pk")
