"""Applicant self-registration: the enterprise and its first 经办人 (its
administrator) together; colleagues joining by invitation; inviting them."""

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .credit_code import normalize
from .models import Enterprise, Role, User


class RegistrationForm(UserCreationForm):
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=18,
        help_text=_("18位，见营业执照；不含字母 I、O、S、V、Z。"),
    )
    enterprise_name = forms.CharField(label=_("建设单位名称"), max_length=200)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=50)
    last_name = forms.CharField(label=_("经办人姓名"), max_length=50)
    phone = forms.RegexField(
        label=_("手机号码"),
        regex=r"^1[3-9]\d{9}$",
        error_messages={"invalid": _("请输入11位中国大陆手机号码。")},
    )
    email = forms.EmailField(label=_("电子邮箱"))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "last_name", "phone", "email")

    def clean_credit_code(self):
        code = normalize(self.cleaned_data["credit_code"])
        Enterprise._meta.get_field("credit_code").run_validators(code)
        return code

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("credit_code")
        existing = Enterprise.objects.filter(credit_code=code).first() if code else None
        # An enterprise the window registered for a walk-in visitor has no
        # users yet: its first registrant joins it and sees its applications.
        if existing is not None and existing.members.exists():
            self.add_error(
                "credit_code",
                _("该统一社会信用代码已注册，请联系本单位管理员邀请您加入。"),
            )
        self.existing_enterprise = existing
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        enterprise = self.existing_enterprise or Enterprise.objects.create(
            credit_code=self.cleaned_data["credit_code"],
            name=self.cleaned_data["enterprise_name"],
            legal_representative=self.cleaned_data["legal_representative"],
            contact=self.cleaned_data["last_name"],
            phone=self.cleaned_data["phone"],
        )
        user = super().save(commit=False)
        user.role = Role.APPLICANT
        user.enterprise = enterprise
        user.is_enterprise_admin = True
        user.save()
        return user


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("同事的电子邮箱"), help_text=_("邀请链接将发送到该邮箱，7 天内有效。")
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class JoinForm(UserCreationForm):
    """The invitee's own account: the email and enterprise come from the
    invitation, not from the form."""

    last_name = forms.CharField(label=_("经办人姓名"), max_length=50)
    phone = forms.RegexField(
        label=_("手机号码"),
        regex=r"^1[3-9]\d{9}$",
        error_messages={"invalid": _("请输入11位中国大陆手机号码。")},
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "last_name", "phone")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
