"""Department reviewer's inbox server time and query count with 1,000,000
review tasks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python -m benchmarks.reviewer_inbox [--tasks 1000000] [--repeat 30]

Seeds (once, set-based: benchmarks/bulk_tasks.py) the tasks in a mix of
states (30% pending, 20% reviewing, 5% paused, 45% decided; about one in
ten open tasks overdue), spread over every construction matter, so the
housing department holds about a quarter of them. Then requests the inbox
in-process through Django's test client as the city-level housing reviewer
(who sees every district), a district one, and a reviewer whose district
holds two tasks, for the default list, the overdue filter, sorting by
due date and search, and prints p50/p95 server time and the number of SQL
queries. Exits non-zero if any page runs a different number of queries
than the two-task reviewer's: the count must not depend on the data.
"""

import argparse
import re
import sys

from benchmarks.bulk_tasks import ensure_tasks
from benchmarks.common import ensure_projects, setup, timed

MIX = {
    "state": """CASE WHEN h < 30 THEN 'pending' WHEN h < 50 THEN 'reviewing'
                WHEN h < 54 THEN 'needs_supplement' WHEN h < 55 THEN 'suspended'
                WHEN h < 95 THEN 'approved' ELSE 'rejected' END""",
    "reviewer_id": "CASE WHEN h < 30 THEN NULL ELSE r END",
    # Open tasks: due from 3 days ago to 26 days ahead; decided: in the past.
    "due_on": "CASE WHEN h < 55 THEN current_date - 3 + (h * 7) %% 30 ELSE current_date - h END",
    "yellow_on": "CASE WHEN h < 55 THEN current_date - 5 + (h * 7) %% 30 ELSE current_date - h END",
    "decided_at": "CASE WHEN h >= 55 THEN now() - interval '1 day' * (h - 50) END",
    "paused_since": "CASE WHEN h BETWEEN 50 AND 54 THEN current_date - 1 END",
}
URLS = [
    "/staff/tasks/",
    "/staff/tasks/?due=overdue",
    "/staff/tasks/?sort=-due",
    "/staff/tasks/?state=&sort=due",
    "/staff/tasks/?sort=-created",
    "/staff/tasks/?page=200",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    setup()
    ensure_projects(0)
    ensure_tasks(args.tasks, MIX)

    from approvals.models import ReviewTask

    lone, searches = lone_task_reviewer()
    reviewers = [("two-task", lone)] + [
        (label, reviewer(username, code)) for label, username, code in BIG_REVIEWERS
    ]
    for label, user in reviewers:
        visible = ReviewTask.objects.for_reviewer(user).count()
        print(f"{label:<12} {user.username:<26} sees {visible:,} tasks")
    print(f"review tasks in database: {ReviewTask.objects.count():,}\n")

    failures = measure(reviewers, URLS + searches, args.repeat)
    if failures:
        for failure in failures:
            print("QUERY COUNT DEPENDS ON DATA:", failure, file=sys.stderr)
        raise SystemExit(1)
    print("\nquery counts are the same for two tasks and for the whole department")


BIG_REVIEWERS = [
    ("city", "bench_reviewer_housing", "341000"),
    ("district", "bench_reviewer_housing_tunxi", "341002"),
]


def reviewer(username, jurisdiction_code):
    from portal.models import Role, User
    from stages.models import Department, Jurisdiction, StaffMembership

    user, _ = User.objects.get_or_create(
        username=username, defaults={"role": Role.REVIEWER, "last_name": "压测"}
    )
    StaffMembership.objects.get_or_create(
        user=user,
        defaults={
            "jurisdiction": Jurisdiction.objects.get(code=jurisdiction_code),
            "department": Department.objects.get(code="housing"),
        },
    )
    return User.objects.get(pk=user.pk)


def lone_task_reviewer():
    """A housing reviewer of a district of its own holding two tasks: one
    overdue and pending, one escalated, so every URL lists a row and every
    part of the page renders. Searches: the pending task's application
    number (rare), its kind of project (a fifth of all), its code prefix."""
    from django.utils import timezone

    from approvals.models import ReviewTask
    from portal.models import User
    from stages.models import Jurisdiction
    from supervision.models import Escalation

    Jurisdiction.objects.get_or_create(
        code="349999", defaults={"name": "压测单任务区", "level": "district"}
    )
    user = reviewer("bench_reviewer_housing_lone", "349999")
    lone = user.staff_membership.jurisdiction
    if not ReviewTask.objects.filter(jurisdiction=lone).exists():
        pending = ReviewTask.objects.filter(department__code="housing", state="pending")
        overdue = pending.filter(due_on__lt=timezone.localdate()).first()
        escalated = pending.exclude(pk=overdue.pk).first()
        ReviewTask.objects.filter(pk__in=[overdue.pk, escalated.pk]).update(jurisdiction=lone)
        Escalation.objects.create(
            task=escalated,
            note="压测督办",
            new_deadline=timezone.localdate(),
            created_by=User.objects.get(username="supervisor"),
        )
    task = (
        ReviewTask.objects.filter(jurisdiction=lone, escalations__isnull=True)
        .select_related("application__project")
        .get()
    )
    searches = [
        f"/staff/tasks/?q={task.application.number}",
        f"/staff/tasks/?q={task.application.project.name.split('项目')[0]}",
        f"/staff/tasks/?state=&q={task.application.project.code[:14]}",
    ]
    return user, searches


def measure(reviewers, urls, repeat):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    expected = {}
    failures = []
    print(f"{'reviewer':<10} {'url':<44} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'rows':>5}")
    for label, user in reviewers:
        client = Client()
        client.force_login(user)
        for url in urls:
            client.get(url)  # warm caches and the connection
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            count = len(queries)  # read now: the next request resets the log
            rows = len(re.findall(rb'href="/staff/tasks/\d+/"', response.content))
            expected.setdefault(url, count)
            if count != expected[url]:
                failures.append(f"{label} {url}: {count} queries, {expected[url]} with two tasks")
            figures = timed(lambda url=url, client=client: client.get(url), repeat)
            print(
                f"{label:<10} {url:<44} {figures['p50']:>8.1f} {figures['p95']:>8.1f}"
                f" {count:>8} {rows:>5}"
            )
    return failures


if __name__ == "__main__":
    main()
