"""Celery tasks, one module per kind of side effect. Every task can run
twice without doing its work twice; names are explicit so moving code does
not orphan queued messages."""

from .certificates import render_certificate
from .deadlines import sweep_deadlines
from .joint import render_joint_minutes
from .notices import render_notice
from .notifications import deliver_notification
from .outbox import redeliver_outbox

__all__ = [
    "deliver_notification",
    "redeliver_outbox",
    "render_certificate",
    "render_joint_minutes",
    "render_notice",
    "sweep_deadlines",
]
