"""Matter instances (审批事项实例) as the national tables name them: one per
matter of an application, coded `<application number>-<matter code>`.

An accepted application has a review task per matter. One that ended at
the window (不予受理, withdrawn) or is still there has none, so its
matters are read from the stage configuration it was filed under and its
situation answers — the same list acceptance would have made tasks of."""

from stages.models import Department


def instance_code(application, matter_code):
    """SPSXSLBM 审批事项实例编码."""
    return f"{application.number}-{matter_code}"


def department_codes():
    """Department id → code: few rows, read once per export."""
    return dict(Department.objects.values_list("pk", "code"))


def application_matters(application, departments):
    """The application's matters as dicts: id, code, name, department
    code and name, time limit."""
    return [
        {
            "id": matter["id"],
            "code": matter["code"],
            "name": matter["name"],
            "department_code": departments.get(matter["department_id"]),
            "department_name": matter["department"],
            "time_limit": matter["time_limit_working_days"],
        }
        for matter in application.applicable_matters()
    ]
