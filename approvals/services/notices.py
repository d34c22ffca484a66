"""Write a notice row in the deciding transaction; the worker renders it."""

from ..models import Notice
from .side_effects import enqueue_on_commit


def issue_notice(application, kind, body):
    notice = Notice.objects.create(application=application, kind=kind, body=body)
    from ..tasks import render_notice

    enqueue_on_commit(render_notice, notice.pk)
    return notice
