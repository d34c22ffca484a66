"""Home (each role lands where its work is), registration, the inbox of
in-app notifications and the page where people choose their channels."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import RegistrationForm
from .models import Role

LANDING = {
    Role.APPLICANT: "project_list",
    Role.AGENT: "project_list",
    Role.CLERK: "clerk_inbox",
    Role.REVIEWER: "reviewer_inbox",
}


def home(request):
    if request.user.is_authenticated:
        landing = LANDING.get(request.user.role)
        if landing:
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
    """The in-app inbox: the latest 50, marked read once shown."""
    rows = list(request.user.notifications.all()[:50])
    response = render(request, "portal/notifications.html", {"notifications": rows})
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return response


class NotificationPreferencesForm(forms.Form):
    """One row for all events, then one per event this person can receive;
    an event row equal to the all-events row is not stored, so changing the
    all-events row changes every event that was not set on its own."""

    phone = forms.RegexField(
        label=gettext_lazy("手机号码"),
        regex=r"^1[3-9]\d{9}$",
        required=False,
        error_messages={"invalid": gettext_lazy("请输入11位中国大陆手机号码。")},
    )
    CHANNELS = (("email", gettext_lazy("邮件")), ("sms", gettext_lazy("短信")))

    def __init__(self, *args, user, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["phone"].initial = user.phone
        everything = {"code": "", "label": _("所有事件"), "email": True, "sms": False}
        stored = {row.event: row for row in user.notification_preferences.all()}
        self.rows = []
        for event in [everything, *events]:
            row = stored.get(event["code"]) or stored.get("")
            cells = []
            for channel, channel_label in self.CHANNELS:
                name = f"{channel}__{event['code'] or 'all'}"
                self.fields[name] = forms.BooleanField(
                    required=False,
                    initial=getattr(row, channel) if row else event[channel],
                    label=f"{event['label']}：{channel_label}",
                )
                cells.append(self[name])
            self.rows.append((event, cells))

    def clean(self):
        cleaned = super().clean()
        wants_sms = any(value for name, value in cleaned.items() if name.startswith("sms__"))
        if wants_sms and not cleaned.get("phone"):
            self.add_error("phone", _("开启短信通知需要填写手机号码。"))
        return cleaned

    def save(self):
        data = self.cleaned_data
        everything = {"email": data["email__all"], "sms": data["sms__all"]}
        preferences = self.user.notification_preferences
        with transaction.atomic():
            preferences.update_or_create(event="", defaults=everything)
            for event, _cells in self.rows[1:]:
                code = event["code"]
                chosen = {"email": data[f"email__{code}"], "sms": data[f"sms__{code}"]}
                if chosen == everything:
                    preferences.filter(event=code).delete()
                else:
                    preferences.update_or_create(event=code, defaults=chosen)
            if data["phone"] != self.user.phone:
                self.user.phone = data["phone"]
                self.user.save(update_fields=["phone"])


@login_required
def notification_preferences(request):
    """Which events reach this person by email and SMS (the inbox always)."""
    staff = request.user.works_in_back_office
    events = [
        event
        for event in import_string(settings.PORTAL_NOTIFICATION_EVENTS)()
        if event["staff"] == staff
    ]
    form = NotificationPreferencesForm(request.POST or None, user=request.user, events=events)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("通知设置已保存。"))
        return redirect("notification_preferences")
    return render(request, "portal/notification_preferences.html", {"form": form})
