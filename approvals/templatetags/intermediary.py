"""`{% intermediary_panel project %}`: the project's intermediary services
and the working days they took, on the project page."""

from django import template
from django.utils import timezone

from ..models.intermediary import IntermediaryEngagement
from ..services.intermediary import working_days_used

register = template.Library()


@register.inclusion_tag("intermediary/panel_body.html")
def intermediary_panel(project):
    return {
        "project": project,
        "engagements": list(IntermediaryEngagement.objects.for_project(project)[:10]),
        "working_days": working_days_used(project, timezone.localdate()),
    }
