"""Queue models, one module per thing."""

from .event import TicketEvent
from .hall import ServiceType, Window
from .ticket import Ticket, TicketCounter, TicketState

__all__ = ["ServiceType", "Ticket", "TicketCounter", "TicketEvent", "TicketState", "Window"]
