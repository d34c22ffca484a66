"""Yellow and red warnings (限时办结): find what crossed a threshold with
one set-based query per level, mark it, and notify the people concerned —
each level once per deadline, even when two sweeps run at the same time
(rows are claimed with SKIP LOCKED and marked in the same transaction)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Role

from ..models import Application, ApplicationState, Notification, ReviewTask, ReviewTaskState
from .side_effects import enqueue_on_commit

BATCH = 1000
OPEN_TASKS = [ReviewTaskState.PENDING, ReviewTaskState.REVIEWING]
OPEN_APPLICATIONS = [ApplicationState.IN_REVIEW]


def sweep(today=None):
    """Returns {(model, level): rows marked}."""
    today = today or timezone.localdate()
    touched = {}
    for model, states in ((ReviewTask, OPEN_TASKS), (Application, OPEN_APPLICATIONS)):
        for level in ("red", "yellow"):
            touched[(model.__name__, level)] = _sweep_level(model, states, level, today)
    return touched


def _sweep_level(model, states, level, today):
    crossed = Q(due_on__lt=today) if level == "red" else Q(yellow_on__lte=today)
    # Ordered by the threshold date so the planner walks the partial index
    # of unwarned running rows (migration 0015) instead of trusting a row
    # estimate that assumes overdue rows are still unwarned.
    threshold = "due_on" if level == "red" else "yellow_on"
    marker = f"warned_{level}_at"
    total = 0
    while True:
        with transaction.atomic():
            rows = list(
                model.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(crossed, state__in=states, paused_since__isnull=True, **{marker: None})
                .select_related(*_related(model))
                .order_by(threshold, "pk")[:BATCH]
            )
            if not rows:
                return total
            now = timezone.now()
            update = {marker: now}
            if level == "red":
                update["warned_yellow_at"] = now  # no yellow after a red
            model.objects.filter(pk__in=[r.pk for r in rows]).update(**update)
            _notify(rows, level)
            total += len(rows)


def _related(model):
    if model is ReviewTask:
        return ("matter", "application__project", "reviewer")
    return ("project", "stage")


def _notify(rows, level):
    recipients = _Recipients()
    notifications = []
    for row in rows:
        if isinstance(row, ReviewTask):
            application = row.application
            subject = _("%(matter)s（%(project)s）") % {
                "matter": row.matter.name,
                "project": application.project.name,
            }
            people = recipients.for_task(row)
        else:
            application = row
            subject = _("%(stage)s（%(project)s）") % {
                "stage": row.stage.name,
                "project": row.project.name,
            }
            people = recipients.for_application(row)
        if level == "red":
            title = _("红牌预警：%(subject)s 已超过办理期限 %(due)s") % {
                "subject": subject,
                "due": row.due_on,
            }
        else:
            title = _("黄牌预警：%(subject)s 将于 %(due)s 到期") % {
                "subject": subject,
                "due": row.due_on,
            }
        notifications += [
            Notification(
                recipient_id=user_id,
                application=application,
                event=f"warning_{level}",
                title=title,
            )
            for user_id in people
        ]
    created = Notification.objects.bulk_create(notifications)
    from ..tasks import deliver_notification

    for notification in created:
        enqueue_on_commit(deliver_notification, notification.pk)


class _Recipients:
    """Staff per (role, jurisdiction[, department]), loaded once per batch."""

    def __init__(self):
        self.staff = list(
            get_user_model()
            .objects.filter(
                role__in=[Role.CLERK, Role.REVIEWER, Role.SUPERVISOR],
                is_active=True,
                staff_membership__isnull=False,
            )
            .values_list(
                "pk",
                "role",
                "staff_membership__jurisdiction_id",
                "staff_membership__jurisdiction__level",
                "staff_membership__department_id",
            )
        )

    def _pick(self, role, jurisdiction_id, department_id=None):
        return {
            pk
            for pk, staff_role, staff_jurisdiction, level, department in self.staff
            if staff_role == role
            and (staff_jurisdiction == jurisdiction_id or level == "city")
            and (department_id is None or department == department_id)
        }

    def for_task(self, task):
        jurisdiction = task.jurisdiction_id
        reviewers = (
            {task.reviewer_id}
            if task.reviewer_id
            else self._pick(Role.REVIEWER, jurisdiction, task.department_id)
        )
        return (
            reviewers
            | self._pick(Role.CLERK, jurisdiction)
            | self._pick(Role.SUPERVISOR, jurisdiction)
        )

    def for_application(self, application):
        jurisdiction = application.project.jurisdiction_id
        return self._pick(Role.CLERK, jurisdiction) | self._pick(Role.SUPERVISOR, jurisdiction)
