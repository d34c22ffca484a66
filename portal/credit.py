"""Asking a credit source (信用信息) for an enterprise's status at the window.

`credit_source()` returns the configured implementation (setting
PORTAL_CREDIT_SOURCE, a dotted path): `LocalCreditList`, the list kept in
admin (the default), or `HttpCreditSource`, a real credit system over HTTP.
The HTTP source keeps each enterprise's answer in the cache for
PORTAL_CREDIT_CACHE_SECONDS, so a busy window does not ask once per page.

When the credit system cannot answer, the answer is `unavailable`, never a
silent `normal`. It does not block acceptance — an outage must not stop the
window — but it is flagged to the clerk and withholds the commitment options
(容缺受理 / 告知承诺) exactly as 失信 does: otherwise an outage would let a
失信 enterprise through the one door its status closes."""

import hashlib
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from .models import CreditRecord, CreditStatus
from .outbound import NoRedirects

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
    status is logged and answered as `unavailable`.

    A usable answer is cached per credit code for `cache_seconds`
    (PORTAL_CREDIT_CACHE_SECONDS; 0 turns the cache off). `unavailable` is
    never cached: the next look-up asks again, so the window sees the real
    status as soon as the credit system is back."""

    def __init__(self, url=None, token=None, timeout=None, cache_seconds=None):
        self.url = url if url is not None else settings.PORTAL_CREDIT_URL
        self.token = token if token is not None else settings.PORTAL_CREDIT_TOKEN
        self.timeout = timeout or settings.PORTAL_CREDIT_TIMEOUT
        self.cache_seconds = (
            cache_seconds if cache_seconds is not None else settings.PORTAL_CREDIT_CACHE_SECONDS
        )

    def status(self, credit_code):
        key = self._cache_key(credit_code)
        cached = self._cache(cache.get, key) if self.cache_seconds else None
        if cached is None:
            try:
                cached = self._usable(self._ask(credit_code))
            except CreditUnavailable as error:
                logger.warning("Credit system gave no usable answer for %s: %s", credit_code, error)
                return unavailable_answer()
            if self.cache_seconds:
                self._cache(cache.set, key, cached, self.cache_seconds)
        status, reason = cached
        # The label is translated per request, so only the status is kept.
        return CreditAnswer(status=status, label=str(CreditStatus(status).label), reason=reason)

    @staticmethod
    def _cache(operation, *args):
        """The cache is a shortcut: with Redis down the window still asks
        the credit system rather than failing the page."""
        try:
            return operation(*args)
        except (RedisError, OSError) as error:
            logger.warning("Credit answers not cached: %s", error)
            return None

    def _cache_key(self, credit_code):
        """Per credit system too: a changed URL must not serve old answers."""
        source = hashlib.sha256(self.url.encode()).hexdigest()[:16]
        return f"portal:credit:{source}:{credit_code}"

    @staticmethod
    def _usable(answer):
        status = answer.get("status")
        if status not in CreditStatus.values:
            raise CreditUnavailable(f"unknown status {status!r}")
        reason = answer.get("reason")
        return status, reason[:200] if isinstance(reason, str) else ""

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
            opener = urllib.request.build_opener(NoRedirects)
            with opener.open(request, timeout=self.timeout) as response:
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
