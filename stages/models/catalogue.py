"""The 一件事 catalogue: stages, the matters reviewed in parallel inside each,
the certificate types they issue and the project types they apply to."""

import datetime
import re
import string

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisation import Department


class ProjectType(models.Model):
    """审批流程类型 (政府投资房建类, 一般社会投资, 小型社会投资, …)."""

    code = models.SlugField(_("编码"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("审批流程类型")
        verbose_name_plural = _("审批流程类型")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class CertificateType(models.Model):
    """A kind of certificate (电子证照) that a matter issues (`Matter.certificate_type`):
    the fields it prints, the page it is printed on, and how its numbers read.

    `clean()` renders the template against sample data, so a template naming a
    field that nothing fills is an admin error at save time, not a broken PDF
    at issue time. `template_context()` is the contract between this
    configuration and the renderer in `approvals.rendering`."""

    class Layout(models.TextChoices):
        STANDARD = "standard", _("表格式（标准证照）")
        PERMIT = "permit", _("许可证式（左栏正文，右栏事项）")

    class PageSize(models.TextChoices):
        A4 = "A4", "A4"
        A3 = "A3", "A3"

    class Orientation(models.TextChoices):
        PORTRAIT = "portrait", _("纵向")
        LANDSCAPE = "landscape", _("横向")

    # What a certificate may print, by source; the unified form's fields are
    # added as "form.<key>" from the stages whose matters issue the type.
    SOURCES = {
        "project.name": _("项目名称"),
        "project.code": _("投资项目统一代码"),
        "project.address": _("建设地点"),
        "project.jurisdiction": _("行政区划"),
        "project.total_investment": _("总投资（万元）"),
        "project.land_area": _("用地面积（平方米）"),
        "project.building_area": _("总建筑面积（平方米）"),
        "project.scale": _("建设规模及内容"),
        "project.nature": _("建设性质"),
        "project.investment_source": _("投资来源"),
        "project.approval_type": _("立项类型"),
        "project.planned_start": _("拟开工时间"),
        "project.planned_end": _("拟建成时间"),
        "enterprise.name": _("建设单位"),
        "enterprise.credit_code": _("统一社会信用代码"),
        "enterprise.legal_representative": _("法定代表人"),
        "application.number": _("申请编号"),
        "application.stage": _("办理阶段"),
        "application.submitted_on": _("申请日期"),
        "application.accepted_on": _("受理日期"),
        "decision.matter": _("审批事项"),
        "decision.department": _("审批部门"),
        "decision.opinion": _("审查意见"),
        "decision.decided_on": _("审批日期"),
    }
    DEFAULT_FIELDS = [
        "project.name",
        "project.code",
        "enterprise.name",
        "enterprise.credit_code",
        "project.address",
        "project.scale",
        "decision.matter",
        "application.number",
    ]
    DEFAULT_STATEMENT = _("经审查，本项目符合有关法律法规和规划要求，特发此证。")
    DEFAULT_NUMBER_FORMAT = "{prefix}{division}{year}{seq:05d}"
    VALUE_GROUPS = ("project", "enterprise", "application", "decision", "form")
    NUMBER_PARTS = {"prefix", "division", "year", "date", "seq"}
    NUMBER_MAX_LENGTH = 40
    DENSE_TEXT_LENGTH = 420
    NUMBER_CHARACTERS = re.compile(r"[A-Za-z0-9-]*")
    MISSING = "⟦缺少字段:%s⟧"
    SAMPLE_NUMBER = "SAMPLE-0000000001"
    SAMPLE_QR = "data:image/svg+xml;base64,U0FNUExFLVFS"

    code = models.SlugField(_("编码"), max_length=50, unique=True)
    name = models.CharField(_("证照名称"), max_length=100)
    number_prefix = models.CharField(
        _("编号前缀"),
        max_length=10,
        help_text=_("大写字母，各证照类型不得重复，如 JZ。"),
    )
    number_format = models.CharField(
        _("编号格式"),
        max_length=80,
        default=DEFAULT_NUMBER_FORMAT,
        help_text=_(
            "可用：{prefix} 前缀、{division} 6位行政区划代码、{year} 年度、{date} 发证日期"
            "（8位）、{seq:05d} 序号（按类型、区划、年度连续编号，05 表示补足5位）。"
            "如施工许可证：{prefix}{division}{date}{seq:04d}。"
        ),
    )
    printed_fields = models.TextField(
        _("印制字段"),
        blank=True,
        help_text=_(
            "每行一项，“来源”或“来源|标签”，如 project.name、enterprise.name|建设单位、"
            "form.general_contractor|施工单位。来源可为 project.*、enterprise.*、"
            "application.*、decision.* 或本证照所属阶段表单的 form.<字段键>。留空使用默认字段。"
        ),
    )
    statement = models.TextField(
        _("证照正文"), blank=True, help_text=_("印在字段表之前的发证依据和说明；留空使用通用表述。")
    )
    layout = models.CharField(
        _("版式"), max_length=20, choices=Layout.choices, default=Layout.STANDARD
    )
    page_size = models.CharField(
        _("纸张"), max_length=2, choices=PageSize.choices, default=PageSize.A4
    )
    orientation = models.CharField(
        _("方向"), max_length=10, choices=Orientation.choices, default=Orientation.PORTRAIT
    )
    custom_template = models.TextField(
        _("自定义 HTML 模板"),
        blank=True,
        help_text=_(
            '可选，Django 模板语法，可 {% extends "certificates/base.html" %}。'
            "可用变量：title、number、issued_on、issuer、statement、fields、project、enterprise、"
            "application、decision、form、qr、verify_url、seal、page、dense、font_url、version、"
            "supersedes、amendment_reason。保存时用示例数据试排，缺少的字段会报错。"
        ),
    )

    class Meta:
        verbose_name = _("证照类型")
        verbose_name_plural = _("证照类型")
        ordering = ["code"]

    def __str__(self):
        return self.name

    # --- Numbers ---------------------------------------------------------

    def format_number(self, division, issued_on, sequence):
        """The printed number; `sequence` comes from the gap-free series of
        this type, the division's jurisdiction and the issue year."""
        return self.number_format.format(
            prefix=self.number_prefix,
            division=division,
            year=f"{issued_on:%Y}",
            date=f"{issued_on:%Y%m%d}",
            seq=sequence,
        )

    def _number_format_errors(self):
        try:
            parts = list(string.Formatter().parse(self.number_format))
        except ValueError:
            return [_("编号格式的花括号不匹配。")]
        errors = []
        names = [name for _text, name, _spec, _conv in parts if name is not None]
        literal = "".join(text for text, *_rest in parts)
        if unknown := sorted(set(names) - self.NUMBER_PARTS):
            errors.append(_("未知的编号占位符：%(names)s。") % {"names": "、".join(unknown)})
        if names.count("seq") != 1:
            errors.append(_("编号格式须恰好包含一个序号 {seq}。"))
        if "division" not in names or not {"year", "date"} & set(names):
            # The series is per jurisdiction and year: without both in the
            # number, two series would print the same number.
            errors.append(_("编号格式须包含行政区划 {division} 以及年度 {year} 或日期 {date}。"))
        for _text, name, spec, conversion in parts:
            if conversion or (name and name != "seq" and spec):
                errors.append(_("只有序号可以设置位数，如 {seq:05d}。"))
            elif name == "seq" and not re.fullmatch(r"(0[1-9]d?)?", spec or ""):
                errors.append(_("序号位数写作 {seq:05d}（补足5位）或 {seq}。"))
        if not self.NUMBER_CHARACTERS.fullmatch(literal):
            errors.append(_("编号中只能有字母、数字和连字符，以便印在二维码网址中。"))
        if not errors:
            longest = self.format_number("000000", datetime.date(2099, 12, 31), 10**9 - 1)
            if len(longest) > self.NUMBER_MAX_LENGTH:
                errors.append(_("编号最长不能超过 %(n)d 个字符。") % {"n": self.NUMBER_MAX_LENGTH})
        return errors

    # --- What is printed -------------------------------------------------

    def form_labels(self):
        """Form field keys this type may print, with their labels: those of
        the stages that issue it, or of every stage before any matter does."""
        from .form import FormField

        fields = FormField.objects.order_by("stage__order", "order")
        if self.pk and self.matters.exists():
            fields = fields.filter(stage__matters__certificate_type=self)
        return {field.key: field.label for field in fields}

    def printed_field_specs(self, form_labels=None):
        """[(source, label)] in printed order."""
        lines = [line.strip() for line in self.printed_fields.splitlines() if line.strip()]
        specs = []
        for line in lines or self.DEFAULT_FIELDS:
            source, _bar, label = line.replace("｜", "|").partition("|")
            source, label = source.strip(), label.strip()
            if not label:
                if source.startswith("form.") and form_labels is not None:
                    label = form_labels.get(source[5:], source)
                else:
                    label = str(self.SOURCES.get(source, source))
            specs.append((source, label))
        return specs

    def _printed_field_errors(self, form_labels):
        errors = []
        sources = [source for source, _label in self.printed_field_specs(form_labels)]
        for source in sources:
            if source.startswith("form."):
                if source[5:] not in form_labels:
                    errors.append(
                        _("“%(source)s”：本证照所属阶段的表单中没有字段“%(key)s”。")
                        % {"source": source, "key": source[5:]}
                    )
            elif source not in self.SOURCES:
                errors.append(_("未知的印制字段来源“%(source)s”。") % {"source": source})
        if duplicates := sorted({s for s in sources if sources.count(s) > 1}):
            errors.append(_("印制字段重复：%(sources)s。") % {"sources": "、".join(duplicates)})
        return errors

    def sample_printed(self, form_labels=None):
        """A printed snapshot with placeholder values, for checks and previews."""
        form_labels = self.form_labels() if form_labels is None else form_labels
        values = {}
        for source, label in self.SOURCES.items():
            group, key = source.split(".")
            values.setdefault(group, {})[key] = f"〔{label}〕"
        values["form"] = {key: f"〔{label}〕" for key, label in form_labels.items()}
        return {
            "title": self.name,
            "issuer": str(_("〔发证机关〕")),
            "statement": self.statement or str(self.DEFAULT_STATEMENT),
            "fields": [
                {"source": s, "label": label} for s, label in self.printed_field_specs(form_labels)
            ],
            "values": values,
        }

    # --- The template ----------------------------------------------------

    def template_context(self, printed, *, number, issued_on, verify_url, qr, font_url, **extra):
        """Everything a certificate template may use. `printed` is the
        snapshot taken at issue time (see `sample_printed` for its shape);
        `extra` holds version, supersedes and amendment_reason."""
        values = printed["values"]

        def value(source):
            group, _dot, key = source.partition(".")
            return values.get(group, {}).get(key, "")

        issuer = printed["issuer"]
        arc = min(230, 24 * len(issuer))  # degrees of the seal's ring the name fills
        seal = [
            {"char": char, "angle": round(-arc / 2 + arc * (i + 0.5) / len(issuer), 2)}
            for i, char in enumerate(issuer)
        ]
        fields = [
            {"label": f["label"], "value": value(f["source"]), "source": f["source"]}
            for f in printed["fields"]
        ]
        return {
            "title": printed["title"],
            "number": number,
            "issued_on": issued_on,
            "issuer": issuer,
            "statement": printed["statement"],
            "fields": fields,
            # Past about a page's worth of field text the layouts set smaller type.
            "dense": sum(len(str(f["value"])) for f in fields) > self.DENSE_TEXT_LENGTH,
            **{group: values.get(group, {}) for group in self.VALUE_GROUPS},
            "qr": qr,
            "verify_url": verify_url,
            "seal": seal,
            "page": {"size": self.page_size, "orientation": self.orientation},
            "font_url": font_url,
            "version": extra.get("version", 1),
            "supersedes": extra.get("supersedes", ""),
            "amendment_reason": extra.get("amendment_reason", ""),
        }

    def sample_context(self, form_labels=None):
        return self.template_context(
            self.sample_printed(form_labels),
            number=self.SAMPLE_NUMBER,
            issued_on=datetime.date(2026, 1, 1),
            verify_url=f"https://portal.invalid/verify/{self.SAMPLE_NUMBER}/",
            qr=self.SAMPLE_QR,
            font_url="",
        )

    def render_html(self, context, *, strict=False):
        """The certificate's HTML. `strict` marks every variable the context
        lacks with MISSING instead of printing nothing."""
        from django.template import Context, Engine

        engine = Engine.get_default()
        if strict:
            engine = Engine(
                dirs=engine.dirs,
                app_dirs=engine.app_dirs,
                libraries=engine.libraries,
                string_if_invalid=self.MISSING,
            )
        if self.custom_template.strip():
            template = engine.from_string(self.custom_template)
        else:
            template = engine.get_template(f"certificates/{self.layout}.html")
        return template.render(Context(context, autoescape=True))

    def _template_errors(self, form_labels):
        try:
            html = self.render_html(self.sample_context(form_labels), strict=True)
        except Exception as error:  # any template mistake is the admin's to read, not a 500
            return [_("模板无法解析：%(error)s") % {"error": error}]
        head, _sep, tail = self.MISSING.partition("%s")
        errors = []
        if missing := sorted(set(re.findall(re.escape(head) + "(.*?)" + re.escape(tail), html))):
            errors.append(_("模板引用了不存在的字段：%(names)s。") % {"names": "、".join(missing)})
        if self.SAMPLE_NUMBER not in html or self.SAMPLE_QR not in html:
            errors.append(_("模板必须印出证照编号 {{ number }} 和核验二维码 {{ qr }}。"))
        return errors

    def clean(self):
        errors = {}
        self.number_prefix = self.number_prefix.strip().upper()
        if not re.fullmatch(r"[A-Z]{1,10}", self.number_prefix):
            errors["number_prefix"] = _("编号前缀须为 1–10 个大写字母。")
        elif (
            CertificateType.objects.exclude(pk=self.pk)
            .filter(number_prefix=self.number_prefix)
            .exists()
        ):
            errors["number_prefix"] = _("该编号前缀已被其他证照类型使用。")
        if number_errors := self._number_format_errors():
            errors["number_format"] = number_errors
        elif (
            "{prefix}" not in self.number_format
            and CertificateType.objects.exclude(pk=self.pk)
            .exclude(number_format__contains="{prefix}")
            .exists()
        ):
            errors["number_format"] = _(
                "已有其他证照类型的编号不含前缀；为避免编号重复，本类型须包含 {prefix}。"
            )
        form_labels = self.form_labels()
        if field_errors := self._printed_field_errors(form_labels):
            errors["printed_fields"] = field_errors
        elif template_errors := self._template_errors(form_labels):
            key = "custom_template" if self.custom_template.strip() else "layout"
            errors[key] = template_errors
        if errors:
            raise ValidationError(errors)


class Stage(models.Model):
    """One "thing" (一件事): one guide, one form, one set of materials."""

    code = models.SlugField(_("编码"), max_length=50, unique=True)
    number = models.PositiveSmallIntegerField(
        _("阶段序号"), help_text=_("国家标准阶段编号 1–4；其他“一件事”可用更大的序号。")
    )
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    lead_department = models.ForeignKey(
        Department, verbose_name=_("牵头部门"), on_delete=models.PROTECT, related_name="+"
    )
    time_limit_working_days = models.PositiveSmallIntegerField(
        _("承诺时限（工作日）"), validators=[MinValueValidator(1)]
    )
    prerequisites = models.ManyToManyField(
        CertificateType,
        verbose_name=_("前置证照"),
        blank=True,
        related_name="required_by_stages",
        help_text=_("项目须已取得这些证照才能申请本阶段，如施工许可须先取得建设工程规划许可证。"),
    )
    project_types = models.ManyToManyField(
        ProjectType,
        verbose_name=_("适用流程类型"),
        blank=True,
        help_text=_("留空表示适用于所有项目类型。"),
    )
    is_construction = models.BooleanField(
        _("工程建设项目阶段"),
        default=True,
        help_text=_("取消勾选用于“我要开餐馆”等其他一件事，不计入100个工作日目标。"),
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("阶段（一件事）")
        verbose_name_plural = _("阶段（一件事）")
        ordering = ["order", "number"]

    def __str__(self):
        return self.name


class Matter(models.Model):
    """A 事项 inside a stage, reviewed by one department in parallel with the
    others."""

    stage = models.ForeignKey(
        Stage, verbose_name=_("阶段"), on_delete=models.CASCADE, related_name="matters"
    )
    code = models.SlugField(_("编码"), max_length=50)
    name = models.CharField(_("事项名称"), max_length=150)
    department = models.ForeignKey(
        Department,
        verbose_name=_("审查部门或公用企业"),
        on_delete=models.PROTECT,
        related_name="matters",
    )
    time_limit_working_days = models.PositiveSmallIntegerField(
        _("审查时限（工作日）"), validators=[MinValueValidator(1)]
    )
    mandatory = models.BooleanField(
        _("必办事项"),
        default=True,
        help_text=_("必办事项全部通过后阶段才办结；非必办事项（如燃气报装）不阻塞办结。"),
    )
    situation = models.ForeignKey(
        "stages.Situation",
        verbose_name=_("适用情形"),
        # RESTRICT, not PROTECT: deleting a whole stage cascades to both.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="matters",
        help_text=_("设置后，仅当申请人对该情形回答“是”时才办理本事项。"),
    )
    certificate_type = models.ForeignKey(
        CertificateType,
        verbose_name=_("出具证照"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matters",
    )
    joint_session = models.BooleanField(
        _("参加联合会审"),
        default=False,
        help_text=_("参加本阶段的联合踏勘、联合图审或联合验收。"),
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("事项")
        verbose_name_plural = _("事项")
        ordering = ["stage", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "code"], name="matter_code_unique_in_stage")
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        stage = getattr(self, "stage", None)
        limit = self.time_limit_working_days
        stage_limit = stage.time_limit_working_days if stage is not None else None
        if stage_limit is not None and limit and limit > stage_limit:
            errors["time_limit_working_days"] = _(
                "事项时限（%(limit)d 个工作日）不能超过阶段承诺时限（%(stage_limit)d 个工作日）。"
            ) % {"limit": limit, "stage_limit": stage.time_limit_working_days}
        if self.situation_id and stage is not None and self.situation.stage_id != stage.pk:
            errors["situation"] = _("适用情形必须属于同一阶段。")
        if errors:
            raise ValidationError(errors)
