"""The events a subscriber may choose: one per FSM transition of the objects
whose history is logged, named `<object type>.<transition>` (for example
`application.accept`, `review_task.approve`). Read from the state machines,
so a new transition becomes an event without a list to keep in step."""

from functools import cache

from approvals.models import Application, Certificate, ReviewTask
from approvals.models.history import TRANSITION_LABELS
from approvals.models.joint import JointSession

# Model label (as in TransitionLog.subject_type) → the type name in payloads.
OBJECT_TYPES = {
    "approvals.application": "application",
    "approvals.reviewtask": "review_task",
    "approvals.jointsession": "joint_session",
    "approvals.certificate": "certificate",
}
MODELS = (Application, ReviewTask, JointSession, Certificate)


def event_choices():
    choices = []
    for model in MODELS:
        object_type = OBJECT_TYPES[model._meta.label_lower]
        names = sorted({t.name for t in model._meta.get_field("state").get_all_transitions(model)})
        for name in names:
            label = TRANSITION_LABELS.get(name, name)
            choices.append((f"{object_type}.{name}", f"{model._meta.verbose_name} · {label}"))
    return choices


@cache  # the transitions are code: the same in every process for its lifetime
def event_names():
    return frozenset(name for name, __ in event_choices())


def event_label(event):
    return dict(event_choices()).get(event, event)


def event_for(log):
    """The event a transition log row announces, or None: rows that record
    an action without a state change (joint opinions, invitations) are not
    events."""
    object_type = OBJECT_TYPES.get(log.subject_type)
    if object_type is None:
        return None
    event = f"{object_type}.{log.transition}"
    return event if event in event_names() else None
