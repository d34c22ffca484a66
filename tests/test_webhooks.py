"""Webhooks as a receiving system meets them: a signed POST per state change
it subscribed to, retried with backoff while it is down, sent once however
often the task runs, and nothing for a change that rolled back."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.utils import timezone

from approvals import services
from approvals.models import TransitionLog
from webhooks import outbox, signing
from webhooks.models import Subscriber, WebhookDelivery
from webhooks.tasks import attempt, deliver, due_deliveries, requeue_pending

from .conftest import wait_for
from .factories import ApplicationFactory, UserFactory, complete_draft, load_catalog, staff
from .local_http import Answer, LocalServer, closed_port

pytestmark = pytest.mark.django_db
Status = WebhookDelivery.Status


@pytest.fixture
def receiver():
    server = LocalServer().start()
    yield server
    server.stop()


@pytest.fixture
def draft(catalog, pdf_bytes):
    return complete_draft(ApplicationFactory(), pdf_bytes)


def subscribe(url, *events, active=True, allow_internal=True):
    """The stand-in receiver listens on 127.0.0.1: an internal address that a
    superuser has to allow."""
    return Subscriber.objects.create(
        name=url, url=url, events=list(events), active=active, allow_internal=allow_internal
    )


def waiting_on_a_lock():
    """Whether some session of the test database waits for a row lock (the
    statistics snapshot cleared, in case this runs inside a transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def submit(draft):
    return services.submit_application(draft.pk, draft.created_by)


def expected_signature(secret, request):
    """Computed as a receiver would, without our signing module: the HMAC of
    the timestamp header, a dot and the raw body."""
    signed = request.headers["X-Portal-Timestamp"].encode() + b"." + request.body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def test_a_transition_is_posted_as_json_signed_with_the_subscribers_secret(receiver, draft):
    subscriber = subscribe(receiver.url, "application.submit")
    application = submit(draft)
    [delivery] = WebhookDelivery.objects.all()
    assert attempt(delivery.pk).status == Status.DELIVERED

    [request] = receiver.received
    assert request.method == "POST"
    assert request.headers["X-Portal-Signature"] == expected_signature(subscriber.secret, request)
    assert request.headers["X-Portal-Delivery"] == str(delivery.pk)
    assert request.headers["X-Portal-Event"] == "application.submit"
    assert abs(int(request.headers["X-Portal-Timestamp"]) - timezone.now().timestamp()) < 600
    log = TransitionLog.objects.get(application=application, transition="submit")
    assert json.loads(request.body) == {
        "id": log.pk,
        "event": "application.submit",
        "object_type": "application",
        "object_id": str(application.pk),
        "object_number": application.number,
        "from_state": "draft",
        "to_state": "submitted",
        "at": log.created_at.isoformat(),
        "application_id": application.pk,
        "application_number": application.number,
        "project_code": application.project.code,
    }
    # No personal data: neither the person who acted nor the enterprise.
    text = request.body.decode()
    assert application.created_by.username not in text
    assert application.project.enterprise.name not in text
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_response_code) == (1, 200)
    assert delivery.delivered_at is not None


def test_a_wrong_secret_does_not_verify(receiver, draft):
    subscribe(receiver.url, "application.submit")
    submit(draft)
    attempt(WebhookDelivery.objects.get().pk)
    [request] = receiver.received
    assert request.headers["X-Portal-Signature"] != expected_signature("not-the-secret", request)


def test_the_signature_covers_the_timestamp_so_a_replay_is_refused(receiver, draft):
    subscriber = subscribe(receiver.url, "application.submit")
    submit(draft)
    attempt(WebhookDelivery.objects.get().pk)
    [request] = receiver.received
    secret, body = subscriber.secret, request.body
    sent = int(request.headers["X-Portal-Timestamp"])
    header = request.headers["X-Portal-Signature"]
    # Body-only HMAC (the old scheme) no longer matches.
    body_only = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert header != body_only
    assert signing.verify(secret, body, sent, header, now=sent + 60)
    # A captured delivery replayed later with its own headers is too old ...
    assert not signing.verify(secret, body, sent, header, now=sent + 301)
    # ... and a fresh timestamp on it does not match the signature.
    assert not signing.verify(secret, body, sent + 400, header, now=sent + 400)
    assert not signing.verify(secret, body + b" ", sent, header, now=sent)
    assert not signing.verify(secret, body, "not-a-time", header)


def test_each_subscriber_gets_only_the_events_it_chose(receiver, draft, clerk):
    submits = subscribe(receiver.url, "application.submit")
    accepts = subscribe(receiver.url, "application.accept", "review_task.claim")
    subscribe(receiver.url, "application.submit", active=False)
    application = submit(draft)
    services.accept_application(application.pk, clerk)
    rows = WebhookDelivery.objects.order_by("id")
    assert [(row.subscriber_id, row.event) for row in rows] == [
        (submits.pk, "application.submit"),
        (accepts.pk, "application.accept"),
    ]
    assert rows[1].payload["to_state"] == "in_review"


def test_review_task_events_carry_their_application_and_project(receiver, draft, clerk):
    subscribe(receiver.url, "review_task.claim")
    application = submit(draft)
    services.accept_application(application.pk, clerk)
    task = application.tasks.select_related("department").first()
    services.claim_task(task.pk, staff("reviewer", "341000", task.department.code))
    [row] = WebhookDelivery.objects.all()
    assert row.payload["object_type"] == "review_task"
    assert row.payload["object_id"] == str(task.pk) and row.payload["object_number"] is None
    assert row.payload["application_number"] == application.number
    assert (row.payload["from_state"], row.payload["to_state"]) == ("pending", "reviewing")


def test_a_rolled_back_transition_writes_no_delivery(
    receiver, draft, django_capture_on_commit_callbacks
):
    subscribe(receiver.url, "application.submit")
    with (
        django_capture_on_commit_callbacks() as queued,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submit(draft)
        assert WebhookDelivery.objects.count() == 1  # written in the transaction
        raise RuntimeError("the caller fails after the transition")
    assert not WebhookDelivery.objects.exists()
    assert not TransitionLog.objects.filter(application=draft).exists()
    assert queued == []


def test_a_committed_transition_queues_its_delivery_after_commit(
    receiver, draft, django_capture_on_commit_callbacks, monkeypatch
):
    subscribe(receiver.url, "application.submit")
    sent = []
    monkeypatch.setattr(deliver, "delay", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        submit(draft)
        assert sent == []
    assert sent == [WebhookDelivery.objects.get().pk]


def test_a_failing_endpoint_is_retried_with_backoff_until_it_answers(draft):
    port = closed_port()
    answers = [Answer(status=500, body=b"oops")]
    server = LocalServer(lambda request: answers.pop(0) if answers else Answer(), port=port)
    subscribe(server.url, "application.submit")
    submit(draft)
    delivery = WebhookDelivery.objects.get()
    created_due = delivery.next_attempt_at
    try:
        server.start()  # answers 500 first
        first = attempt(delivery.pk)
        assert (first.status, first.attempts, first.last_response_code) == (Status.PENDING, 1, 500)
        assert "HTTP 500 oops" in first.last_error
        assert first.next_attempt_at - first.last_attempt_at == timedelta(seconds=30)
        assert attempt(delivery.pk) is None  # not due yet: a second run does nothing
        server.stop()  # now the port is closed

        with time_machine.travel(first.next_attempt_at + timedelta(seconds=1)):
            second = attempt(delivery.pk)
        assert (second.status, second.attempts, second.last_response_code) == (
            Status.PENDING,
            2,
            None,
        )
        assert "无法连接" in second.last_error
        assert second.next_attempt_at - second.last_attempt_at == timedelta(seconds=60)
        assert created_due < first.next_attempt_at < second.next_attempt_at

        server.start()  # up again on the same address
        with time_machine.travel(second.next_attempt_at + timedelta(seconds=1)):
            third = attempt(delivery.pk)
        assert (third.status, third.attempts, third.last_error) == (Status.DELIVERED, 3, "")
        assert len(server.received) == 1
    finally:
        server.stop()


def test_a_delivered_row_is_never_sent_again(receiver, draft):
    subscribe(receiver.url, "application.submit")
    submit(draft)
    delivery = WebhookDelivery.objects.get()
    deliver.apply(args=[delivery.pk])
    deliver.apply(args=[delivery.pk])
    assert attempt(delivery.pk) is None
    assert len(receiver.received) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.DELIVERED, 1)


def test_after_the_last_attempt_the_row_fails_and_the_admin_retry_sends_it(
    draft, settings, admin_client, django_capture_on_commit_callbacks, monkeypatch
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 1
    port = closed_port()
    subscribe(f"http://127.0.0.1:{port}/hook", "application.submit")
    submit(draft)
    delivery = WebhookDelivery.objects.get()
    assert attempt(delivery.pk).status == Status.FAILED
    listing = admin_client.get("/admin/webhooks/webhookdelivery/?status=failed").content.decode()
    assert f'value="{delivery.pk}"' in listing

    server = LocalServer(port=port).start()
    queued = []
    monkeypatch.setattr(deliver, "delay", queued.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                "/admin/webhooks/webhookdelivery/",
                {"action": "retry", "_selected_action": [delivery.pk]},
            )
        assert response.status_code == 302
        delivery.refresh_from_db()
        assert delivery.status == Status.PENDING and queued == [delivery.pk]
        assert attempt(delivery.pk).status == Status.DELIVERED
        assert len(server.received) == 1
    finally:
        server.stop()


def test_the_sweep_requeues_only_stale_pending_rows(receiver, draft, monkeypatch):
    subscriber = subscribe(receiver.url, "application.submit")
    submit(draft)
    now = timezone.now()
    fresh = WebhookDelivery.objects.get()
    stale = WebhookDelivery.objects.create(
        subscriber=subscriber,
        event="application.submit",
        payload={},
        next_attempt_at=now - timedelta(minutes=5),
    )
    WebhookDelivery.objects.create(
        subscriber=subscriber,
        event="application.submit",
        payload={},
        status=Status.DELIVERED,
        next_attempt_at=now - timedelta(minutes=5),
    )
    assert list(due_deliveries(now)) == [stale.pk]
    sent = []
    monkeypatch.setattr(deliver, "delay", sent.append)
    requeue_pending()
    assert sent == [stale.pk] and fresh.pk not in sent


def test_admin_shows_the_secret_once_then_masked_and_checks_the_url(admin_client, catalog):
    response = admin_client.post(
        "/admin/webhooks/subscriber/add/",
        {
            "name": "省政务服务平台",
            "url": "https://gov.example/hook",
            "events": ["application.accept"],
            "active": "on",
        },
    )
    subscriber = Subscriber.objects.get()
    assert subscriber.events == ["application.accept"]
    page = response.content.decode()
    assert subscriber.secret in page and "no-store" in response["Cache-Control"]
    change = admin_client.get(
        f"/admin/webhooks/subscriber/{subscriber.pk}/change/"
    ).content.decode()
    assert subscriber.secret not in change and subscriber.secret[-4:] in change

    for bad in ("ftp://gov.example/hook", "https://user:pw@gov.example/hook", "not a url"):
        response = admin_client.post(
            "/admin/webhooks/subscriber/add/",
            {"name": "x", "url": bad, "events": ["application.accept"], "active": "on"},
        )
        assert response.status_code == 200 and response.context["adminform"].form.errors["url"]
    assert Subscriber.objects.count() == 1

    old = subscriber.secret
    response = admin_client.post(
        "/admin/webhooks/subscriber/",
        {"action": "rotate_secret", "_selected_action": [subscriber.pk]},
    )
    subscriber.refresh_from_db()
    assert subscriber.secret != old and subscriber.secret in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_a_committed_transition_once(celery_worker_process, pdf_bytes):
    load_catalog()
    server = LocalServer().start()
    try:
        subscriber = subscribe(server.url, "application.submit")
        application = submit(complete_draft(ApplicationFactory(), pdf_bytes))
        delivery = WebhookDelivery.objects.get()
        deliver.delay(delivery.pk)  # a duplicate message, as after a redelivery
        # The solo worker takes messages in order: once this one is
        # delivered, the duplicate before it has been handled too.
        marker = WebhookDelivery.objects.create(
            subscriber=subscriber, event="application.submit", payload={"marker": True}
        )
        deliver.delay(marker.pk)
        wait_for(lambda: WebhookDelivery.objects.filter(pk=marker.pk, status=Status.DELIVERED))
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (Status.DELIVERED, 1)
        assert [r.headers["X-Portal-Delivery"] for r in server.received] == [
            str(delivery.pk),
            str(marker.pk),
        ]
        request = server.received[0]
        assert json.loads(request.body)["application_number"] == application.number
        expected = expected_signature(subscriber.secret, request)
        assert request.headers["X-Portal-Signature"] == expected
    finally:
        server.stop()


@pytest.mark.django_db(transaction=True)
def test_the_admin_retry_does_not_resend_a_row_a_worker_is_delivering():
    """A stuck-looking pending row retried while a worker is POSTing it: the
    worker's delivery stands and the row is not queued to be sent again.
    The row is written directly, with no task queued, so the Celery worker
    an earlier test may have started cannot take it first."""
    release = threading.Event()
    server = LocalServer(lambda request: Answer(hold=release)).start()
    results = {}

    def run(name, call):
        try:
            results[name] = call()
        finally:
            connection.close()

    try:
        delivery = WebhookDelivery.objects.create(
            subscriber=subscribe(server.url, "application.submit"),
            event="application.submit",
            payload={"event": "application.submit"},
        )
        worker = threading.Thread(target=run, args=("worker", lambda: attempt(delivery.pk)))
        worker.start()
        wait_for(lambda: server.received, timeout=20)  # the worker holds the row, mid-POST
        everything = WebhookDelivery.objects.filter(pk=delivery.pk)
        admin = threading.Thread(target=run, args=("retry", lambda: outbox.retry(everything)))
        admin.start()
        wait_for(lambda: not admin.is_alive() or waiting_on_a_lock(), timeout=20)
        release.set()
        worker.join(timeout=20)
        admin.join(timeout=20)
        assert results["worker"].status == Status.DELIVERED
        assert results["retry"] == 0
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (Status.DELIVERED, 1)
        assert attempt(delivery.pk) is None
        assert len(server.received) == 1
    finally:
        release.set()
        server.stop()


def test_a_delivery_to_an_internal_address_is_refused_before_anything_is_sent(receiver, draft):
    """A name resolving to 127.0.0.1 (here `localhost`) is refused at connect
    time: saving checks only what the URL spells out."""
    url = receiver.url.replace("127.0.0.1", "localhost")
    subscribe(url, "application.submit", allow_internal=False)
    submit(draft)
    refused = attempt(WebhookDelivery.objects.get().pk)
    assert (refused.status, refused.attempts, refused.last_response_code) == (
        Status.PENDING,
        1,
        None,
    )
    assert "拒绝推送到内网地址 127.0.0.1" in refused.last_error
    assert receiver.received == []


def test_an_internal_address_is_a_superusers_decision(admin_client, client, catalog, receiver):
    internal = [
        "http://127.0.0.1/hook",
        "http://localhost:8000/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
    ]
    for url in internal:
        response = admin_client.post(
            "/admin/webhooks/subscriber/add/",
            {"name": "x", "url": url, "events": ["application.accept"], "active": "on"},
        )
        assert response.status_code == 200, url
        assert "内网地址" in str(response.context["adminform"].form.errors["url"]), url
    assert not Subscriber.objects.exists()

    admin_client.post(
        "/admin/webhooks/subscriber/add/",
        {
            "name": "本机接收端",
            "url": receiver.url,
            "events": ["application.accept"],
            "active": "on",
            "allow_internal": "on",
        },
    )
    assert Subscriber.objects.get().allow_internal

    operator = UserFactory(is_staff=True)
    operator.user_permissions.set(
        Permission.objects.filter(codename__in=["add_subscriber", "change_subscriber"])
    )
    client.force_login(operator)
    response = client.post(
        "/admin/webhooks/subscriber/add/",
        {
            "name": "运维",
            "url": "http://169.254.169.254/latest/",
            "events": ["application.accept"],
            "active": "on",
            "allow_internal": "on",  # not theirs to decide: ignored
        },
    )
    assert response.status_code == 200
    assert "内网地址" in str(response.context["adminform"].form.errors["url"])
    assert Subscriber.objects.count() == 1
