"""The dashboard's charts, built from `Figures`."""

from django.utils.translation import gettext as _

from .charts import build
from .statistics.target import STATUSES
from .tables import STATUS_LABELS, minutes

# A chart shows the busiest rows; its table beside it has them all.
CHART_ROWS = 15


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
    found["agents"] = build(
        "agents",
        _("代办员工作量（申请数）"),
        [
            (row["name"], [row["open"], row["applications"] - row["open"]])
            for row in figures.agents[:CHART_ROWS]
        ],
        [("bar-reviewing", _("在办")), ("bar-done", _("已办结/其他"))],
        stacked=True,
    )
    found["intermediaries"] = build(
        "intermediaries",
        _("中介服务（件）"),
        [
            (row["name"], [row["started"], row["finished"], row["in_service"]])
            for row in figures.intermediaries[:CHART_ROWS]
        ],
        [
            ("bar-waiting", _("本期开始")),
            ("bar-done", _("本期完成")),
            ("bar-reviewing", _("服务中")),
        ],
    )
    return found


def _float(value):
    return None if value is None else float(value)
