"""Supervision's own tables: escalations, reports and the summaries
(durations, project milestones)."""

from .escalation import Escalation
from .milestones import ProjectMilestones
from .report import Report, ReportRecipient
from .summary import DecisionSummary, SummaryState

__all__ = [
    "DecisionSummary",
    "Escalation",
    "ProjectMilestones",
    "Report",
    "ReportRecipient",
    "SummaryState",
]
