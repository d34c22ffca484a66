"""A stage and everything hanging off it as one portable JSON document, so a
stage configured on a test installation can be moved to production, and a
stage can be duplicated through the same validated path.

Rows refer to each other by natural keys (stage code, situation code, matter
code, department / certificate type / project type code), never by database
ids. The referenced departments, certificate types and project types travel
in `references` and are created on import when the target lacks them;
existing ones are used as they are. Importing creates or updates the stage by
code and makes its rows match the file (rows are matched by code / kind /
key, so ids that applications refer to survive); every row goes through
full_clean() and the whole import is one transaction: all or nothing.

Document (version 1)::

    {"format": "yijianshi-stage", "version": 1, "exported_at": "…",
     "references": {"departments": [{code, name, kind}],
                    "certificate_types": [{code, name, number_prefix}],
                    "project_types": [{code, name, order}]},
     "stage": {code, number, name, description, lead_department: code,
               time_limit_working_days, prerequisites: [code], project_types: [code],
               is_construction, order, active},
     "situations": [{code, question, help_text, order}],
     "matters": [{code, name, department: code, time_limit_working_days, mandatory,
                  situation: code|null, certificate_type: code|null, joint_session, order}],
     "materials": [{kind, name, description, matters: [code], mandatory, key,
                    accepted_types, max_size_mb, template_file, from_certificate_type:
                    code|null, generated, situation: code|null, order}],
     "form_fields": [{key, label, field_type, required, help_text, choices, regex,
                      regex_message, min_value, max_value, section, project_attribute, order}],
     "guide": {legal_basis, conditions, process, fees, window_address, office_hours,
               phone, complaint_phone, promise} | null}

Template files are not embedded: `template_file` carries the stored name and
is kept only when that file exists in the target's storage.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    CertificateType,
    Department,
    FormField,
    Guide,
    MaterialRequirement,
    Matter,
    ProjectType,
    Situation,
    Stage,
)

FORMAT = "yijianshi-stage"
VERSION = 1

STAGE_FIELDS = ["code", "number", "name", "description", "time_limit_working_days"]
STAGE_FIELDS += ["is_construction", "order", "active"]
SITUATION_FIELDS = ["code", "question", "help_text", "order"]
MATTER_FIELDS = ["code", "name", "time_limit_working_days", "mandatory", "joint_session", "order"]
MATERIAL_FIELDS = ["kind", "name", "description", "mandatory", "key", "accepted_types"]
MATERIAL_FIELDS += ["max_size_mb", "generated", "order"]
FORM_FIELD_FIELDS = ["key", "label", "field_type", "required", "help_text", "choices", "regex"]
FORM_FIELD_FIELDS += ["regex_message", "min_value", "max_value", "section", "project_attribute"]
FORM_FIELD_FIELDS += ["order"]
GUIDE_FIELDS = ["legal_basis", "conditions", "process", "fees", "window_address"]
GUIDE_FIELDS += ["office_hours", "phone", "complaint_phone", "promise"]
# section: (model, natural key, plain fields, fields holding one code or null,
#           fields holding a list of codes)
ROWS = {
    "stage": (
        Stage,
        "code",
        STAGE_FIELDS,
        ["lead_department"],
        ["prerequisites", "project_types"],
    ),
    "situations": (Situation, "code", SITUATION_FIELDS, [], []),
    "matters": (
        Matter,
        "code",
        MATTER_FIELDS,
        ["department", "situation", "certificate_type"],
        [],
    ),
    "materials": (
        MaterialRequirement,
        "kind",
        MATERIAL_FIELDS,
        ["from_certificate_type", "situation", "template_file"],
        ["matters"],
    ),
    "form_fields": (FormField, "key", FORM_FIELD_FIELDS, [], []),
    "guide": (Guide, None, GUIDE_FIELDS, [], []),
}
REFERENCES = {
    "departments": (Department, ["code", "name", "kind"]),
    "certificate_types": (CertificateType, ["code", "name", "number_prefix"]),
    "project_types": (ProjectType, ["code", "name", "order"]),
}


class TransferError(Exception):
    """The document cannot be imported; `errors` lists every problem found."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass
class ImportResult:
    stage: Stage
    created: bool
    created_references: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def _plain(instance, names):
    values = {}
    for name in names:
        value = getattr(instance, name)
        values[name] = str(value) if isinstance(value, Decimal) else value
    return values


def _code(related):
    return related.code if related is not None else None


def export_stage(stage):
    """The stage as a JSON-ready document (see the module docstring)."""
    matters = list(stage.matters.select_related("department", "situation", "certificate_type"))
    materials = list(
        stage.materials.select_related("situation", "from_certificate_type").prefetch_related(
            "matters"
        )
    )
    guide = Guide.objects.filter(stage=stage).first()
    departments = {stage.lead_department, *(m.department for m in matters)}
    certificate_types = set(stage.prerequisites.all())
    certificate_types |= {m.certificate_type for m in matters if m.certificate_type_id}
    certificate_types |= {r.from_certificate_type for r in materials if r.from_certificate_type_id}
    project_types = list(stage.project_types.all())
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "references": {
            "departments": [
                _plain(d, REFERENCES["departments"][1])
                for d in sorted(departments, key=lambda d: d.code)
            ],
            "certificate_types": [
                _plain(c, REFERENCES["certificate_types"][1])
                for c in sorted(certificate_types, key=lambda c: c.code)
            ],
            "project_types": [_plain(p, REFERENCES["project_types"][1]) for p in project_types],
        },
        "stage": {
            **_plain(stage, STAGE_FIELDS),
            "lead_department": stage.lead_department.code,
            "prerequisites": sorted(c.code for c in stage.prerequisites.all()),
            "project_types": [p.code for p in project_types],
        },
        "situations": [_plain(s, SITUATION_FIELDS) for s in stage.situations.all()],
        "matters": [
            {
                **_plain(m, MATTER_FIELDS),
                "department": m.department.code,
                "situation": _code(m.situation),
                "certificate_type": _code(m.certificate_type),
            }
            for m in matters
        ],
        "materials": [
            {
                **_plain(r, MATERIAL_FIELDS),
                "matters": [m.code for m in r.matters.all()],
                "template_file": r.template_file.name or "",
                "from_certificate_type": _code(r.from_certificate_type),
                "situation": _code(r.situation),
            }
            for r in materials
        ],
        "form_fields": [_plain(f, FORM_FIELD_FIELDS) for f in stage.form_fields.all()],
        "guide": _plain(guide, GUIDE_FIELDS) if guide is not None else None,
    }


def copy_code(code):
    """The first free `<code>-copy`, `<code>-copy-2`, … within the 50-character limit."""
    number = 1
    while True:
        suffix = "-copy" if number == 1 else f"-copy-{number}"
        candidate = code[: 50 - len(suffix)] + suffix
        if not Stage.objects.filter(code=candidate).exists():
            return candidate
        number += 1


def duplicate_stage(stage):
    """An inactive copy of the stage with all its rows, through the import path."""
    document = export_stage(stage)
    document["stage"]["code"] = copy_code(stage.code)
    document["stage"]["name"] = (stage.name + _("（副本）"))[:100]
    document["stage"]["active"] = False
    return import_stage(document)


def import_stage(document):
    """Create or update the stage the document describes. Raises TransferError
    listing every problem, in which case nothing was changed."""
    errors = _check_shape(document)
    if errors:
        raise TransferError(errors)
    importer = _Importer(document)
    with transaction.atomic():
        result = importer.run()
        if importer.errors:
            # Leaving the block by exception rolls every row back.
            raise TransferError(importer.errors)
    return result


def _is_code(value):
    return value is None or isinstance(value, str)


def _check_shape(document):
    """Structural problems, found before any row is touched."""
    if not isinstance(document, dict):
        return [_("文件内容不是一个 JSON 对象。")]
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        return [
            _("不是本系统导出的阶段文件（需要 format=%(format)s、version=%(version)d）。")
            % {"format": FORMAT, "version": VERSION}
        ]
    errors = []
    for section, (_model, natural_key, fields, codes, code_lists) in ROWS.items():
        rows = document.get(section)
        if section == "guide" and rows is None:
            continue
        if section in ("stage", "guide"):
            rows = [rows]
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            errors.append(_("“%(section)s”的格式不正确。") % {"section": section})
            continue
        for number, row in enumerate(rows, 1):
            where = _where(section, number, row)
            for name in sorted(set(row) - {*fields, *codes, *code_lists}):
                errors.append(
                    _("%(where)s：未知字段“%(field)s”。") % {"where": where, "field": name}
                )
            for name in [natural_key, *codes]:
                if name and not _is_code(row.get(name)):
                    errors.append(
                        _("%(where)s：“%(field)s”应为文本。") % {"where": where, "field": name}
                    )
            for name in code_lists:
                value = row.get(name, [])
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    errors.append(f"{where}：" + _("“%(field)s”应为编码列表。") % {"field": name})
    references = document.get("references", {})
    if not isinstance(references, dict) or not all(
        isinstance(references.get(kind, []), list)
        and all(isinstance(row, dict) and _is_code(row.get("code")) for row in references[kind])
        for kind in REFERENCES
        if kind in references
    ):
        errors.append(_("“references”的格式不正确。"))
    return errors


def _where(section, number, row):
    model, natural_key = ROWS[section][0], ROWS[section][1]
    name = str(model._meta.verbose_name)
    if section in ("stage", "guide"):
        return name
    return _("%(model)s第 %(number)d 行（%(natural)s）") % {
        "model": name,
        "number": number,
        "natural": row.get(natural_key) or "",
    }


class _Importer:
    def __init__(self, document):
        self.document = document
        self.errors = []
        self.warnings = []
        self.created_references = []
        self.lookups = {}  # reference kind -> {code: row}
        self.kept = {}  # section -> {natural key: saved row}
        self.failed = {}  # section -> natural keys whose row was refused
        self.stale = {}  # section -> rows of the stage the file no longer lists

    def error(self, where, message):
        self.errors.append(f"{where}：{message}")

    def save(self, instance, where):
        """Validate then save; record the errors under the row's name. Rule
        checks (clean()) run only on rows whose fields are well-formed."""
        try:
            instance.clean_fields()
            instance.full_clean()
        except ValidationError as failure:
            for name, messages in failure.message_dict.items():
                label = None
                if name != NON_FIELD_ERRORS:
                    label = str(type(instance)._meta.get_field(name).verbose_name)
                for message in messages:
                    self.error(where, f"{label}：{message}" if label else message)
            return False
        try:
            with transaction.atomic():
                instance.save()
        except IntegrityError as failure:
            self.error(where, str(failure))
            return False
        return True

    def reference(self, kind, code, where, label):
        """The referenced row by code; None (with an error) when unknown."""
        if not code:
            return None
        found = self.lookups[kind].get(code)
        if found is None:
            self.error(
                where,
                _("%(label)s：“%(code)s”在本系统和文件的 references 中都不存在。")
                % {"label": label, "code": code},
            )
        return found

    def sibling(self, section, code, where, label):
        """A row of the same stage by code (a situation, a matter)."""
        if not code:
            return None
        found = self.kept[section].get(code)
        if found is None and code not in self.failed[section]:
            self.error(
                where,
                _("%(label)s：本阶段没有编码为“%(code)s”的%(model)s。")
                % {"label": label, "code": code, "model": ROWS[section][0]._meta.verbose_name},
            )
        return found

    def load_references(self):
        for kind, (model, fields) in REFERENCES.items():
            self.lookups[kind] = {row.code: row for row in model.objects.all()}
            for row in self.document.get("references", {}).get(kind, []):
                code = row.get("code")
                if not code or code in self.lookups[kind]:
                    continue
                instance = model(**{name: row[name] for name in fields if name in row})
                if self.save(instance, f"{model._meta.verbose_name}“{code}”"):
                    self.lookups[kind][code] = instance
                    self.created_references.append(f"{model._meta.verbose_name}：{instance}")

    def run(self):
        self.load_references()
        row = self.document["stage"]
        where = _where("stage", 1, row)
        stage = Stage.objects.select_for_update().filter(code=row.get("code")).first()
        created = stage is None
        stage = stage or Stage()
        for name in STAGE_FIELDS:
            if name in row:
                setattr(stage, name, row[name])
        if "lead_department" in row:
            stage.lead_department = self.reference(
                "departments", row["lead_department"], where, _("牵头部门")
            )
        # The rows below need a saved stage; without one, report what we have.
        if self.errors or not self.save(stage, where):
            return None
        if "prerequisites" in row:
            prerequisites = [
                self.reference("certificate_types", code, where, _("前置证照"))
                for code in row["prerequisites"]
            ]
            stage.prerequisites.set([c for c in prerequisites if c is not None])
        if "project_types" in row:
            project_types = [
                self.reference("project_types", code, where, _("适用流程类型"))
                for code in row["project_types"]
            ]
            stage.project_types.set([p for p in project_types if p is not None])
        self.sync(stage, "situations", lambda instance, row, where: None)
        self.sync(stage, "matters", self.fill_matter)
        self.sync(stage, "materials", self.fill_material)
        self.sync(stage, "form_fields", lambda instance, row, where: None)
        self.delete_stale()
        self.sync_guide(stage)
        return ImportResult(stage, created, self.created_references, self.warnings)

    def sync(self, stage, section, fill):
        """Upsert the section's rows by natural key. `fill` sets the
        references and may return a callable to run once the row is saved."""
        model, natural_key, fields = ROWS[section][:3]
        existing = {getattr(row, natural_key): row for row in getattr(stage, section).all()}
        self.kept[section], self.failed[section] = {}, set()
        for number, row in enumerate(self.document.get(section, []), 1):
            where = _where(section, number, row)
            value = row.get(natural_key)
            if value in self.kept[section] or value in self.failed[section]:
                self.error(where, _("“%(value)s”在文件中重复出现。") % {"value": value})
                continue
            instance = existing.get(value) or model(stage=stage)
            for name in fields:
                if name in row:
                    setattr(instance, name, row[name])
            errors_before = len(self.errors)
            after_save = fill(instance, row, where)
            if len(self.errors) == errors_before and self.save(instance, where):
                self.kept[section][value] = instance
                if after_save:
                    after_save()
            else:
                self.failed[section].add(value)
        kept_keys = self.kept[section].keys() | self.failed[section]
        self.stale[section] = [row for key, row in existing.items() if key not in kept_keys]

    def fill_matter(self, instance, row, where):
        if "department" in row:
            instance.department = self.reference(
                "departments", row["department"], where, _("审查部门或公用企业")
            )
        instance.situation = self.sibling("situations", row.get("situation"), where, _("适用情形"))
        instance.certificate_type = self.reference(
            "certificate_types", row.get("certificate_type"), where, _("出具证照")
        )

    def fill_material(self, instance, row, where):
        instance.situation = self.sibling("situations", row.get("situation"), where, _("适用情形"))
        instance.from_certificate_type = self.reference(
            "certificate_types", row.get("from_certificate_type"), where, _("自动取自证照")
        )
        name = row.get("template_file") or ""
        if name and default_storage.exists(name):
            instance.template_file = name
        elif name and not instance.template_file:
            self.warnings.append(
                _("%(where)s：样表文件未随文件导入，请在管理页面重新上传。") % {"where": where}
            )
        matters = [
            self.sibling("matters", code, where, _("所需事项")) for code in row.get("matters", [])
        ]
        return lambda: instance.matters.set([m for m in matters if m is not None])

    def delete_stale(self):
        """Rows of the stage the file no longer lists, dependants first."""
        for section in ("materials", "form_fields", "matters", "situations"):
            for instance in self.stale.get(section, []):
                where = f"{instance._meta.verbose_name}“{instance}”"
                try:
                    with transaction.atomic():
                        instance.delete()
                except (ProtectedError, RestrictedError):
                    self.error(
                        where, _("文件中没有这一行，但它已被使用，不能删除；请在文件中保留它。")
                    )

    def sync_guide(self, stage):
        row = self.document.get("guide")
        guide = Guide.objects.filter(stage=stage).first()
        if row is None:
            if guide is not None:
                guide.delete()
            return
        guide = guide or Guide(stage=stage)
        for name in GUIDE_FIELDS:
            if name in row:
                setattr(guide, name, row[name])
        self.save(guide, _where("guide", 1, row))
