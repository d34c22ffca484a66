"""联合图审 revision rounds: the participants' task clocks held while the
drawings are out, and the revised drawings coming back (which resumes them)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stages.calendar import CalendarNotAvailable, WorkingCalendar

from ...models import Application, ApplicationState, ReviewTask
from ...models.joint import (
    JointRevisionFile,
)
from .. import transitions
from ..clock import SELF_PAUSED
from ..errors import ServiceError
from ..materials import checked_upload, sha256
from ..notifications import notify
from .common import DECIDED_TASK_STATES, REVISION_UPLOAD, current_round, locked, session_tasks
from .letters import reviewers


def submit_revision(session_id, user, files, note=""):
    """The applicant hands back revised drawings for a 联合图审 round; the
    paused task clocks run again from today."""
    note = note.strip()
    if not files:
        raise ServiceError(_("请上传修改后的图纸。"))
    checked = [(upload, *checked_upload(upload, REVISION_UPLOAD)) for upload in files]
    calendar = WorkingCalendar()
    today = timezone.localdate()
    with transaction.atomic():
        session = locked(session_id)
        application = transitions.lock(Application, session.application_id)
        current = current_round(session)
        transitions.run(session, "submit_revision", user, application=application, comment=note)
        for upload, content_type, extension in checked:
            JointRevisionFile.objects.create(
                round=current,
                file=upload,
                original_name=upload.name[:255],
                content_type=content_type,
                extension=extension,
                size=upload.size,
                sha256=sha256(upload),
                uploaded_by=user,
            )
        current.revision_submitted_on = today
        current.revision_note = note
        try:
            current.paused_working_days = calendar.working_days_between(
                current.revision_requested_on, today
            )
            resume_tasks(current.paused_task_ids, application, calendar, today)
        except CalendarNotAvailable as error:
            raise ServiceError(str(error)) from error
        current.save(
            update_fields=["revision_submitted_on", "revision_note", "paused_working_days"]
        )
        notify(
            reviewers(session, [session.lead_department_id]),
            event="joint_revision_submitted",
            title=_("%(kind)s：申请人已提交修改后的图纸，请安排第%(n)d轮会审")
            % {"kind": session.get_kind_display(), "n": current.number + 1},
            body=note or application.project.name,
            application=application,
        )
        return current


def hold_participant_tasks(session):
    """Stop the clocks of the participants' undecided tasks (those already
    stopped stay stopped from their own start); return all their ids so the
    revision holds and later resumes exactly those."""
    today = timezone.localdate()
    held = []
    tasks = session_tasks(session).exclude(state__in=DECIDED_TASK_STATES).select_for_update()
    for task in tasks:
        if not task.is_paused:
            task.pause_clock(today)
            task.save(update_fields=["paused_since"])
        held.append(task.pk)
    return held


def resume_tasks(task_ids, application, calendar, today):
    if application.state != ApplicationState.IN_REVIEW:
        return  # still in a 特别程序: its resume restarts the clocks
    for task in ReviewTask.objects.select_for_update().filter(pk__in=task_ids):
        if task.state in SELF_PAUSED or not task.is_paused:
            continue
        task.resume_clock(calendar, today)
        task.save(update_fields=task.CLOCK_FIELDS)
