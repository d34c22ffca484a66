"""Rate limits, counted in the shared cache (Redis) so every web process
sees the same counts: per token, per signed-in person, per anonymous
address. Rates come from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`
(`token`, `user`, `anon`), read per request so a settings change applies.

A cache outage lets requests through: rate limiting protects the service,
it must not be the thing that takes the service down."""

import logging

from rest_framework import throttling
from rest_framework.settings import api_settings

from .models import ApiToken

logger = logging.getLogger(__name__)


class _SettingsRateMixin:
    def get_rate(self):
        # DRF copies the rates into a class attribute at import time, which
        # would ignore later settings changes (and test overrides).
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # cache unreachable: fail open, say so
            logger.warning("API throttle cache unavailable; request not rate-limited")
            return True


class TokenRateThrottle(_SettingsRateMixin, throttling.SimpleRateThrottle):
    """Keyed by token id: each program gets its own budget, whoever owns it."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class SessionRateThrottle(_SettingsRateMixin, throttling.SimpleRateThrottle):
    """A person signed in through the browser, keyed by user id."""

    scope = "user"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken) or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AnonymousRateThrottle(_SettingsRateMixin, throttling.AnonRateThrottle):
    scope = "anon"
