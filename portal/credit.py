"""Asking a credit source (信用信息) for an enterprise's status at the window.

`credit_source()` returns the configured implementation (setting
PORTAL_CREDIT_SOURCE, a dotted path); the default reads the local list kept
in admin. A real credit system plugs in behind the same `status()` call."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from .models import CreditRecord, CreditStatus


@dataclass(frozen=True)
class CreditAnswer:
    status: str
    label: str
    reason: str = ""

    @property
    def blocks_commitments(self):
        """失信 enterprises may not use 容缺 / 告知承诺 options."""
        return self.status == CreditStatus.DISHONEST


class LocalCreditList:
    def status(self, credit_code):
        record = CreditRecord.objects.filter(credit_code=credit_code).first()
        status = record.status if record else CreditStatus.NORMAL
        return CreditAnswer(
            status=status,
            label=str(CreditStatus(status).label),
            reason=record.reason if record else "",
        )


def credit_source():
    return import_string(
        getattr(settings, "PORTAL_CREDIT_SOURCE", "portal.credit.LocalCreditList")
    )()
