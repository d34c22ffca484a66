"""Workflow models, one module per thing."""

from .application import Application, ApplicationState
from .certificate import Certificate, CertificateNumberSeries
from .history import TransitionLog
from .material import Material
from .notification import Notification
from .project import Project
from .review_task import ReviewTask, ReviewTaskState

__all__ = [
    "Application",
    "ApplicationState",
    "Certificate",
    "CertificateNumberSeries",
    "Material",
    "Notification",
    "Project",
    "ReviewTask",
    "ReviewTaskState",
    "TransitionLog",
]
