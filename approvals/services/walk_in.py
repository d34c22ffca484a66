"""窗口收件: a visitor at the window. The clerk finds or registers the
enterprise and the project and starts the application on the visitor's
behalf; from then on it is an ordinary application whose source is the
window, which the enterprise's users see when they log in."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from portal.models import Enterprise, Role

from ..models import Application
from .drafting import create_application


def find_or_register_enterprise(credit_code, **details):
    """The enterprise with this (valid) credit code, registered if new."""
    enterprise, _created = Enterprise.objects.get_or_create(
        credit_code=credit_code, defaults=details
    )
    return enterprise


def start_walk_in_application(clerk, project, stage):
    if clerk.role != Role.CLERK or not clerk.staff_membership.sees_jurisdiction(
        project.jurisdiction_id
    ):
        raise PermissionDenied
    with transaction.atomic():
        application = create_application(project, stage, clerk)
        application.source = Application.Source.WINDOW
        application.save(update_fields=["source"])
        return application
