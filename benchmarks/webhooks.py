"""What webhooks cost: the outbox write a transition pays (no subscriber,
three subscribers), POSTs per second to a receiver on 127.0.0.1, and the
re-queue sweep's query over a large delivered backlog. Everything runs in
one transaction that is rolled back at the end.

    DATABASE_URL=postgres://…/portal_bench python -m benchmarks.webhooks"""

import time
from datetime import timedelta

from benchmarks.common import ensure_projects, setup, timed

DELIVERED_BACKLOG = 100_000
POSTS = 300


def main():
    setup()
    ensure_projects(1)
    from django.db import connection, transaction
    from django.utils import timezone

    from approvals.models import Application, TransitionLog
    from tests.local_http import LocalServer
    from webhooks.models import Subscriber, WebhookDelivery
    from webhooks.outbox import record
    from webhooks.tasks import attempt, due_deliveries

    application = Application.objects.select_related("project").first()
    event = "application.accept"
    server = LocalServer().start()
    try:
        with transaction.atomic():
            log = TransitionLog.objects.create(
                subject_type="approvals.application",
                object_id=str(application.pk),
                application=application,
                transition="accept",
                from_state="submitted",
                to_state="in_review",
            )
            print(f"record() with no subscriber: {fmt(timed(lambda: record(log), 300))}")
            for n in range(3):
                Subscriber.objects.create(
                    name=f"bench {n}", url=server.url, events=[event], allow_internal=True
                )
            print(f"record() with 3 subscribers: {fmt(timed(lambda: record(log), 300))}")

            pending = list(WebhookDelivery.objects.values_list("pk", flat=True)[:POSTS])
            started = time.perf_counter()
            for pk in pending:
                attempt(pk)
            seconds = time.perf_counter() - started
            print(
                f"{len(pending)} deliveries POSTed and marked in {seconds:.2f} s"
                f" = {len(pending) / seconds:.0f}/s (one process, receiver on 127.0.0.1)"
            )

            subscriber = Subscriber.objects.first()
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO webhooks_webhookdelivery (subscriber_id, event, payload,"
                    " status, attempts, next_attempt_at, last_error, created_at)"
                    " SELECT %s, %s, '{}', 'delivered', 1, now() - interval '1 day', '', now()"
                    " FROM generate_series(1, %s)",
                    [subscriber.pk, event, DELIVERED_BACKLOG],
                )
                cursor.execute("ANALYZE webhooks_webhookdelivery")
            WebhookDelivery.objects.filter(pk__in=pending[:50]).update(
                status="pending", next_attempt_at=timezone.now() - timedelta(minutes=10)
            )
            query = due_deliveries(timezone.now())[:500]
            sweep = timed(lambda: list(query.all()), 50)
            print(
                f"sweep query, 50 due among {DELIVERED_BACKLOG:,} delivered: {fmt(sweep)}"
                f"; plan uses webhook_delivery_due: {'webhook_delivery_due' in query.explain()}"
            )
            transaction.set_rollback(True)
    finally:
        server.stop()


def fmt(figures):
    return ", ".join(f"{k} {v:.2f} ms" for k, v in figures.items())


if __name__ == "__main__":
    main()
