"""The project clock: working days from the first stage-1 submission to the
construction permit (or today), against the 100-working-day target
(开工前审批服务含中介时间最多100个工作日), split into applicant time,
intermediary time (中介服务) and government time (the rest).

Applicant time is every working day on which the applicant, not a
department, holds the work:
- an application is being corrected (from the correction notice to the
  resubmission), or
- every undecided review task of an application is waiting for the
  applicant — a supplement request not yet answered, or drawings out for a
  联合图审 revision round — and it had at least one undecided task.

Review is parallel, so one department's supplement request does not stop
the others: while any task of the application is still being reviewed (or
is in a 特别程序, which is the government's procedure) the day stays
government time. Only when the last running task also waits for the
applicant does the day move. Overlapping waits (two tasks each waiting, or
two applications of the project) count each day once. This keeps the
government figure from shrinking through a single request for material,
and never counts a day twice."""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from stages.calendar import CalendarNotAvailable, WorkingCalendar

from ..models import Application, ApplicationState
from .applicant_time import applicant_days
from .intermediary import working_days_used

CONSTRUCTION_PERMIT_STAGE = 3
DONE = {ApplicationState.APPROVED, ApplicationState.ISSUED, ApplicationState.DELIVERED}


@dataclass(frozen=True)
class ProjectClock:
    started_on: object
    ended_on: object
    finished: bool
    total: int
    applicant: int
    intermediary: int
    target: int

    @property
    def government(self):
        return max(self.total - self.applicant - self.intermediary, 0)

    @property
    def left(self):
        return self.target - self.total

    @property
    def status(self):
        if self.total > self.target:
            return "over"
        if self.total >= self.target * (1 - settings.PORTAL_YELLOW_FRACTION_LEFT):
            return "at_risk"
        return "on_track"


def project_clock(project, today=None):
    """None until the project's first stage-1 application is submitted."""
    applications = list(
        Application.objects.filter(project=project, stage__is_construction=True).select_related(
            "stage"
        )
    )
    starts = [
        a.submitted_at for a in applications if a.stage.number == 1 and a.submitted_at is not None
    ]
    if not starts:
        return None
    today = today or timezone.localdate()
    permit = [
        a
        for a in applications
        if a.stage.number == CONSTRUCTION_PERMIT_STAGE and a.state in DONE and a.decided_at
    ]
    started_on = timezone.localtime(min(starts)).date()
    ended_on = timezone.localtime(permit[0].decided_at).date() if permit else today
    try:
        calendar = WorkingCalendar()
        total = calendar.working_days_between(started_on, ended_on)
        applicant = len(
            {
                day
                for day in applicant_days(calendar, applications, ended_on)
                if started_on < day <= ended_on
            }
        )
        intermediary = working_days_used(project, today=ended_on, calendar=calendar)
    except CalendarNotAvailable:
        return None
    return ProjectClock(
        started_on=started_on,
        ended_on=ended_on,
        finished=bool(permit),
        total=total,
        applicant=applicant,
        intermediary=intermediary,
        target=settings.PORTAL_PROJECT_TARGET_WORKING_DAYS,
    )
