"""Submitting an application, and the window's acceptance (受理)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Role
from stages.calendar import CalendarNotAvailable, WorkingCalendar
from stages.configuration import current_version

from ..models import Application, ApplicationState, ReviewTask
from . import transitions
from .drafting import problems_before_submission
from .errors import ServiceError, SubmissionIncomplete
from .notifications import notify


def submit_application(application_id, user):
    """Freezes the configuration version. Idempotent under double clicks: the
    second request waits for the lock, then finds the application already
    submitted and raises StateConflict."""
    with transaction.atomic():
        application = transitions.lock(Application, application_id)
        if application.state == ApplicationState.DRAFT:
            application.stage_version = current_version(application.stage)
            problems = problems_before_submission(application)
            if problems:
                raise SubmissionIncomplete(_("申请尚不完整，不能提交。"), problems)
        transitions.run(application, "submit", user, application=application)
        if not application.number:
            application.number = (
                f"{timezone.localdate():%Y%m%d}{application.stage.number:02d}{application.pk:06d}"
            )
            application.save(update_fields=["number"])
        clerks = get_user_model().objects.filter(
            role=Role.CLERK, staff_membership__jurisdiction__in=_jurisdictions_seeing(application)
        )
        notify(
            clerks,
            event="application_submitted",
            title=_("新申请待受理：%(number)s %(project)s")
            % {"number": application.number, "project": application.project.name},
            application=application,
        )
        return application


def accept_application(application_id, clerk, comment=""):
    """受理: the clock starts and every applicable matter of the frozen
    configuration is reviewed in parallel."""
    with transaction.atomic():
        application = transitions.lock(Application, application_id)
        configuration = application.configuration
        calendar = WorkingCalendar()
        today = timezone.localdate()
        matters = application.applicable_matters()
        try:
            due_on = calendar.add_working_days(today, configuration.time_limit_working_days)
            task_due = [
                calendar.add_working_days(today, m["time_limit_working_days"]) for m in matters
            ]
        except CalendarNotAvailable as error:
            raise ServiceError(str(error)) from error
        transitions.run(
            application,
            "accept",
            clerk,
            application=application,
            comment=comment,
            clerk=clerk,
            due_on=due_on,
        )
        project = application.project
        tasks = ReviewTask.objects.bulk_create(
            ReviewTask(
                application=application,
                matter_id=matter["id"],
                department_id=matter["department_id"],
                jurisdiction_id=project.jurisdiction_id,
                mandatory=matter["mandatory"],
                due_on=due,
            )
            for matter, due in zip(matters, task_due, strict=True)
        )
        reviewers = get_user_model().objects.filter(
            role=Role.REVIEWER,
            staff_membership__department_id__in={task.department_id for task in tasks},
            staff_membership__jurisdiction__in=_jurisdictions_seeing(application),
        )
        notify(
            reviewers,
            event="task_created",
            title=_("新审查任务：%(project)s · %(stage)s")
            % {"project": project.name, "stage": application.stage.name},
            application=application,
        )
        notify(
            project.enterprise.members.all(),
            event="application_accepted",
            title=_("您的申请 %(number)s 已受理，承诺 %(due)s 前办结")
            % {"number": application.number, "due": application.due_on},
            application=application,
        )
        return application


def _jurisdictions_seeing(application):
    """The project's own jurisdiction and the city level above it."""
    jurisdiction = application.project.jurisdiction
    return [jurisdiction.pk, *([jurisdiction.parent_id] if jurisdiction.parent_id else [])]
