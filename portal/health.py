"""/healthz: does the database answer, does the broker answer, does a Celery
worker answer? 503 when any does not, so a load balancer can act on it."""

import time

from django.db import connection
from django.http import JsonResponse

from .celery import app as celery_app


def _check(probe):
    started = time.monotonic()
    try:
        detail = probe()
    except Exception as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    result = {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}
    if detail:
        result.update(detail)
    return result


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _broker():
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _worker():
    # limit=1: answer as soon as one worker replies instead of waiting out the timeout.
    replies = celery_app.control.ping(timeout=2.0, limit=1)
    if not replies:
        raise RuntimeError("no Celery worker replied to ping")
    return {"workers": sorted(name for reply in replies for name in reply)}


def healthz(request):
    checks = {"database": _check(_database), "broker": _check(_broker)}
    checks["worker"] = (
        _check(_worker) if checks["broker"]["ok"] else {"ok": False, "error": "broker down"}
    )
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"ok": healthy, **checks}, status=200 if healthy else 503)
