"""Home (each role lands where its work is), registration and the inbox of
in-app notifications."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .forms import RegistrationForm
from .models import Role

LANDING = {
    Role.APPLICANT: "project_list",
    Role.CLERK: "clerk_inbox",
    Role.REVIEWER: "reviewer_inbox",
}


def home(request):
    if request.user.is_authenticated:
        landing = LANDING.get(request.user.role)
        if landing and (request.user.enterprise_id or request.user.works_in_back_office):
            return redirect(landing)
    return render(request, "portal/home.html")


def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("注册成功，欢迎使用一件事审批平台。"))
        return redirect("project_list")
    return render(request, "registration/register.html", {"form": form})


@login_required
def notifications(request):
    rows = request.user.notifications.select_related("application")[:50]
    response = render(request, "portal/notifications.html", {"notifications": rows})
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return response
