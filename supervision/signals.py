"""A decided review task ends its 督办. Listening to approvals' saves keeps
the dependency one way: approvals knows nothing of supervision."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from approvals.models import ReviewTask, ReviewTaskState

DECIDED = {ReviewTaskState.APPROVED, ReviewTaskState.REJECTED}


@receiver(post_save, sender=ReviewTask, dispatch_uid="supervision.resolve_escalations")
def resolve_escalations_of_decided_task(sender, instance, **kwargs):
    if instance.state in DECIDED:
        from .escalations import resolve_for_decided_task

        resolve_for_decided_task(instance.pk)
