"""SPGL_XMSPSXBLXXXXB 项目审批事项办理详细信息表: every handling step of a
matter instance, one row per step, read from the transition log (append
only, so a step's change time is when it happened and it is exported once).

A window step (申报, 受理, 补正, 不予受理, 撤回, 特别程序 of the whole
application) applies to every matter of the application, so it is one row
per matter; a department's step on its review task is one row for that
matter. What happened before submission (a draft withdrawn) is not a
handling step. The application's own approve/reject/issue follow from its
tasks' decisions, already rows of their own."""

from django.db.models import BigIntegerField, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast

from approvals.models import ReviewTask, TransitionLog
from portal.models import STAFF_ROLES

from .matters import application_matters, department_codes, instance_code
from .tables import VALID, Table, _time

# BLZT 办理状态 of a step: the state it leads to, in the codes of TASK_STATE
# (tables.py), plus 1 申报 (收件). Our reading; FIELDS.md says so.
WINDOW_STEPS = {
    "submit": 1,
    "resubmit": 1,
    "accept": 2,
    "accept_with_deficiency": 2,
    "request_correction": 4,
    "suspend": 5,
    "resume": 3,
    "refuse": 8,
    "withdraw": 9,
}
TASK_STEPS = {
    "claim": 3,
    "request_supplement": 4,
    "answer_supplement": 3,
    "suspend": 5,
    "resume": 3,
    "approve": 6,
    "reject": 7,
}


def _task(field):
    task = ReviewTask.objects.filter(pk=Cast(OuterRef("object_id"), BigIntegerField()))
    return Subquery(task.values(field)[:1])


class HandlingStepTable(Table):
    def changed(self):
        window = Q(subject_type="approvals.application", transition__in=WINDOW_STEPS) & ~Q(
            transition="withdraw", from_state="draft"
        )
        department = Q(subject_type="approvals.reviewtask", transition__in=TASK_STEPS)
        return (
            TransitionLog.objects.filter(window | department)
            .filter(application__stage__is_construction=True)
            .exclude(application__project__code="")
            .select_related(
                "actor",
                "application__jurisdiction",
                "application__project",
                "application__stage_version",
            )
            .annotate(
                changed_at=F("created_at"),
                matter_id=_task("matter_id"),
                matter_code=_task("matter__code"),
                department_name=_task("department__name"),
            )
        )

    def parts(self):
        departments = department_codes()
        return [(self.changed(), lambda step: self.rows(step, departments))]

    def rows(self, step, departments):
        application = step.application
        if step.subject_type == "approvals.reviewtask":
            code = TASK_STEPS[step.transition]
            matters = [(step.matter_id, step.matter_code, step.department_name)]
            key = f"step-{step.pk}"
        else:
            code = WINDOW_STEPS[step.transition]
            matters = [
                (m["id"], m["code"], None) for m in application_matters(application, departments)
            ]
            key = None
        actor = step.actor
        return [
            {
                "DFSJZJ": key or f"step-{step.pk}-matter-{matter_id}",
                "XZQHDM": application.jurisdiction.code,
                "GCDM": application.project.code,
                "SPSXSLBM": instance_code(application, matter_code),
                "BLCS": office,
                # Staff only: an applicant's name is personal data.
                "BLR": actor.display_name if actor and actor.role in STAFF_ROLES else None,
                "BLZT": code,
                "BLYJ": step.comment,
                "BLSJ": _time(step.created_at),
                "SJYXBS": VALID,
                "GXSJ": _time(step.changed_at),
            }
            for matter_id, matter_code, office in matters
        ]
