"""A Redis outage mid-transition delays side effects, never loses them."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from approvals import services
from approvals.models import Application, Notification
from approvals.tasks import redeliver_outbox
from portal.celery import app as celery_app

from .conftest import wait_for
from .factories import ApplicationFactory, complete_draft, load_catalog, staff


def point_broker_at(url):
    celery_app.conf.broker_url = url
    celery_app._pool = None  # drop pooled connections to the old URL


@pytest.fixture
def broker_outage():
    """Point the producer at a port nothing listens on (real refused
    connections); yield a function that ends the outage."""
    point_broker_at("redis://127.0.0.1:1/0")
    yield lambda: point_broker_at(settings.CELERY_BROKER_URL)
    point_broker_at(settings.CELERY_BROKER_URL)


@pytest.mark.django_db(transaction=True)
def test_submission_during_outage_is_saved_and_notified_later(
    celery_worker_process, pdf_bytes, broker_outage
):
    load_catalog()
    staff("clerk", "341000", "data")
    application = ApplicationFactory()
    complete_draft(application, pdf_bytes)

    services.submit_application(application.pk, application.created_by)

    assert Application.objects.get(pk=application.pk).state == "submitted"
    pending = Notification.objects.filter(application=application, emailed_at__isnull=True)
    assert pending.count() == 1

    end_outage = broker_outage
    end_outage()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)):
        redeliver_outbox()
    wait_for(lambda: not pending.exists())
    assert Notification.objects.get(application=application).attempts == 1
