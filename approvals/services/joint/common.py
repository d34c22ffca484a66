"""What the joint-session services share: the session row locked for a
change, its current round, the checks every action makes (state, lead
department), the history entries, and which tasks a session covers."""

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stages.models import Department

from ...models import ApplicationState, ReviewTask, TransitionLog
from ...models.joint import (
    JointParticipant,
    JointSession,
    JointSessionState,
)
from ..errors import ServiceError

OPEN_APPLICATION_STATES = [ApplicationState.IN_REVIEW, ApplicationState.SUSPENDED]
DECIDED_TASK_STATES = ["approved", "rejected"]
REVISION_UPLOAD = {
    "name": gettext_lazy("修改后的施工图"),
    "max_size_mb": 200,
    "extensions": ["pdf", "dwg", "zip", "ofd"],
}


def locked(session_id):
    return JointSession.objects.select_for_update().select_related("application").get(pk=session_id)


def current_round(session):
    return session.rounds.order_by("-number").first()


def require_state(session, action):
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


def require_lead(user, session):
    if not rules.test_rule("lead_joint_session", user, session):
        raise PermissionDenied


def existing_departments(ids):
    return set(Department.objects.filter(pk__in=ids).values_list("pk", flat=True))


def log(session, name, actor, from_state, to_state, comment):
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


def describe(joint_round):
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
