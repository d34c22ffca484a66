"""Reports: which ones are due, generating one (PDF, CSV, XLSX) and
emailing it. Every step can run twice: one row per kind + period +
jurisdiction (unique), generation skips a report already generated, and
mailing skips one already mailed (the row is locked while sending)."""

import logging
import tempfile

from django.core.files.base import ContentFile, File
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.tabular import XLSX_MAX_ROWS, write_files
from stages.calendar import CalendarNotAvailable
from stages.models import Jurisdiction

from . import exports, tables
from .dashboard_charts import charts
from .figures import collect
from .filters import Filters
from .models import Report, ReportRecipient
from .periods import Period, completed_periods
from .scope import Scope
from .statistics import target, warnings

logger = logging.getLogger(__name__)

PERIODIC_KINDS = [Report.Kind.DAILY, Report.Kind.WEEKLY, Report.Kind.TEN_DAY]
# A beat that missed days (worker down, broker outage) catches up this far.
LOOK_BACK_DAYS = 7
# The PDF lists the most urgent rows of each list; the CSV/XLSX files have
# every row, written to temporary files as they are read (a city's warned
# tasks may run to hundreds of thousands).
PDF_LIST_LIMIT = 100


def request_report(kind, period, jurisdiction):
    """The report of `kind` for `period` and `jurisdiction`; created if new."""
    return Report.objects.get_or_create(
        kind=kind,
        period_start=period.start,
        period_end=period.end,
        jurisdiction=jurisdiction,
    )


def due_reports(today):
    """Create the periodic reports that should exist by `today` (one set per
    jurisdiction) and return the ids of every report still to generate."""
    wanted = [
        Report(kind=kind, period_start=period.start, period_end=period.end, jurisdiction=j)
        for j in Jurisdiction.objects.order_by("code")
        for kind in PERIODIC_KINDS
        for period in completed_periods(kind, today, LOOK_BACK_DAYS)
    ]
    Report.objects.bulk_create(wanted, ignore_conflicts=True)
    return list(
        Report.objects.filter(generated_at__isnull=True)
        .order_by("period_end", "pk")
        .values_list("pk", flat=True)
    )


def title(report):
    return _("%(scope)s工程建设项目审批%(kind)s") % {
        "scope": Scope.of_jurisdiction(report.jurisdiction).label,
        "kind": report.get_kind_display() if report.kind != Report.Kind.CUSTOM else _("统计报表"),
    }


def generate(report_id, today=None):
    report = Report.objects.select_related("jurisdiction").get(pk=report_id)
    if report.is_generated:
        return report
    today = today or timezone.localdate()
    scope = Scope.of_jurisdiction(report.jurisdiction)
    filters = Filters(Period(report.period_start, report.period_end))
    figures = collect(scope, filters, today, limit=PDF_LIST_LIMIT, with_period_escalations=True)
    generated_at = timezone.now()
    heading = {
        "title": title(report),
        "report": report,
        "scope": scope,
        "generated_at": generated_at,
        "no_data": not figures.has_period_data,
        "lists_cut": _lists_cut(figures),
    }
    pdf = _pdf(figures, heading)
    preface = _preface(heading)
    with tempfile.TemporaryFile() as csv, tempfile.TemporaryFile() as xlsx:
        # Both files in one pass: each list is read once, streamed.
        write_files(_file_tables(figures, scope, filters, today), csv, xlsx, preface)
        with transaction.atomic():
            locked = Report.objects.select_for_update().get(pk=report_id)
            if locked.is_generated:
                return locked
            stem = report.file_stem
            locked.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
            for field, handle, extension in ((locked.csv, csv, "csv"), (locked.xlsx, xlsx, "xlsx")):
                handle.seek(0)
                field.save(f"{stem}.{extension}", File(handle), save=False)
            locked.has_data = figures.has_period_data
            locked.generated_at = generated_at
            locked.save(update_fields=["pdf", "csv", "xlsx", "has_data", "generated_at"])
            return locked


def _pdf(figures, heading):
    from approvals.pdf import font_url, write_pdf

    html = render_to_string(
        "supervision/report_pdf.html",
        {
            **heading,
            "figures": figures,
            "sections": _sections(figures),
            "warning_table": tables.warnings_table(map(warnings.row_of, figures.warning_tasks)),
            "warning_total": figures.warning_total,
            "project_table": tables.projects_table(map(target.row_of, figures.project_list)),
            "escalation_table": tables.escalations_table(
                figures.period_escalations, _("本期督办事项")
            ),
            "list_limit": PDF_LIST_LIMIT,
            "font_url": font_url(),
        },
    )
    return write_pdf(html)


# The dashboard's chart drawn above each summary table (the same geometry).
CHART_OF_TABLE = {"warnings_by_department": "warnings", "projects_summary": "projects"}


def _sections(figures):
    """[(table, chart or None)] for the PDF: each chart with its numbers."""
    drawn = charts(figures)
    return [
        (table, drawn.get(CHART_OF_TABLE.get(table.key, table.key)))
        for table in _summary_tables(figures)
    ]


def _summary_tables(figures):
    return [
        tables.stages_table(figures.stage_counts),
        tables.warnings_by_department_table(figures.warnings_by_department),
        tables.durations_stage_table(figures.stage_durations),
        tables.durations_matter_table(figures.matter_durations),
        tables.durations_department_table(figures.department_durations),
        tables.projects_summary_table(figures.projects),
        tables.window_table(figures.window),
        tables.agents_table(figures.agents),
        tables.intermediaries_table(figures.intermediaries),
    ]


def _file_tables(figures, scope, filters, today):
    """Summary tables from `figures`; the lists again from the database,
    every row (as iterators)."""
    found = _summary_tables(figures)
    for key in ("warnings", "projects"):
        try:
            found.append(exports.table(key, scope, filters, today))
        except CalendarNotAvailable:
            continue
    found.append(tables.escalations_table(figures.period_escalations, _("本期督办事项")))
    return found


def _lists_cut(figures):
    """A list longer than an XLSX sheet holds (it continues on a second)."""
    projects = figures.projects or {}
    late_projects = projects.get("over", 0) + projects.get("at_risk", 0)
    return max(figures.warning_total, late_projects) > XLSX_MAX_ROWS


def _preface(heading):
    report = heading["report"]
    rows = [
        [heading["title"]],
        [_("统计范围"), heading["scope"].label],
        [_("统计区间"), report.period_label],
        [_("生成时间"), timezone.localtime(heading["generated_at"]).strftime("%Y-%m-%d %H:%M")],
        [
            _("说明"),
            _("预警、督办和项目进度为生成时的状态；用时按工作日计，扣除特别程序等暂停时间。"),
        ],
    ]
    if heading["no_data"]:
        rows.append([_("本期无数据"), _("统计区间内没有申报、受理、办结、取号或督办记录。")])
    if heading["lists_cut"]:
        rows.append(
            [
                _("清单"),
                _("XLSX 每个工作表最多 %(n)d 行，超出的行续在同名的下一个工作表。")
                % {"n": XLSX_MAX_ROWS},
            ]
        )
    rows.append([])
    return rows


def email(report_id):
    """Mail a generated periodic report to its recipients, once."""
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("jurisdiction")
            .filter(pk=report_id, generated_at__isnull=False, emailed_at__isnull=True)
            .first()
        )
        if report is None or report.kind == Report.Kind.CUSTOM:
            return 0
        recipients = [
            r.email
            for r in ReportRecipient.objects.filter(
                active=True, jurisdiction=report.jurisdiction, **{report.kind: True}
            )
        ]
        if not recipients:
            return 0
        message = EmailMessage(
            subject=f"{title(report)}（{report.period_label}）",
            body=render_to_string(
                "supervision/report_email.txt", {"report": report, "title": title(report)}
            ),
            to=recipients,
        )
        for field, content_type in (
            (report.pdf, "application/pdf"),
            (report.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ):
            with field.open("rb") as handle:
                message.attach(field.name.rsplit("/", 1)[-1], handle.read(), content_type)
        message.send()
        report.emailed_at = timezone.now()
        report.save(update_fields=["emailed_at"])
        return len(recipients)
