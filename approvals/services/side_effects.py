"""Enqueue Celery work after commit without ever failing the request.

If the broker is down at commit time the rows are already saved; the
`redeliver_outbox` sweep enqueues them again later, so nothing is lost."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args):
    def send():
        try:
            task.delay(*args)
        except Exception:  # broker unreachable: the outbox sweep retries
            logger.warning("Could not enqueue %s%r; outbox sweep will retry", task.name, args)

    transaction.on_commit(send)
