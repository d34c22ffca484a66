"""Who is told about a joint session, and what: the schedule to the
participants' reviewers and the applicant, the consolidated result to both."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.models import Role

from ...models.joint import (
    JointResult,
)
from ..notifications import notify
from .common import describe


def reviewers(session, department_ids):
    """Reviewers of these departments who see the application's jurisdiction."""
    return get_user_model().objects.filter(
        Q(staff_membership__jurisdiction_id=session.application.jurisdiction_id)
        | Q(staff_membership__jurisdiction__level="city"),
        role=Role.REVIEWER,
        is_active=True,
        staff_membership__department_id__in=department_ids,
    )


def applicants(application):
    return application.project.enterprise.members.filter(is_active=True)


def link(session, applicant):
    if applicant:
        return reverse("joint_application_session", args=[session.application_id, session.pk])
    return reverse("joint_session_detail", args=[session.pk])


def tell_schedule(session, joint_round):
    values = {
        "kind": session.get_kind_display(),
        "n": joint_round.number,
        "when": describe(joint_round),
        "project": session.application.project.name,
    }
    title = _("%(kind)s第%(n)d轮已安排：%(when)s") % values
    department_ids = list(session.participants.values_list("department_id", flat=True))
    notify(
        reviewers(session, department_ids),
        event="joint_session_scheduled",
        title=title,
        body=f"{values['project']}\n{link(session, False)}",
        application=session.application,
    )
    notify(
        applicants(session.application),
        event="joint_session_scheduled",
        title=title,
        body=f"{values['project']}\n{link(session, True)}",
        application=session.application,
    )


def tell_result(session, joint_round):
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
        applicants(session.application),
        event=event,
        title=title,
        body=f"{joint_round.consolidated_opinion}\n{link(session, True)}",
        application=session.application,
    )
    if event == "joint_session_closed":
        department_ids = list(session.participants.values_list("department_id", flat=True))
        notify(
            reviewers(session, department_ids),
            event=event,
            title=title,
            body=f"{joint_round.consolidated_opinion}\n{link(session, False)}",
            application=session.application,
        )
