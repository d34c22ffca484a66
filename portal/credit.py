"""Asking a credit source (信用信息) for an enterprise's status at the window.

`credit_source()` returns the configured implementation (setting
PORTAL_CREDIT_SOURCE, a dotted path): `LocalCreditList`, the list kept in
admin (the default), or `HttpCreditSource`, a real credit system over HTTP.

When the credit system cannot answer, the answer is `unavailable`, never a
silent `normal`. It does not block acceptance — an outage must not stop the
window — but it is flagged to the clerk and withholds the commitment options
(容缺受理 / 告知承诺) exactly as 失信 does: otherwise an outage would let a
失信 enterprise through the one door its status closes."""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import CreditRecord, CreditStatus

logger = logging.getLogger(__name__)
# Not a CreditStatus: nobody records it, a source answers it.
UNAVAILABLE = "unavailable"
MAX_ANSWER_BYTES = 64 * 1024


@dataclass(frozen=True)
class CreditAnswer:
    status: str
    label: str
    reason: str = ""

    @property
    def unavailable(self):
        return self.status == UNAVAILABLE

    @property
    def blocks_commitments(self):
        """失信 enterprises may not use 容缺 / 告知承诺 options, nor may an
        enterprise whose status is unknown (see the module docstring)."""
        return self.status in (CreditStatus.DISHONEST, UNAVAILABLE)


def unavailable_answer():
    return CreditAnswer(
        status=UNAVAILABLE,
        label=_("暂无法查询"),
        reason=_("信用信息系统暂不可用，请人工核查或稍后刷新"),
    )


class LocalCreditList:
    def status(self, credit_code):
        record = CreditRecord.objects.filter(credit_code=credit_code).first()
        status = record.status if record else CreditStatus.NORMAL
        return CreditAnswer(
            status=status,
            label=str(CreditStatus(status).label),
            reason=record.reason if record else "",
        )


class CreditUnavailable(Exception):
    pass


class HttpCreditSource:
    """GET `PORTAL_CREDIT_URL?credit_code=<code>` with `PORTAL_CREDIT_TOKEN`
    as a bearer token; the answer is JSON `{"status": "normal" | "watch" |
    "dishonest", "reason": "…"}`. A timeout (PORTAL_CREDIT_TIMEOUT seconds),
    a refused connection, a non-2xx answer, malformed JSON or an unknown
    status is logged and answered as `unavailable`."""

    def __init__(self, url=None, token=None, timeout=None):
        self.url = url if url is not None else settings.PORTAL_CREDIT_URL
        self.token = token if token is not None else settings.PORTAL_CREDIT_TOKEN
        self.timeout = timeout or settings.PORTAL_CREDIT_TIMEOUT

    def status(self, credit_code):
        try:
            answer = self._ask(credit_code)
            status = answer.get("status")
            if status not in CreditStatus.values:
                raise CreditUnavailable(f"unknown status {status!r}")
        except CreditUnavailable as error:
            logger.warning("Credit system gave no usable answer for %s: %s", credit_code, error)
            return unavailable_answer()
        reason = answer.get("reason")
        return CreditAnswer(
            status=status,
            label=str(CreditStatus(status).label),
            reason=reason[:200] if isinstance(reason, str) else "",
        )

    def _ask(self, credit_code):
        if not self.url:
            raise CreditUnavailable("PORTAL_CREDIT_URL is not set")
        separator = "&" if urllib.parse.urlsplit(self.url).query else "?"
        query = urllib.parse.urlencode({"credit_code": credit_code})
        request = urllib.request.Request(
            f"{self.url}{separator}{query}",
            headers={"Accept": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise CreditUnavailable(f"answered {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise CreditUnavailable(f"unreachable: {error}") from error
        if len(raw) > MAX_ANSWER_BYTES:
            raise CreditUnavailable("answer too large")
        try:
            answer = json.loads(raw)
        except ValueError as error:
            raise CreditUnavailable(f"malformed JSON: {error}") from error
        if not isinstance(answer, dict):
            raise CreditUnavailable("answer is not a JSON object")
        return answer


def credit_source():
    return import_string(
        getattr(settings, "PORTAL_CREDIT_SOURCE", "portal.credit.LocalCreditList")
    )()
