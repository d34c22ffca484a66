"""Text messages behind one small interface, chosen by the setting
`PORTAL_SMS_BACKEND` (a dotted path), the way Django chooses its email
backend. The default only logs; `HttpSmsGatewayBackend` talks to a real
gateway. Nothing here knows about notifications: callers pass a phone
number, the text and a reference.

The reference is the caller's idempotency key. A sender can be killed after
the gateway accepted a message but before the caller recorded it as sent;
the retry then sends the same reference again, and only a gateway that drops
repeated references turns that into exactly one SMS."""

import json
import logging
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway did not accept the message; the caller may retry."""


class SmsBackend(Protocol):
    def send(self, phone: str, text: str, reference: str = "") -> None:
        """Hand one message to the carrier or raise SmsError."""


class LoggingSmsBackend:
    """Development and test default: the message goes to the log only."""

    def send(self, phone, text, reference=""):
        logger.info("SMS to %s [%s]: %s", phone, reference, text)


class HttpSmsGatewayBackend:
    """POSTs `{"phone", "text", "reference"}` as JSON to `PORTAL_SMS_GATEWAY_URL`
    with the API key as a bearer token and the reference as `Idempotency-Key`.
    Any answer other than 2xx, a timeout or a refused connection raises
    SmsError."""

    def __init__(self, url=None, api_key=None, timeout=None):
        self.url = url or settings.PORTAL_SMS_GATEWAY_URL
        self.api_key = api_key if api_key is not None else settings.PORTAL_SMS_API_KEY
        self.timeout = timeout or settings.PORTAL_SMS_TIMEOUT
        if not self.url:
            raise SmsError("PORTAL_SMS_GATEWAY_URL is not set")

    def send(self, phone, text, reference=""):
        payload = json.dumps({"phone": phone, "text": text, "reference": reference})
        request = urllib.request.Request(
            self.url,
            data=payload.encode(),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.api_key}",
                "Idempotency-Key": reference,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status = response.status
        except urllib.error.HTTPError as error:  # non-2xx
            raise SmsError(f"SMS gateway answered {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsError(f"SMS gateway unreachable: {error}") from error
        if not 200 <= status < 300:
            raise SmsError(f"SMS gateway answered {status}")


def get_backend() -> SmsBackend:
    """A new backend per call: settings may change (tests, reloads) and a
    backend holds no connection worth keeping."""
    return import_string(settings.PORTAL_SMS_BACKEND)()


def send_sms(phone, text, reference=""):
    get_backend().send(phone, text, reference)
