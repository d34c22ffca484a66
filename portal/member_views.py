"""The enterprise administrator's members page (invite, resend, revoke,
remove) and the page where an invitee joins. Rules live in `membership`."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import membership
from .forms import InvitationForm, JoinForm
from .models import Invitation, User


def enterprise_admin_required(view):
    def wrapped(request, *args, **kwargs):
        if not membership.may_administer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def members_page(request, form=None, status=200):
    enterprise = request.user.enterprise
    context = {
        "enterprise": enterprise,
        "members": enterprise.members.filter(is_active=True).order_by(
            "-is_enterprise_admin", "date_joined"
        ),
        "invitations": [
            i for i in enterprise.invitations.select_related("invited_by") if i.is_pending
        ],
        "form": form or InvitationForm(),
    }
    return render(request, "portal/members.html", context, status=status)


@enterprise_admin_required
def members(request):
    return members_page(request)


@enterprise_admin_required
@require_POST
def invite(request):
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return members_page(request, form)
    try:
        invitation, sent = membership.invite(request.user, form.cleaned_data["email"])
    except membership.MembershipError as error:
        form.add_error("email", error.message)
        return members_page(request, form)
    if sent:
        messages.success(request, _("邀请已发送至 %(email)s。") % {"email": invitation.email})
    else:
        messages.error(request, _("邀请已保存，但邮件未能发出，请稍后点击“重新发送”。"))
    return redirect("enterprise_members")


@enterprise_admin_required
@require_POST
def resend(request, pk):
    try:
        sent = membership.resend(request.user, pk)
    except Invitation.DoesNotExist as error:
        raise Http404 from error
    except membership.MembershipError as error:
        messages.error(request, error.message)
    else:
        if sent:
            messages.success(request, _("邀请已重新发送。"))
        else:
            messages.error(request, _("邮件未能发出，请稍后再试。"))
    return redirect("enterprise_members")


@enterprise_admin_required
@require_POST
def revoke(request, pk):
    try:
        membership.revoke(request.user, pk)
    except Invitation.DoesNotExist as error:
        raise Http404 from error
    except membership.MembershipError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("邀请已撤销。"))
    return redirect("enterprise_members")


@enterprise_admin_required
@require_POST
def remove(request, pk):
    try:
        member = membership.remove_member(request.user, pk)
    except User.DoesNotExist as error:
        raise Http404 from error
    except membership.MembershipError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("已移除 %(name)s，其账号已停用，不能再查看本单位项目。")
            % {"name": member.display_name},
        )
    return redirect("enterprise_members")


def accept(request, token):
    """The invitee sets up their account and is signed in."""
    try:
        invitation = membership.invitation_from_token(token)
    except membership.MembershipError as error:
        return render(request, "registration/join.html", {"problem": error.message}, status=410)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = membership.accept(token, form)
        except membership.MembershipError as error:
            return render(request, "registration/join.html", {"problem": error.message}, status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("您已加入 %(enterprise)s。") % {"enterprise": invitation.enterprise.name},
        )
        return redirect("project_list")
    return render(request, "registration/join.html", {"form": form, "invitation": invitation})
