"""The one way a transition runs: lock the row, check the FSM and the actor's
permission, transition, save, and append the history row."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_fsm import can_proceed, has_transition_perm

from ..models import TransitionLog
from .errors import StateConflict


def lock(model, pk):
    """Lock one row for the rest of the transaction. A second clerk blocks
    here until the first commits, then sees the new state."""
    assert transaction.get_connection().in_atomic_block, "lock() needs atomic()"
    return model.objects.select_for_update().get(pk=pk)


def run(obj, name, actor, *, application, comment="", system=False, **kwargs):
    """Run transition `name` on a locked `obj`. `actor=None` is the system:
    allowed for transitions that declare no permission, or when the caller
    says `system=True` (a periodic sweep acting on a rule, e.g. a 特别程序
    whose expected length ended)."""
    method = getattr(obj, name)
    if not can_proceed(method):
        last = TransitionLog.objects.for_object(obj).select_related("actor").last()
        raise StateConflict.for_object(obj, last)
    if actor is None:
        # A system transition must not be one a person needs permission for.
        assert system or method._django_fsm.get_transition(obj.state).permission is None, name
    elif not has_transition_perm(method, actor):
        raise PermissionDenied
    from_state = obj.state
    method(**kwargs)
    obj.save()
    TransitionLog.objects.create(
        subject_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        application=application,
        transition=name,
        from_state=from_state,
        to_state=obj.state,
        actor=actor,
        comment=comment,
    )
    return obj
