"""Joint sessions (联合踏勘, 联合图审, 联合验收): schedule, opinions, the lead
department's consolidated result, and 联合图审's revision rounds.

The consolidated result feeds the tasks without deciding them: after a pass
each participant's reviewer approves its own task as usual (the task page
shows the session's result). A "revise" round stops the participants' task
clocks from the day the comments go out until the revised drawings come
back — the applicant's correction time does not count — and keeps that
pause on the round (`paused_task_ids`, `paused_working_days`) rather than
moving the tasks to `needs_supplement`: the tasks may still be unclaimed,
and one answer (the drawings) serves every participant at once.

The round holds every undecided participant task, including those already
stopped by a 特别程序 or a supplement request: ending that other pause
while the drawings are still out must not restart the clock
(`JointRound.objects.task_ids_held`, checked by the clock service)."""

import hashlib

import rules
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import Role
from stages.calendar import CalendarNotAvailable, WorkingCalendar
from stages.models import Department

from ..models import Application, ApplicationState, ReviewTask, TransitionLog
from ..models.joint import (
    FAVOUR,
    OPINION_RESULTS,
    JointMinutes,
    JointOpinion,
    JointParticipant,
    JointResult,
    JointRevisionFile,
    JointRound,
    JointSession,
    JointSessionState,
    kind_for_stage,
    may_lead_for,
)
from . import transitions
from .clock import SELF_PAUSED
from .errors import ServiceError
from .materials import checked_upload
from .notifications import notify
from .side_effects import enqueue_on_commit

OPEN_APPLICATION_STATES = [ApplicationState.IN_REVIEW, ApplicationState.SUSPENDED]
DECIDED_TASK_STATES = ["approved", "rejected"]
REVISION_UPLOAD = {
    "name": gettext_lazy("修改后的施工图"),
    "max_size_mb": 200,
    "extensions": ["pdf", "dwg", "zip", "ofd"],
}


def default_participants(application):
    """Departments whose tasks in this application are joint-session
    matters, plus the stage's lead department (it chairs)."""
    departments = set(
        application.tasks.filter(matter__joint_session=True).values_list("department_id", flat=True)
    )
    return departments | {application.stage.lead_department_id}


def schedule(application_id, lead, scheduled_for, place, note="", extra_department_ids=()):
    """Open a session with its first round: date, place, participants."""
    place = place.strip()
    if not place:
        raise ServiceError(_("请填写会审地点。"))
    if scheduled_for is None or timezone.localdate(scheduled_for) < timezone.localdate():
        raise ServiceError(_("会审时间不能早于今天。"))
    with transaction.atomic():
        application = transitions.lock(Application, application_id)
        if not may_lead_for(lead, application):
            raise PermissionDenied
        if application.state != ApplicationState.IN_REVIEW:
            raise ServiceError(_("只有审查中的申请才能安排联合会审。"))
        if application.joint_sessions.exclude(state=JointSessionState.CLOSED).exists():
            raise ServiceError(_("该申请已有进行中的联合会审，请在该会审中继续。"))
        session = JointSession.objects.create(
            application=application,
            kind=kind_for_stage(application.stage),
            lead_department_id=application.stage.lead_department_id,
            created_by=lead,
        )
        matter_departments = default_participants(application) - {session.lead_department_id}
        extra = set(extra_department_ids) - matter_departments - {session.lead_department_id}
        reasons = {
            session.lead_department_id: JointParticipant.Reason.LEAD,
            **dict.fromkeys(matter_departments, JointParticipant.Reason.MATTER),
            **dict.fromkeys(_existing_departments(extra), JointParticipant.Reason.ADDED),
        }
        JointParticipant.objects.bulk_create(
            JointParticipant(session=session, department_id=pk, reason=reason)
            for pk, reason in reasons.items()
        )
        first = JointRound.objects.create(
            session=session, number=1, scheduled_for=scheduled_for, place=place, note=note
        )
        _log(session, "schedule_joint_session", lead, "", session.state, _describe(first))
        _tell_schedule(session, first)
        return session


def add_participant(session_id, lead, department_id):
    """The lead invites one more department; its opinion is then required
    in the open round too."""
    with transaction.atomic():
        session = _locked(session_id)
        _require_lead(lead, session)
        if session.state == JointSessionState.CLOSED:
            raise ServiceError(_("联合会审已办结，不能再增加参加部门。"))
        department = Department.objects.filter(pk=department_id).first()
        if department is None:
            raise ServiceError(_("请选择部门。"))
        _participant, created = JointParticipant.objects.get_or_create(
            session=session,
            department=department,
            defaults={"reason": JointParticipant.Reason.ADDED},
        )
        if not created:
            raise ServiceError(_("%(name)s 已是参加部门。") % {"name": department.name})
        _log(session, "add_joint_participant", lead, session.state, session.state, department.name)
        return session


def record_opinion(session_id, reviewer, result, text):
    """A participant's opinion in the open round (replaces its earlier one
    in the same round; the log keeps both)."""
    text = text.strip()
    if result not in OPINION_RESULTS:
        raise ServiceError(_("请选择会审意见：通过、有条件通过或不通过。"))
    if result != JointResult.PASS and not text:
        raise ServiceError(_("有条件通过或不通过时，必须写明条件或理由。"))
    with transaction.atomic():
        session = _locked(session_id)
        if not rules.test_rule("give_joint_opinion", reviewer, session):
            raise PermissionDenied
        _require_state(session, _("出具意见"))
        current = _current_round(session)
        department_id = reviewer.staff_membership.department_id
        opinion, _created = JointOpinion.objects.update_or_create(
            round=current,
            department_id=department_id,
            defaults={"result": result, "text": text, "recorded_by": reviewer},
        )
        _log(
            session,
            "joint_opinion",
            reviewer,
            session.state,
            session.state,
            f"{opinion.department.name}：{opinion.get_result_display()} {text}".strip(),
        )
        return opinion


def close_round(session_id, lead, result, consolidated_opinion):
    """The lead department's consolidated result for the open round.
    "revise" (联合图审 only) sends the comments to the applicant and waits
    for revised drawings; any other result closes the session."""
    consolidated_opinion = consolidated_opinion.strip()
    if result not in JointResult.values:
        raise ServiceError(_("请选择会审结论。"))
    if result != JointResult.PASS and not consolidated_opinion:
        raise ServiceError(_("请填写汇总意见（条件、修改要求或不通过理由）。"))
    with transaction.atomic():
        session = _locked(session_id)
        application = transitions.lock(Application, session.application_id)
        _require_lead(lead, session)
        _require_state(session, _("汇总办结"))
        if result == JointResult.REVISE and not session.has_rounds:
            raise ServiceError(_("只有联合图审可以要求修改后再审。"))
        current = _current_round(session)
        opinions = {o.department_id: o for o in current.opinions.select_related("department")}
        missing = [
            p.department.name
            for p in session.participants.select_related("department")
            if p.department_id not in opinions
        ]
        if missing:
            raise ServiceError(
                _("以下参加部门尚未出具意见，不能汇总办结：%(names)s。")
                % {"names": "、".join(missing)},
                missing,
            )
        least = min(opinions.values(), key=lambda o: FAVOUR[o.result])
        if FAVOUR[result] > FAVOUR[least.result]:
            raise ServiceError(
                _("汇总结论不能比部门意见更宽松：%(department)s 的意见为“%(opinion)s”。")
                % {"department": least.department.name, "opinion": least.get_result_display()}
            )
        now = timezone.now()
        if not consolidated_opinion:
            consolidated_opinion = _("经联合会审，各参加部门意见一致，同意通过。")
        current.result = result
        current.consolidated_opinion = consolidated_opinion
        current.closed_at = now
        current.closed_by = lead
        if result == JointResult.REVISE:
            transitions.run(
                session,
                "request_revision",
                lead,
                application=application,
                comment=consolidated_opinion,
            )
            current.revision_requested_on = timezone.localdate()
            current.paused_task_ids = _hold_participant_tasks(session)
        else:
            transitions.run(
                session,
                "close",
                lead,
                application=application,
                comment=consolidated_opinion,
                result=result,
                closed_at=now,
            )
        current.save()
        minutes = JointMinutes.objects.create(round=current)
        from ..tasks import render_joint_minutes

        enqueue_on_commit(render_joint_minutes, minutes.pk)
        _tell_result(session, current)
        return current


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
        session = _locked(session_id)
        application = transitions.lock(Application, session.application_id)
        current = _current_round(session)
        transitions.run(session, "submit_revision", user, application=application, comment=note)
        for upload, content_type, extension in checked:
            digest = _sha256(upload)
            JointRevisionFile.objects.create(
                round=current,
                file=upload,
                original_name=upload.name[:255],
                content_type=content_type,
                extension=extension,
                size=upload.size,
                sha256=digest,
                uploaded_by=user,
            )
        current.revision_submitted_on = today
        current.revision_note = note
        try:
            current.paused_working_days = calendar.working_days_between(
                current.revision_requested_on, today
            )
            _resume_tasks(current.paused_task_ids, application, calendar, today)
        except CalendarNotAvailable as error:
            raise ServiceError(str(error)) from error
        current.save(
            update_fields=["revision_submitted_on", "revision_note", "paused_working_days"]
        )
        notify(
            _reviewers(session, [session.lead_department_id]),
            event="joint_revision_submitted",
            title=_("%(kind)s：申请人已提交修改后的图纸，请安排第%(n)d轮会审")
            % {"kind": session.get_kind_display(), "n": current.number + 1},
            body=note or application.project.name,
            application=application,
        )
        return current


def schedule_round(session_id, lead, scheduled_for, place, note=""):
    """The next 联合图审 round, once the revised drawings are in."""
    place = place.strip()
    if not place:
        raise ServiceError(_("请填写会审地点。"))
    if scheduled_for is None or timezone.localdate(scheduled_for) < timezone.localdate():
        raise ServiceError(_("会审时间不能早于今天。"))
    with transaction.atomic():
        session = _locked(session_id)
        application = transitions.lock(Application, session.application_id)
        number = session.rounds.count() + 1
        transitions.run(session, "schedule_round", lead, application=application)
        next_round = JointRound.objects.create(
            session=session, number=number, scheduled_for=scheduled_for, place=place, note=note
        )
        _tell_schedule(session, next_round)
        return next_round


def approval_note(task):
    """What a reviewer should know before deciding a task the latest joint
    session decides for: None when nothing stands in the way, else a
    message (session still open, or closed without a pass). For the review
    service and the task page; it decides nothing itself."""
    session = (
        JointSession.objects.filter(application_id=task.application_id)
        .order_by("-created_at", "-pk")
        .first()
    )
    if session is None or not session_tasks(session).filter(pk=task.pk).exists():
        return None
    if session.state != JointSessionState.CLOSED:
        return _("本事项参加的%(kind)s尚未办结。") % {"kind": session.get_kind_display()}
    if session.result == JointResult.FAIL:
        return _("%(kind)s结论为不通过。") % {"kind": session.get_kind_display()}
    return None


# --- helpers -------------------------------------------------------------


def _locked(session_id):
    return JointSession.objects.select_for_update().select_related("application").get(pk=session_id)


def _current_round(session):
    return session.rounds.order_by("-number").first()


def _require_state(session, action):
    if session.application.state not in OPEN_APPLICATION_STATES:
        raise ServiceError(
            _("申请当前状态为“%(state)s”，联合会审不能继续。")
            % {"state": session.application.get_state_display()}
        )
    if session.state != JointSessionState.SCHEDULED:
        raise ServiceError(
            _("%(kind)s当前状态为“%(state)s”，不能%(action)s。")
            % {
                "kind": session.get_kind_display(),
                "state": session.get_state_display(),
                "action": action,
            }
        )


def _require_lead(user, session):
    if not rules.test_rule("lead_joint_session", user, session):
        raise PermissionDenied


def _existing_departments(ids):
    return set(Department.objects.filter(pk__in=ids).values_list("pk", flat=True))


def _log(session, name, actor, from_state, to_state, comment):
    """Actions that are not state changes (scheduling, opinions) still go
    into the application's timeline."""
    TransitionLog.objects.create(
        subject_type=session._meta.label_lower,
        object_id=str(session.pk),
        application_id=session.application_id,
        transition=name,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        comment=comment,
    )


def _describe(joint_round):
    when = timezone.localtime(joint_round.scheduled_for).strftime("%Y-%m-%d %H:%M")
    return f"{when} {joint_round.place}"


def session_tasks(session):
    """The application's tasks the session decides for: joint-session
    matters, and every task of a department the lead invited. The lead's
    other matters (e.g. the permit itself) are not waiting on the session."""
    invited = session.participants.filter(reason=JointParticipant.Reason.ADDED)
    return ReviewTask.objects.filter(application_id=session.application_id).filter(
        Q(matter__joint_session=True) | Q(department_id__in=invited.values("department_id"))
    )


def _hold_participant_tasks(session):
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


def _resume_tasks(task_ids, application, calendar, today):
    if application.state != ApplicationState.IN_REVIEW:
        return  # still in a 特别程序: its resume restarts the clocks
    for task in ReviewTask.objects.select_for_update().filter(pk__in=task_ids):
        if task.state in SELF_PAUSED or not task.is_paused:
            continue
        task.resume_clock(calendar, today)
        task.save(
            update_fields=[
                "paused_since",
                "paused_working_days",
                "due_on",
                "yellow_on",
                "warned_yellow_at",
            ]
        )


def _reviewers(session, department_ids):
    """Reviewers of these departments who see the application's jurisdiction."""
    return get_user_model().objects.filter(
        Q(staff_membership__jurisdiction_id=session.application.jurisdiction_id)
        | Q(staff_membership__jurisdiction__level="city"),
        role=Role.REVIEWER,
        is_active=True,
        staff_membership__department_id__in=department_ids,
    )


def _applicants(application):
    return application.project.enterprise.members.filter(is_active=True)


def _link(session, applicant):
    if applicant:
        return reverse("joint_application_session", args=[session.application_id, session.pk])
    return reverse("joint_session_detail", args=[session.pk])


def _tell_schedule(session, joint_round):
    values = {
        "kind": session.get_kind_display(),
        "n": joint_round.number,
        "when": _describe(joint_round),
        "project": session.application.project.name,
    }
    title = _("%(kind)s第%(n)d轮已安排：%(when)s") % values
    department_ids = list(session.participants.values_list("department_id", flat=True))
    notify(
        _reviewers(session, department_ids),
        event="joint_session_scheduled",
        title=title,
        body=f"{values['project']}\n{_link(session, False)}",
        application=session.application,
    )
    notify(
        _applicants(session.application),
        event="joint_session_scheduled",
        title=title,
        body=f"{values['project']}\n{_link(session, True)}",
        application=session.application,
    )


def _tell_result(session, joint_round):
    values = {
        "kind": session.get_kind_display(),
        "n": joint_round.number,
        "result": joint_round.get_result_display(),
    }
    if joint_round.result == JointResult.REVISE:
        title = _("%(kind)s第%(n)d轮：请按汇总意见修改图纸后提交") % values
        event = "joint_revision_requested"
    else:
        title = _("%(kind)s已办结：%(result)s") % values
        event = "joint_session_closed"
    notify(
        _applicants(session.application),
        event=event,
        title=title,
        body=f"{joint_round.consolidated_opinion}\n{_link(session, True)}",
        application=session.application,
    )
    if event == "joint_session_closed":
        department_ids = list(session.participants.values_list("department_id", flat=True))
        notify(
            _reviewers(session, department_ids),
            event=event,
            title=title,
            body=f"{joint_round.consolidated_opinion}\n{_link(session, False)}",
            application=session.application,
        )


def _sha256(upload):
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
