"""Preparing an application before submission: starting one (prerequisites,
project type), the situations questionnaire, the unified form with values
pre-filled from the project and earlier stages, and what still blocks
submission. A draft follows the stage's latest configuration."""

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from stages.configuration import current_version
from stages.forms import UnifiedForm

from ..models import Application, ApplicationState, Deficiency, Material
from ..models.application import CLOSED_STATES, DeliveryMethod
from . import transitions
from .errors import ServiceError

S = ApplicationState
# Submitted and not yet handed over or ended: the delivery choice may change.
DELIVERY_CHOICE_STATES = [
    S.SUBMITTED,
    S.CORRECTING,
    S.IN_REVIEW,
    S.SUSPENDED,
    S.APPROVED,
    S.ISSUED,
]


def create_application(project, stage, user):
    """Start a draft, or explain what the project lacks for this stage."""
    problems = []
    if project.applications.filter(stage=stage).exclude(state__in=CLOSED_STATES).exists():
        problems.append(_("该项目本阶段已有办理中的申请，请继续办理该申请。"))
    if stage.is_construction and not project.code:
        problems.append(_("工程建设项目须先在项目信息中填写投资项目统一代码。"))
    missing = stage.prerequisites.exclude(pk__in=project.held_certificate_type_ids())
    problems += [
        _("须先取得“%(certificate)s”。") % {"certificate": certificate.name}
        for certificate in missing
    ]
    allowed_types = list(stage.project_types.all())
    if allowed_types and project.flow_type not in allowed_types:
        problems.append(
            _("本阶段仅适用于：%(types)s。") % {"types": "、".join(t.name for t in allowed_types)}
        )
    if problems:
        raise ServiceError(_("暂不能申请“%(stage)s”。") % {"stage": stage.name}, problems)
    return Application.objects.create(
        project=project, stage=stage, created_by=user, stage_version=current_version(stage)
    )


# Files a reviewer asked for (补充材料) are kept under this kind.
SUPPLEMENT_KIND = "supplement"
SUPPLEMENT_REQUIREMENT = {
    "kind": SUPPLEMENT_KIND,
    "name": "补充材料",
    "extensions": ["pdf", "jpg", "jpeg", "png"],
    "max_size_mb": 50,
}

OPEN_DEFICIENCY_STATES = {
    ApplicationState.IN_REVIEW,
    ApplicationState.SUSPENDED,
    ApplicationState.APPROVED,
}


@dataclass(frozen=True)
class EditScope:
    """What the applicant may change now: None means everything."""

    field_keys: frozenset | None
    material_kinds: frozenset | None

    def allows_field(self, key):
        return self.field_keys is None or key in self.field_keys

    def allows_material(self, kind):
        return self.material_kinds is None or kind in self.material_kinds


EVERYTHING = EditScope(None, None)


def edit_scope(application):
    """A draft is open; a correction reopens only what its notice lists;
    an open 容缺 lets the missing materials be supplied; nothing else."""
    if application.state == ApplicationState.DRAFT:
        return EVERYTHING
    if application.state == ApplicationState.CORRECTING:
        notice = application.correction_notices.filter(answered_at__isnull=True).first()
        if notice is not None:
            return EditScope(frozenset(notice.field_keys), frozenset(notice.material_kinds))
    kinds = set()
    deficiency = Deficiency.objects.filter(application=application, cleared_at__isnull=True).first()
    if deficiency is not None and application.state in OPEN_DEFICIENCY_STATES:
        kinds |= set(deficiency.kinds)
    if application.tasks.filter(state="needs_supplement").exists():
        kinds.add(SUPPLEMENT_KIND)
    return EditScope(frozenset(), frozenset(kinds)) if kinds else None


def locked_for_editing(application_id, user):
    application = transitions.lock(Application, application_id)
    if not user.has_perm("approvals.edit_application", application):
        raise PermissionDenied
    scope = edit_scope(application)
    if scope is None:
        raise ServiceError(_("申请已提交，不能再修改。"))
    if scope is EVERYTHING:  # a draft follows the latest configuration
        application.stage_version = current_version(application.stage)
    return application, scope


def save_situations(application_id, user, answers):
    with transaction.atomic():
        application, scope = locked_for_editing(application_id, user)
        if scope is not EVERYTHING:
            raise ServiceError(_("申请已提交，不能再修改情形。"))
        application.situation_answers = answers
        application.save(update_fields=["situation_answers", "stage_version"])
        return application


def save_form_data(application_id, user, values):
    """Save the unified form as a draft (blanks allowed until submit) and
    write project-mapped values back to the project (一次填报、多次复用)."""
    with transaction.atomic():
        application, scope = locked_for_editing(application_id, user)
        values = {key: value for key, value in values.items() if scope.allows_field(key)}
        application.form_data = {**application.form_data, **values}
        application.save(update_fields=["form_data", "stage_version"])
        project = application.project
        changed = []
        for spec in application.configuration.form_fields:
            attribute = spec.get("project_attribute")
            if attribute and spec["key"] in values and values[spec["key"]] not in ("", None):
                setattr(project, attribute, values[spec["key"]])
                changed.append(attribute)
        if changed:
            project.full_clean(exclude=["enterprise", "jurisdiction", "created_by"])
            project.save(update_fields=changed)
        return application


def prefilled_values(application):
    """The form's initial values: what this draft has, else the project's
    attribute, else the latest value the project gave in another stage."""
    project = application.project
    earlier = {}
    for other in project.applications.exclude(pk=application.pk).order_by("created_at"):
        earlier.update(other.form_data)
    values = {}
    for spec in application.configuration.form_fields:
        key = spec["key"]
        attribute = spec.get("project_attribute")
        if application.form_data.get(key) not in (None, ""):
            values[key] = application.form_data[key]
        elif attribute and getattr(project, attribute, None) not in (None, ""):
            values[key] = getattr(project, attribute)
        elif key in earlier:
            values[key] = earlier[key]
    return values


def _delivery_choice(method, address):
    address = address.strip()
    if method == DeliveryMethod.MAIL and not address:
        raise ServiceError(_("选择免费邮寄时请填写邮寄地址。"))
    return method, address if method == DeliveryMethod.MAIL else ""


def change_delivery_choice(application_id, user, delivery_method, delivery_address=""):
    """After submitting, the applicant may still change how the result
    reaches them, until it has been handed over or the application ended."""
    delivery_method, delivery_address = _delivery_choice(delivery_method, delivery_address)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if not rules.test_rule("choose_delivery", user, application):
            raise PermissionDenied
        if application.state not in DELIVERY_CHOICE_STATES:
            raise ServiceError(_("该申请已送达或已办结，不能再更改领取方式。"))
        application.delivery_method = delivery_method
        application.delivery_address = delivery_address
        application.save(update_fields=["delivery_method", "delivery_address"])
        return application


def declare(application_id, user, delivery_method="", delivery_address=""):
    """The applicant confirms the declaration (申请承诺书) before submitting,
    and says how the result should reach them (the window defaults to it)."""
    delivery_method, delivery_address = _delivery_choice(delivery_method, delivery_address)
    with transaction.atomic():
        application, scope = locked_for_editing(application_id, user)
        if scope is not EVERYTHING:
            raise ServiceError(_("申请已提交。"))
        application.declared_at = timezone.now()
        application.delivery_method = delivery_method
        application.delivery_address = delivery_address
        application.save(
            update_fields=["declared_at", "delivery_method", "delivery_address", "stage_version"]
        )
        return application


def reusable_materials(application):
    """Files of the same project given in other applications, by kind, that
    this application could reuse with one click (一次提交、多次复用)."""
    kinds = {r["kind"] for r in application.applicable_materials()}
    found = {}
    candidates = (
        Material.objects.filter(
            application__project=application.project, kind__in=kinds, replaced_at__isnull=True
        )
        .exclude(application=application)
        .select_related("application__stage")
        .order_by("-uploaded_at")
    )
    for material in candidates:
        found.setdefault(material.kind, []).append(material)
    return found


def material_slots(application, materials=None):
    """[(requirement, files, satisfied_by_certificate)] for the applicable
    requirements, in configured order."""
    if materials is None:
        materials = list(application.materials.all())
    held = application.project.held_certificate_type_ids()
    slots = []
    for requirement in application.applicable_materials():
        files = [m for m in materials if m.kind == requirement["kind"] and m.replaced_at is None]
        from_certificate = requirement["from_certificate_type_id"] in held
        slots.append((requirement, files, from_certificate))
    return slots


def problems_before_submission(application):
    """Everything that blocks submission, each as a sentence for the applicant."""
    configuration = application.configuration
    problems = []
    if application.state == ApplicationState.DRAFT and application.declared_at is None:
        problems.append(_("请阅读并确认申请承诺书。"))
    answers = application.situation_answers
    unanswered = [s["question"] for s in configuration.situations if s["code"] not in answers]
    problems += [_("请回答情形问题：%(question)s") % {"question": q} for q in unanswered]
    form = UnifiedForm(
        data=_as_form_data(application.form_data, configuration.form_fields),
        field_specs=configuration.form_fields,
        complete=True,
    )
    if not form.is_valid():
        for key, errors in form.errors.items():
            label = form.fields[key].label.removesuffix(" *") if key in form.fields else key
            problems += [f"{label}：{error}" for error in errors]
    for requirement, files, from_certificate in material_slots(application):
        needed = requirement["mandatory"] and requirement["key"] and not requirement["generated"]
        if needed and not files and not from_certificate:
            problems.append(_("请上传“%(name)s”。") % {"name": requirement["name"]})
    return problems


def _as_form_data(values, specs):
    """Stored JSON back into the shape a bound form expects (QueryDict-like)."""
    data = MultiValueDict()
    for spec in specs:
        value = values.get(spec["key"], "")
        data.setlist(spec["key"], value if isinstance(value, list) else [value])
    return data
