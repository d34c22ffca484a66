"""Notifications under faults: a broker that does not answer during a
transition, a delivery task run twice (in turn and at the same moment), an
SMS gateway that fails and then recovers, and a worker killed mid-send.
Each channel of each notification goes out once; where the far side may
see a repeat (killed after the gateway accepted), it sees the same reference."""

import datetime
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import ThreadingHTTPServer

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, transaction
from django.utils import timezone

from approvals import services
from approvals.models import Notification
from approvals.models.notification import NotificationDelivery
from approvals.services.notifications import notify
from approvals.tasks import deliver_notification, redeliver_outbox
from approvals.tasks.outbox import stuck_notifications
from portal.celery import app as celery_app
from portal.models import NotificationPreference, Role

from .conftest import ROOT, wait_for
from .factories import ApplicantFactory, ApplicationFactory, complete_draft, load_catalog, staff
from .test_notifications import Gateway, gateway  # noqa: F401 (fixture)

Status = NotificationDelivery.Status


class RecordingSmsBackend:
    """Counts what would reach the carrier (in this process only)."""

    sent = []

    def send(self, phone, text, reference=""):
        type(self).sent.append(reference)


class SlowEmailBackend(EmailBackend):
    """Holds the channel's row lock long enough for a second run to arrive."""

    def send_messages(self, messages):
        time.sleep(0.5)
        return super().send_messages(messages)


@pytest.fixture
def recorded_sms(settings):
    settings.PORTAL_SMS_BACKEND = f"{__name__}.RecordingSmsBackend"
    RecordingSmsBackend.sent = []
    return RecordingSmsBackend.sent


@pytest.fixture
def not_enqueued(monkeypatch):
    """Keep notify()'s on-commit enqueue away from a session worker that may
    be running: these tests deliver by hand."""
    monkeypatch.setattr(deliver_notification, "delay", lambda *args: None)


def point_broker_at(url):
    celery_app.conf.broker_url = url
    celery_app._pool = None  # drop pooled connections to the old URL


@pytest.fixture
def broker_outage():
    point_broker_at("redis://127.0.0.1:1/0")  # a port nothing listens on
    yield lambda: point_broker_at(settings.CELERY_BROKER_URL)
    point_broker_at(settings.CELERY_BROKER_URL)


def sms_wanted(user, phone):
    user.phone = phone
    user.save(update_fields=["phone"])
    NotificationPreference.objects.create(user=user, event="", email=True, sms=True)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_broker_down_during_transitions_then_each_channel_goes_out_once(
    celery_worker_process, pdf_bytes, broker_outage
):
    load_catalog()
    clerk = staff(Role.CLERK, "341000", "data")
    sms_wanted(clerk, "13905590100")
    application = ApplicationFactory()
    sms_wanted(application.created_by, "13905590101")
    complete_draft(application, pdf_bytes)

    services.submit_application(application.pk, application.created_by)
    services.accept_application(application.pk, clerk)  # broker still down

    notifications = Notification.objects.filter(application=application)
    events = set(notifications.values_list("event", flat=True))
    assert {"application_submitted", "application_accepted"} <= events
    channels = NotificationDelivery.objects.filter(notification__application=application)
    assert not channels.exclude(status__in=[Status.PENDING, Status.SKIPPED]).exists()
    expected = set(channels.filter(status=Status.PENDING).values_list("pk", flat=True))
    assert len(expected) >= 4  # email and SMS for the clerk and the applicant

    end_outage = broker_outage
    end_outage()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)):
        redeliver_outbox()
        redeliver_outbox()  # two beats at once: every message is queued twice
    wait_for(lambda: not notifications.filter(delivered_at__isnull=True).exists(), timeout=90)

    sent = channels.filter(status=Status.SENT)
    assert set(sent.values_list("pk", flat=True)) == expected
    assert set(sent.values_list("attempts", flat=True)) == {1}  # not one send more
    time.sleep(1)  # let the duplicate messages drain, then look again
    assert set(channels.filter(status=Status.SENT).values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db
def test_a_delivery_run_twice_sends_each_channel_once(catalog, recorded_sms):
    person = ApplicantFactory(phone="13905590001")
    [row] = notify([person], event="certificate_issued", application=ApplicationFactory())
    deliver_notification(row.pk)
    deliver_notification(row.pk)
    assert len(mail.outbox) == 1
    assert recorded_sms == [f"notification-{row.pk}-sms"]
    assert set(row.deliveries.values_list("status", "attempts")) == {(Status.SENT, 1)}


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_at_the_same_moment_send_each_channel_once(
    recorded_sms, settings, not_enqueued
):
    load_catalog()
    settings.EMAIL_BACKEND = f"{__name__}.SlowEmailBackend"
    person = ApplicantFactory(phone="13905590001")
    with transaction.atomic():
        [row] = notify([person], event="certificate_issued", application=ApplicationFactory())
    start = threading.Barrier(2)
    failures = []

    def worker():
        try:
            start.wait()
            deliver_notification(row.pk)
        except Exception as error:  # pragma: no cover - reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    print(
        list(row.deliveries.values()),
        RecordingSmsBackend.sent,
        recorded_sms is RecordingSmsBackend.sent,
    )
    assert len(mail.outbox) == 1
    assert recorded_sms == [f"notification-{row.pk}-sms"]
    assert set(row.deliveries.values_list("status", "attempts")) == {(Status.SENT, 1)}
    row.refresh_from_db()
    assert row.delivered_at is not None


@pytest.mark.django_db
def test_a_failing_sms_gateway_is_retried_until_it_accepts(catalog, gateway, settings):  # noqa: F811
    server, handler = gateway
    settings.PORTAL_SMS_BACKEND = "portal.sms.HttpSmsGatewayBackend"
    settings.PORTAL_SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/sms"
    settings.PORTAL_SMS_API_KEY = "test-key"
    handler.answers = [500, 500]
    person = ApplicantFactory(phone="13905590001")
    [row] = notify([person], event="certificate_issued", application=ApplicationFactory())

    result = deliver_notification.apply(args=[row.pk])  # Celery's retries, run eagerly

    assert result.successful()
    sms = row.deliveries.get(channel="sms")
    assert (sms.status, sms.attempts, sms.last_error) == (Status.SENT, 3, "")
    assert [payload["phone"] for _, payload in handler.received] == ["13905590001"] * 3
    assert {headers["Idempotency-Key"] for headers, _ in handler.received} == {
        f"notification-{row.pk}-sms"
    }
    assert len(mail.outbox) == 1  # the email went out on the first run only


class HangingGateway(Gateway):
    """Accepts the first request and answers only when told to."""

    arrived = threading.Event()
    release = threading.Event()

    def do_POST(self):
        first = not type(self).arrived.is_set()
        type(self).arrived.set()
        if first:
            type(self).release.wait(timeout=60)
        super().do_POST()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_leaves_the_channel_pending_and_it_goes_out_once_more(
    settings, not_enqueued
):
    """The worker dies while the gateway is answering. Its transaction rolls
    back, the row lock goes with its connection, the sweep finds the channel
    and the next run sends it: one `sent`, one attempt. The gateway saw the
    request twice with one reference — the at-least-once edge that a
    deduplicating gateway closes."""
    load_catalog()
    HangingGateway.arrived.clear()
    HangingGateway.release.clear()
    HangingGateway.answers, HangingGateway.received = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), HangingGateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/sms"
    person = ApplicantFactory(phone="13905590001", email="")
    NotificationPreference.objects.create(user=person, event="", email=False, sms=True)
    with transaction.atomic():
        [row] = notify([person], event="certificate_issued", application=ApplicationFactory())
    sms = row.deliveries.get(channel="sms")

    queue, name = "notifications-kill-test", f"kill-test-{os.getpid()}@%h"
    worker_args = ["-Q", queue, "-n", name, "-l", "info"]
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "solo", *worker_args],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": _test_database_url(),
            "PORTAL_SMS_BACKEND": "portal.sms.HttpSmsGatewayBackend",
            "PORTAL_SMS_GATEWAY_URL": url,
            "PORTAL_SMS_TIMEOUT": "60",
        },
        stdout=open(ROOT / "var" / "test-worker-kill.log", "wb"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    try:
        hostname = name.replace("%h", socket.gethostname())
        wait_for(lambda: celery_app.control.ping(destination=[hostname], timeout=0.5))
        deliver_notification.apply_async(args=[row.pk], queue=queue)
        assert HangingGateway.arrived.wait(timeout=30), "the worker never called the gateway"
        assert not _unlocked(sms.pk)  # the worker holds the channel while it sends
        worker.kill()
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
        HangingGateway.release.set()

    wait_for(lambda: _unlocked(sms.pk), timeout=10)
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.sent_at) == (Status.PENDING, 0, None)
    later = timezone.now() + datetime.timedelta(minutes=3)
    assert row.pk in list(stuck_notifications(later))

    settings.PORTAL_SMS_BACKEND = "portal.sms.HttpSmsGatewayBackend"
    settings.PORTAL_SMS_GATEWAY_URL = url
    deliver_notification(row.pk)  # what the sweep's message does
    deliver_notification(row.pk)  # and its duplicate
    server.shutdown()
    server.server_close()

    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (Status.SENT, 1)
    references = [headers["Idempotency-Key"] for headers, _ in HangingGateway.received]
    assert references == [f"notification-{row.pk}-sms"] * 2


def _unlocked(delivery_id):
    with transaction.atomic():
        return (
            NotificationDelivery.objects.select_for_update(skip_locked=True)
            .filter(pk=delivery_id)
            .exists()
        )


def _test_database_url():
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    return base.rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
