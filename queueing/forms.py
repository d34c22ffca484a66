"""The kiosk's and the desk's small forms."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .models import ServiceType, Window


class TakeTicketForm(forms.Form):
    service_type = forms.ModelChoiceField(
        queryset=ServiceType.objects.none(),
        to_field_name="code",
        label=_("办理业务"),
        error_messages={"invalid_choice": _("请选择要办理的业务。")},
    )
    phone = forms.CharField(
        label=_("手机号码（选填）"),
        required=False,
        max_length=11,
        validators=[RegexValidator(r"^1\d{10}$", _("请输入11位手机号码，或留空。"))],
        help_text=_("留下号码，快到您时可收到短信提醒。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )

    def __init__(self, *args, jurisdiction, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = ServiceType.objects.for_kiosk(jurisdiction)


class WindowChoiceForm(forms.Form):
    window = forms.ModelChoiceField(
        queryset=Window.objects.none(), label=_("我的窗口"), empty_label=_("请选择窗口")
    )

    def __init__(self, *args, jurisdiction_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = Window.objects.filter(
            jurisdiction_id=jurisdiction_id, active=True
        )
