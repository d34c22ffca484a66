"""Supervision's own tables: escalations, reports and the duration summary."""

from .escalation import Escalation
from .report import Report, ReportRecipient
from .summary import DecisionSummary, SummaryState

__all__ = ["DecisionSummary", "Escalation", "Report", "ReportRecipient", "SummaryState"]
