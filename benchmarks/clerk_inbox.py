"""Clerk inbox server time with many applications.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python -m benchmarks.clerk_inbox [--projects 200000] [--repeat 50]

Seeds (once) N projects with one application each, then requests the inbox
in-process through Django's test client as the city-level clerk (who sees
everything) and as a district clerk, for several filters, and prints the
p50/p95 server time and the number of SQL queries per page.
"""

import argparse

from benchmarks.common import ensure_projects, setup, timed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument(
        "--as-seeded",
        action="store_true",
        help="use the database as it is (e.g. seeded by benchmarks.supervision_data)",
    )
    args = parser.parse_args()
    setup()
    if args.as_seeded:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    else:
        ensure_projects(args.projects)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from approvals.models import Application
    from portal.models import User

    print(f"applications in database: {Application.objects.count():,}")
    some = Application.objects.exclude(number=None).order_by("pk")[1000]
    urls = [
        "/staff/window/",
        "/staff/window/?state=in_review&sort=due",
        "/staff/window/?state=&due=overdue",
        "/staff/window/?state=&q=示范工程",
        f"/staff/window/?state=&q={some.number}",
        f"/staff/window/?state=&q={some.project.name[-6:]}",
        "/staff/window/?state=submitted&page=50",
    ]
    print(f"{'clerk':<12} {'url':<42} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for username in ("clerk", "clerk_tunxi"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        for url in urls:
            client.get(url)  # warm caches and the connection
            with CaptureQueriesContext(connection) as queries:
                status = client.get(url).status_code
            assert status == 200, (url, status)
            query_count = len(queries)  # read now: the next request resets the log
            figures = timed(lambda url=url, client=client: client.get(url), args.repeat)
            print(
                f"{username:<12} {url:<42} {figures['p50']:>8.1f} {figures['p95']:>8.1f}"
                f" {query_count:>8}"
            )


if __name__ == "__main__":
    main()
