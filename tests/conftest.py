"""Fixtures shared by the suite: the catalogue, people per role, sample
files, a real Celery worker process consuming from Redis, and Chromium."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from portal.celery import app as celery_app
from portal.models import Role

from .factories import ApplicantFactory, ProjectFactory, load_catalog, staff

ROOT = Path(__file__).resolve().parent.parent
# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make beside it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def national_calendar_present(request):
    """Transactional tests flush every table, including the national
    calendar the migration loaded; put it back for the tests after them."""
    uses_db = request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames for name in ("db", "transactional_db", "admin_client")
    )
    if not uses_db:
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        from stages.calendar import load_national_calendar
        from stages.models import CalendarYear

        if not CalendarYear.objects.filter(year=2026).exists():
            load_national_calendar(range(2004, 2027))


@pytest.fixture
def catalog(db):
    load_catalog()


@pytest.fixture
def applicant(catalog):
    return ApplicantFactory()


@pytest.fixture
def project(applicant):
    return ProjectFactory(enterprise=applicant.enterprise, created_by=applicant)


@pytest.fixture
def clerk(catalog):
    return staff(Role.CLERK, "341000", "data")


@pytest.fixture
def reviewer_for(catalog):
    def make(department_code, jurisdiction_code="341000"):
        return staff(Role.REVIEWER, jurisdiction_code, department_code)

    return make


@pytest.fixture
def pdf_bytes():
    return MINIMAL_PDF


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real `celery worker` process on the test database and Redis."""
    with django_db_blocker.unblock():
        from django.db import connection

        database = connection.settings_dict["NAME"]
    celery_app.control.purge()
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": base.rsplit("/", 1)[0] + "/" + database,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log = open(ROOT / "var" / "test-worker.log", "wb")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "solo", "-l", "info"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while not celery_app.control.ping(timeout=0.5):
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail("Celery worker did not start; see var/test-worker.log")
    yield worker
    worker.terminate()
    worker.wait(timeout=20)


def wait_for(predicate, timeout=60, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Chinese user's browser; English is covered by its own test.
    return {**browser_context_args, "locale": "zh-CN"}
