"""Every state change goes through a function here: lock, check, transition,
save, log, and schedule side effects on commit. Views, the API and tasks call
these; nothing else changes state."""

from .applications import (
    accept_application,
    create_application,
    save_form_data,
    submit_application,
)
from .errors import ServiceError, StateConflict, SubmissionIncomplete
from .materials import attach_material
from .review import approve_task, claim_task, reject_task

__all__ = [
    "ServiceError",
    "StateConflict",
    "SubmissionIncomplete",
    "accept_application",
    "approve_task",
    "attach_material",
    "claim_task",
    "create_application",
    "reject_task",
    "save_form_data",
    "submit_application",
]
