"""Issuing certificates: gap-free numbers and the printed snapshot in the
approving transaction, PDF rendering after commit, and the `issue`
transition once every PDF exists. Also the lifecycle after issue: revoke
with a reason, amend by issuing a new version that supersedes the old."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stages.models import CertificateType

from ..models import (
    Application,
    ApplicationState,
    Certificate,
    CertificateNumberSeries,
    ReviewTaskState,
)
from . import transitions
from .errors import ServiceError
from .notifications import notify
from .side_effects import enqueue_on_commit


def next_number(certificate_type, jurisdiction, issued_on):
    """Take the next number of the type's series for the jurisdiction and
    year. The series row stays locked until the caller's transaction ends,
    so concurrent issues queue here and a rollback returns the number:
    unique and gap-free."""
    assert transaction.get_connection().in_atomic_block, "next_number() needs atomic()"
    series, _created = CertificateNumberSeries.objects.select_for_update().get_or_create(
        certificate_type=certificate_type, jurisdiction=jurisdiction, year=issued_on.year
    )
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return certificate_type.format_number(jurisdiction.code, issued_on, series.last_number)


def issue_certificates(application):
    """Number one certificate per approved matter that issues one, then
    render them after commit. With none to render, issue at once."""
    today = timezone.localdate()
    jurisdiction = application.project.jurisdiction
    # The certificate a matter issues comes from the frozen configuration.
    issues = {
        matter["id"]: matter["certificate_type_id"]
        for matter in application.configuration.content["matters"]
        if matter["certificate_type_id"]
    }
    tasks = application.tasks.filter(state=ReviewTaskState.APPROVED, matter_id__in=issues)
    types = CertificateType.objects.in_bulk(set(issues.values()))
    created = []
    for task in tasks.select_related("matter", "department", "jurisdiction"):
        certificate_type = types[issues[task.matter_id]]
        certificate = Certificate.objects.create(
            application=application,
            matter=task.matter,
            certificate_type=certificate_type,
            number=next_number(certificate_type, jurisdiction, today),
            issued_on=today,
            printed=printed_snapshot(certificate_type, application, task),
        )
        _render_on_commit(certificate)
        created.append(certificate)
    if not created:
        complete_issue(application)
    return created


def complete_issue_after_render(application_id):
    """Called by the render task: issue when the last PDF is ready. Safe to
    call repeatedly and concurrently."""
    with transaction.atomic():
        application = transitions.lock(Application, application_id)
        if application.state != ApplicationState.APPROVED:
            return application
        if application.certificates.filter(rendered_at__isnull=True).exists():
            return application
        complete_issue(application)
        return application


def complete_issue(application):
    transitions.run(
        application, "issue", None, application=application, comment=_("电子证照已生成")
    )
    notify(
        application.project.enterprise.members.all(),
        event="certificate_issued",
        title=_("您的申请 %(number)s 已办结，电子证照可下载") % {"number": application.number},
        application=application,
    )


# --- Lifecycle ---------------------------------------------------------------


def revoke_certificate(certificate_id, user, reason):
    """撤销: the certificate stops counting anywhere (materials of later
    stages, prerequisites) and its verify page says so, with the reason."""
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("请填写撤销理由。"))
    with transaction.atomic():
        certificate = transitions.lock(Certificate, certificate_id)
        _run(certificate, "revoke", user, reason, reason=reason, when=timezone.now())
        notify(
            certificate.application.project.enterprise.members.all(),
            event="certificate_revoked",
            title=_("电子证照 %(number)s 已被撤销") % {"number": certificate.number},
            body=reason,
            application=certificate.application,
        )
    return certificate


def amend_certificate(certificate_id, user, changes, reason):
    """变更: a new certificate (new number, next version) with the printed
    values changed, superseding the old one, whose verify page then points
    to the new. `changes` maps a printed field's source to its new value."""
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("请填写变更事由。"))
    with transaction.atomic():
        old = transitions.lock(Certificate, certificate_id)
        printed = _with_changes(old.printed, changes)
        if printed == old.printed:
            raise ServiceError(_("变更后的内容与原证照相同。"))
        _run(old, "supersede", user, reason)
        today = timezone.localdate()
        new = Certificate.objects.create(
            application=old.application,
            matter_id=old.matter_id,
            certificate_type=old.certificate_type,
            number=next_number(old.certificate_type, old.application.project.jurisdiction, today),
            issued_on=today,
            printed=printed,
            version=old.version + 1,
            supersedes=old,
            amendment_reason=reason,
        )
        _render_on_commit(new)
        notify(
            old.application.project.enterprise.members.all(),
            event="certificate_amended",
            title=_("电子证照 %(old)s 已变更为 %(new)s") % {"old": old.number, "new": new.number},
            body=reason,
            application=old.application,
        )
    return new


def _run(certificate, name, user, comment, **kwargs):
    transitions.run(
        certificate, name, user, application=certificate.application, comment=comment, **kwargs
    )


def _with_changes(printed, changes):
    known = {field["source"] for field in printed["fields"]}
    if unknown := sorted(set(changes) - known):
        raise ServiceError(_("证照上没有这些字段：%(sources)s") % {"sources": "、".join(unknown)})
    values = {group: dict(items) for group, items in printed["values"].items()}
    for source, value in changes.items():
        group, _dot, key = source.partition(".")
        values.setdefault(group, {})[key] = str(value).strip()
    return {**printed, "values": values}


def _render_on_commit(certificate):
    from ..tasks import render_certificate

    enqueue_on_commit(render_certificate, certificate.pk)


# --- What a certificate prints ---------------------------------------------------


def printed_snapshot(certificate_type, application, task):
    """Title, issuing authority, statement, the configured fields and every
    value a template may print, frozen at issue time as plain text."""
    form_fields = application.configuration.form_fields
    labels = {spec["key"]: spec["label"] for spec in form_fields}
    return {
        "title": certificate_type.name,
        "issuer": issuing_authority(task),
        "statement": certificate_type.statement or str(certificate_type.DEFAULT_STATEMENT),
        "fields": [
            {"source": source, "label": label}
            for source, label in certificate_type.printed_field_specs(labels)
        ],
        "values": printed_values(application, task),
    }


def backfill_printed(certificate):
    """The snapshot for a certificate numbered before snapshots existed."""
    task = certificate.application.tasks.select_related("matter", "department", "jurisdiction").get(
        matter_id=certificate.matter_id
    )
    return printed_snapshot(certificate.certificate_type, certificate.application, task)


def issuing_authority(task):
    """The department under the jurisdiction that decided, e.g. 歙县住房和城乡建设局."""
    place = task.jurisdiction.name.removesuffix("本级")
    name = task.department.name
    return name if name.startswith(place) else place + name


def printed_values(application, task):
    """Every source of `CertificateType.SOURCES` and every form field, as text."""
    project = application.project
    enterprise = project.enterprise
    return {
        "project": {
            "name": project.name,
            "code": project.code,
            "address": project.address,
            "jurisdiction": project.jurisdiction.name,
            "total_investment": _text(project.total_investment),
            "land_area": _text(project.land_area),
            "building_area": _text(project.building_area),
            "scale": project.scale,
            "nature": project.get_nature_display(),
            "investment_source": project.get_investment_source_display(),
            "approval_type": project.get_approval_type_display(),
            "planned_start": _text(project.planned_start),
            "planned_end": _text(project.planned_end),
        },
        "enterprise": {
            "name": enterprise.name,
            "credit_code": enterprise.credit_code,
            "legal_representative": enterprise.legal_representative,
        },
        "application": {
            "number": application.number or "",
            "stage": application.stage.name,
            "submitted_on": _text(application.submitted_at),
            "accepted_on": _text(application.accepted_at),
        },
        "decision": {
            "matter": task.matter.name,
            "department": task.department.name,
            "opinion": task.opinion,
            "decided_on": _text(task.decided_at),
        },
        "form": {
            spec["key"]: _form_text(spec, application.form_data.get(spec["key"]))
            for spec in application.configuration.form_fields
        },
    }


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    if isinstance(value, datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, Decimal):
        return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
    return str(value)


def _form_text(spec, value):
    if value in (None, "", []):
        return ""
    kind = spec["field_type"]
    if kind == "yes_no":
        return _("是") if value in ("yes", True, "true", "True") else _("否")
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    if kind == "date":
        try:
            return _text(datetime.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return str(value)
