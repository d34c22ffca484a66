"""Notifications as people meet them: a template per event, channels chosen
per person, one delivery row per channel, the inbox, the preferences page,
and the administrator's view with its retry action."""

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from approvals.models import Notification
from approvals.models.notification import NotificationDelivery
from approvals.services.notifications import notify, retry_deliveries
from approvals.tasks import deliver_notification
from approvals.tasks.outbox import stuck_notifications
from portal.models import NotificationPreference, Role
from portal.sms import HttpSmsGatewayBackend, SmsError

from .factories import ApplicantFactory, ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = NotificationDelivery.Status


def statuses(notification):
    return dict(notification.deliveries.values_list("channel", "status"))


@pytest.fixture
def application(catalog):
    return ApplicationFactory(number="SG-2026-000001")


@pytest.fixture
def person(catalog):
    return ApplicantFactory(phone="13905590001")


def test_the_event_template_fills_title_and_body_and_a_callers_title_wins(application, person):
    [templated] = notify([person], event="application_accepted", application=application)
    assert templated.title.startswith("您的申请 SG-2026-000001 已受理")
    assert f"/applications/{application.pk}/" in templated.body
    [own] = notify([person], event="application_accepted", title="自定义标题", body="")
    assert (own.title, own.body) == ("自定义标题", "")
    with pytest.raises(ValueError, match="no title"):
        notify([person], event="no_such_event")


def test_recipients_are_notified_once_each_with_a_row_per_channel(application, person):
    rows = notify([person, person], event="application_refused", application=application)
    assert len(rows) == 1
    # application_refused sends SMS by default; the person has a phone.
    assert statuses(rows[0]) == {"email": Status.PENDING, "sms": Status.PENDING}


def test_preferences_choose_channels_event_row_over_all_row_over_default(application, person):
    NotificationPreference.objects.create(user=person, event="", email=False, sms=False)
    NotificationPreference.objects.create(user=person, event="delivered", email=True, sms=True)
    [quiet] = notify([person], event="application_accepted", application=application)
    [loud] = notify([person], event="delivered", application=application)
    assert statuses(quiet) == {"email": Status.SKIPPED, "sms": Status.SKIPPED}
    assert quiet.deliveries.get(channel="sms").last_error == "用户未开通此渠道"
    assert statuses(loud) == {"email": Status.PENDING, "sms": Status.PENDING}


def test_no_address_or_an_inactive_account_is_skipped_with_the_reason(application):
    no_phone = ApplicantFactory(phone="")
    gone = ApplicantFactory(phone="13905590002", is_active=False)
    rows = notify([no_phone, gone], event="application_refused", application=application)
    by_user = {row.recipient_id: row for row in rows}
    assert statuses(by_user[no_phone.pk]) == {"email": Status.PENDING, "sms": Status.SKIPPED}
    assert by_user[no_phone.pk].deliveries.get(channel="sms").last_error == "未填写联系方式"
    assert statuses(by_user[gone.pk]) == {"email": Status.SKIPPED, "sms": Status.SKIPPED}


def test_delivery_sends_email_and_sms_and_marks_each_channel(application, person, caplog):
    [row] = notify([person], event="certificate_issued", application=application)
    with caplog.at_level("INFO", logger="portal.sms"):
        deliver_notification(row.pk)
    row.refresh_from_db()
    assert statuses(row) == {"email": Status.SENT, "sms": Status.SENT}
    assert row.delivered_at is not None and row.emailed_at is not None
    assert row.attempts == 2  # one per channel
    [email] = mail.outbox
    assert email.to == [person.email] and email.subject == row.title
    assert email.extra_headers["Message-ID"] == f"<notification-{row.pk}-email@127.0.0.1>"
    assert f"notification-{row.pk}-sms" in caplog.text
    sms = row.deliveries.get(channel="sms")
    assert sms.address == person.phone and sms.sent_at is not None


def test_rows_bulk_created_without_channels_are_planned_by_the_task(application, person):
    """The deadline sweep writes Notification rows itself (bulk_create)."""
    [row] = Notification.objects.bulk_create(
        [Notification(recipient=person, application=application, event="warning_red", title="红")]
    )
    assert not row.deliveries.exists()
    deliver_notification(row.pk)
    assert statuses(row) == {"email": Status.SENT, "sms": Status.SENT}
    assert len(mail.outbox) == 1


def test_a_failing_channel_does_not_hold_back_the_other_and_gives_up_after_its_retries(
    application, person, settings
):
    settings.PORTAL_SMS_BACKEND = "portal.sms.HttpSmsGatewayBackend"
    settings.PORTAL_SMS_GATEWAY_URL = "http://127.0.0.1:1/sms"  # nothing listens
    [row] = notify([person], event="certificate_issued", application=application)
    with pytest.raises(SmsError):
        deliver_notification(row.pk)
    assert statuses(row) == {"email": Status.SENT, "sms": Status.PENDING}
    sms = row.deliveries.get(channel="sms")
    assert sms.attempts == 1 and "unreachable" in sms.last_error
    row.refresh_from_db()
    assert row.delivered_at is None
    NotificationDelivery.objects.filter(pk=sms.pk).update(attempts=8)
    deliver_notification(row.pk)  # the last retry: failed, not raised again
    assert statuses(row) == {"email": Status.SENT, "sms": Status.FAILED}
    row.refresh_from_db()
    assert row.delivered_at is not None  # nothing pending: the sweep leaves it
    assert len(mail.outbox) == 1


def test_retry_puts_failed_channels_back_and_requeues_after_commit(
    application, person, django_capture_on_commit_callbacks, monkeypatch
):
    [row] = notify([person], event="certificate_issued", application=application)
    row.deliveries.filter(channel="email").update(status=Status.SENT)
    row.deliveries.filter(channel="sms").update(status=Status.FAILED, attempts=9)
    Notification.objects.filter(pk=row.pk).update(delivered_at=timezone.now())
    queued = []
    monkeypatch.setattr(deliver_notification, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_deliveries(NotificationDelivery.objects.filter(notification=row)) == 1
    assert queued == [row.pk]
    assert statuses(row) == {"email": Status.SENT, "sms": Status.PENDING}
    deliver_notification(row.pk)
    assert statuses(row) == {"email": Status.SENT, "sms": Status.SENT}
    assert mail.outbox == []  # the sent email was not sent again


def test_outbox_sweep_picks_stale_undelivered_but_not_those_retrying(application, person):
    old, retrying, delivered, fresh = notify(
        [person, ApplicantFactory(), ApplicantFactory(), ApplicantFactory()],
        event="application_accepted",
        application=application,
    )
    now = timezone.now()
    Notification.objects.exclude(pk=fresh.pk).update(created_at=now - datetime.timedelta(hours=1))
    Notification.objects.filter(pk=delivered.pk).update(delivered_at=now)
    retrying.deliveries.filter(channel="email").update(last_attempt_at=now)
    assert list(stuck_notifications(now)) == [old.pk]
    later = now + datetime.timedelta(minutes=20)
    assert set(stuck_notifications(later)) == {old.pk, retrying.pk, fresh.pk}


def test_inbox_shows_unread_count_and_marks_read(client, application, person):
    notify([person], event="application_accepted", application=application)
    client.force_login(person)
    home = client.get("/notifications/preferences/")
    assert 'class="badge"' in home.content.decode()
    page = client.get("/notifications/")
    assert "SG-2026-000001" in page.content.decode()
    assert not person.notifications.filter(read_at__isnull=True).exists()


def test_preferences_page_stores_only_what_differs_from_all_events(client, person):
    client.force_login(person)
    page = client.get("/notifications/preferences/")
    text = page.content.decode()
    assert "需要补正" in text and "新审查任务" not in text  # applicants' events only
    form = {"phone": "13905590009", "email__all": "on"}
    form |= {f"email__{code}": "on" for code in ["application_accepted", "delivered"]}
    form["sms__delivered"] = "on"
    response = client.post("/notifications/preferences/", form)
    assert response.status_code == 302
    stored = {p.event: (p.email, p.sms) for p in person.notification_preferences.all()}
    assert stored[""] == (True, False)
    assert stored["delivered"] == (True, True)
    assert "application_accepted" not in stored  # same as all events
    assert stored["correction_requested"] == (False, False)
    person.refresh_from_db()
    assert person.phone == "13905590009"


def test_sms_needs_a_phone_number(client, catalog):
    person = ApplicantFactory(phone="")
    client.force_login(person)
    response = client.post("/notifications/preferences/", {"sms__all": "on"})
    assert response.status_code == 200
    assert "开启短信通知需要填写手机号码" in response.content.decode()
    assert not person.notification_preferences.exists()


def test_staff_see_their_own_events(client, catalog):
    clerk = UserFactory(role=Role.CLERK)
    client.force_login(clerk)
    text = client.get("/notifications/preferences/").content.decode()
    assert "红牌预警" in text and "需要补正" not in text


def test_admin_shows_channel_status_and_retries(admin_client, application, person, monkeypatch):
    [row] = notify([person], event="certificate_issued", application=application)
    row.deliveries.filter(channel="sms").update(status=Status.FAILED, last_error="网关 500")
    queued = []
    monkeypatch.setattr(deliver_notification, "delay", queued.append)
    listing = admin_client.get("/admin/approvals/notification/").content.decode()
    assert "短信：发送失败" in listing
    detail = admin_client.get(f"/admin/approvals/notification/{row.pk}/change/")
    assert "网关 500" in detail.content.decode()
    deliveries = admin_client.get("/admin/approvals/notificationdelivery/?status=failed")
    assert deliveries.status_code == 200
    response = admin_client.post(
        "/admin/approvals/notificationdelivery/",
        {"action": "retry", "_selected_action": [row.deliveries.get(channel="sms").pk]},
    )
    assert response.status_code == 302
    assert statuses(row)["sms"] == Status.PENDING


class Gateway(BaseHTTPRequestHandler):
    answers = []
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), json.loads(body)))
        self.send_response(type(self).answers.pop(0) if type(self).answers else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    Gateway.answers, Gateway.received = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, Gateway
    server.shutdown()
    server.server_close()


def test_http_gateway_posts_json_with_key_and_reference_and_raises_on_non_2xx(gateway):
    server, handler = gateway
    url = f"http://127.0.0.1:{server.server_port}/sms"
    backend = HttpSmsGatewayBackend(url=url, api_key="k-123", timeout=2)
    backend.send("13905590001", "您的申请已受理", reference="notification-1-sms")
    headers, payload = handler.received[0]
    assert payload == {
        "phone": "13905590001",
        "text": "您的申请已受理",
        "reference": "notification-1-sms",
    }
    assert headers["Authorization"] == "Bearer k-123"
    assert headers["Idempotency-Key"] == "notification-1-sms"
    handler.answers = [503]
    with pytest.raises(SmsError, match="503"):
        backend.send("13905590001", "x")
