"""`{% joint_task_panel %}`: the joint session on a reviewer's task page —
its state, the consolidated result the task's decision should follow, and
the lead department's form to schedule one."""

from django import template
from django.db.models import Prefetch

from stages.models import Department

from ..models.joint import (
    JointParticipant,
    JointRound,
    JointSession,
    JointSessionState,
    may_lead_for,
)
from ..services.joint import default_participants
from ..views.joint import NewSessionForm

register = template.Library()


@register.inclusion_tag("joint/task_panel_body.html", takes_context=True)
def joint_task_panel(context, task=None):
    task = task or context["task"]
    user = context["request"].user
    application = task.application
    sessions = list(
        JointSession.objects.filter(application_id=application.pk)
        .select_related("lead_department")
        .prefetch_related(
            Prefetch(
                "participants", queryset=JointParticipant.objects.select_related("department")
            ),
            Prefetch("rounds", queryset=JointRound.objects.order_by("number")),
        )
    )
    takes_part = task.matter.joint_session
    rows = []
    for session in sessions:
        participants = list(session.participants.all())
        rounds = list(session.rounds.all())
        closed = [r for r in rounds if r.closed_at]
        rows.append(
            {
                "session": session,
                "participants": participants,
                "current": rounds[-1] if rounds else None,
                "last_closed": closed[-1] if closed else None,
                # As services.joint.session_tasks: joint matters and invited departments.
                "concerns_task": takes_part
                or any(
                    p.department_id == task.department_id and p.reason == "added"
                    for p in participants
                ),
            }
        )
    has_open = any(s.state != JointSessionState.CLOSED for s in sessions)
    may_schedule = (
        not has_open and application.state == "in_review" and may_lead_for(user, application)
    )
    if not (rows or takes_part or may_schedule):
        return {"show": False}
    invited = []
    if may_schedule:
        invited = list(
            Department.objects.filter(pk__in=default_participants(application)).values_list(
                "name", flat=True
            )
        )
    return {
        "show": True,
        "task": task,
        "application": application,
        "rows": rows,
        "may_schedule": may_schedule,
        "invited": invited,
        "schedule_form": NewSessionForm() if may_schedule else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("joint/application_panel_body.html", takes_context=True)
def joint_application_panel(context, application=None):
    """The application's joint sessions, linked to the page the viewer may
    use: the applicant's (comments, revised drawings) or the back office's."""
    application = application or context["application"]
    user = context["request"].user
    staff_side = hasattr(user, "staff_membership")
    visible = set()
    if staff_side:
        visible = set(
            JointSession.objects.visible_to(user)
            .filter(application_id=application.pk)
            .values_list("pk", flat=True)
        )
    sessions = list(
        JointSession.objects.filter(application_id=application.pk).prefetch_related(
            Prefetch("rounds", queryset=JointRound.objects.order_by("number"))
        )
    )
    return {
        "application": application,
        "rows": [
            {
                "session": session,
                "current": list(session.rounds.all())[-1:] or [None],
                "link": not staff_side or session.pk in visible,
            }
            for session in sessions
        ],
        "staff_side": staff_side,
    }
