"""Builders for the supervision tests (imported by the other
test_supervision_* modules), and the calendar facts their hand-computed
figures rest on.

Rows are written directly, as `seed_demo` does: the figures read stored
columns, so the tests set exactly the columns a figure depends on."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from approvals.models import Application, ReviewTask
from portal.models import Role
from queueing.models import ServiceType, Ticket, TicketState
from stages.calendar import WorkingCalendar
from stages.models import Jurisdiction, Matter, Stage

from .factories import ApplicationFactory, ProjectFactory, load_catalog, staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2026, 11, 20)  # a Friday
NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)
PERIOD = {"start": "2026-10-01", "end": "2026-11-20"}


def day(text):
    return datetime.date.fromisoformat(text)


def local(text, clock="10:00"):
    """A local (Beijing time) moment on a day."""
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.datetime.combine(day(text), datetime.time(hour, minute), tzinfo=SHANGHAI)


def stage(code):
    return Stage.objects.get(code=code)


def project(jurisdiction_code="341002", **fields):
    return ProjectFactory(jurisdiction=Jurisdiction.objects.get(code=jurisdiction_code), **fields)


NUMBERS = itertools.count(1)


def application(stage_code="construction-permit", project_=None, **fields):
    extra = {"project": project_} if project_ is not None else {}
    if fields.get("state", "draft") != "draft":
        fields.setdefault("number", f"T{next(NUMBERS):08d}")
    return ApplicationFactory(stage=stage(stage_code), **extra, **fields)


def task(application_, matter_code, **fields):
    matter = Matter.objects.get(stage=application_.stage, code=matter_code)
    return ReviewTask.objects.create(
        application=application_,
        matter=matter,
        department=matter.department,
        jurisdiction=application_.project.jurisdiction,
        **fields,
    )


def decided_task(matter_code, started, decided, paused=0, project_=None, **fields):
    """An approved task whose clock ran from `started` (a date) to
    `decided` (a local moment), paused `paused` working days."""
    owner = application("construction-permit", project_, state="in_review")
    return task(
        owner,
        matter_code,
        state="approved",
        clock_started_on=day(started),
        decided_at=decided,
        paused_working_days=paused,
        due_on=day("2026-12-31"),
        **fields,
    )


def supervisor(jurisdiction_code="341000"):
    return staff(Role.SUPERVISOR, jurisdiction_code, "data")


def load_hall():
    call_command("loaddata", "queueing", verbosity=0)
    return Jurisdiction.objects.get(code="341000")


def visit(prefix, on, waited, served=None, jurisdiction_code="341000"):
    """A ticket taken at 09:00 on `on`, called `waited` minutes later and
    finished `served` minutes after the call (None: not finished)."""
    service_type = ServiceType.objects.get(jurisdiction__code=jurisdiction_code, prefix=prefix)
    sequence = Ticket.objects.filter(service_type=service_type, day=day(on)).count() + 1
    taken = local(on, "09:00")
    called = taken + datetime.timedelta(minutes=waited)
    return Ticket.objects.create(
        jurisdiction=service_type.jurisdiction,
        service_type=service_type,
        day=day(on),
        sequence=sequence,
        number=Ticket.format_number(prefix, sequence),
        state=TicketState.DONE if served is not None else TicketState.NO_SHOW,
        taken_at=taken,
        called_at=called,
        announced_at=called,
        finished_at=None if served is None else called + datetime.timedelta(minutes=served),
    )


@pytest.fixture
def calendar(db):
    load_catalog()
    return WorkingCalendar()


def test_national_day_holds_ten_working_days_from_25_september(calendar):
    # FACTS.md: 2026-09-25 .. 2026-10-15 holds 10 working days, including
    # the make-up Saturday 2026-10-10; the figures below rely on it.
    assert calendar.working_days_between(day("2026-09-25"), day("2026-10-15")) == 10
    assert calendar.is_working_day(day("2026-10-10"))
    assert not calendar.is_working_day(day("2026-10-05"))


def test_application_builder_writes_the_given_columns(calendar):
    built = application(state="in_review", due_on=day("2026-11-30"))
    assert Application.objects.get(pk=built.pk).due_on == day("2026-11-30")
