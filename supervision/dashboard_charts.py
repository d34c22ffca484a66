"""The dashboard's charts, built from `Figures`."""

from django.utils.translation import gettext as _

from .charts import build
from .statistics.target import STATUSES
from .tables import STATUS_LABELS, minutes


def charts(figures):
    found = {
        "stages": build(
            "stages",
            _("各阶段申请（按状态）"),
            [
                (
                    row["stage_name"],
                    [row["groups"][g] for g in ("waiting", "reviewing", "done", "closed")],
                )
                for row in figures.stage_counts
            ],
            [
                ("bar-waiting", _("待受理/补正")),
                ("bar-reviewing", _("审查中")),
                ("bar-done", _("已办结")),
                ("bar-closed", _("不予受理/不予许可/撤回")),
            ],
            stacked=True,
        ),
        "warnings": build(
            "warnings",
            _("红黄牌预警（按部门）"),
            [
                (row["department_name"], [row["red"], row["yellow"]])
                for row in figures.warnings_by_department
            ],
            [("bar-red", _("红牌")), ("bar-yellow", _("黄牌"))],
            stacked=True,
        ),
    }
    duration_series = [("bar-average", _("平均")), ("bar-p90", _("90%分位"))]
    for key, title, rows in (
        ("durations_stage", _("各阶段办理用时（工作日）"), figures.stage_durations),
        ("durations_matter", _("各事项审查用时（工作日）"), figures.matter_durations),
        ("durations_department", _("各部门审查用时（工作日）"), figures.department_durations),
    ):
        found[key] = build(
            key,
            title,
            [(row["name"], [_float(row["average"]), _float(row["p90"])]) for row in rows],
            duration_series,
        )
    if figures.projects:
        found["projects"] = build(
            "projects",
            _("项目全流程用时"),
            [(_("项目"), [figures.projects[s] for s in STATUSES])],
            [("bar-" + s, STATUS_LABELS[s]) for s in STATUSES],
            stacked=True,
        )
    found["window"] = build(
        "window",
        _("窗口等候时间（分钟）"),
        [
            (
                f"{row['jurisdiction_name']} {row['prefix']} {row['service_name']}",
                [minutes(row["average_wait"]), minutes(row["p90_wait"])],
            )
            for row in figures.window
        ],
        duration_series,
    )
    return found


def _float(value):
    return None if value is None else float(value)
