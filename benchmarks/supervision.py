"""Supervision dashboard and report generation times with many applications.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python -m benchmarks.supervision [--applications 200000] [--repeat 20]

Seeds (once) projects walking the construction stages until N applications
exist, with about five review tasks per application (1,000,000 at the
default), delegations and intermediary engagements — set-based, see
`supervision_data` — then:

- requests the dashboard in-process through Django's test client as the
  city-level supervisor (who sees everything) and as a district one, for
  the default 30-day period and for a whole year, and prints the p50/p95
  server time and the number of SQL queries;
- generates the city's daily, weekly, 10-day and a year-long report
  (figures + PDF + CSV + XLSX; files go to a temporary MEDIA_ROOT) and
  prints each one's generation time and file sizes.
"""

import argparse
import datetime
import io
import os
import tempfile
import time

from benchmarks import supervision_data
from benchmarks.common import setup, timed

DISTRICT_SUPERVISOR = "bench_supervisor_tunxi"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="supervision-bench-"))
    setup()

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    have = supervision_data.seeded_applications()
    if have < args.applications:
        seconds = supervision_data.seed(args.applications - have)
        print(f"seeded {args.applications - have:,} applications in {seconds:.1f} s")

    from approvals.models import Application, ReviewTask

    # Fresh planner statistics: right after a bulk seed autovacuum may not
    # have analysed the tables yet, and the plans (nested loops over
    # "12 rows") would measure that, not the dashboard.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    from supervision import summaries

    started = time.perf_counter()
    summaries.refresh(force=True)
    print(f"duration summary rebuilt in {time.perf_counter() - started:.1f} s")
    print(
        f"applications in database: {Application.objects.count():,}; "
        f"review tasks: {ReviewTask.objects.count():,}"
    )
    dashboard(args.repeat)
    report_times()


def district_supervisor():
    from portal.models import Role, User
    from stages.models import Jurisdiction, StaffMembership

    user, _ = User.objects.get_or_create(
        username=DISTRICT_SUPERVISOR, defaults={"role": Role.SUPERVISOR, "last_name": "压测"}
    )
    StaffMembership.objects.get_or_create(
        user=user, defaults={"jurisdiction": Jurisdiction.objects.get(code="341002")}
    )
    return user


def dashboard(repeat):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from portal.models import User

    today = timezone.localdate()
    year_ago = today - datetime.timedelta(days=365)
    urls = [
        "/staff/supervision/",
        f"/staff/supervision/?start={year_ago}&end={today}",
        "/staff/supervision/?level=red&stage=3",
    ]
    users = [User.objects.get(username="supervisor"), district_supervisor()]
    print(f"\n{'supervisor':<24} {'url':<58} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for user in users:
        client = Client()
        client.force_login(user)
        for url in urls:
            client.get(url)  # warm caches and the connection
            with CaptureQueriesContext(connection) as queries:
                status = client.get(url).status_code
            assert status == 200, (url, status)
            # Count now: the captured list is a slice of the connection's
            # log, which the next request resets.
            query_count = len(queries)
            figures = timed(lambda url=url, client=client: client.get(url), repeat)
            print(
                f"{user.username:<24} {url:<58} {figures['p50']:>8.1f} {figures['p95']:>8.1f}"
                f" {query_count:>8}"
            )


def report_times():
    from django.utils import timezone

    from stages.models import Jurisdiction
    from supervision import reports
    from supervision.models import Report
    from supervision.periods import Period, day_period, ten_day_period, week_period

    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    city = Jurisdiction.objects.get(code="341000")
    tunxi = Jurisdiction.objects.get(code="341002")
    cases = [
        ("daily", day_period(yesterday), city),
        ("weekly", week_period(today - datetime.timedelta(days=7)), city),
        ("ten_day", ten_day_period(today - datetime.timedelta(days=10)), city),
        ("custom", Period(today - datetime.timedelta(days=365), yesterday), city),
        ("daily", day_period(yesterday), tunxi),
    ]
    print(
        f"\n{'report':<10} {'scope':<10} {'period':<25} {'seconds':>8} {'PDF KB':>8}"
        f" {'CSV KB':>8} {'XLSX KB':>8}"
    )
    for kind, period, jurisdiction in cases:
        Report.objects.filter(
            kind=kind, period_start=period.start, period_end=period.end, jurisdiction=jurisdiction
        ).delete()
        report, _ = reports.request_report(kind, period, jurisdiction)
        started = time.perf_counter()
        report = reports.generate(report.pk)
        elapsed = time.perf_counter() - started
        print(
            f"{kind:<10} {jurisdiction.name:<10} {period.label():<25} {elapsed:>8.2f}"
            f" {report.pdf.size / 1024:>8.0f} {report.csv.size / 1024:>8.0f}"
            f" {report.xlsx.size / 1024:>8.0f}"
        )


if __name__ == "__main__":
    main()
