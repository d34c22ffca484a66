"""One export run: for each table, the rows changed since its cursor,
written as one JSON Lines file in private storage, then the cursor moves.

Safe to run twice at once: each table's cursor row is locked for the run,
so the second run waits and then finds nothing new. A row changed while
a run reads can carry a change time just before the run's upper bound yet
commit after it; rows are therefore exported only once they are
EXCHANGE_SPGL_SETTLE_SECONDS old, which a transaction never outlives here
(Celery's hard time limit is minutes, a web request seconds)."""

import json
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from .models import ExportCursor, ExportFile
from .steps import HandlingStepTable
from .tables import (
    ApprovalDocumentTable,
    MatterHandlingTable,
    ProjectTable,
    UnitTable,
)

DIRECTORY = "exchange/spgl"
TABLES = [
    ProjectTable("SPGL_XMJBXXB", "项目基本信息表"),
    UnitTable("SPGL_XMDWXXB", "项目单位信息表"),
    MatterHandlingTable("SPGL_XMSPSXBLXXB", "项目审批事项办理信息表"),
    HandlingStepTable("SPGL_XMSPSXBLXXXXB", "项目审批事项办理详细信息表"),
    ApprovalDocumentTable("SPGL_XMSPSXPFWJXXB", "项目审批事项批复文件信息表"),
]


def export_changes(until=None):
    """Export every table; return the ExportFile rows written (none for a
    table with nothing new)."""
    if until is None:
        until = timezone.now() - timedelta(seconds=settings.EXCHANGE_SPGL_SETTLE_SECONDS)
    run = timezone.localtime().strftime("%Y%m%dT%H%M%S%f")
    return [file for table in TABLES if (file := export_table(table, until, run)) is not None]


def export_table(table, until, run):
    with transaction.atomic():
        ExportCursor.objects.get_or_create(table=table.name)
        cursor = ExportCursor.objects.select_for_update().get(table=table.name)
        after = cursor.exported_until
        if after is not None and after >= until:
            return None
        lines = []
        for objects, rows_of in table.parts():
            objects = objects.filter(changed_at__lte=until)
            if after is not None:
                objects = objects.filter(changed_at__gt=after)
            lines += [
                json.dumps(row, ensure_ascii=False)
                for obj in objects.order_by("changed_at", "pk").iterator(chunk_size=500)
                for row in rows_of(obj)
            ]
        cursor.exported_until = until
        cursor.save(update_fields=["exported_until", "updated_at"])
        if not lines:
            return None
        path = default_storage.save(
            f"{DIRECTORY}/{run}/{table.name}.jsonl",
            ContentFile(("\n".join(lines) + "\n").encode()),
        )
        return ExportFile.objects.create(
            table=table.name,
            path=path,
            rows=len(lines),
            changed_after=after,
            changed_until=until,
        )


def reset_cursors():
    """The next run exports everything again (e.g. for a receiver rebuilt
    from scratch)."""
    ExportCursor.objects.update(exported_until=None)
