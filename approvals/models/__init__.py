"""Workflow models, one module per thing."""

from .application import Application, ApplicationState
from .certificate import Certificate, CertificateNumberSeries
from .delegation import Delegation
from .history import TransitionLog
from .intermediary import Intermediary, IntermediaryEngagement, IntermediaryService
from .joint import JointMinutes, JointOpinion, JointParticipant, JointRound, JointSession
from .material import Material
from .notice import Notice
from .notification import Notification
from .project import Project
from .review_task import ReviewTask, ReviewTaskState
from .suspension import Suspension
from .window import CorrectionNotice, Deficiency, Delivery

__all__ = [
    "Application",
    "ApplicationState",
    "Certificate",
    "CertificateNumberSeries",
    "CorrectionNotice",
    "Deficiency",
    "Delegation",
    "Delivery",
    "Intermediary",
    "IntermediaryEngagement",
    "IntermediaryService",
    "JointMinutes",
    "JointOpinion",
    "JointParticipant",
    "JointRound",
    "JointSession",
    "Material",
    "Notice",
    "Notification",
    "Project",
    "ReviewTask",
    "ReviewTaskState",
    "Suspension",
    "TransitionLog",
]
