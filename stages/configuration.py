"""A stage's configuration as one plain value: built from the tables, frozen
into a StageVersion, and read back by the workflow. Everything the workflow
needs to know about a stage goes through `Configuration`."""

import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from .models import Stage, StageVersion


def snapshot(stage):
    """The stage's configuration as JSON-ready data (fixed number of queries)."""
    matters = list(stage.matters.select_related("department", "situation", "certificate_type"))
    materials = list(stage.materials.select_related("situation").prefetch_related("matters"))
    return {
        "stage": {
            "code": stage.code,
            "name": stage.name,
            "number": stage.number,
            "time_limit_working_days": stage.time_limit_working_days,
            "lead_department": stage.lead_department_id,
        },
        "situations": [
            {"code": s.code, "question": s.question, "help_text": s.help_text}
            for s in stage.situations.all()
        ],
        "matters": [
            {
                "id": m.pk,
                "code": m.code,
                "name": m.name,
                "department_id": m.department_id,
                "department": m.department.name,
                "time_limit_working_days": m.time_limit_working_days,
                "mandatory": m.mandatory,
                "situation": m.situation.code if m.situation_id else None,
                "certificate_type_id": m.certificate_type_id,
                "joint_session": m.joint_session,
            }
            for m in matters
        ],
        "materials": [
            {
                "kind": r.kind,
                "name": r.name,
                "description": r.description,
                "mandatory": r.mandatory,
                "key": r.key,
                "extensions": r.extensions,
                "max_size_mb": r.max_size_mb,
                "situation": r.situation.code if r.situation_id else None,
                "from_certificate_type_id": r.from_certificate_type_id,
                "generated": r.generated,
                "matters": [m.code for m in r.matters.all()],
            }
            for r in materials
        ],
        "form_fields": [
            {
                "key": f.key,
                "label": f.label,
                "field_type": f.field_type,
                "required": f.required,
                "help_text": f.help_text,
                "choices": f.choice_list,
                "regex": f.regex,
                "regex_message": f.regex_message,
                "min_value": None if f.min_value is None else str(f.min_value),
                "max_value": None if f.max_value is None else str(f.max_value),
                "section": f.section,
                "project_attribute": f.project_attribute,
            }
            for f in stage.form_fields.all()
        ],
    }


def current_version(stage):
    """The StageVersion matching the stage's configuration now, created if
    the configuration changed since the last one."""
    content = snapshot(stage)
    digest = hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    existing = StageVersion.objects.filter(stage=stage, digest=digest).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        Stage.objects.select_for_update().get(pk=stage.pk)  # serialise numbering
        last = StageVersion.objects.filter(stage=stage).order_by("-number").first()
        try:
            with transaction.atomic():
                return StageVersion.objects.create(
                    stage=stage,
                    number=(last.number + 1) if last else 1,
                    digest=digest,
                    content=content,
                )
        except IntegrityError:
            return StageVersion.objects.get(stage=stage, digest=digest)


@dataclass(frozen=True)
class Configuration:
    """Read access to one frozen configuration, tailored by the applicant's
    answers to the situations (情形)."""

    content: dict

    @property
    def situations(self):
        return self.content["situations"]

    @property
    def form_fields(self):
        return self.content["form_fields"]

    @property
    def time_limit_working_days(self):
        return self.content["stage"]["time_limit_working_days"]

    def applies(self, item, answers):
        return item["situation"] is None or bool(answers.get(item["situation"]))

    def matters(self, answers):
        return [m for m in self.content["matters"] if self.applies(m, answers)]

    def materials(self, answers):
        return [r for r in self.content["materials"] if self.applies(r, answers)]

    def material(self, kind):
        return next((r for r in self.content["materials"] if r["kind"] == kind), None)
