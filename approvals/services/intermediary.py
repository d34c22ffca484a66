"""Intermediary services (中介服务): the applicant picks a registered
intermediary for a project need, records when the service started and
finished, and rates it once afterwards.

Only the project's enterprise (or its delegated agent, 全程代办) acts on its
engagements; everybody else is told the project does not exist (404 in the
pages), as for applications."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Avg, Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Role
from stages.calendar import CalendarNotAvailable, WorkingCalendar
from stages.models import Stage

from ..models import Project
from ..models.intermediary import (
    IntermediaryEngagement,
    IntermediaryService,
    ServiceType,
)
from .errors import ServiceError


def acts_for(user, project):
    """The project's enterprise members and its delegated agent."""
    if not user.is_authenticated:
        return False
    if user.enterprise_id:
        return user.enterprise_id == project.enterprise_id
    return (
        user.role == Role.AGENT
        and project.delegations.filter(agent=user, revoked_at__isnull=True).exists()
    )


def registry(service_type=None):
    """Registered services of active intermediaries with their ratings."""
    services = IntermediaryService.objects.filter(intermediary__active=True).select_related(
        "intermediary"
    )
    if service_type:
        services = services.filter(service_type=service_type)
    return services.annotate(
        rating_average=Avg("intermediary__engagements__rating"),
        rating_count=Count("intermediary__engagements__rating"),
    ).order_by("service_type", "intermediary__name", "pk")


def pick(project_id, user, service_type, intermediary_id, need, stage_id=None):
    need = need.strip()
    if service_type not in ServiceType.values:
        raise ServiceError(_("请选择服务类型。"))
    if not need:
        raise ServiceError(_("请写明服务需求，如“用地勘测定界”。"))
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project_id)
        _require_actor(user, project)
        offered = IntermediaryService.objects.filter(
            intermediary_id=intermediary_id,
            intermediary__active=True,
            service_type=service_type,
        ).exists()
        if not offered:
            raise ServiceError(
                _("所选机构未登记“%(type)s”服务，请从名录中选择。")
                % {"type": ServiceType(service_type).label}
            )
        if stage_id and not Stage.objects.filter(pk=stage_id).exists():
            raise ServiceError(_("请选择服务阶段。"))
        return IntermediaryEngagement.objects.create(
            project=project,
            stage_id=stage_id or None,
            service_type=service_type,
            need=need,
            intermediary_id=intermediary_id,
            picked_by=user,
        )


def start(engagement_id, user, started_on):
    today = timezone.localdate()
    with transaction.atomic():
        engagement = _locked(engagement_id, user)
        if engagement.cancelled_at or engagement.started_on:
            raise ServiceError(_("该中介服务已开始或已取消。"))
        picked_on = timezone.localdate(engagement.picked_at)
        if started_on is None or not picked_on <= started_on <= today:
            raise ServiceError(
                _("开始日期应在选取日期（%(picked)s）与今天之间。")
                % {"picked": picked_on.isoformat()}
            )
        engagement.started_on = started_on
        engagement.save(update_fields=["started_on"])
        return engagement


def finish(engagement_id, user, finished_on):
    """Stores the service's working days: those after the start day up to
    and including the finish day, as every limit in the portal counts."""
    today = timezone.localdate()
    with transaction.atomic():
        engagement = _locked(engagement_id, user)
        if engagement.cancelled_at or not engagement.started_on or engagement.finished_on:
            raise ServiceError(_("只有服务中的委托才能登记完成。"))
        if finished_on is None or not engagement.started_on <= finished_on <= today:
            raise ServiceError(
                _("完成日期应在开始日期（%(start)s）与今天之间。")
                % {"start": engagement.started_on.isoformat()}
            )
        try:
            days = WorkingCalendar().working_days_between(engagement.started_on, finished_on)
        except CalendarNotAvailable as error:
            raise ServiceError(str(error)) from error
        engagement.finished_on = finished_on
        engagement.working_days = days
        engagement.save(update_fields=["finished_on", "working_days"])
        return engagement


def rate(engagement_id, user, rating, comment=""):
    """Once, after the service finished."""
    if rating not in range(1, 6):
        raise ServiceError(_("评分应为 1–5 分。"))
    with transaction.atomic():
        engagement = _locked(engagement_id, user)
        if not engagement.finished_on:
            raise ServiceError(_("服务完成后才能评价。"))
        if engagement.rated_at:
            raise ServiceError(_("该中介服务已评价，每项服务只能评价一次。"))
        engagement.rating = rating
        engagement.rating_comment = comment.strip()
        engagement.rated_at = timezone.now()
        engagement.rated_by = user
        engagement.save(update_fields=["rating", "rating_comment", "rated_at", "rated_by"])
        return engagement


def cancel(engagement_id, user):
    """A wrong pick can be undone until the service starts."""
    with transaction.atomic():
        engagement = _locked(engagement_id, user)
        if engagement.started_on or engagement.cancelled_at:
            raise ServiceError(_("服务已开始或已取消，不能取消。"))
        engagement.cancelled_at = timezone.now()
        engagement.save(update_fields=["cancelled_at"])
        return engagement


def working_days_used(project, today=None, calendar=None):
    """Working days the project's intermediary services took: finished ones
    as stored, running ones up to today. Counted toward the 100-day target."""
    engagements = IntermediaryEngagement.objects.filter(project=project, cancelled_at__isnull=True)
    finished = engagements.aggregate(total=Sum("working_days"))["total"] or 0
    running = list(
        engagements.filter(started_on__isnull=False, finished_on__isnull=True).values_list(
            "started_on", flat=True
        )
    )
    if not running:
        return finished
    today = today or timezone.localdate()
    calendar = calendar or WorkingCalendar()
    try:
        return finished + sum(calendar.working_days_between(day, today) for day in running)
    except CalendarNotAvailable:
        return finished


def _require_actor(user, project):
    if not acts_for(user, project):
        raise PermissionDenied


def _locked(engagement_id, user):
    engagement = (
        # of=self: lock the engagement, not its project row.
        IntermediaryEngagement.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=engagement_id)
    )
    _require_actor(user, engagement.project)
    return engagement
