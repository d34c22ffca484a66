"""Supervision's own tables: escalations and reports."""

from .escalation import Escalation
from .report import Report, ReportRecipient

__all__ = ["Escalation", "Report", "ReportRecipient"]
