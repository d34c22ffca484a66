"""Render the minutes of a closed joint-session round (会审纪要, 联合验收意见书)
into a PDF; skip minutes already rendered, so the task may run twice."""

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ..models.joint import JointMinutes
from .retry import RETRY


@shared_task(name="approvals.render_joint_minutes", **RETRY)
def render_joint_minutes(minutes_id):
    from ..pdf import font_url, render_pdf

    minutes = (
        JointMinutes.objects.select_related(
            "round__session__application__project__enterprise",
            "round__session__application__stage",
            "round__session__lead_department",
            "round__closed_by",
        )
        .filter(pk=minutes_id, rendered_at__isnull=True)
        .first()
    )
    if minutes is None:
        return
    joint_round = minutes.round
    session = joint_round.session
    html = render_to_string(
        "joint/minutes.html",
        {
            "minutes": minutes,
            "round": joint_round,
            "session": session,
            "application": session.application,
            "project": session.application.project,
            "opinions": joint_round.opinions.select_related("department", "recorded_by"),
            "font_url": font_url(),
        },
    )
    pdf, digest = render_pdf(html)
    with transaction.atomic():
        locked = JointMinutes.objects.select_for_update().get(pk=minutes_id)
        if locked.rendered_at is None:
            locked.pdf.save(f"joint-minutes-{minutes.pk}.pdf", ContentFile(pdf), save=False)
            locked.sha256 = digest
            locked.rendered_at = timezone.now()
            locked.save(update_fields=["pdf", "sha256", "rendered_at"])
