"""Forms of the applicant and back-office pages. The stage's unified form
and the situations questionnaire come from `stages.forms`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stages.models import Stage

from .models import Delivery, Project, Suspension
from .models.application import DeliveryMethod
from .models.clock import DUE_FILTER_CHOICES


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "jurisdiction",
            "address",
            "flow_type",
            "investment_source",
            "approval_type",
            "nature",
            "total_investment",
            "land_area",
            "building_area",
            "scale",
            "planned_start",
            "planned_end",
        ]
        widgets = {
            "planned_start": forms.DateInput(attrs={"type": "date"}),
            "planned_end": forms.DateInput(attrs={"type": "date"}),
            "scale": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class StartApplicationForm(forms.Form):
    stage = forms.ModelChoiceField(
        label=_("办理阶段"), queryset=Stage.objects.filter(active=True), empty_label=None
    )


class MaterialForm(forms.Form):
    kind = forms.SlugField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("选择文件"))


class DeliveryChoiceForm(forms.Form):
    """How the result should reach the applicant (the window defaults to it)."""

    delivery_method = forms.ChoiceField(
        label=_("证照领取方式"), choices=DeliveryMethod.choices, widget=forms.RadioSelect
    )
    delivery_address = forms.CharField(
        label=_("邮寄地址"),
        max_length=200,
        required=False,
        help_text=_("选择免费邮寄时必填：省、市、区县、街道门牌，收件人及电话。"),
    )

    def __init__(self, *args, application=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        if application is not None:
            kwargs.setdefault(
                "initial",
                {
                    "delivery_method": application.delivery_method or DeliveryMethod.COLLECT,
                    "delivery_address": application.delivery_address,
                },
            )
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        address = cleaned["delivery_address"] = cleaned.get("delivery_address", "").strip()
        if cleaned.get("delivery_method") == DeliveryMethod.MAIL and not address:
            self.add_error("delivery_address", _("选择免费邮寄时请填写邮寄地址。"))
        return cleaned


class SubmissionForm(DeliveryChoiceForm):
    """The last step before submitting: the delivery choice and the
    declaration (承诺书)."""

    declaration = forms.BooleanField(
        label=_("我已阅读并同意以上承诺"),
        error_messages={"required": _("请阅读并勾选申请承诺书。")},
    )


class InboxForm(forms.Form):
    """What the clerk's and the reviewer's inbox filters share: the state
    tab shown by default, the due filter, the search box, and the filters
    carried over by pagination and export links."""

    default_state = ""
    due = forms.ChoiceField(label=_("期限"), required=False, choices=DUE_FILTER_CHOICES)
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("申请编号、项目、企业或信用代码")}),
    )

    def __init__(self, data, **kwargs):
        data = data.copy()
        data.setdefault("state", self.default_state)
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, **kwargs)

    def query_string(self):
        """The current filters as a dict, for pagination links."""
        return {k: v for k, v in self.data.items() if k != "page" and v}


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("审查意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DeficiencyForm(forms.Form):
    """容缺受理: which non-key materials are missing, and the commitment."""

    missing = forms.MultipleChoiceField(
        label=_("容缺的材料（仅非关键材料可选）"), widget=forms.CheckboxSelectMultiple
    )
    committed_by = forms.CharField(label=_("承诺人"), max_length=50)
    commitment = forms.CharField(
        label=_("承诺内容"),
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=_("本单位承诺在补交期限内补齐上述材料，逾期未补齐的，同意撤销相关审批结果。"),
    )
    supply_days = forms.IntegerField(
        label=_("补交期限（工作日）"), min_value=1, max_value=60, initial=10
    )

    def __init__(self, *args, missing_non_key=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["missing"].choices = [(r["kind"], r["name"]) for r in missing_non_key]


class CorrectionForm(forms.Form):
    """一次性补正告知: one optional problem line per field and per material,
    plus anything else; every filled line becomes an item of ONE notice."""

    other = forms.CharField(
        label=_("其他需要补正的问题"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, configuration, answers, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.targets = []
        for spec in configuration.form_fields:
            self._add(f"field:{spec['key']}", _("表单：%(label)s") % {"label": spec["label"]})
        for requirement in configuration.materials(answers):
            if not requirement["generated"]:
                self._add(
                    f"material:{requirement['kind']}",
                    _("材料：%(name)s") % {"name": requirement["name"]},
                )

    def _add(self, target, label):
        name = "problem__" + target.replace(":", "__")
        self.fields[name] = forms.CharField(label=label, required=False, max_length=300)
        self.targets.append((target, name, label))

    def items(self):
        items = [
            {"target": target, "label": str(label), "problem": self.cleaned_data[name].strip()}
            for target, name, label in self.targets
            if self.cleaned_data.get(name, "").strip()
        ]
        if self.cleaned_data.get("other", "").strip():
            items.append(
                {"target": "other", "label": str(_("其他")), "problem": self.cleaned_data["other"]}
            )
        return items


class RefusalForm(forms.Form):
    reason = forms.CharField(label=_("不予受理理由"), widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = forms.CharField(
        label=_("法律依据"),
        max_length=200,
        help_text=_("如：《中华人民共和国行政许可法》第三十二条第一款第（一）项。"),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回理由"), max_length=300)


class DeliveryForm(forms.ModelForm):
    class Meta:
        model = Delivery
        fields = Delivery.RECORDED_FIELDS
        widgets = {"method": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["carrier"].required = False


class SuspensionForm(forms.Form):
    kind = forms.ChoiceField(label=_("特别程序类型"), choices=Suspension.Kind.choices)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))
    expected_working_days = forms.IntegerField(
        label=_("预计时长（工作日）"), min_value=1, max_value=250, initial=5
    )


class SupplementRequestForm(forms.Form):
    request = forms.CharField(
        label=_("需要补充的材料或说明"), widget=forms.Textarea(attrs={"rows": 2})
    )


class SupplementAnswerForm(forms.Form):
    answer = forms.CharField(label=_("补充说明"), widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("补充材料（可选）"), required=False)
