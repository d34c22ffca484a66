"""A joint session's life: scheduled with its participants, each one's
opinion, the lead department's consolidated result closing a round, the
next round, and the note a participant's task page shows."""

import rules
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stages.models import Department

from ...models import Application, ApplicationState
from ...models.joint import (
    FAVOUR,
    OPINION_RESULTS,
    JointMinutes,
    JointOpinion,
    JointParticipant,
    JointResult,
    JointRound,
    JointSession,
    JointSessionState,
    kind_for_stage,
    may_lead_for,
)
from .. import transitions
from ..errors import ServiceError
from ..side_effects import enqueue_on_commit
from .common import (
    current_round,
    describe,
    existing_departments,
    locked,
    log,
    require_lead,
    require_state,
    session_tasks,
)
from .letters import tell_result, tell_schedule
from .revisions import hold_participant_tasks


def default_participants(application):
    """Departments whose tasks in this application are joint-session
    matters, plus the stage's lead department (it chairs)."""
    departments = set(
        application.tasks.filter(matter__joint_session=True).values_list("department_id", flat=True)
    )
    return departments | {application.stage.lead_department_id}


def checked_meeting(scheduled_for, place):
    """The place, stripped, of a round that can be held (a place, not past)."""
    place = place.strip()
    if not place:
        raise ServiceError(_("请填写会审地点。"))
    if scheduled_for is None or timezone.localdate(scheduled_for) < timezone.localdate():
        raise ServiceError(_("会审时间不能早于今天。"))
    return place


def schedule(application_id, lead, scheduled_for, place, note="", extra_department_ids=()):
    """Open a session with its first round: date, place, participants."""
    place = checked_meeting(scheduled_for, place)
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
            **dict.fromkeys(existing_departments(extra), JointParticipant.Reason.ADDED),
        }
        JointParticipant.objects.bulk_create(
            JointParticipant(session=session, department_id=pk, reason=reason)
            for pk, reason in reasons.items()
        )
        first = JointRound.objects.create(
            session=session, number=1, scheduled_for=scheduled_for, place=place, note=note
        )
        log(session, "schedule_joint_session", lead, "", session.state, describe(first))
        tell_schedule(session, first)
        return session


def add_participant(session_id, lead, department_id):
    """The lead invites one more department; its opinion is then required
    in the open round too."""
    with transaction.atomic():
        session = locked(session_id)
        require_lead(lead, session)
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
        log(session, "add_joint_participant", lead, session.state, session.state, department.name)
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
        session = locked(session_id)
        if not rules.test_rule("give_joint_opinion", reviewer, session):
            raise PermissionDenied
        require_state(session, _("出具意见"))
        current = current_round(session)
        department_id = reviewer.staff_membership.department_id
        opinion, _created = JointOpinion.objects.update_or_create(
            round=current,
            department_id=department_id,
            defaults={"result": result, "text": text, "recorded_by": reviewer},
        )
        log(
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
        session = locked(session_id)
        application = transitions.lock(Application, session.application_id)
        require_lead(lead, session)
        require_state(session, _("汇总办结"))
        if result == JointResult.REVISE and not session.has_rounds:
            raise ServiceError(_("只有联合图审可以要求修改后再审。"))
        current = current_round(session)
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
            current.paused_task_ids = hold_participant_tasks(session)
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
        from ...tasks import render_joint_minutes

        enqueue_on_commit(render_joint_minutes, minutes.pk)
        tell_result(session, current)
        return current


def schedule_round(session_id, lead, scheduled_for, place, note=""):
    """The next 联合图审 round, once the revised drawings are in."""
    place = checked_meeting(scheduled_for, place)
    with transaction.atomic():
        session = locked(session_id)
        application = transitions.lock(Application, session.application_id)
        number = session.rounds.count() + 1
        transitions.run(session, "schedule_round", lead, application=application)
        next_round = JointRound.objects.create(
            session=session, number=number, scheduled_for=scheduled_for, place=place, note=note
        )
        tell_schedule(session, next_round)
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
