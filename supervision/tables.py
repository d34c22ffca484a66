"""Figures as tables (portal.tabular.Table), the one shape the page's number
tables, the CSV/XLSX exports and the reports all print. Lists may be
iterators (exports stream them)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.models import ApplicationState, ReviewTaskState
from portal.tabular import Table

from .statistics.counts import SHOWN_STATES
from .statistics.target import STATUSES


def one_decimal(value):
    return None if value is None else round(float(value), 1)


def percent(value):
    return None if value is None else f"{value * 100:.1f}%"


def minutes(duration):
    return None if duration is None else round(duration.total_seconds() / 60, 1)


def local_date(moment):
    return None if moment is None else timezone.localtime(moment).date()


def local_minute(moment):
    return None if moment is None else timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


STATE_LABELS = dict(ApplicationState.choices)


def stages_table(rows):
    return Table(
        "stages",
        _("各阶段申请数（按状态）"),
        [
            _("阶段"),
            *(str(STATE_LABELS[s]) for s in SHOWN_STATES),
            _("合计"),
            _("本期提交"),
            _("本期受理"),
            _("本期办结"),
            _("审查超期"),
        ],
        [
            [
                row["stage_name"],
                *(row["states"][s] for s in SHOWN_STATES),
                row["total"],
                row["submitted_in_period"],
                row["accepted_in_period"],
                row["decided_in_period"],
                row["overdue"],
            ]
            for row in rows
        ],
        _("没有已提交的申请。"),
    )


def warnings_by_department_table(rows):
    return Table(
        "warnings_by_department",
        _("红黄牌预警（按部门）"),
        [_("部门"), _("红牌（已超期）"), _("黄牌（临近到期）")],
        [[row["department_name"], row["red"], row["yellow"]] for row in rows],
        _("当前没有红牌或黄牌预警。"),
    )


LEVELS = {"red": gettext_lazy("红牌"), "yellow": gettext_lazy("黄牌")}


def warnings_table(rows):
    """`rows`: tuples of `warnings.ROW_FIELDS`."""

    def cells():
        # Labels translated once, not per row: a report's file lists every
        # warned task, and a gettext per cell was a third of writing them.
        levels = {level: str(label) for level, label in LEVELS.items()}
        states = {state: str(label) for state, label in ReviewTaskState.choices}
        overdue, remaining = _("超期"), _("剩余")
        for level, department, matter, project, number, place, state, due, left, deadline in rows:
            yield [
                levels[level],
                department,
                matter,
                project,
                number,
                place,
                states.get(state, state),
                due,
                None if left is None else -left if left < 0 else left,
                overdue if left is not None and left < 0 else remaining if left is not None else "",
                deadline,
            ]

    return Table(
        "warnings",
        _("预警任务清单"),
        [
            _("预警"),
            _("部门"),
            _("事项"),
            _("项目"),
            _("申请编号"),
            _("区域"),
            _("状态"),
            _("审查期限"),
            _("工作日"),
            _("超期/剩余"),
            _("督办限期"),
        ],
        cells(),
        _("当前没有红牌或黄牌预警。"),
    )


def _duration_cells(row):
    return [
        row["count"],
        one_decimal(row["average"]),
        one_decimal(row["p90"]),
        row["longest"],
        percent(row["on_time_rate"]),
    ]


DURATION_COLUMNS = [
    gettext_lazy("办结件数"),
    gettext_lazy("平均工作日"),
    gettext_lazy("90%分位工作日"),
    gettext_lazy("最长"),
    gettext_lazy("按期办结率"),
]
NO_DECISIONS = gettext_lazy("本期没有办结的事项。")


def durations_stage_table(rows):
    return Table(
        "durations_stage",
        _("各阶段办理用时（工作日）"),
        [_("阶段"), _("承诺时限"), *DURATION_COLUMNS],
        [[row["name"], row["limit"], *_duration_cells(row)] for row in rows],
        NO_DECISIONS,
    )


def durations_matter_table(rows):
    return Table(
        "durations_matter",
        _("各事项审查用时（工作日）"),
        [_("事项"), _("阶段"), _("部门"), _("审查时限"), *DURATION_COLUMNS],
        [
            [
                row["name"],
                row["stage_name"],
                row["department_name"],
                row["limit"],
                *_duration_cells(row),
            ]
            for row in rows
        ],
        NO_DECISIONS,
    )


def durations_department_table(rows):
    return Table(
        "durations_department",
        _("各部门审查用时（工作日）"),
        [_("部门"), *DURATION_COLUMNS],
        [[row["name"], *_duration_cells(row)] for row in rows],
        NO_DECISIONS,
    )


STATUS_LABELS = {
    "on_track": gettext_lazy("正常推进"),
    "at_risk": gettext_lazy("有超期风险"),
    "over": gettext_lazy("已超过目标"),
}


def projects_summary_table(summary):
    rows = []
    if summary:
        rows = [[str(STATUS_LABELS[s]), summary[s]] for s in STATUSES]
        rows.append([_("其中：本期取得施工许可"), summary["completed"]])
        rows.append(
            [_("取得施工许可平均用时（工作日）"), one_decimal(summary["completed_average"])]
        )
    return Table(
        "projects_summary",
        _("项目全流程用时（目标 %(n)s 个工作日）")
        % {"n": summary.get("target", "") if summary else ""},
        [_("项目"), _("数量")],
        rows,
        _("没有已申报立项用地规划许可的项目。"),
    )


def projects_table(rows):
    """`rows`: tuples as `target.project_rows` yields."""

    def cells():
        statuses = {status: str(label) for status, label in STATUS_LABELS.items()}
        for name, place, enterprise, first, permit, elapsed, status in rows:
            yield [
                name,
                place,
                enterprise,
                local_date(first),
                local_date(permit),
                elapsed,
                statuses[status],
            ]

    return Table(
        "projects",
        _("超期及有超期风险的项目"),
        [
            _("项目"),
            _("区域"),
            _("建设单位"),
            _("首次申报"),
            _("施工许可办结"),
            _("累计工作日"),
            _("状态"),
        ],
        cells(),
        _("没有超期或有超期风险的项目。"),
    )


def window_table(rows):
    return Table(
        "window",
        _("综合窗口取号与等候"),
        [
            _("大厅"),
            _("业务"),
            _("取号"),
            _("已叫号"),
            _("办结"),
            _("过号"),
            _("平均等候（分钟）"),
            _("90%分位等候（分钟）"),
            _("平均办理（分钟）"),
            _("90%分位办理（分钟）"),
        ],
        [
            [
                row["jurisdiction_name"],
                f"{row['prefix']} {row['service_name']}",
                row["taken"],
                row["called"],
                row["served"],
                row["no_show"],
                minutes(row["average_wait"]),
                minutes(row["p90_wait"]),
                minutes(row["average_serve"]),
                minutes(row["p90_serve"]),
            ]
            for row in rows
        ],
        _("本期没有取号记录。"),
    )


def agents_table(rows):
    return Table(
        "agents",
        _("代办员工作量"),
        [_("代办员"), _("代办项目"), _("申请"), _("在办申请"), _("本期提交")],
        [
            [
                row["name"],
                row["projects"],
                row["applications"],
                row["open"],
                row["submitted_in_period"],
            ]
            for row in rows
        ],
        _("没有在办的代办委托。"),
    )


def intermediaries_table(rows):
    return Table(
        "intermediaries",
        _("中介服务"),
        [
            _("中介机构"),
            _("本期开始"),
            _("本期完成"),
            _("服务中"),
            _("平均用时（工作日）"),
            _("平均评分"),
            _("评价数"),
        ],
        [
            [
                row["name"],
                row["started"],
                row["finished"],
                row["in_service"],
                one_decimal(row["average_days"]),
                one_decimal(row["average_rating"]),
                row["rated"],
            ]
            for row in rows
        ],
        _("本期没有中介服务。"),
    )


def escalations_table(escalations, title=None):
    def rows():
        for escalation in escalations:
            task = escalation.task
            yield [
                task.matter.name,
                task.department.name,
                task.application.project.name,
                escalation.note,
                escalation.new_deadline,
                escalation.created_by.display_name,
                local_minute(escalation.created_at),
                local_minute(escalation.resolved_at) or _("督办中"),
            ]

    return Table(
        "escalations",
        title or _("督办事项"),
        [
            _("事项"),
            _("部门"),
            _("项目"),
            _("督办意见"),
            _("限期办结"),
            _("督办人"),
            _("督办时间"),
            _("办结时间"),
        ],
        rows(),
        _("没有督办事项。"),
    )
