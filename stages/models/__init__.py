"""Configuration models, one module per vocabulary."""

from .calendar import CalendarDay, CalendarYear
from .catalogue import CertificateType, Matter, ProjectType, Stage
from .form import PROJECT_ATTRIBUTES, FormField
from .guide import Guide
from .materials import MaterialRequirement
from .organisation import AgentPosting, AgentZone, Department, Jurisdiction, StaffMembership
from .situations import Situation
from .versions import StageVersion

__all__ = [
    "PROJECT_ATTRIBUTES",
    "AgentPosting",
    "AgentZone",
    "CalendarDay",
    "CalendarYear",
    "CertificateType",
    "Department",
    "FormField",
    "Guide",
    "Jurisdiction",
    "MaterialRequirement",
    "Matter",
    "ProjectType",
    "Situation",
    "StaffMembership",
    "Stage",
    "StageVersion",
]
