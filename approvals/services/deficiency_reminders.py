"""容缺 supply deadlines: remind the applicant shortly before the deadline
and warn applicant and clerks once it has passed — each once, claimed with
SKIP LOCKED like the other warnings."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Role
from stages.calendar import CalendarNotAvailable, WorkingCalendar

from ..models import Deficiency
from .notifications import notify

REMIND_WORKING_DAYS_BEFORE = 2


def sweep_deficiencies(today=None):
    today = today or timezone.localdate()
    try:
        calendar = WorkingCalendar()
        remind_until = calendar.add_working_days(today, REMIND_WORKING_DAYS_BEFORE)
    except CalendarNotAvailable:
        remind_until = today
    reminded = warned = 0
    with transaction.atomic():
        due_soon = (
            Deficiency.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(cleared_at=None, reminded_at=None, supply_due_on__gte=today)
            .filter(supply_due_on__lte=remind_until)
            .select_related("application__project__enterprise")
        )
        for deficiency in due_soon:
            application = deficiency.application
            notify(
                application.project.enterprise.members.all(),
                event="deficiency_due_soon",
                title=_("请于 %(due)s 前补交容缺材料：%(names)s")
                % {"due": deficiency.supply_due_on, "names": _names(deficiency)},
                application=application,
            )
            deficiency.reminded_at = timezone.now()
            deficiency.save(update_fields=["reminded_at"])
            reminded += 1
    with transaction.atomic():
        overdue = (
            Deficiency.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(cleared_at=None, overdue_warned_at=None, supply_due_on__lt=today)
            .select_related("application__project__enterprise", "application__project")
        )
        for deficiency in overdue:
            application = deficiency.application
            clerks = get_user_model().objects.filter(
                role=Role.CLERK,
                staff_membership__jurisdiction_id__in=[
                    application.project.jurisdiction_id,
                    application.project.jurisdiction.parent_id,
                ],
            )
            notify(
                [*application.project.enterprise.members.all(), *clerks],
                event="deficiency_overdue",
                title=_("容缺材料逾期未补交（期限 %(due)s）：%(names)s")
                % {"due": deficiency.supply_due_on, "names": _names(deficiency)},
                application=application,
            )
            deficiency.overdue_warned_at = timezone.now()
            deficiency.save(update_fields=["overdue_warned_at"])
            warned += 1
    return {"reminded": reminded, "overdue": warned}


def _names(deficiency):
    return "、".join(item["name"] for item in deficiency.items)
