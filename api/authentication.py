"""`Authorization: Bearer <prefix>.<secret>`: find the token by its prefix,
compare the secret's digest in constant time, refuse revoked and expired
tokens and inactive owners. Requests without a Bearer header fall through
to session authentication."""

import hmac

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import LAST_USED_RESOLUTION, PREFIX_LENGTH, ApiToken, hash_secret

# Compared against when no token has the prefix, so a miss costs the same
# work as a wrong secret.
_NO_TOKEN_HASH = hash_secret("no such token")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式应为 Bearer <前缀>.<密钥>。"))
        try:
            prefix, secret = header[1].decode().split(".", 1)
        except (UnicodeDecodeError, ValueError) as error:
            raise exceptions.AuthenticationFailed(
                _("令牌格式应为 Bearer <前缀>.<密钥>。")
            ) from error
        return self.authenticate_token(prefix, secret)

    def authenticate_token(self, prefix, secret):
        token = None
        if len(prefix) == PREFIX_LENGTH:
            token = (
                ApiToken.objects.select_related("owner__staff_membership__jurisdiction")
                .filter(prefix=prefix)
                .first()
            )
        expected = token.secret_hash if token is not None else _NO_TOKEN_HASH
        if not hmac.compare_digest(expected, hash_secret(secret)) or token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效。"))
        if token.is_revoked:
            raise exceptions.AuthenticationFailed(_("令牌已撤销。"))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("令牌已过期。"))
        if not token.owner.is_active:
            raise exceptions.AuthenticationFailed(_("令牌所属用户已停用。"))
        self.record_use(token)
        return token.owner, token

    @staticmethod
    def record_use(token):
        """At most one write a minute per token; the conditional UPDATE keeps
        concurrent requests from all writing."""
        now = timezone.now()
        if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
            return
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        token.last_used_at = now

    def authenticate_header(self, request):
        # Makes unauthenticated requests answer 401 with a challenge, not 403.
        return f'{self.keyword} realm="api"'
