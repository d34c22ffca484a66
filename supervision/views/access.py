"""Who may use these pages: supervisors with a posting (jurisdiction)."""

from approvals.views.staff import role_required
from portal.models import Role

supervisor_required = role_required(Role.SUPERVISOR)
