"""The yellow/red warning sweep (approvals/services/warnings.py) over
1,000,000 open review tasks and their applications.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_sweep_bench \
        .venv/bin/python -m benchmarks.warning_sweep [--tasks 1000000]

Seeds (once, set-based: benchmarks/bulk_tasks.py) open tasks, most far
from their deadlines, a tenth overdue and a tenth in their yellow period
but already warned on earlier runs, and a twentieth overdue while paused
(特别程序 or supplement: their clock stops, so no warning). Then, on every
run, puts exactly CROSSING tasks and applications across a threshold, runs
one sweep, prints its time and the rows it marked, runs it again and shows
it marks nothing. Exits non-zero if the sweep marks any other number of
rows: it must touch only rows that crossed a threshold.
"""

import argparse
import time

from benchmarks.bulk_tasks import ensure_tasks
from benchmarks.common import ensure_projects, setup

OPEN = {
    "state": "CASE WHEN h < 60 THEN 'pending' ELSE 'reviewing' END",
    "reviewer_id": "CASE WHEN h < 60 THEN NULL ELSE r END",
    "due_on": """CASE WHEN h >= 90 OR h BETWEEN 70 AND 74 THEN current_date - 1 - h %% 5
                 WHEN h >= 80 THEN current_date + 2 ELSE current_date + 10 + h %% 20 END""",
    "yellow_on": """CASE WHEN h >= 90 OR h BETWEEN 70 AND 74 THEN current_date - 3 - h %% 5
                    WHEN h >= 80 THEN current_date - 1 ELSE current_date + 8 + h %% 20 END""",
    "paused_since": "CASE WHEN h BETWEEN 70 AND 74 THEN current_date - 10 END",
    "warned_yellow_at": "CASE WHEN h >= 80 THEN now() - interval '2 days' END",
    "warned_red_at": "CASE WHEN h >= 90 THEN now() - interval '1 day' END",
}
# (model, level): rows put across that threshold on every run.
CROSSING = {
    ("ReviewTask", "red"): 37,
    ("ReviewTask", "yellow"): 53,
    ("Application", "red"): 5,
    ("Application", "yellow"): 7,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1_000_000)
    args = parser.parse_args()
    setup()
    ensure_projects(0)
    ensure_tasks(args.tasks, OPEN)

    from approvals.models import Application, ReviewTask
    from approvals.services.warnings import OPEN_APPLICATIONS, OPEN_TASKS, sweep

    open_tasks = ReviewTask.objects.filter(state__in=OPEN_TASKS).count()
    in_review = Application.objects.filter(state__in=OPEN_APPLICATIONS).count()
    print(f"open review tasks: {open_tasks:,}; applications in review: {in_review:,}")
    put_across_thresholds()
    started = time.perf_counter()
    touched = sweep()
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = sweep()
    second = time.perf_counter() - started

    print(f"\n{'':<24} {'first sweep':>12} {'second sweep':>13} {'expected':>9}")
    for key, expected in CROSSING.items():
        print(f"{' '.join(key):<24} {touched[key]:>12} {again[key]:>13} {expected:>9}")
    print(f"{'total':<24} {sum(touched.values()):>12} {sum(again.values()):>13}")
    print(f"{'seconds':<24} {first:>12.3f} {second:>13.3f}")
    if touched != CROSSING or any(again.values()):
        raise SystemExit("The sweep touched rows that did not cross a threshold (or missed some).")


def put_across_thresholds():
    """Move the first far-from-deadline rows (by id) across: on a repeated
    run the earlier ones are already warned and new ones cross."""
    from django.db import connection, transaction

    far = "paused_since IS NULL AND due_on >= current_date + 10"
    tasks = f"state IN ('pending', 'reviewing') AND {far}"
    applications = f"state = 'in_review' AND {far}"
    red_task, yellow_task = CROSSING[("ReviewTask", "red")], CROSSING[("ReviewTask", "yellow")]
    red_app, yellow_app = CROSSING[("Application", "red")], CROSSING[("Application", "yellow")]
    with transaction.atomic(), connection.cursor() as cursor:
        for table, where, red, yellow in (
            ("approvals_reviewtask", tasks, red_task, yellow_task),
            ("approvals_application", applications, red_app, yellow_app),
        ):
            cursor.execute(
                f"""
                WITH chosen AS (
                    SELECT id, row_number() OVER (ORDER BY id) AS n FROM (
                        SELECT id FROM {table} WHERE {where} ORDER BY id LIMIT %(total)s
                    ) first_rows
                )
                UPDATE {table} t SET
                    due_on = CASE WHEN c.n <= %(red)s THEN current_date - 1
                                  ELSE current_date + 2 END,
                    yellow_on = CASE WHEN c.n <= %(red)s THEN current_date - 3
                                     ELSE current_date END,
                    warned_yellow_at = NULL, warned_red_at = NULL
                FROM chosen c WHERE t.id = c.id
                """,
                {"total": red + yellow, "red": red},
            )
    print(
        f"put {red_task} tasks past due and {yellow_task} into their yellow period; "
        f"{red_app} and {yellow_app} applications likewise"
    )


if __name__ == "__main__":
    main()
