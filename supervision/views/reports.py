"""The reports page: stored reports of the supervisor's scope, downloads
(private, checked here), and a report for any period on demand."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from approvals.services.side_effects import enqueue_on_commit

from ..forms import ReportRequestForm
from ..models import Report
from ..reports import request_report
from ..scope import Scope
from ..tasks import generate_report
from .access import supervisor_required

PAGE_SIZE = 30
FORMATS = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _visible(user):
    scope = Scope.for_user(user)
    reports = Report.objects.select_related("jurisdiction")
    if scope.jurisdiction_id is not None:
        reports = reports.filter(jurisdiction_id=scope.jurisdiction_id)
    return reports


@supervisor_required
def report_list(request):
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        home = request.user.staff_membership.jurisdiction
        jurisdiction = form.cleaned_data.get("jurisdiction") or home
        report, _created = request_report(
            Report.Kind.CUSTOM, form.cleaned_data["period"], jurisdiction
        )
        if report.is_generated:
            messages.info(request, _("该区间的报表已经生成，可直接下载。"))
        else:
            enqueue_on_commit(generate_report, report.pk)
            messages.success(request, _("报表正在生成，请稍后刷新本页下载。"))
        return redirect("supervision:reports")
    kind = request.GET.get("kind", "")
    reports = _visible(request.user)
    if kind in Report.Kind.values:
        reports = reports.filter(kind=kind)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/reports.html",
        {
            "page": page,
            "form": form,
            "kinds": Report.Kind.choices,
            "kind": kind,
            "filters": {"kind": kind} if kind else {},
        },
        status=400 if request.method == "POST" else 200,
    )


@supervisor_required
def report_download(request, pk, fmt):
    if fmt not in FORMATS:
        raise Http404
    report = get_object_or_404(_visible(request.user), pk=pk, generated_at__isnull=False)
    field = getattr(report, fmt)
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=f"{report.file_stem}.{fmt}", content_type=FORMATS[fmt]
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
