"""The national tables of projects, units, matter handling and approval
documents: for each, the rows it is made of, when each row last changed,
and its fields (what each means: `FIELDS.md`). The handling steps table is
in `steps.py`.

Our models carry no `updated_at`; a row's change time is the latest of the
timestamps its model does carry and of the transition log entries about it
(every state change writes one). What changes without a transition — an
enterprise renaming itself, project facts edited in a draft — is exported
with the next transition of that project, not at the moment of the edit."""

from dataclasses import dataclass

from django.db.models import CharField, DateTimeField, F, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone

from approvals.models import (
    Application,
    ApplicationState,
    Certificate,
    Project,
    ReviewTask,
    TransitionLog,
)

from .matters import application_matters, department_codes, instance_code

VALID, INVALID = 1, 0  # SJYXBS 数据有效标识

# Code lists: our reading of the standard's appendices (FIELDS.md says where
# we are unsure); keyed by our own words so a correction is one line here.
INVESTMENT_SOURCE = {"government": 1, "social": 2}  # XMTZLY
APPROVAL_TYPE = {"approval": 1, "verification": 2, "filing": 3}  # LXLX
NATURE = {"new": 1, "extension": 2, "reconstruction": 3, "relocation": 4}  # JSXZ
INTAKE = {"window": 1, "web": 2}  # SLFS 受理方式
TASK_STATE = {  # BLZT 办理状态 (also per step in steps.py)
    "pending": 2,
    "reviewing": 3,
    "needs_supplement": 4,
    "suspended": 5,
    "approved": 6,
    "rejected": 7,
    "refused": 8,  # 不予受理 (at the window, no task)
    "withdrawn": 9,  # 撤回 (after submission, no task)
}
WINDOW_ENDINGS = [ApplicationState.REFUSED, ApplicationState.WITHDRAWN]
CONSTRUCTION_UNIT = 1  # DWLX 单位类型: 建设单位
NO_EXPIRY = "9999-01-01"  # PFWJYXQX when a document does not expire


def _latest_log(**filters):
    entries = TransitionLog.objects.filter(**filters).order_by("-created_at")
    return Subquery(entries.values("created_at")[:1], output_field=DateTimeField())


def _latest_of(*expressions):
    """GREATEST ignoring NULLs on every database (SQLite returns NULL)."""
    first = expressions[0]
    return Greatest(first, *(Coalesce(e, first) for e in expressions[1:]))


def _own_log(subject_type):
    return _latest_log(
        subject_type=subject_type, object_id=Cast(OuterRef("pk"), output_field=CharField())
    )


def _date(value):
    return value.isoformat() if value else None


def _time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else None


def _number(value):
    return str(value) if value is not None else None


@dataclass(frozen=True)
class Table:
    """Only construction projects (工程建设项目) go to the national system;
    other "things" (e.g. 我要开餐馆) are left out."""

    name: str
    title: str

    def changed(self):
        """Every object, annotated with `changed_at`."""
        raise NotImplementedError

    def row(self, obj):
        raise NotImplementedError

    def parts(self):
        """(objects annotated with `changed_at`, object → its rows) for each
        kind of object the table is made of."""
        return [(self.changed(), lambda obj: [self.row(obj)])]


class ProjectTable(Table):
    def changed(self):
        return (
            Project.objects.exclude(code="")
            .select_related("jurisdiction", "flow_type")
            .annotate(
                changed_at=_latest_of(
                    F("created_at"),
                    _latest_log(
                        subject_type="approvals.application", application__project=OuterRef("pk")
                    ),
                ),
                first_submitted_at=Subquery(
                    Application.objects.filter(project=OuterRef("pk"), submitted_at__isnull=False)
                    .order_by("submitted_at")
                    .values("submitted_at")[:1],
                    output_field=DateTimeField(),
                ),
            )
        )

    def row(self, project):
        return {
            "DFSJZJ": f"project-{project.pk}",
            "XZQHDM": project.jurisdiction.code,
            "XMDM": project.code,
            "XMMC": project.name,
            "GCDM": project.code,
            "XMTZLY": INVESTMENT_SOURCE.get(project.investment_source),
            "SPLCLX": project.flow_type.code if project.flow_type else None,
            "LXLX": APPROVAL_TYPE.get(project.approval_type),
            "JSXZ": NATURE.get(project.nature),
            "NKGSJ": _date(project.planned_start),
            "NJCSJ": _date(project.planned_end),
            "ZTZE": _number(project.total_investment),
            "JSDDXZQH": project.jurisdiction.code,
            "JSDD": project.address,
            "JSGMJNR": project.scale,
            "YDMJ": _number(project.land_area),
            "JZMJ": _number(project.building_area),
            "SBSJ": _time(project.first_submitted_at),
            "SJYXBS": VALID,
            "GXSJ": _time(project.changed_at),
        }


class UnitTable(Table):
    """One row per project: its construction unit (建设单位), the
    enterprise that registered it."""

    def changed(self):
        return (
            Project.objects.exclude(code="")
            .select_related("jurisdiction", "enterprise")
            .annotate(
                changed_at=_latest_of(
                    F("created_at"),
                    F("enterprise__created_at"),
                    _latest_log(
                        subject_type="approvals.application", application__project=OuterRef("pk")
                    ),
                )
            )
        )

    def row(self, project):
        enterprise = project.enterprise
        return {
            "DFSJZJ": f"project-{project.pk}-unit-{enterprise.pk}",
            "XZQHDM": project.jurisdiction.code,
            "XMDM": project.code,
            "GCDM": project.code,
            "DWTYSHXYDM": enterprise.credit_code,
            "DWMC": enterprise.name,
            "DWLX": CONSTRUCTION_UNIT,
            "SJYXBS": VALID,
            "GXSJ": _time(project.changed_at),
        }


class MatterHandlingTable(Table):
    """One row per review task: a matter (事项) of an accepted application,
    handled by its department in parallel with the others; and for an
    application that ended at the window after submission (不予受理,
    withdrawn), one row per matter it applied for, with that ending."""

    def parts(self):
        departments = department_codes()
        return [
            *super().parts(),
            (self.window_endings(), lambda app: self.ending_rows(app, departments)),
        ]

    def window_endings(self):
        ending = TransitionLog.objects.filter(
            application=OuterRef("pk"),
            subject_type="approvals.application",
            transition__in=["refuse", "withdraw"],
        ).order_by("-created_at")
        return (
            Application.objects.filter(
                stage__is_construction=True, state__in=WINDOW_ENDINGS, submitted_at__isnull=False
            )
            .exclude(project__code="")
            .select_related("jurisdiction", "project", "stage", "stage_version")
            .annotate(
                changed_at=_latest_of(
                    F("decided_at"),
                    _latest_log(subject_type="approvals.application", application=OuterRef("pk")),
                ),
                ending_comment=Subquery(ending.values("comment")[:1]),
            )
        )

    def ending_rows(self, application, departments):
        project = application.project
        return [
            {
                "DFSJZJ": f"application-{application.pk}-matter-{matter['id']}",
                "XZQHDM": application.jurisdiction.code,
                "XMDM": project.code,
                "GCDM": project.code,
                "SPJDDM": application.stage.number,
                "SPLCBM": application.stage.code,
                "SPSXBM": matter["code"],
                "SPSXMC": matter["name"],
                "SPSXSLBM": instance_code(application, matter["code"]),
                "SPBMBM": matter["department_code"],
                "SPBMMC": matter["department_name"],
                "SLFS": INTAKE.get(application.source),
                "BLSPSLBM": application.number,
                "SXBLSX": matter["time_limit"],
                "BLZT": TASK_STATE[application.state],
                "SLSJ": None,
                "BJSJ": _time(application.decided_at),
                "BLYJ": application.ending_comment or "",
                "SJYXBS": VALID,
                "GXSJ": _time(application.changed_at),
            }
            for matter in application_matters(application, departments)
        ]

    def changed(self):
        return (
            ReviewTask.objects.filter(application__stage__is_construction=True)
            .select_related(
                "jurisdiction", "matter", "department", "application__project", "application__stage"
            )
            .annotate(
                changed_at=_latest_of(
                    F("created_at"), F("decided_at"), _own_log("approvals.reviewtask")
                )
            )
        )

    def row(self, task):
        application = task.application
        project = application.project
        return {
            "DFSJZJ": f"task-{task.pk}",
            "XZQHDM": task.jurisdiction.code,
            "XMDM": project.code,
            "GCDM": project.code,
            "SPJDDM": application.stage.number,
            "SPLCBM": application.stage.code,
            "SPSXBM": task.matter.code,
            "SPSXMC": task.matter.name,
            "SPSXSLBM": instance_code(application, task.matter.code),
            "SPBMBM": task.department.code,
            "SPBMMC": task.department.name,
            "SLFS": INTAKE.get(application.source),
            "BLSPSLBM": application.number,
            "SXBLSX": task.matter.time_limit_working_days,
            "BLZT": TASK_STATE.get(task.state),
            "SLSJ": _time(application.accepted_at),
            "BJSJ": _time(task.decided_at),
            "BLYJ": task.opinion,
            "SJYXBS": VALID,
            "GXSJ": _time(task.changed_at),
        }


class ApprovalDocumentTable(Table):
    """One row per certificate (批复文件); an amendment is a new row and
    the one it replaces turns invalid."""

    def changed(self):
        successor = Certificate.objects.filter(supersedes=OuterRef("pk")).values("created_at")[:1]
        return (
            Certificate.objects.filter(application__stage__is_construction=True)
            .select_related("application__project__jurisdiction", "matter", "certificate_type")
            .annotate(
                changed_at=_latest_of(
                    F("created_at"),
                    F("rendered_at"),
                    F("revoked_at"),
                    Subquery(successor, output_field=DateTimeField()),
                    _own_log("approvals.certificate"),
                )
            )
        )

    def row(self, certificate):
        application = certificate.application
        project = application.project
        valid = certificate.state == "valid"
        return {
            "DFSJZJ": f"certificate-{certificate.pk}",
            "XZQHDM": project.jurisdiction.code,
            "XMDM": project.code,
            "GCDM": project.code,
            "SPSXBM": certificate.matter.code,
            "SPSXSLBM": instance_code(application, certificate.matter.code),
            "PFRQ": _date(certificate.issued_on),
            "PFWH": certificate.number,
            "PFWJBT": certificate.certificate_type.name,
            "PFWJYXQX": NO_EXPIRY,
            "FJMC": f"{certificate.number}.pdf" if certificate.pdf else None,
            "FJLX": "pdf" if certificate.pdf else None,
            "SJYXBS": VALID if valid else INVALID,
            "SJWXYY": ""
            if valid
            else certificate.revocation_reason or str(certificate.get_state_display()),
            "GXSJ": _time(certificate.changed_at),
        }
