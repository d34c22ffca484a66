"""Applicant and window actions on an application."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Role
from stages.calendar import WorkingCalendar

from ..models import Application, ApplicationState, ReviewTask
from . import transitions
from .errors import ServiceError, SubmissionIncomplete
from .notifications import notify


def create_application(project, stage, user):
    return Application.objects.create(project=project, stage=stage, created_by=user)


def problems_before_submission(application):
    problems = [
        _("请填写“%(label)s”。") % {"label": field.label}
        for field in application.stage.form_fields.all()
        if field.required and not str(application.form_data.get(field.key, "")).strip()
    ]
    if not application.materials.exists():
        problems.append(_("请至少上传一份申请材料。"))
    return problems


def submit_application(application_id, user):
    """Idempotent under double clicks: the second request waits for the lock,
    then finds the application already submitted and raises StateConflict."""
    with transaction.atomic():
        application = transitions.lock(Application, application_id)
        if application.state == ApplicationState.DRAFT:
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
    """受理: the clock starts and every matter is reviewed in parallel."""
    with transaction.atomic():
        application = transitions.lock(Application, application_id)
        stage = application.stage
        calendar = WorkingCalendar()
        today = timezone.localdate()
        transitions.run(
            application,
            "accept",
            clerk,
            application=application,
            comment=comment,
            clerk=clerk,
            due_on=calendar.add_working_days(today, stage.time_limit_working_days),
        )
        project = application.project
        tasks = ReviewTask.objects.bulk_create(
            ReviewTask(
                application=application,
                matter=matter,
                department_id=matter.department_id,
                jurisdiction_id=project.jurisdiction_id,
                mandatory=matter.mandatory,
                due_on=calendar.add_working_days(today, matter.time_limit_working_days),
            )
            for matter in stage.matters.all()
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
            % {"project": project.name, "stage": stage.name},
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


def save_form_data(application_id, user, values):
    """Save the unified form as a draft; blanks are allowed until submit."""
    with transaction.atomic():
        application = transitions.lock(Application, application_id)
        if not user.has_perm("approvals.edit_application", application):
            raise PermissionDenied
        if application.state != ApplicationState.DRAFT:
            raise ServiceError(_("申请已提交，不能再修改。"))
        application.form_data = {**application.form_data, **values}
        application.save(update_fields=["form_data"])
        return application
