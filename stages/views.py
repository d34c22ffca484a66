"""Public guide pages (办事指南), no login: the list of active stages, each
stage's guide with its generated process diagram and 情形 questionnaire, the
printable PDF, and the blank templates (样表) of its materials.

Matters and materials are read from the stage's `Configuration`, the very
value the workflow freezes into an application, so the lists tailored here
are exactly what an application will ask for. Each page runs a fixed number
of queries whatever the size of the stage."""

import gc
import hashlib
import logging
import mimetypes
import re
from pathlib import PurePath

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .configuration import Configuration, snapshot
from .diagram import process_diagram
from .forms import SituationsForm
from .models import MaterialRequirement, Stage

logger = logging.getLogger(__name__)
# Marks a submitted questionnaire even when no radio was chosen (so the
# form reports what is missing instead of silently showing everything).
ANSWERED = "answered"
PDF_CACHE_SECONDS = 24 * 3600


@require_safe
def guide_list(request):
    stages = (
        Stage.objects.filter(active=True)
        .select_related("lead_department")
        .annotate(matter_count=Count("matters"))
        .order_by("-is_construction", "order", "number")
    )
    construction, others = [], []
    for stage in stages:
        (construction if stage.is_construction else others).append(stage)
    return render(
        request, "guides/guide_list.html", {"construction": construction, "others": others}
    )


def _active_stage(code):
    return get_object_or_404(
        Stage.objects.select_related("lead_department", "guide"), code=code, active=True
    )


def _questionnaire(request, situations):
    """The bound SituationsForm and the answers, or (unbound form, None)."""
    codes = [s["code"] for s in situations]
    submitted = ANSWERED in request.GET or any(code in request.GET for code in codes)
    if not situations or not submitted:
        return SituationsForm(situations=situations), None
    form = SituationsForm(request.GET, situations=situations)
    return form, (form.answers() if form.is_valid() else None)


def guide_context(request, stage, *, absolute_links=False):
    """Everything a guide shows, for the page and the PDF alike."""
    configuration = Configuration(snapshot(stage))
    form, answers = _questionnaire(request, configuration.situations)
    tailored = answers is not None
    matters = configuration.matters(answers) if tailored else configuration.content["matters"]
    materials = configuration.materials(answers) if tailored else configuration.content["materials"]
    questions = {s["code"]: s["question"] for s in configuration.situations}
    # Names of the certificates a material is taken from, and which materials
    # have a blank template: one query for the whole set.
    extras = {r.kind: r for r in stage.materials.select_related("from_certificate_type")}
    material_rows = []
    for material in materials:
        extra = extras.get(material["kind"])
        url = None
        if extra is not None and extra.template_file:
            url = reverse("material_template", args=[stage.code, material["kind"]])
            if absolute_links:
                url = request.build_absolute_uri(url)
        certificate = extra.from_certificate_type if extra is not None else None
        material_rows.append(
            {
                **material,
                "situation_question": questions.get(material["situation"]),
                "certificate_name": certificate.name if certificate else "",
                "template_url": url,
            }
        )
    matter_rows = [{**m, "situation_question": questions.get(m["situation"])} for m in matters]
    try:
        guide = stage.guide
    except Stage.guide.RelatedObjectDoesNotExist:
        guide = None
    return {
        "stage": stage,
        "guide": guide,
        "phone_link": _tel(guide.phone) if guide else None,
        "complaint_phone_link": _tel(guide.complaint_phone) if guide else None,
        "prerequisites": list(stage.prerequisites.all()),
        "form": form,
        "tailored": tailored,
        "answered": (
            [(s["question"], answers[s["code"]]) for s in configuration.situations]
            if tailored
            else []
        ),
        "matters": matter_rows,
        "materials": material_rows,
        "matter_total": len(configuration.content["matters"]),
        "material_total": len(configuration.content["materials"]),
        "time_limit": configuration.time_limit_working_days,
    }


def _tel(number):
    """A tel: link when the field holds one plain number (so a phone can
    dial it); free text such as "12345 或 5512345" stays text."""
    if re.fullmatch(r"\+?[\d\s()-]{5,20}", number or ""):
        return "tel:" + re.sub(r"[^\d+]", "", number)
    return None


def _diagram(context, **options):
    return process_diagram(
        context["matters"],
        total_days=context["time_limit"],
        title=_("%(stage)s 办理流程图") % {"stage": context["stage"].name},
        **options,
    )


@require_safe
def guide_detail(request, code):
    stage = _active_stage(code)
    context = guide_context(request, stage)
    context["diagram"] = _diagram(context)
    context["answered_flag"] = ANSWERED
    # The PDF of what is on screen: the same answers carried over.
    query = request.GET.urlencode() if context["tailored"] else ""
    context["pdf_url"] = reverse("guide_pdf", args=[stage.code]) + (f"?{query}" if query else "")
    return render(request, "guides/guide_detail.html", context)


@require_safe
def guide_pdf(request, code):
    stage = _active_stage(code)
    context = guide_context(request, stage, absolute_links=True)
    context["diagram"] = _diagram(
        context, dom_id="pdf-diagram", font_family="Portal Serif SC, serif"
    )
    context["font_url"] = (
        settings.PORTAL_CERTIFICATE_FONT_DIR / "PortalSerifSC-Regular.otf"
    ).as_uri()
    context["page_url"] = request.build_absolute_uri(reverse("guide_detail", args=[stage.code]))
    html = render_to_string("guides/guide_pdf.html", context, request=request)
    response = HttpResponse(_pdf_for(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{stage.code}-guide.pdf"'
    return response


def _pdf_for(html):
    """WeasyPrint takes about a second per guide, and this page is public:
    the PDF is cached under a digest of its HTML, so any change to the
    configuration makes a new one. A cache outage only costs the render."""
    key = "guide-pdf:" + hashlib.sha256(html.encode()).hexdigest()
    try:
        pdf = cache.get(key)
    except Exception:  # the cache is an optimisation; never fail the page on it
        logger.warning("guide PDF cache unavailable", exc_info=True)
        pdf = None
    if pdf is not None:
        return pdf
    from weasyprint import HTML  # lazy: heavy import, only this view needs it

    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    # WeasyPrint keeps large font and layout caches; collect so a long-lived
    # worker process stays flat (same reason as approvals.rendering).
    gc.collect()
    try:
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    except Exception:
        logger.warning("guide PDF cache unavailable", exc_info=True)
    return pdf


@require_safe
def material_template(request, code, kind):
    """The blank form or sample of a material of an active stage. Media is
    private; this is the one public door, and only to these files."""
    requirement = get_object_or_404(
        MaterialRequirement.objects.only("template_file"),
        stage__code=code,
        stage__active=True,
        kind=kind,
    )
    if not requirement.template_file:
        raise Http404
    try:
        handle = requirement.template_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    name = PurePath(requirement.template_file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    # Always an attachment, never rendered here: files are uploaded in admin
    # and must not run as pages of this site.
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
