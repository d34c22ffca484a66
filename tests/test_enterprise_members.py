"""An enterprise's administrator (its first registrant) invites colleagues
by a signed, expiring email link and removes them; nobody else may."""

import re
import threading

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from approvals.models import Project
from portal import membership
from portal.models import Invitation, User

from .conftest import wait_for
from .factories import ApplicantFactory, ProjectFactory, valid_credit_code

pytestmark = pytest.mark.django_db
PASSWORD = "Tunxi-2026-old-street"


@pytest.fixture
def admin(catalog):
    return ApplicantFactory(is_enterprise_admin=True)


def invite_link(client, admin, email="colleague@example.cn"):
    client.force_login(admin)
    response = client.post("/enterprise/members/invite/", {"email": email}, follow=True)
    assert f"邀请已发送至 {email}" in response.content.decode()
    message = mail.outbox[-1]
    assert message.to == [email]
    return re.search(r"https?://\S+/invitations/\S+/", message.body).group(0).split("/", 3)[3]


def join(client, path, username="wangjb"):
    client.logout()
    return client.post(
        "/" + path,
        {
            "username": username,
            "last_name": "王经办",
            "phone": "13905590002",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )


def test_first_registrant_administers_the_enterprise(catalog, client):
    data = {
        "credit_code": valid_credit_code(77),
        "enterprise_name": "黄山文旅建设有限公司",
        "legal_representative": "程一",
        "username": "chengjb",
        "last_name": "程经办",
        "phone": "13905590001",
        "email": "cheng@example.cn",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    client.post("/accounts/register/", data)
    user = User.objects.get(username="chengjb")
    assert user.is_enterprise_admin
    page = client.get("/enterprise/members/").content.decode()
    assert "程经办" in page and "管理员" in page


def test_invitee_joins_as_a_member_and_sees_the_projects(admin, client):
    project = ProjectFactory(enterprise=admin.enterprise, created_by=admin)
    path = invite_link(client, admin)
    page = client.get("/" + path).content.decode()
    assert admin.enterprise.name in page and "colleague@example.cn" in page
    response = join(client, path)
    assert f"您已加入 {admin.enterprise.name}" in response.content.decode()
    member = User.objects.get(username="wangjb")
    assert member.enterprise == admin.enterprise
    assert member.email == "colleague@example.cn"
    assert member.role == "applicant" and not member.is_enterprise_admin
    assert project.name in client.get("/projects/").content.decode()
    assert Invitation.objects.get().accepted_by == member
    # The link works once.
    assert join(client, path, username="again").status_code == 410
    assert not User.objects.filter(username="again").exists()


def test_join_form_errors_are_summarised_and_keep_what_was_typed(admin, client):
    path = invite_link(client, admin)
    client.logout()
    page = client.post(
        "/" + path,
        {"username": "wangjb", "last_name": "王经办", "phone": "123", "password1": "a"},
    ).content.decode()
    assert 'class="error-summary"' in page
    assert '<a href="#id_phone">手机号码：请输入11位中国大陆手机号码。' in page
    assert 'value="王经办"' in page
    assert not User.objects.filter(username="wangjb").exists()


def test_an_expired_link_is_refused(admin, client, settings):
    path = invite_link(client, admin)
    later = timezone.now() + timezone.timedelta(seconds=settings.PORTAL_INVITATION_MAX_AGE + 60)
    with time_machine.travel(later):
        response = join(client, path)
    assert response.status_code == 410
    assert "邀请链接已过期" in response.content.decode()
    assert not User.objects.filter(username="wangjb").exists()


def test_a_tampered_or_revoked_link_is_refused(admin, client):
    path = invite_link(client, admin)
    other = str(Invitation.objects.get().pk + 1)
    forged = re.sub(r"invitations/\d+:", f"invitations/{other}:", path)
    assert "邀请链接无效" in client.get("/" + forged).content.decode()
    client.force_login(admin)
    client.post(f"/enterprise/invitations/{Invitation.objects.get().pk}/revoke/")
    assert "已被使用或已撤销" in client.get("/" + path).content.decode()


def test_removed_member_is_detached_deactivated_and_sees_nothing(admin, client):
    project = ProjectFactory(enterprise=admin.enterprise, created_by=admin)
    member = ApplicantFactory(enterprise=admin.enterprise)
    client.force_login(admin)
    response = client.post(f"/enterprise/members/{member.pk}/remove/", follow=True)
    assert "已移除" in response.content.decode()
    member.refresh_from_db()
    assert member.enterprise is None and not member.is_active
    assert not Project.objects.visible_to(member).exists()
    client.force_login(member)  # a session opened before the removal
    assert client.get(f"/projects/{project.pk}/").status_code in (302, 403, 404)
    assert not client.login(username=member.username, password="pw-123456")


def test_admin_cannot_remove_themself(admin, client):
    client.force_login(admin)
    response = client.post(f"/enterprise/members/{admin.pk}/remove/", follow=True)
    assert "不能移除自己" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active and admin.enterprise_id


def test_a_plain_member_may_not_manage_members(admin, client):
    member = ApplicantFactory(enterprise=admin.enterprise)
    colleague = ApplicantFactory(enterprise=admin.enterprise)
    client.force_login(member)
    assert client.get("/enterprise/members/").status_code == 403
    assert client.post("/enterprise/members/invite/", {"email": "x@example.cn"}).status_code == 403
    assert client.post(f"/enterprise/members/{colleague.pk}/remove/").status_code == 403
    colleague.refresh_from_db()
    assert colleague.is_active and colleague.enterprise_id == admin.enterprise_id
    assert not Invitation.objects.exists() and not mail.outbox
    with pytest.raises(PermissionDenied):
        membership.remove_member(member, colleague.pk)


def test_another_enterprises_admin_cannot_touch_our_members(admin, client):
    member = ApplicantFactory(enterprise=admin.enterprise)
    stranger = ApplicantFactory(is_enterprise_admin=True)
    invite_link(client, admin)
    invitation = Invitation.objects.get()
    client.force_login(stranger)
    assert client.post(f"/enterprise/members/{member.pk}/remove/").status_code == 404
    client.post(f"/enterprise/invitations/{invitation.pk}/revoke/")
    member.refresh_from_db()
    invitation.refresh_from_db()
    assert member.is_active and member.enterprise_id == admin.enterprise_id
    assert invitation.is_pending
    page = client.get("/enterprise/members/").content.decode()
    assert member.display_name not in page and "colleague@example.cn" not in page


def test_an_existing_account_cannot_be_invited(admin, client):
    other = ApplicantFactory()
    client.force_login(admin)
    page = client.post("/enterprise/members/invite/", {"email": other.email}).content.decode()
    assert '<a href="#id_email">同事的电子邮箱：该邮箱已有账号，不能再次邀请。' in page
    assert not Invitation.objects.exists()


def test_mail_failure_keeps_the_invitation_for_resending(admin, client, settings):
    settings.EMAIL_BACKEND = "tests.test_enterprise_members.RefusingBackend"
    client.force_login(admin)
    response = client.post("/enterprise/members/invite/", {"email": "c@example.cn"}, follow=True)
    assert "邮件未能发出" in response.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.sent_at is None and invitation.is_pending
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(f"/enterprise/invitations/{invitation.pk}/resend/")
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and len(mail.outbox) == 1


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def waiting_on_a_lock():
    """Asked inside a transaction too: the statistics snapshot is cleared,
    or the first answer would be repeated until commit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_an_invitation_accepted_while_being_revoked_is_accepted_only(admin):
    invitation, __ = membership.invite(admin, "colleague@example.cn")
    outcome = {}

    def revoke():
        try:
            membership.revoke(admin, invitation.pk)
            outcome["revoke"] = "revoked"
        except membership.MembershipError as error:
            outcome["revoke"] = error.message
        finally:
            connection.close()

    with transaction.atomic():
        # The invitee's accept, under way: the row locked and accepted, not yet committed.
        accepting = Invitation.objects.select_for_update().get(pk=invitation.pk)
        accepting.accepted_at = timezone.now()
        accepting.save(update_fields=["accepted_at"])
        thread = threading.Thread(target=revoke)
        thread.start()
        wait_for(lambda: not thread.is_alive() or waiting_on_a_lock(), timeout=20)
    thread.join(timeout=20)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.revoked_at is None
    assert outcome["revoke"] == "该邀请已被接受或撤销。"
