"""The working days on which the applicant, not the government, holds a
project's applications: the applicant time of the project clock
(project_clock.py states the rule). Read from the transition log and the
联合图审 rounds; each day is counted once however many waits overlap."""

import datetime

from django.utils import timezone

from ..models import ReviewTask, TransitionLog
from ..models.joint import JointRound

CORRECTION = ("request_correction", "resubmit")
SUPPLEMENT = ("request_supplement", "answer_supplement")


def applicant_days(calendar, applications, until):
    """The set of working days up to `until` on which the applicant held
    one of the applications: correcting it, or every undecided task of it
    waiting for supplementary material or revised drawings."""
    applications = list(applications)
    if not applications:
        return set()
    ids = [application.pk for application in applications]
    decided = {application.pk: _local(application.decided_at) for application in applications}
    days, waits = set(), {}
    for (kind, pk), periods in _waits_from_log(ids, until).items():
        if kind == "application":
            # A correction left open by a withdrawal waits no longer.
            end = decided[pk] or until
            days |= {day for day in _union(calendar, periods) if day <= end}
        else:
            waits[pk] = _union(calendar, periods)
    for task_ids, requested, submitted in JointRound.objects.filter(
        session__application_id__in=ids, revision_requested_on__isnull=False
    ).values_list("paused_task_ids", "revision_requested_on", "revision_submitted_on"):
        revising = _days(calendar, requested, submitted or until)
        for pk in task_ids:
            waits[pk] = waits.get(pk, set()) | revising

    return days | _every_task_waiting(calendar, decided, waits, until)


def _every_task_waiting(calendar, decided, waits, until):
    """Days on which an application had undecided tasks and all of them
    waited (`waits`: {task id: days}); a task is undecided from the day
    after its creation to its decision, the application's (`decided`:
    {application id: day or None}), or `until`."""
    tasks = {}
    for pk, application_id, created_at, decided_at in ReviewTask.objects.filter(
        application_id__in=decided
    ).values_list("pk", "application_id", "created_at", "decided_at"):
        end = min(day for day in (until, _local(decided_at), decided[application_id]) if day)
        undecided = _days(calendar, _local(created_at), end)
        tasks.setdefault(application_id, []).append((undecided, waits.get(pk, set())))
    days = set()
    for siblings in tasks.values():
        for day in set().union(*(undecided for undecided, _wait in siblings)):
            if all(day in wait for undecided, wait in siblings if day in undecided):
                days.add(day)
    return days


def _waits_from_log(application_ids, until):
    """{("application", id): [(from, to)]} of corrections and {("task", id):
    [(from, to)]} of supplement requests; open ones run to `until`."""
    rows = TransitionLog.objects.filter(
        application_id__in=application_ids, transition__in=CORRECTION + SUPPLEMENT
    ).order_by("created_at", "pk")
    periods, opened = {}, {}
    for application_id, object_id, transition, created_at in rows.values_list(
        "application_id", "object_id", "transition", "created_at"
    ):
        if transition in CORRECTION:
            key = ("application", application_id)
        else:
            key = ("task", int(object_id))
        if transition.startswith("request_"):
            opened[key] = _local(created_at)
        elif key in opened:
            periods.setdefault(key, []).append((opened.pop(key), _local(created_at)))
    for key, started in opened.items():
        periods.setdefault(key, []).append((started, until))
    return periods


def _union(calendar, periods):
    return set().union(*(_days(calendar, start, end) for start, end in periods))


def _days(calendar, start, end):
    """Working days after `start` up to and including `end`, like
    `WorkingCalendar.working_days_between`."""
    days = set()
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            days.add(day)
    return days


def _local(moment):
    return timezone.localtime(moment).date() if moment else None
