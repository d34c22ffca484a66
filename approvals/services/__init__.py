"""Every state change goes through a function here: lock, check, transition,
save, log, and schedule side effects on commit. Views, the API and tasks call
these; nothing else changes state."""

from .applications import accept_application, submit_application
from .drafting import (
    change_delivery_choice,
    create_application,
    declare,
    edit_scope,
    material_slots,
    prefilled_values,
    problems_before_submission,
    reusable_materials,
    save_form_data,
    save_situations,
)
from .errors import ServiceError, StateConflict, SubmissionIncomplete
from .materials import attach_material, replace_material, reuse_material
from .review import approve_task, claim_task, reject_task
from .window import (
    accept_with_deficiency,
    clear_deficiency,
    missing_materials,
    record_delivery,
    refuse_application,
    request_correction,
    resubmit_application,
    withdraw_application,
)

__all__ = [
    "ServiceError",
    "StateConflict",
    "SubmissionIncomplete",
    "accept_application",
    "accept_with_deficiency",
    "approve_task",
    "attach_material",
    "change_delivery_choice",
    "claim_task",
    "clear_deficiency",
    "create_application",
    "declare",
    "edit_scope",
    "material_slots",
    "missing_materials",
    "prefilled_values",
    "problems_before_submission",
    "record_delivery",
    "refuse_application",
    "reject_task",
    "replace_material",
    "request_correction",
    "resubmit_application",
    "reusable_materials",
    "reuse_material",
    "save_form_data",
    "save_situations",
    "submit_application",
    "withdraw_application",
]
