"""全程代办: request a free agent for a project (the least loaded agent of
the project's zone), and revoke the delegation."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stages.models import AgentPosting

from ..models import Delegation, Project
from .errors import ServiceError
from .notifications import notify


def request_agent(project_id, user):
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project_id)
        if user.enterprise_id != project.enterprise_id:
            raise PermissionDenied
        if project.delegations.filter(revoked_at__isnull=True).exists():
            raise ServiceError(_("该项目已有代办员。"))
        posting = (
            AgentPosting.objects.filter(active=True, zone__jurisdiction=project.jurisdiction_id)
            .select_related("user")
            .annotate(load=Count("user__delegations", filter=Q(user__delegations__revoked_at=None)))
            .order_by("load", "user_id")
            .first()
        )
        if posting is None:
            raise ServiceError(_("该区域暂无在岗代办员，请联系综合窗口。"))
        delegation = Delegation.objects.create(
            project=project, agent=posting.user, requested_by=user
        )
        notify(
            [posting.user],
            event="delegation_assigned",
            title=_("新的代办项目：%(project)s（%(enterprise)s）")
            % {"project": project.name, "enterprise": project.enterprise.name},
        )
        return delegation


def revoke_delegation(delegation_id, user):
    with transaction.atomic():
        delegation = (
            Delegation.objects.select_for_update().select_related("project").get(pk=delegation_id)
        )
        if user.enterprise_id != delegation.project.enterprise_id:
            raise PermissionDenied
        if delegation.revoked_at is not None:
            raise ServiceError(_("该代办委托已撤销。"))
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
        notify(
            [delegation.agent],
            event="delegation_revoked",
            title=_("代办委托已撤销：%(project)s") % {"project": delegation.project.name},
        )
        return delegation
