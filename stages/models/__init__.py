"""Configuration models, one module per vocabulary."""

from .calendar import CalendarDay
from .catalogue import CertificateType, FormField, Matter, Stage
from .organisation import Department, Jurisdiction, StaffMembership

__all__ = [
    "CalendarDay",
    "CertificateType",
    "Department",
    "FormField",
    "Jurisdiction",
    "Matter",
    "StaffMembership",
    "Stage",
]
