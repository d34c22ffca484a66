"""Write notification rows inside the caller's transaction; deliver later."""

from ..models import Notification
from .side_effects import enqueue_on_commit


def notify(recipients, *, event, title, body="", application=None):
    rows = Notification.objects.bulk_create(
        Notification(recipient=user, event=event, title=title, body=body, application=application)
        for user in {user.pk: user for user in recipients}.values()
    )
    from ..tasks import deliver_notification

    for row in rows:
        enqueue_on_commit(deliver_notification, row.pk)
    return rows
