"""Submitting an application, and the window's acceptance (受理)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Role
from stages.calendar import CalendarNotAvailable, WorkingCalendar
from stages.configuration import current_version

from ..models import Application, ApplicationState, Notice, ReviewTask
from . import transitions
from .drafting import problems_before_submission
from .errors import ServiceError, SubmissionIncomplete
from .notices import issue_notice
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
        # Numbered before the transition so its history row (and the
        # webhooks written with it) already carry the number.
        if not application.number:
            application.number = (
                f"{timezone.localdate():%Y%m%d}{application.stage.number:02d}{application.pk:06d}"
            )
        transitions.run(application, "submit", user, application=application)
        issue_notice(
            application,
            Notice.Kind.RECEIPT,
            {"submitted_at": timezone.localtime(application.submitted_at).isoformat()},
        )
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
    """受理: every key and mandatory material is present; the clock starts."""
    with transaction.atomic():
        application = transitions.lock(Application, application_id)
        open_review(application, clerk, "accept", comment)
        issue_notice(
            application, Notice.Kind.ACCEPTANCE, {"due_on": application.due_on.isoformat()}
        )
        return application


def open_review(application, clerk, transition, comment, allow_missing=()):
    """Shared by 受理 and 容缺受理 on a locked application: check materials,
    start the clock, and send every applicable matter of the frozen
    configuration to its department at once (并联审批)."""
    from .window import missing_materials

    if application.state == ApplicationState.SUBMITTED:
        missing = [
            r["name"] for r in missing_materials(application) if r["kind"] not in allow_missing
        ]
        if missing:
            raise ServiceError(
                _("材料不齐，不能受理：%(names)s。非关键材料可容缺受理，其余请一次性告知补正。")
                % {"names": "、".join(missing)}
            )
    configuration = application.configuration
    calendar = WorkingCalendar()
    today = timezone.localdate()
    matters = application.applicable_matters()
    tasks = []
    try:
        application.start_clock(calendar, today, configuration.time_limit_working_days)
        for matter in matters:
            task = ReviewTask(
                application=application,
                matter_id=matter["id"],
                department_id=matter["department_id"],
                jurisdiction_id=application.project.jurisdiction_id,
                mandatory=matter["mandatory"],
            )
            task.start_clock(calendar, today, matter["time_limit_working_days"])
            tasks.append(task)
    except CalendarNotAvailable as error:
        raise ServiceError(str(error)) from error
    transitions.run(
        application, transition, clerk, application=application, comment=comment, clerk=clerk
    )
    project = application.project
    ReviewTask.objects.bulk_create(tasks)
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
