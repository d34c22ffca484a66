"""Every state change goes through a function here: lock, check, transition,
save, log, and schedule side effects on commit. Views, the API and tasks call
these; nothing else changes state."""

from .applications import accept_application, submit_application
from .drafting import (
    create_application,
    material_slots,
    prefilled_values,
    problems_before_submission,
    save_form_data,
    save_situations,
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
    "material_slots",
    "prefilled_values",
    "problems_before_submission",
    "reject_task",
    "save_form_data",
    "save_situations",
    "submit_application",
]
