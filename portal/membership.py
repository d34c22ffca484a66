"""Who belongs to an enterprise: its administrator (the first to register)
invites colleagues by email and removes them.

The invitation link carries the invitation's id signed with a timestamp, so
it expires after PORTAL_INVITATION_MAX_AGE without a stored secret; the row
makes it single-use and revocable. A removed member is detached from the
enterprise and deactivated: they see none of its projects and can no longer
sign in, while the history keeps their name on what they did.
"""

import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Invitation, Role, User

logger = logging.getLogger(__name__)
SALT = "portal.invitation"


class MembershipError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def may_administer(user):
    return user.is_active and user.is_enterprise_admin and user.enterprise_id is not None


def _check_admin(user):
    if not may_administer(user):
        raise PermissionDenied


def invite(admin, email):
    """Record the invitation and mail the link; returns (invitation, sent)."""
    _check_admin(admin)
    email = User.objects.normalize_email(email).strip()
    if User.objects.filter(email__iexact=email, is_active=True).exists():
        raise MembershipError(_("该邮箱已有账号，不能再次邀请。"))
    with transaction.atomic():
        admin.enterprise.invitations.filter(
            email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        invitation = Invitation.objects.create(
            enterprise_id=admin.enterprise_id, email=email, invited_by=admin
        )
    return invitation, send_invitation(invitation)


def resend(admin, invitation_id):
    """A new link (the expiry restarts) to a pending invitation."""
    _check_admin(admin)
    invitation = _pending(admin, invitation_id)
    return send_invitation(invitation)


def revoke(admin, invitation_id):
    """Locked like `accept`, so an invitation accepted meanwhile is not
    also marked revoked."""
    _check_admin(admin)
    with transaction.atomic():
        invitation = _pending(admin, invitation_id, lock=True)
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def _pending(admin, invitation_id, lock=False):
    """Another enterprise's invitation does not exist for this admin."""
    invitations = admin.enterprise.invitations
    invitation = (invitations.select_for_update() if lock else invitations).get(pk=invitation_id)
    if not invitation.is_pending:
        raise MembershipError(_("该邀请已被接受或撤销。"))
    return invitation


def token_for(invitation):
    return signing.TimestampSigner(salt=SALT).sign(str(invitation.pk))


def send_invitation(invitation):
    """Mail the link, after the row is committed. False when the mail server
    refused: the administrator sees it and can send again."""
    link = settings.PORTAL_PUBLIC_BASE_URL.rstrip("/") + reverse(
        "invitation_accept", args=[token_for(invitation)]
    )
    context = {
        "invitation": invitation,
        "link": link,
        "days": settings.PORTAL_INVITATION_MAX_AGE // 86400,
    }
    try:
        send_mail(
            _("%(enterprise)s 邀请您加入一件事审批平台")
            % {"enterprise": invitation.enterprise.name},
            render_to_string("portal/email/invitation.txt", context),
            None,
            [invitation.email],
        )
    except OSError:
        logger.exception("Invitation %s could not be mailed", invitation.pk)
        return False
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
    return True


def invitation_from_token(token):
    """The pending invitation a link names, or MembershipError saying why not."""
    try:
        pk = signing.TimestampSigner(salt=SALT).unsign(
            token, max_age=settings.PORTAL_INVITATION_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise MembershipError(_("邀请链接已过期，请联系本单位管理员重新邀请。")) from error
    except signing.BadSignature as error:
        raise MembershipError(_("邀请链接无效，请检查链接是否完整。")) from error
    invitation = Invitation.objects.select_related("enterprise").filter(pk=pk).first()
    if invitation is None or not invitation.is_pending:
        raise MembershipError(_("该邀请已被使用或已撤销。"))
    return invitation


def accept(token, form):
    """Create the invitee's account from a valid `form` (a JoinForm) as a
    经办人 of the inviting enterprise; once only, even on a double click."""
    with transaction.atomic():
        invitation = invitation_from_token(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_pending:
            raise MembershipError(_("该邀请已被使用或已撤销。"))
        user = form.save(commit=False)
        user.email = invitation.email
        user.role = Role.APPLICANT
        user.enterprise_id = invitation.enterprise_id
        user.is_enterprise_admin = False
        user.save()
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        return user


def remove_member(admin, member_id):
    """Detach and deactivate a colleague; the administrator cannot remove
    themself (the enterprise would have nobody to manage it)."""
    _check_admin(admin)
    with transaction.atomic():
        member = (
            User.objects.select_for_update()
            .filter(pk=member_id, enterprise_id=admin.enterprise_id)
            .first()
        )
        if member is None:
            raise User.DoesNotExist
        if member.pk == admin.pk:
            raise MembershipError(_("不能移除自己。"))
        member.enterprise = None
        member.is_enterprise_admin = False
        member.is_active = False
        member.save(update_fields=["enterprise", "is_enterprise_admin", "is_active"])
        return member
