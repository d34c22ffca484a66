"""The supervisor's dashboard and the exports of its lists."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.tabular import FORMATS, download
from stages.calendar import CalendarNotAvailable

from .. import exports, tables
from ..dashboard_charts import charts
from ..figures import collect
from ..forms import DashboardFilterForm
from .access import supervisor_required

# The page lists the first rows; the export has them all.
LIST_LIMIT = 50


@supervisor_required
def dashboard(request):
    form = DashboardFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "supervision/dashboard.html", {"form": form}, status=400)
    figures = collect(form.scope(), form.filters(), form.today, limit=LIST_LIMIT)
    return render(
        request,
        "supervision/dashboard.html",
        {
            "form": form,
            "figures": figures,
            "charts": charts(figures),
            "tables": {
                "stages": tables.stages_table(figures.stage_counts),
                "warnings": tables.warnings_by_department_table(figures.warnings_by_department),
                "durations_stage": tables.durations_stage_table(figures.stage_durations),
                "durations_matter": tables.durations_matter_table(figures.matter_durations),
                "durations_department": tables.durations_department_table(
                    figures.department_durations
                ),
                "projects": tables.projects_summary_table(figures.projects),
                "window": tables.window_table(figures.window),
                "agents": tables.agents_table(figures.agents),
                "intermediaries": tables.intermediaries_table(figures.intermediaries),
            },
            "query": urlencode(form.query()),
            "list_limit": LIST_LIMIT,
        },
    )


@supervisor_required
def export(request, key, fmt):
    form = DashboardFilterForm(request.GET, user=request.user)
    if key not in exports.BUILDERS or fmt not in FORMATS:
        return HttpResponse(_("没有这个清单或格式。"), status=404, content_type="text/plain")
    if not form.is_valid():
        problems = "；".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    filters = form.filters()
    try:
        table = exports.table(key, form.scope(), filters, form.today)
    except CalendarNotAvailable as error:
        return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
    name = f"{key}-{filters.period.start:%Y%m%d}-{filters.period.end:%Y%m%d}"
    return download([table], name, fmt)
